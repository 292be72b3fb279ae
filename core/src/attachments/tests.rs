use std::path::{Path, PathBuf};

use super::media::tests::{jpeg, png};
use super::*;
use crate::keys::{KdfParams, Passphrase};
use crate::time::Clock;
use wisdom_model::{NewAutobiographyEntry, NewEra};

fn journal(dir: &Path) -> Workspace {
    let path = dir.join("journal.wisdom");
    Workspace::create(&path, "Photos", &Passphrase::new("correct horse battery"), KdfParams::MINIMUM, Clock::system())
        .unwrap()
}

fn event(ws: &mut Workspace, title: &str) -> String {
    ws.create_event(&crate::testing::work_event(title)).unwrap().event.id
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn count(ws: &Workspace, table: &str) -> i64 {
    ws.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

/// Bytes that look like nothing a compressor or cipher would produce by chance.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s as u8
        })
        .collect()
}

#[test]
fn an_attached_photo_comes_back_byte_identical_with_a_kept_thumbnail() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = journal(dir.path());
    let e = event(&mut ws, "Harbour at dusk");
    let photo = jpeg(1600, 1200, 7);
    let path = file(dir.path(), "harbour.jpg", &photo);
    let got = ws.attach_files(EntryKind::Event, &e[..12], &[path]).unwrap();
    assert_eq!(got.len(), 1);
    let a = &got[0];
    assert_eq!((a.entry_kind, a.entry_id.as_str()), (EntryKind::Event, e.as_str()));
    assert_eq!((a.file_name.as_str(), a.media_type.as_str()), ("harbour.jpg", "image/jpeg"));
    assert_eq!((a.size, a.hash.clone()), (photo.len() as u64, hash(&photo)));
    assert!(a.has_thumbnail);

    let (again, bytes) = ws.attachment_bytes(&a.id[..10]).unwrap();
    assert_eq!(&again, a);
    assert_eq!(bytes, photo);
    let thumb = ws.attachment_thumbnail(&a.id).unwrap().expect("a photo has a thumbnail");
    assert_eq!(image::load_from_memory(&thumb).unwrap().width(), 320);
    assert_eq!(ws.attachments(Some((EntryKind::Event, &e))).unwrap(), got);
}

#[test]
fn a_file_of_several_chunks_round_trips_and_heic_and_pdf_have_no_thumbnail() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = journal(dir.path());
    let e = event(&mut ws, "Scans");
    let big = noise(2 * CHUNK_BYTES + 17, 3);
    let heic = [b"\0\0\0\x18ftypheic\0\0\0\0".as_slice(), &noise(5000, 4)].concat();
    let files = [file(dir.path(), "memo.bin", &big), file(dir.path(), "IMG_0001.HEIC", &heic)];
    let got = ws.attach_files(EntryKind::Event, &e, &files).unwrap();
    assert_eq!(count(&ws, "attachment_chunks"), 3 + 1);
    assert_eq!(ws.attachment_bytes(&got[0].id).unwrap().1, big);
    assert_eq!(got[1].media_type, "image/heic");
    assert!(!got[1].has_thumbnail);
    assert_eq!(ws.attachment_thumbnail(&got[1].id).unwrap(), None);
    assert_eq!(
        ws.attachments(None).unwrap().iter().map(|a| a.file_name.as_str()).collect::<Vec<_>>(),
        ["memo.bin", "IMG_0001.HEIC"]
    );
}

#[test]
fn the_same_file_is_stored_once_and_its_bytes_go_with_the_last_attachment() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = journal(dir.path());
    let (a, b) = (event(&mut ws, "Beach day"), event(&mut ws, "Beach day, the album"));
    let photo = png(300, 200);
    let path = file(dir.path(), "beach.png", &photo);
    let first = ws.attach_files(EntryKind::Event, &a, std::slice::from_ref(&path)).unwrap().remove(0);
    let second = ws.attach_files(EntryKind::Event, &b, std::slice::from_ref(&path)).unwrap().remove(0);
    // The same file on the same entry again is the attachment it already has.
    let repeat = ws.attach_files(EntryKind::Event, &a, std::slice::from_ref(&path)).unwrap().remove(0);
    assert_eq!(repeat.id, first.id);
    assert_ne!(first.id, second.id);
    let usage = ws.attachment_usage().unwrap();
    assert_eq!((usage.attachments, usage.files, usage.bytes), (2, 1, photo.len() as u64));

    ws.delete_attachment(&first.id).unwrap();
    assert_eq!(ws.attachment_bytes(&second.id).unwrap().1, photo, "still shared by the other entry");
    ws.delete_event(&b).unwrap();
    assert_eq!((count(&ws, "attachments"), count(&ws, "attachment_blobs"), count(&ws, "attachment_chunks")), (0, 0, 0));
    assert!(matches!(ws.attachment(&second.id), Err(Error::NotFound { .. })));
}

#[test]
fn deleting_an_autobiography_entry_deletes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = journal(dir.path());
    let era =
        ws.create_era(&NewEra { name: "Lisbon years".into(), start_year: 2015, end_year: None, description: None });
    let entry = ws
        .create_autobiography_entry(&NewAutobiographyEntry {
            era_id: era.unwrap().id,
            year: 2016,
            month: Some(5),
            title: "The flat on Rua da Rosa".into(),
            narrative: "Five floors, no lift.".into(),
            event_ids: vec![],
            life_area_ids: vec![],
            is_public: false,
        })
        .unwrap();
    let a = ws.attach_bytes(EntryKind::Autobiography, &entry.id, "../../rua.jpg", jpeg(200, 100, 9)).unwrap();
    assert_eq!((a.entry_kind, a.file_name.as_str()), (EntryKind::Autobiography, "rua.jpg"));
    ws.delete_autobiography_entry(&entry.id).unwrap();
    assert_eq!((count(&ws, "attachments"), count(&ws, "attachment_blobs")), (0, 0));
}

#[test]
fn a_file_past_a_limit_attaches_nothing_with_an_error_that_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = journal(dir.path());
    let e = event(&mut ws, "Too much");
    ws.set_attachment_limits(AttachmentLimits { per_file: 10_000, per_workspace: 15_000 });
    let small = file(dir.path(), "small.bin", &noise(6_000, 1));
    let large = file(dir.path(), "large.bin", &noise(10_001, 2));
    let err = ws.attach_files(EntryKind::Event, &e, &[small.clone(), large]).unwrap_err();
    assert!(matches!(&err, Error::AttachmentTooLarge { name, size: 10_001, limit: 10_000 } if name == "large.bin"));
    assert!(err.to_string().starts_with("large.bin is 9.8 KiB, more than the 9.8 KiB one attachment may be"), "{err}");
    assert_eq!(count(&ws, "attachments"), 0, "all or none: the small file was not attached either");

    let other = file(dir.path(), "other.bin", &noise(9_500, 3));
    let err = ws.attach_files(EntryKind::Event, &e, &[small, other]).unwrap_err();
    assert!(matches!(err, Error::AttachmentQuota { used: 6_000, limit: 15_000, .. }), "{err:?}");
    assert_eq!((count(&ws, "attachments"), count(&ws, "attachment_blobs")), (0, 0), "the failed write left nothing");
    assert_eq!(err.kind(), crate::ErrorKind::BadInput);
}

#[test]
fn attaching_to_a_missing_entry_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = journal(dir.path());
    let err = ws.attach_bytes(EntryKind::Event, "evt_nothere", "a.txt", b"x".to_vec()).unwrap_err();
    assert!(matches!(err, Error::NotFound { entity: "event", .. }), "{err:?}");
}

#[test]
fn no_attached_byte_is_on_disk_in_the_clear() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = journal(dir.path());
    let e = event(&mut ws, "Secret letter");
    let marker = b"MARKER-7f3a91-this-letter-is-private".repeat(50);
    ws.attach_bytes(EntryKind::Event, &e, "letter.txt", marker.clone()).unwrap();
    let thumb_source = jpeg(64, 64, 11);
    ws.attach_bytes(EntryKind::Event, &e, "p.jpg", thumb_source).unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(20).any(|w| w == &marker[..20]), "plaintext found on disk");
        assert!(!bytes.windows(4).any(|w| w == b"\xFF\xD8\xFF\xE0"), "a JPEG header found on disk");
    }
}

#[test]
fn file_names_keep_their_last_part_only() {
    assert_eq!(file_name("../../etc/passwd"), "passwd");
    assert_eq!(file_name("C:\\Users\\ana\\scan.pdf"), "scan.pdf");
    assert_eq!(file_name("..\u{7}"), "file");
    assert_eq!(file_name(&"é".repeat(300)).len(), 254);
}

/// What a pulling device does with a synced attachment row, without a server: the row announces
/// the file, chunks arrive one by one and are kept as they come (a dropped connection keeps what
/// arrived), only the missing ones are asked for again, and the file is usable once whole.
#[test]
fn an_announced_file_is_fetched_chunk_by_chunk_resumes_after_a_cut_and_is_checked_whole() {
    let dir = tempfile::tempdir().unwrap();
    for d in ["laptop", "phone"] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    let mut laptop = journal(&dir.path().join("laptop"));
    let e = event(&mut laptop, "Recorded the choir");
    let memo = noise(3 * CHUNK_BYTES + 1000, 21);
    let a = laptop.attach_bytes(EntryKind::Event, &e, "choir.m4a", memo.clone()).unwrap();
    let key = laptop.data_key().duplicate();
    let ids = remote::keep_chunk_ids(&laptop.conn, &key, &a.hash).unwrap();
    assert_eq!(ids.len(), 4);
    let row = crate::sync::rows::read(&laptop.conn, "attachment", &a.id).unwrap().unwrap();
    assert_eq!(row["links"]["blob"]["chunks"], serde_json::json!(ids));

    let phone = journal(&dir.path().join("phone"));
    remote::announce(&phone.conn, &row["row"], Some(&row["links"]["blob"])).unwrap();
    let wanted = remote::wanted(&phone.conn, 100, &[]).unwrap();
    assert_eq!(wanted.iter().map(|w| w.cid.clone()).collect::<Vec<_>>(), ids);
    // Two chunks arrive, then the connection drops.
    for w in &wanted[..2] {
        let plain = remote::chunk(&laptop.conn, &a.hash, w.seq).unwrap();
        remote::keep_chunk(&phone.conn, &w.hash, w.seq, &plain).unwrap();
    }
    assert!(!remote::finish(&phone.conn, &a.hash, None).unwrap(), "not whole yet");
    let again = remote::wanted(&phone.conn, 100, &[]).unwrap();
    assert_eq!(again.iter().map(|w| w.seq).collect::<Vec<_>>(), vec![2, 3], "only what is missing");
    // A damaged chunk fails the whole-file check and is fetched again.
    remote::keep_chunk(&phone.conn, &a.hash, 2, &remote::chunk(&laptop.conn, &a.hash, 2).unwrap()).unwrap();
    remote::keep_chunk(&phone.conn, &a.hash, 3, b"not the last chunk").unwrap();
    assert!(remote::finish(&phone.conn, &a.hash, None).is_err());
    assert_eq!(remote::wanted(&phone.conn, 100, &[]).unwrap().len(), 4, "its chunks are dropped");
    for w in remote::wanted(&phone.conn, 100, &[]).unwrap() {
        remote::keep_chunk(&phone.conn, &w.hash, w.seq, &remote::chunk(&laptop.conn, &a.hash, w.seq).unwrap()).unwrap();
    }
    assert!(remote::finish(&phone.conn, &a.hash, None).unwrap());
    assert!(remote::is_here(&phone.conn, &a.hash).unwrap());
    assert!(remote::wanted(&phone.conn, 100, &[]).unwrap().is_empty());
}

#[test]
fn chunk_ids_are_keyed_equal_chunks_share_one_and_another_journal_gets_others() {
    let key = crate::keys::DataKey::generate();
    let other = crate::keys::DataKey::generate();
    let bytes = noise(CHUNK_BYTES, 3);
    assert_eq!(remote::chunk_id(&key, &bytes), remote::chunk_id(&key, &bytes));
    assert_ne!(remote::chunk_id(&key, &bytes), remote::chunk_id(&other, &bytes));
    assert_ne!(remote::chunk_id(&key, &bytes), hash(&bytes), "not the plain content hash");
    assert!(wisdom_model::sync::is_chunk_id(&remote::chunk_id(&key, &bytes)));
}
