//! `sync_in_steps`, the sync a front end runs while the workspace is shared with the person using it
//! (the desktop shell): it holds the workspace only between requests, and an edit made at any point
//! of a run is neither lost nor silently overwritten.

mod common;

use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use wisdom_core::sync::{sync_in_steps, SyncAccess};
use wisdom_core::{Result, Workspace};

/// A local edit made just before a chosen step of a run.
type Before = (usize, Box<dyn Fn(&mut Workspace)>);

/// Lends a workspace step by step, timing each step and running `before` ahead of the step whose
/// number it is given.
struct Lender<'a> {
    ws: RefCell<&'a mut Workspace>,
    steps: Cell<usize>,
    longest: Cell<Duration>,
    before: Option<Before>,
    fired: Cell<bool>,
}

impl<'a> Lender<'a> {
    fn new(ws: &'a mut Workspace) -> Self {
        Lender {
            ws: RefCell::new(ws),
            steps: Cell::new(0),
            longest: Cell::new(Duration::ZERO),
            before: None,
            fired: Cell::new(false),
        }
    }
}

impl SyncAccess for Lender<'_> {
    fn with_workspace<T>(&self, f: impl FnOnce(&mut Workspace) -> Result<T>) -> Result<T> {
        let mut ws = self.ws.borrow_mut();
        let step = self.steps.get();
        self.steps.set(step + 1);
        if let Some((at, before)) = &self.before {
            if *at == step {
                before(&mut ws);
                self.fired.set(true);
            }
        }
        let started = Instant::now();
        let out = f(&mut ws);
        self.longest.set(self.longest.get().max(started.elapsed()));
        out
    }
}

/// A loopback proxy to `target` that holds every chunk a client sends for `delay`: a slow server.
fn slow_proxy(target: u16, delay: Duration) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else { continue };
            let (mut c_read, mut s_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let mut buf = [0u8; 64 * 1024];
                while let Ok(n) = c_read.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    std::thread::sleep(delay);
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = s_write.shutdown(std::net::Shutdown::Write);
            });
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut s_read, &mut c_write);
                let _ = c_write.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    port
}

fn port_of(url: &str) -> u16 {
    url.rsplit(':').next().unwrap().trim_end_matches('/').parse().unwrap()
}

#[test]
fn the_workspace_is_never_held_while_a_request_waits_on_the_server() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let delay = Duration::from_millis(250);
    let slow = format!("http://127.0.0.1:{}", slow_proxy(port_of(&stack.url()), delay));
    let mut a = Device::create(&clock);
    register_at(&slow, &mut a, "steps@example.org");
    a.add_event("work", "Written before the first sync", &["steps"]);
    let mut b = Device::link(&stack, "steps@example.org", "phone", &clock);
    b.add_event("family", "Written on the phone", &[]);
    b.sync();

    let started = Instant::now();
    let lender = Lender::new(&mut a.ws);
    let report = sync_in_steps(&lender).unwrap();
    let took = started.elapsed();
    let longest = lender.longest.get();
    assert!(report.pushed >= 1 && report.applied >= 1, "{report:?}");
    assert!(took >= delay * 3, "the run went through the slow server ({took:?})");
    assert!(longest < delay, "the longest hold of the workspace ({longest:?}) included a request");
    b.sync();
    assert_converged(&[&a, &b]);
}

#[test]
fn an_edit_made_at_any_step_of_a_sync_wins_as_the_later_edit_everywhere() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    let id = a.add_event("work", "The first title", &[]);
    register(&stack, &mut a, "race@example.org");
    a.sync();
    let mut b = Device::link(&stack, "race@example.org", "phone", &clock);

    // Step by step until the run is over before the step comes.
    for step in 0.. {
        // The phone's edit reaches the server first; the laptop's edit comes later, at `step`.
        b.edit_event(&id, json!({"title": format!("Phone edit {step}")}));
        b.sync();
        std::thread::sleep(Duration::from_millis(5));
        let mine = format!("Laptop edit {step}");
        let mut lender = Lender::new(&mut a.ws);
        let (edit_id, title) = (id.clone(), mine.clone());
        lender.before = Some((
            step,
            Box::new(move |ws: &mut Workspace| {
                let patch = serde_json::from_value(json!({ "title": title })).unwrap();
                ws.update_event(&edit_id, &patch).unwrap();
            }),
        ));
        sync_in_steps(&lender).unwrap();
        if !lender.fired.get() {
            assert!(step >= 5, "a run takes several steps ({step})");
            break;
        }
        // Whatever step it came at, the later edit is the one every device ends with.
        a.sync();
        b.sync();
        a.sync();
        assert_eq!(a.ws.event(&id).unwrap().title, mine, "on the laptop, edit at step {step}");
        assert_eq!(b.ws.event(&id).unwrap().title, mine, "on the phone, edit at step {step}");
        assert_converged(&[&a, &b]);
    }
}
