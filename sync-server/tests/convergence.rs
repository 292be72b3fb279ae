//! Devices with their own workspace files, one real server, one real Postgres: edits on each,
//! offline edits, conflicting edits and deletes all converge, and nothing is lost.

mod common;

use common::*;
use serde_json::json;
use wisdom_core::Passphrase;

/// Versions are ordered by a millisecond clock: edits meant to be "later" are made a little later.
fn later() {
    std::thread::sleep(std::time::Duration::from_millis(5));
}

#[test]
fn two_devices_converge_through_edits_offline_work_conflicts_and_deletes() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    let e1 = a.add_event("work", "Shipped the release", &["career", "launch"]);
    let e2 = a.add_event("physical-health", "Ran 10k", &["running"]);
    register(&stack, &mut a, "me@example.org");
    let first = a.sync();
    assert!(first.pushed >= 3, "{first:?}");

    clock.advance(60);
    let mut b = Device::link(&stack, "me@example.org", "phone", &clock);
    assert_eq!(b.ws.id(), a.ws.id());
    assert_converged(&[&a, &b]);
    assert_eq!(b.ws.name().unwrap(), "Shared journal");

    // Edits on both sides, then each syncs.
    clock.advance(60);
    let e3 = b.add_event("family", "Dinner with my sister", &["family"]);
    a.edit_event(&e2, json!({"title": "Ran 12k", "tags": ["running", "pb"]}));
    let era =
        a.ws.create_era(&serde_json::from_value(json!({"name": "Berlin years", "startYear": 2019})).unwrap()).unwrap();
    a.sync();
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(b.ws.event(&e2).unwrap().title, "Ran 12k");
    assert_eq!(a.ws.event(&e3).unwrap().tags, vec!["family"]);

    // Offline: B edits and deletes without syncing while A keeps working; B's queue goes out later.
    clock.advance(60);
    b.edit_event(&e1, json!({"description": "A long, careful account of the release, written offline on the train."}));
    b.ws.delete_event(&e3).unwrap();
    let boundary =
        b.ws.create_boundary(
            &serde_json::from_value(json!({"lifeArea": "work", "statement": "No email after 8pm", "reason": "Sleep"}))
                .unwrap(),
        )
        .unwrap();
    b.ws.log_violation(&boundary.id, &serde_json::from_value(json!({"note": "Replied at 11pm"})).unwrap()).unwrap();
    assert!(b.ws.sync_status().unwrap().unwrap().pending >= 3);
    clock.advance(10);
    a.ws.create_autobiography_entry(
        &serde_json::from_value(json!({
            "eraId": era.id, "year": 2020, "title": "Moving in", "narrative": "The flat on Weserstraße.",
            "eventIds": [e1], "lifeAreaIds": ["area_family"]
        }))
        .unwrap(),
    )
    .ok();
    a.sync();
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
    assert!(a.ws.event(&e3).is_err(), "the delete reached A");
    assert_eq!(a.ws.boundary(&boundary.id).unwrap().violation_count, 1);
    assert_eq!(b.ws.sync_status().unwrap().unwrap().pending, 0);

    // A conflict: both edit the same event before syncing. The later edit wins everywhere; the
    // longer text it overwrote is kept as a conflict record, which reaches every device.
    clock.advance(60);
    let long = "A very long description that took a while to write and must not vanish silently.";
    a.edit_event(&e1, json!({"description": long}));
    clock.advance(5);
    later();
    b.edit_event(&e1, json!({"description": "short"}));
    a.sync();
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(a.ws.event(&e1).unwrap().description, "short");
    let kept = a.ws.sync_conflicts(false).unwrap();
    assert!(
        kept.iter().any(|c| c.row_id == e1 && c.lost["row"]["description"] == long),
        "the losing text is retrievable: {kept:?}"
    );

    // Delete versus edit: the later delete wins; the edit is kept as a conflict.
    clock.advance(60);
    b.edit_event(&e2, json!({"title": "Ran 12k, then stretched"}));
    clock.advance(5);
    later();
    a.ws.delete_event(&e2).unwrap();
    b.sync();
    a.sync();
    b.sync();
    assert_converged(&[&a, &b]);
    assert!(b.ws.event(&e2).is_err());
    assert!(b.ws.sync_conflicts(false).unwrap().iter().any(|c| c.row_id == e2));

    // A rename of the workspace travels too.
    a.ws.rename("Our journal").unwrap();
    a.sync();
    b.sync();
    assert_eq!(b.ws.name().unwrap(), "Our journal");
    assert_converged(&[&a, &b]);
    let _ = Passphrase::new("unused");
}

#[test]
fn three_devices_converge_whatever_order_they_sync_in() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    register(&stack, &mut a, "three@example.org");
    a.add_event("work", "Kickoff", &["team"]);
    a.sync();
    let mut b = Device::link(&stack, "three@example.org", "phone", &clock);
    let mut c = Device::link(&stack, "three@example.org", "tablet", &clock);
    for round in 0..4 {
        clock.advance(30);
        a.add_event("work", &format!("A{round}"), &["a"]);
        b.add_event("physical-health", &format!("B{round}"), &["b"]);
        c.add_event("family", &format!("C{round}"), &["c"]);
        match round % 3 {
            0 => {
                c.sync();
                a.sync();
                b.sync();
            }
            1 => {
                b.sync();
                c.sync();
            }
            _ => {
                a.sync();
            }
        }
    }
    for d in [&mut a, &mut b, &mut c] {
        d.sync();
    }
    a.sync();
    b.sync();
    assert_converged(&[&a, &b, &c]);
    assert_eq!(a.ws.event_count().unwrap(), 13);
}

#[test]
fn pattern_insights_found_on_two_devices_at_once_converge_on_one() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    // A situation recurs over weeks (a burst within one week is an episode, not a pattern).
    for i in 0..8 {
        clock.advance(8 * 86_400);
        a.add_event("work", &format!("Deadline panic before the review, again {i}"), &["deadline", "stress"]);
    }
    register(&stack, &mut a, "patterns@example.org");
    a.sync();
    let mut b = Device::link(&stack, "patterns@example.org", "phone", &clock);
    // Both engines run before either hears of the other's result.
    let found_a = a.ws.detect_patterns().unwrap();
    let found_b = b.ws.detect_patterns().unwrap();
    let count = |d: &Device| {
        d.ws.list_insights(&wisdom_core::model::InsightFilter { include_dismissed: true, ..Default::default() })
            .unwrap()
            .len()
    };
    assert!(count(&a) > 0 && count(&b) > 0, "the engine found the theme: {found_a:?} {found_b:?}");
    let mut refs = [&mut a, &mut b];
    sync_until_quiet(&mut refs);
    assert_converged(&[&a, &b]);
    assert_eq!(count(&a), count(&b));
}

#[test]
fn a_changed_passphrase_reaches_the_server_so_new_devices_link_with_it() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    a.add_event("work", "Before the change", &[]);
    register(&stack, &mut a, "rotate@example.org");
    a.sync();
    let new = Passphrase::new("a brand new passphrase");
    wisdom_core::Workspace::change_passphrase(
        &a.path,
        &Passphrase::new(PASSPHRASE),
        &new,
        None,
        wisdom_core::Clock::system(),
    )
    .unwrap();
    a.sync();
    let try_link = |pass: &str| {
        let dir = tempfile::tempdir().unwrap();
        let r = wisdom_core::Workspace::sync_link_device(
            Some(&dir.path().join("j.wisdom")),
            &stack.url(),
            "rotate@example.org",
            &Passphrase::new(PASSWORD),
            &Passphrase::new(pass),
            "new phone",
            None,
            wisdom_core::KdfParams::MINIMUM,
            clock.clock(),
        );
        (dir, r)
    };
    let (_d, old) = try_link(PASSPHRASE);
    assert!(matches!(old, Err(wisdom_core::Error::WrongPassphrase)), "{old:?}");
    let (_d, linked) = try_link("a brand new passphrase");
    let (ws, _) = linked.unwrap();
    assert_eq!(ws.event_count().unwrap(), 1);
}

#[test]
fn templates_travel_between_devices_and_one_name_is_one_template() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    register(&stack, &mut a, "templates@example.org");
    let template = |title: &str| -> wisdom_core::model::NewTemplate {
        serde_json::from_value(
            json!({"name": "evening", "title": title, "lifeArea": "personal-growth", "tags": ["review"]}),
        )
        .unwrap()
    };
    a.ws.save_template(&template("Evening review")).unwrap();
    a.sync();
    let mut b = Device::link(&stack, "templates@example.org", "phone", &clock);
    assert_eq!(b.ws.template("Evening").unwrap().title, "Evening review");
    // The same name saved on both devices offline: one template, the later one.
    clock.advance(30);
    a.ws.save_template(&template("Evening review (A)")).unwrap();
    later();
    b.ws.save_template(&template("Evening review (B)")).unwrap();
    b.ws.save_template(&serde_json::from_value(json!({"name": "gratitude", "title": "Three good things"})).unwrap())
        .unwrap();
    a.sync();
    b.sync();
    a.sync();
    for d in [&a, &b] {
        let names: Vec<(String, String)> = d.ws.templates().unwrap().into_iter().map(|t| (t.name, t.title)).collect();
        assert_eq!(
            names,
            vec![("evening".into(), "Evening review (B)".into()), ("gratitude".into(), "Three good things".into())]
        );
    }
    // A deletion travels too.
    b.ws.delete_template("gratitude").unwrap();
    b.sync();
    a.sync();
    assert_eq!(a.ws.templates().unwrap().len(), 1);
}

#[test]
fn shaped_prompts_travel_between_devices() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    register(&stack, &mut a, "prompts@example.org");
    let mine =
        a.ws.add_prompt(&serde_json::from_value(json!({"text": "What did I learn from a stranger?"})).unwrap())
            .unwrap();
    a.ws.set_prompt_hidden("daily-3", true).unwrap();
    a.ws.edit_prompt("weekly-4", "What would make next week lighter?").unwrap();
    a.sync();
    let mut b = Device::link(&stack, "prompts@example.org", "phone", &clock);
    let shaped = |d: &Device| -> Vec<(String, String, bool)> {
        d.ws.prompts()
            .unwrap()
            .into_iter()
            .filter(|p| p.own || p.edited || p.hidden)
            .map(|p| (p.id, p.text, p.hidden))
            .collect()
    };
    assert_eq!(shaped(&b), shaped(&a));
    assert_eq!(shaped(&b).len(), 3);
    // Shown again on the phone: offered again on both.
    clock.advance(30);
    b.ws.set_prompt_hidden("daily-3", false).unwrap();
    b.ws.set_prompt_hidden(&mine.id, true).unwrap();
    b.sync();
    a.sync();
    assert!(!a.ws.prompt("daily-3").unwrap().hidden);
    assert!(a.ws.prompt(&mine.id).unwrap().hidden);
    assert_eq!(shaped(&a), shaped(&b));
}
