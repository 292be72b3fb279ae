//! The encrypted store: creating, unlocking, the key hierarchy and what reaches the disk.

mod common;

use std::fs;

use common::*;
use wisdom_core::model::*;
use wisdom_core::{DataKey, Error, KdfParams, KeyFile, Passphrase, Workspace};

fn bytes_of(path: &std::path::Path) -> Vec<u8> {
    fs::read(path).unwrap_or_default()
}

#[test]
fn new_workspace_has_thirty_areas_five_per_cluster_at_fifty() {
    let (_f, ws) = Fixture::new();
    let areas = ws.life_areas().unwrap();
    assert_eq!(areas.len(), 30);
    for c in LifeAreaCluster::ALL {
        assert_eq!(areas.iter().filter(|a| a.cluster == *c).count(), 5);
    }
    assert!(areas.iter().all(|a| a.current_score == 50.0 && a.status == AreaStatus::Balanced));
    assert_eq!(areas[0].slug, "work");
    assert_eq!(areas[0].sort_order, 1);
    assert_eq!(areas[29].slug, "wisdom");
    assert!(areas.iter().all(|a| a.description.as_deref().is_some_and(|d| !d.is_empty())));
    assert_eq!(ws.name().unwrap(), "Test Journal");
}

#[test]
fn wrong_passphrase_is_refused_and_leaves_files_untouched() {
    let (f, ws) = Fixture::new();
    ws.lock();
    let key_path = KeyFile::path_for(&f.path);
    let (db_before, key_before) = (bytes_of(&f.path), bytes_of(&key_path));
    let modified = fs::metadata(&f.path).unwrap().modified().unwrap();
    let err = Workspace::open(&f.path, &Passphrase::new("not the passphrase"), f.clock.clock()).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
    assert_eq!(err.to_string(), "wrong passphrase");
    assert_eq!(bytes_of(&f.path), db_before);
    assert_eq!(bytes_of(&key_path), key_before);
    assert_eq!(fs::metadata(&f.path).unwrap().modified().unwrap(), modified);
    f.reopen();
}

#[test]
fn nothing_readable_reaches_the_disk() {
    let (f, mut ws) = Fixture::new();
    let secret = "Zanzibar confession about my sister";
    ws.create_event(&event("family", EventType::Upset, secret, -3, t0(), &["confidential"])).unwrap();
    let wal = f.path.with_extension("wisdom-wal");
    let during = [bytes_of(&f.path), bytes_of(&wal)].concat();
    ws.lock();
    let after = bytes_of(&f.path);
    for bytes in [&during, &after] {
        assert!(!bytes.windows(8).any(|w| w == b"Zanzibar"), "plaintext found on disk");
        assert!(!bytes.windows(15).any(|w| w == b"SQLite format 3"), "unencrypted SQLite header");
        assert!(!bytes.windows(12).any(|w| w == b"confidential"));
    }
    // The key file holds no key in the clear either: only salt, nonce and the wrapped key.
    let key_text = fs::read_to_string(KeyFile::path_for(&f.path)).unwrap();
    assert!(key_text.contains("wrappedKey") && !key_text.contains("argon"));
    assert_eq!(f.reopen().list_events(&EventFilter::default()).unwrap()[0].title, secret);
}

#[test]
fn changing_the_passphrase_rewraps_the_key_without_rewriting_the_journal() {
    let (f, mut ws) = Fixture::new();
    ws.create_event(&event("work", EventType::Progress, "Shipped", 2, t0(), &[])).unwrap();
    ws.lock();
    let db_before = bytes_of(&f.path);
    let new = Passphrase::new("a much better passphrase");
    let bad =
        Workspace::change_passphrase(&f.path, &Passphrase::new("wrong one!"), &new, None, wisdom_core::Clock::system())
            .unwrap_err();
    assert!(matches!(bad, Error::WrongPassphrase));
    let too_short = Workspace::change_passphrase(
        &f.path,
        &Passphrase::new(PASS),
        &Passphrase::new("short"),
        None,
        wisdom_core::Clock::system(),
    );
    assert!(matches!(too_short, Err(Error::Invalid(ref i)) if i.field == "passphrase"));
    let stronger = KdfParams { iterations: 3, ..KdfParams::MINIMUM };
    let kdf = Workspace::change_passphrase(
        &f.path,
        &Passphrase::new(PASS),
        &new,
        Some(stronger),
        wisdom_core::Clock::system(),
    )
    .unwrap();
    assert_eq!(kdf, stronger);
    assert_eq!(bytes_of(&f.path), db_before, "the database must not be rewritten");
    assert!(matches!(Workspace::open(&f.path, &Passphrase::new(PASS), f.clock.clock()), Err(Error::WrongPassphrase)));
    let ws = Workspace::open(&f.path, &new, f.clock.clock()).unwrap();
    assert_eq!(ws.event_count().unwrap(), 1);
    assert_eq!(KeyFile::read(&KeyFile::path_for(&f.path)).unwrap().kdf(), stronger);
}

#[test]
fn creation_refuses_weak_settings_and_existing_files() {
    let (f, _ws) = Fixture::new();
    let clock = f.clock.clock();
    let other = f.dir.path().join("b.wisdom");
    let r = Workspace::create(&other, "B", &Passphrase::new("short"), KdfParams::MINIMUM, clock.clone());
    assert!(matches!(r, Err(Error::Invalid(_))));
    let weak = KdfParams { memory_kib: 8 * 1024, ..KdfParams::MINIMUM };
    assert!(matches!(
        Workspace::create(&other, "B", &Passphrase::new(PASS), weak, clock.clone()),
        Err(Error::Invalid(_))
    ));
    assert!(!other.exists(), "a refused workspace leaves no file");
    let r = Workspace::create(&f.path, "Again", &Passphrase::new(PASS), KdfParams::MINIMUM, clock);
    assert!(matches!(r, Err(Error::AlreadyExists(_))));
}

#[test]
fn a_key_file_from_another_workspace_does_not_open_this_one() {
    let (f, ws) = Fixture::new();
    ws.lock();
    let other = f.dir.path().join("other.wisdom");
    Workspace::create(&other, "Other", &Passphrase::new(PASS), KdfParams::MINIMUM, f.clock.clock()).unwrap().lock();
    fs::copy(KeyFile::path_for(&other), KeyFile::path_for(&f.path)).unwrap();
    let err = Workspace::open(&f.path, &Passphrase::new(PASS), f.clock.clock()).unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
}

#[test]
fn an_unwrapped_data_key_opens_its_workspace_and_no_other() {
    let (f, ws) = Fixture::new();
    let key = DataKey::from_bytes(ws.data_key().bytes());
    let id = ws.id().to_string();
    ws.lock();
    let reopened = Workspace::open_with_key(&f.path, key, f.clock.clock()).unwrap();
    assert_eq!(reopened.id(), id);
    let key = DataKey::from_bytes(reopened.data_key().bytes());
    reopened.lock();
    assert!(Workspace::check_file_with_key(&f.path, key, f.clock.clock()).unwrap().ok());
    let before = bytes_of(&f.path);
    let err = Workspace::open_with_key(&f.path, DataKey::generate(), f.clock.clock()).unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    assert_eq!(bytes_of(&f.path), before, "a wrong key writes nothing");
}

#[test]
fn missing_workspace_and_missing_key_file_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("none.wisdom");
    let err = Workspace::open(&p, &Passphrase::new(PASS), wisdom_core::Clock::system()).unwrap_err();
    assert!(matches!(err, Error::NoWorkspace(_)));
    let (f, ws) = Fixture::new();
    ws.lock();
    fs::remove_file(KeyFile::path_for(&f.path)).unwrap();
    let err = Workspace::open(&f.path, &Passphrase::new(PASS), f.clock.clock()).unwrap_err();
    assert!(err.to_string().contains("key file"), "{err}");
}

#[test]
fn kdf_calibration_meets_the_owasp_floor() {
    let p = KdfParams::calibrate();
    assert!(p.check().is_ok());
    assert!(p.memory_kib >= 19 * 1024 && p.iterations >= 2);
}

#[test]
fn a_window_that_stays_open_learns_that_another_program_wrote() {
    let (f, mut desktop) = Fixture::new();
    let mut cli = f.reopen();
    assert!(!desktop.changed_elsewhere().unwrap(), "nothing to tell the first time");
    let at = t0();
    cli.create_event(&event("work", EventType::Breakthrough, "Written from the terminal", 3, at, &[])).unwrap();
    assert!(desktop.changed_elsewhere().unwrap(), "the other program's commit is seen");
    assert!(!desktop.changed_elsewhere().unwrap(), "and told once");
    desktop.create_event(&event("work", EventType::Breakthrough, "Written in the window", 3, at, &[])).unwrap();
    assert!(!desktop.changed_elsewhere().unwrap(), "its own writes are not news to it");
    assert!(cli.changed_elsewhere().is_ok_and(|first| !first));
    desktop.create_event(&event("work", EventType::Breakthrough, "Written in the window again", 3, at, &[])).unwrap();
    assert!(cli.changed_elsewhere().unwrap());
}
