//! Property: whatever the operations and whatever the order devices sync in, every device ends with
//! the same journal, and it is the one last-writer-wins says: each event exists unless its last
//! operation was a delete, with the title of its last edit. Seeded, so a failure replays exactly.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::json;

const DEVICES: usize = 3;
const STEPS: usize = 70;

/// What each event should look like: alive or not, and its title.
type Model = BTreeMap<String, (bool, String)>;

fn run(seed: u64) {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut rng = Rng::new(seed);
    let email = format!("prop{seed}@example.org");
    let mut first = Device::create(&clock);
    register(&stack, &mut first, &email);
    first.sync();
    let mut devices = vec![first];
    for i in 1..DEVICES {
        devices.push(Device::link(&stack, &email, &format!("device {i}"), &clock));
    }
    let mut model = Model::new();
    let mut log = Vec::new();
    for step in 0..STEPS {
        // Versions are ordered by a millisecond clock; one op per millisecond keeps the model exact.
        std::thread::sleep(std::time::Duration::from_millis(2));
        clock.advance(1 + rng.below(600) as i64);
        let d = rng.below(DEVICES);
        let dev = &mut devices[d];
        let local: Vec<String> = dev.ws.list_events(&Default::default()).unwrap().into_iter().map(|e| e.id).collect();
        match rng.below(10) {
            0..=2 => {
                let title = format!("s{seed} step {step} by {d}");
                let tags: Vec<String> = (0..rng.below(3)).map(|i| format!("tag{}", (i + step) % 4)).collect();
                let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
                let id = dev.add_event(["work", "family", "nature"][rng.below(3)], &title, &tags);
                log.push(format!("{step}: device {d} creates {id}"));
                model.insert(id, (true, title));
            }
            3..=4 if !local.is_empty() => {
                let id = &local[rng.below(local.len())];
                let title = format!("s{seed} edit {step} by {d}");
                dev.edit_event(id, json!({"title": title}));
                log.push(format!("{step}: device {d} edits {id}"));
                model.insert(id.clone(), (true, title));
            }
            5 if !local.is_empty() => {
                let id = local[rng.below(local.len())].clone();
                dev.ws.delete_event(&id).unwrap();
                log.push(format!("{step}: device {d} deletes {id}"));
                model.get_mut(&id).unwrap().0 = false;
            }
            6 if !local.is_empty() => {
                let id = &local[rng.below(local.len())];
                let c = serde_json::from_value(json!({"lifeArea": "work", "eventId": id,
                    "statement": format!("Commit {step}"), "intention": "Follow through"}))
                .unwrap();
                dev.ws.create_commitment(&c).unwrap();
                log.push(format!("{step}: device {d} commits on {id}"));
            }
            _ => {
                let r = dev.sync();
                log.push(format!("{step}: device {d} syncs {r:?}"));
            }
        }
    }
    let mut refs: Vec<&mut Device> = devices.iter_mut().collect();
    sync_until_quiet(&mut refs);
    let all: Vec<&Device> = devices.iter().collect();
    assert_converged(&all);
    let events: BTreeMap<String, String> =
        devices[0].ws.list_events(&Default::default()).unwrap().into_iter().map(|e| (e.id, e.title)).collect();
    let expected: BTreeMap<String, String> =
        model.into_iter().filter(|(_, (alive, _))| *alive).map(|(id, (_, title))| (id, title)).collect();
    assert_eq!(events, expected, "seed {seed}; operations:\n{}", log.join("\n"));
}

#[test]
fn random_operations_on_three_devices_converge_to_last_writer_wins() {
    let seeds: Vec<u64> = match std::env::var("WISDOM_SYNC_SEEDS") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) => vec![1, 2, 3],
    };
    for seed in seeds {
        run(seed);
    }
}
