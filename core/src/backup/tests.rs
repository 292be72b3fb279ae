use std::path::{Path, PathBuf};

use chrono::TimeZone;

use super::*;
use crate::keys::{KdfParams, Passphrase};
use wisdom_model::BackupFolder;

const PASS: &str = "correct horse battery";

fn journal(dir: &Path, clock: Clock) -> (PathBuf, Workspace) {
    let path = dir.join("journal.wisdom");
    let mut ws = Workspace::create(&path, "Backed up", &Passphrase::new(PASS), KdfParams::MINIMUM, clock).unwrap();
    for i in 0..20 {
        ws.create_event(&crate::testing::work_event(&format!("Shipped release {i}"))).unwrap();
    }
    (path, ws)
}

fn event_count(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_backup_is_encrypted_checked_and_listed_with_its_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = journal(dir.path(), Clock::system());
    let b = ws.backup(BackupReason::Manual).unwrap();

    let head = &fs::read(&b.path).unwrap()[..16];
    assert_ne!(head, b"SQLite format 3\0", "the backup must not be a plaintext database");
    assert!(b.path.starts_with(dir.path().join("backups").join("journal.wisdom")), "{}", b.path.display());
    assert_eq!(fs::read(KeyFile::path_for(&b.path)).unwrap(), fs::read(KeyFile::path_for(&path)).unwrap());
    assert_eq!(Workspace::backups_of(&path).unwrap(), vec![b.clone()]);

    let copy = store::open_keyed(&b.path, Some(ws.data_key()), OpenFlags::empty()).unwrap();
    assert_eq!(event_count(&copy), 20);
    let journal_mode: String = copy.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal_mode, "delete", "a backup is one self-contained file");
}

#[test]
fn a_backup_taken_while_another_program_writes_is_one_consistent_state() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = journal(dir.path(), Clock::system());
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut other = Workspace::open(&writer_path, &Passphrase::new(PASS), Clock::system()).unwrap();
        for i in 0..300 {
            other.create_event(&crate::testing::work_event(&format!("Written meanwhile {i}"))).unwrap();
        }
    });
    let mut counts = Vec::new();
    while !writer.is_finished() {
        let b = ws.backup(BackupReason::Manual).unwrap(); // checked before it is kept
        let copy = store::open_keyed(&b.path, Some(ws.data_key()), OpenFlags::empty()).unwrap();
        counts.push(event_count(&copy));
    }
    writer.join().unwrap();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(counts.len() >= 2, "the writer finished before a second backup: {counts:?}");
}

thread_local! {
    /// What a test does to each copy this thread writes, between writing and checking it.
    pub(super) static DAMAGE_BEFORE_CHECK: std::cell::Cell<Option<fn(&Path)>> = const { std::cell::Cell::new(None) };
}

/// Inverts 64 bytes in the middle of the file: a damaged page that still opens.
fn damage_middle(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 64].iter_mut().for_each(|b| *b ^= 0xff);
    fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_copy_fails_verification() {
    let dir = tempfile::tempdir().unwrap();
    let (_, ws) = journal(dir.path(), Clock::system());
    let b = ws.backup(BackupReason::Manual).unwrap();
    let damaged = dir.path().join("damaged.wisdom");
    fs::copy(&b.path, &damaged).unwrap();
    damage_middle(&damaged);
    let err = verify(&damaged, ws.data_key()).unwrap_err();
    assert!(matches!(err, Error::BackupFailed { .. } | Error::Damaged { .. }), "{err:?}");
}

#[test]
fn a_copy_damaged_between_writing_and_its_check_is_refused_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = journal(dir.path(), Clock::system());
    let sound = ws.backup(BackupReason::Manual).unwrap();
    DAMAGE_BEFORE_CHECK.set(Some(damage_middle));
    let taken = ws.backup(BackupReason::Manual);
    DAMAGE_BEFORE_CHECK.set(None);

    let err = taken.expect_err("a damaged copy was kept as a backup");
    assert!(matches!(err, Error::BackupFailed { .. } | Error::Damaged { .. }), "{err:?}");
    assert_eq!(Workspace::backups_of(&path).unwrap(), vec![sound.clone()], "only the sound backup has a name");
    let left: Vec<_> = fs::read_dir(sound.path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "the damaged copy was left behind: {left:?}");
}

#[test]
fn the_daily_backup_is_taken_once_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let day = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let d = day.clone();
    let clock = Clock::from_fn(move || {
        Utc.with_ymd_and_hms(2026, 6, 10, 12, 0, 0).unwrap()
            + chrono::Duration::days(d.load(std::sync::atomic::Ordering::SeqCst))
    });
    let (path, mut ws) = journal(dir.path(), clock);
    let first = ws.run_due_jobs().unwrap().backup.expect("the first use of a day backs up");
    assert_eq!(first.reason, BackupReason::Daily);
    assert!(ws.run_due_jobs().unwrap().backup.is_none(), "at most daily");
    day.store(1, std::sync::atomic::Ordering::SeqCst);
    assert!(ws.run_due_jobs().unwrap().backup.is_some(), "the next day backs up again");
    assert_eq!(Workspace::backups_of(&path).unwrap().len(), 2);
}

#[test]
fn old_backups_are_pruned_by_the_retention_rule() {
    let dir = tempfile::tempdir().unwrap();
    let day = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let d = day.clone();
    let clock = Clock::from_fn(move || {
        Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
            + chrono::Duration::days(d.load(std::sync::atomic::Ordering::SeqCst))
    });
    let (path, mut ws) = journal(dir.path(), clock);
    for n in 0..40 {
        day.store(n, std::sync::atomic::Ordering::SeqCst);
        ws.run_due_jobs().unwrap();
    }
    let left = Workspace::backups_of(&path).unwrap();
    // 40 dailies: the last 7 days, 4 weeks' newest and 2 months' newest, some of them the same.
    assert!(left.len() < 14, "{} backups left", left.len());
    assert_eq!(left[0].taken_at.date_naive(), Utc.with_ymd_and_hms(2026, 2, 9, 0, 0, 0).unwrap().date_naive());
    let files = fs::read_dir(folder(&path)).unwrap().count();
    assert_eq!(files, left.len() * 2 + 1, "each backup is two files, plus the lock");
}

#[test]
fn an_import_is_preceded_by_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut ws) = journal(dir.path(), Clock::system());
    let line = serde_json::to_string(&crate::testing::work_event("Imported")).unwrap();
    let opts = crate::ImportOptions::new(crate::ImportFormat::JsonLines);
    ws.import(&mut std::io::Cursor::new(line), &opts, &mut |_| {}).unwrap();
    let backups = Workspace::backups_of(&path).unwrap();
    assert_eq!(backups.iter().map(|b| b.reason).collect::<Vec<_>>(), [BackupReason::BeforeImport]);
    let copy = store::open_keyed(&backups[0].path, Some(ws.data_key()), OpenFlags::empty()).unwrap();
    assert_eq!(event_count(&copy), 20, "the state before the import");
}

#[test]
fn restoring_brings_back_the_old_state_after_backing_up_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut ws) = journal(dir.path(), Clock::system());
    let before = ws.backup(BackupReason::Manual).unwrap();
    ws.create_event(&crate::testing::work_event("After the backup")).unwrap();
    drop(ws);

    let report = Workspace::restore_backup(&path, &before.id, &Passphrase::new(PASS), Clock::system()).unwrap();
    assert!(!report.passphrase_reverted);
    assert!(report.set_aside.is_none());
    let safety = report.safety_backup.expect("the current state is backed up first");
    assert_eq!(safety.reason, BackupReason::BeforeRestore);
    let ws = Workspace::open(&path, &Passphrase::new(PASS), Clock::system()).unwrap();
    assert_eq!(event_count(&ws.conn), 20);
    assert!(ws.check().ok());
    let kept = store::open_keyed(&safety.path, Some(ws.data_key()), OpenFlags::empty()).unwrap();
    assert_eq!(event_count(&kept), 21);
}

#[test]
fn a_damaged_workspace_is_set_aside_and_replaced_by_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = journal(dir.path(), Clock::system());
    let b = ws.backup(BackupReason::Manual).unwrap();
    drop(ws);
    let mut bytes = fs::read(&path).unwrap();
    bytes[..4096].iter_mut().for_each(|b| *b ^= 0xff);
    fs::write(&path, bytes).unwrap();
    assert!(Workspace::open(&path, &Passphrase::new(PASS), Clock::system()).is_err());

    let report = Workspace::restore_backup(&path, &b.id, &Passphrase::new(PASS), Clock::system()).unwrap();
    let aside = report.set_aside.expect("the damaged file is set aside");
    assert!(aside.exists() && report.safety_backup.is_none());
    let ws = Workspace::open(&path, &Passphrase::new(PASS), Clock::system()).unwrap();
    assert_eq!(event_count(&ws.conn), 20);
}

#[test]
fn restoring_from_before_a_passphrase_change_brings_the_old_passphrase_back() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = journal(dir.path(), Clock::system());
    drop(ws);
    let new = Passphrase::new("a brand new passphrase");
    Workspace::change_passphrase(&path, &Passphrase::new(PASS), &new, None, Clock::system()).unwrap();
    let before = Workspace::backups_of(&path).unwrap();
    assert_eq!(before[0].reason, BackupReason::BeforePassphraseChange);

    let report = Workspace::restore_backup(&path, &before[0].id, &new, Clock::system()).unwrap();
    assert!(report.passphrase_reverted);
    assert!(matches!(Workspace::open(&path, &new, Clock::system()), Err(Error::WrongPassphrase)));
    Workspace::open(&path, &Passphrase::new(PASS), Clock::system()).unwrap();
}

#[test]
fn a_wrong_passphrase_or_unknown_id_restores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = journal(dir.path(), Clock::system());
    let b = ws.backup(BackupReason::Manual).unwrap();
    drop(ws);
    let wrong = Workspace::restore_backup(&path, &b.id, &Passphrase::new("not the passphrase"), Clock::system());
    assert!(matches!(wrong, Err(Error::WrongPassphrase)), "{wrong:?}");
    let unknown = Workspace::restore_backup(&path, "20200101-000000-000", &Passphrase::new(PASS), Clock::system());
    assert!(matches!(unknown, Err(Error::NotFound { .. })), "{unknown:?}");
    assert_eq!(Workspace::backups_of(&path).unwrap().len(), 1, "no safety backup for a refused restore");
}

#[test]
fn an_upgrade_is_preceded_by_a_backup_even_when_it_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = journal(dir.path(), Clock::system());
    // V9 and later look pending again; running V9 fails, as its table exists.
    ws.conn.execute("DELETE FROM refinery_schema_history WHERE version >= 9", []).unwrap();
    drop(ws);
    assert!(Workspace::open(&path, &Passphrase::new(PASS), Clock::system()).is_err());
    let backups = Workspace::backups_of(&path).unwrap();
    assert_eq!(backups.iter().map(|b| b.reason).collect::<Vec<_>>(), [BackupReason::BeforeMigration]);
}

#[test]
fn a_backup_folder_that_cannot_be_written_is_refused_in_words_and_nothing_moves() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = journal(dir.path(), Clock::system());
    ws.backup(BackupReason::Manual).unwrap();
    let before = Workspace::backups_of(&path).unwrap();
    assert_eq!(ws.backup_folder(), BackupFolder { path: dir.path().join("backups/journal.wisdom"), chosen: false });

    let a_file = dir.path().join("notes.txt");
    fs::write(&a_file, "not a folder").unwrap();
    let refused = ws.set_backup_folder(Some(&a_file));
    let Err(Error::Invalid(inv)) = &refused else { panic!("a file is not a folder: {refused:?}") };
    assert_eq!(inv.field, "backup folder");
    assert!(inv.allowed.starts_with("a folder this account can write in (not a directory"), "{}", inv.allowed);
    let relative = ws.set_backup_folder(Some(Path::new("usb/backups")));
    assert!(matches!(&relative, Err(Error::Invalid(i)) if i.allowed.contains("full path")), "{relative:?}");

    assert_eq!(Workspace::backups_of(&path).unwrap(), before);
    assert!(!ws.backup_folder().chosen);
}
