//! Conflicts seen everywhere (issue 12): a version that lost is listed on every device of the
//! account as one record, and resolving it on any device (keep current, restore, keep both)
//! reaches every device. Two workspace files, one real server, one real Postgres.

mod common;

use common::*;
use serde_json::json;
use wisdom_core::model::{ConflictState, Resolution};
use wisdom_core::{Error, SyncConflict};

/// Versions are ordered by a millisecond clock: an edit meant to be "later" is made a little later.
fn later() {
    std::thread::sleep(std::time::Duration::from_millis(5));
}

fn open(d: &Device) -> Vec<SyncConflict> {
    d.ws.sync_conflicts(false).unwrap()
}

/// A edits `id` with `a_patch`, then B (later) with `b_patch`; both sync. A's version loses.
fn conflict(
    a: &mut Device,
    b: &mut Device,
    clock: &TestClock,
    id: &str,
    a_patch: serde_json::Value,
    b_patch: serde_json::Value,
) {
    clock.advance(60);
    a.edit_event(id, a_patch);
    later();
    b.edit_event(id, b_patch);
    a.sync();
    b.sync();
    a.sync();
    b.sync();
}

fn two_devices(email: &str) -> (Stack, TestClock, Device, Device) {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    register(&stack, &mut a, email);
    a.sync();
    clock.advance(60);
    let b = Device::link(&stack, email, "phone", &clock);
    (stack, clock, a, b)
}

#[test]
fn a_lost_edit_is_listed_on_both_devices_and_restoring_it_on_the_winner_reaches_both() {
    let (_stack, clock, mut a, mut b) = two_devices("restore@example.org");
    let e = a.add_event("work", "Shipped the release", &["career"]);
    a.sync();
    b.sync();
    let long = "A long, careful account of the release that must not vanish.";
    conflict(&mut a, &mut b, &clock, &e, json!({"description": long}), json!({"description": "short"}));
    assert_eq!(a.ws.event(&e).unwrap().description, "short", "the later edit won");

    // One record, the same on both devices, though only A lost.
    let (on_a, on_b) = (open(&a), open(&b));
    assert_eq!(on_a.len(), 1, "{on_a:?}");
    assert_eq!(on_a, on_b, "both devices hold the same single record");
    let c = &on_a[0];
    assert_eq!((c.entity.as_str(), c.row_id.as_str(), c.state), ("event", e.as_str(), ConflictState::Open));
    assert_eq!(c.lost["row"]["description"], long);
    assert_eq!(c.text.as_deref(), Some(long));

    // Restored on B, the device whose version won; a unique prefix of the id is enough.
    let done = b.ws.resolve_conflict(&c.id[..12], Resolution::Restore).unwrap();
    assert_eq!(done.state, ConflictState::Restored);
    assert_eq!(b.ws.event(&e).unwrap().description, long);
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
    for d in [&a, &b] {
        assert_eq!(d.ws.event(&e).unwrap().description, long);
        assert!(open(d).is_empty(), "nothing open: {:?}", open(d));
        let all = d.ws.sync_conflicts(true).unwrap();
        assert_eq!(all.len(), 1, "the restore was no new conflict: {all:?}");
        assert_eq!(all[0].state, ConflictState::Restored);
        assert_eq!(all[0].resolved_by, b.ws.sync_status().unwrap().map(|s| s.device_id));
    }
    // Resolving twice is refused and changes nothing.
    assert!(matches!(a.ws.resolve_conflict(&c.id, Resolution::KeepBoth), Err(Error::AlreadyResolved { .. })));
}

#[test]
fn keep_both_makes_two_entries_and_keep_current_changes_nothing_on_either_device() {
    let (_stack, clock, mut a, mut b) = two_devices("both@example.org");
    let e1 = a.add_event("work", "Team offsite", &["team"]);
    let e2 = a.add_event("family", "Sunday lunch", &["family"]);
    a.sync();
    b.sync();
    let before = a.ws.event_count().unwrap();

    conflict(&mut a, &mut b, &clock, &e1, json!({"title": "Offsite in Lisbon"}), json!({"title": "Offsite, day one"}));
    let c = open(&b).pop().expect("B lists A's loss");
    let kept = a.ws.resolve_conflict(&c.id, Resolution::KeepBoth).unwrap();
    let copy = kept.copy_id.clone().expect("keep both names the new entry");
    a.sync();
    b.sync();
    assert_converged(&[&a, &b]);
    for d in [&a, &b] {
        assert_eq!(d.ws.event_count().unwrap(), before + 1);
        assert_eq!(d.ws.event(&e1).unwrap().title, "Offsite, day one");
        assert_eq!(d.ws.event(&copy).unwrap().title, "Offsite in Lisbon");
        assert_eq!(d.ws.event(&copy).unwrap().tags, vec!["team"]);
        assert!(open(d).is_empty());
        assert_eq!(d.ws.sync_conflict(&c.id).unwrap().state, ConflictState::KeptBoth);
    }

    conflict(&mut a, &mut b, &clock, &e2, json!({"title": "Lunch at mum's"}), json!({"title": "Long lunch"}));
    let c = open(&a).pop().expect("A lists its loss");
    b.ws.resolve_conflict(&c.id, Resolution::KeepCurrent).unwrap();
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
    for d in [&a, &b] {
        assert_eq!(d.ws.event(&e2).unwrap().title, "Long lunch");
        assert_eq!(d.ws.event_count().unwrap(), before + 1);
        assert_eq!(d.ws.sync_conflict(&c.id).unwrap().state, ConflictState::KeptCurrent);
    }
}

#[test]
fn an_edit_lost_to_a_delete_is_listed_everywhere_and_restoring_brings_the_entry_back() {
    let (_stack, clock, mut a, mut b) = two_devices("deleted@example.org");
    let e = a.add_event("physical-health", "Ran 10k", &["running"]);
    a.sync();
    b.sync();
    clock.advance(60);
    b.edit_event(&e, json!({"title": "Ran 10k, then stretched"}));
    later();
    a.ws.delete_event(&e).unwrap();
    b.sync();
    a.sync();
    b.sync();
    a.sync();
    assert!(b.ws.event(&e).is_err(), "the later delete won");
    let (on_a, on_b) = (open(&a), open(&b));
    assert_eq!(on_a.len(), 1, "{on_a:?}");
    assert_eq!(on_a, on_b);
    assert!(on_a[0].reason.contains("deleted"), "{:?}", on_a[0].reason);

    a.ws.resolve_conflict(&on_a[0].id, Resolution::Restore).unwrap();
    a.sync();
    b.sync();
    assert_converged(&[&a, &b]);
    for d in [&a, &b] {
        assert_eq!(d.ws.event(&e).unwrap().title, "Ran 10k, then stretched");
        assert!(open(d).is_empty());
    }
}

/// Two devices that held the same losing version record the same loss, as one record (its id is
/// derived from the loss). One resolves it; the other's "open" copy, sent later, must not reopen it.
#[test]
fn a_loss_recorded_on_two_devices_is_one_record_and_a_later_open_copy_does_not_reopen_it() {
    let (stack, clock, mut a, mut b) = two_devices("three@example.org");
    let mut c = Device::link(&stack, "three@example.org", "tablet", &clock);
    let e = a.add_event("work", "Offsite", &["team"]);
    for d in [&mut a, &mut b, &mut c] {
        d.sync();
    }
    clock.advance(60);
    a.edit_event(&e, json!({"title": "Offsite in Lisbon"}));
    later();
    b.edit_event(&e, json!({"title": "Offsite, day one"}));
    a.sync(); // A's version reaches the server...
    c.sync(); // ...and C, which now holds it too.
    b.sync(); // B's later version wins on the server.
    c.sync(); // C loses A's version: records the loss and sends the record.
    let recorded = open(&c);
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    later();
    c.ws.resolve_conflict(&recorded[0].id, Resolution::KeepCurrent).unwrap();
    later();
    // A loses the same version, records the same record (still open there) and sends it, stamped
    // after C's resolution, which C has not sent yet.
    a.sync();
    assert_eq!(open(&a).iter().map(|r| r.id.clone()).collect::<Vec<_>>(), vec![recorded[0].id.clone()]);
    c.sync();
    a.sync();
    b.sync();
    for (name, d) in [("a", &a), ("b", &b), ("c", &c)] {
        let all = d.ws.sync_conflicts(true).unwrap();
        assert_eq!(all.len(), 1, "{name}: one record for one loss: {all:?}");
        assert_eq!(all[0].state, ConflictState::KeptCurrent, "{name}: the resolution stands");
    }
    assert_converged(&[&a, &b, &c]);
}
