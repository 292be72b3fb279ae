//! Attachments travelling: our export zip out and back in (byte-identical files, equal entries),
//! Day One's media attached in text order, a Markdown note's embedded photo, and hostile input
//! (a truncated zip, a name climbing out of it, a missing or oversized file, a link out of the
//! folder): a clear error or a listed skip, nothing half-imported, nothing written outside.

mod common;

use std::path::{Path, PathBuf};

use common::apps::{jpeg, opts, write, zip};
use common::*;
use wisdom_core::model::{EntryKind, EventFilter};
use wisdom_core::{AttachmentLimits, Error, ImportFormat, ImportProblem, Workspace};

fn attachment_count(ws: &Workspace) -> usize {
    ws.attachments(None).unwrap().len()
}

fn export_zip(ws: &Workspace, dir: &Path) -> PathBuf {
    let path = dir.join("export.zip");
    ws.export_zip(std::fs::File::create(&path).unwrap(), &mut |_| {}).unwrap();
    path
}

#[test]
fn our_zip_out_and_in_gives_byte_identical_files_and_equal_entries() {
    let (f, mut ws) = Fixture::new();
    let e = ws.create_event(&event("family", wisdom_core::model::EventType::Milestone, "Lena walks", 5, t0(), &[]));
    let e = e.unwrap().event;
    let photo = jpeg(900, 600, 3);
    let memo: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    ws.attach_bytes(EntryKind::Event, &e.id, "first steps.jpg", photo.clone()).unwrap();
    ws.attach_bytes(EntryKind::Event, &e.id, "memo.m4a", memo.clone()).unwrap();
    let path = export_zip(&ws, f.dir.path());

    // The Markdown journal in the zip links the photo inline, relative to itself.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut md = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("journal.md").unwrap(), &mut md).unwrap();
    let listed = ws.attachments(None).unwrap();
    assert!(md.contains(&format!("![first steps.jpg](<files/{}/first steps.jpg>)", listed[0].id)), "{md}");
    assert!(md.contains(&format!("[memo.m4a](files/{}/memo.m4a)", listed[1].id)), "{md}");

    let dir = tempfile::tempdir().unwrap();
    let other_path = dir.path().join("other.wisdom");
    let pass = wisdom_core::Passphrase::new(PASS);
    let mut other =
        Workspace::create(&other_path, "Other", &pass, wisdom_core::KdfParams::MINIMUM, f.clock.clock()).unwrap();
    let r = other.import_path(&path, &opts(ImportFormat::Json), &mut |_| {}).unwrap();
    assert_eq!((r.events, r.attachments), (1, 2));
    // Same ids, entries, names, types, hashes and times; thumbnails are made here, once.
    let imported = other.attachments(None).unwrap();
    assert!(!imported[0].has_thumbnail);
    other.make_thumbnails(usize::MAX, &mut |_| {}).unwrap();
    assert_eq!(other.attachments(None).unwrap(), listed);
    assert_eq!(other.attachment_bytes(&listed[0].id).unwrap().1, photo);
    assert_eq!(other.attachment_bytes(&listed[1].id).unwrap().1, memo);
    assert_eq!(other.list_events(&EventFilter::default()).unwrap(), ws.list_events(&EventFilter::default()).unwrap());

    // The same zip again adds nothing.
    let again = other.import_path(&path, &opts(ImportFormat::Json), &mut |_| {}).unwrap();
    assert_eq!((again.events, again.attachments), (0, 0));
    assert_eq!(attachment_count(&other), 2);
}

#[test]
fn our_zip_missing_a_file_or_truncated_imports_nothing() {
    let (f, mut ws) = Fixture::new();
    let e = ws.create_event(&event("work", wisdom_core::model::EventType::Progress, "Shipped", 3, t0(), &[]));
    ws.attach_bytes(EntryKind::Event, &e.unwrap().event.id, "diagram.png", jpeg(50, 50, 1)).unwrap();
    let good = export_zip(&ws, f.dir.path());

    // The same zip without the file it lists.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
    let mut kept: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes).unwrap();
        let name = file.name().unwrap().to_string();
        if !name.starts_with("files/") {
            kept.push((name, bytes));
        }
    }
    let refs: Vec<(&str, &[u8])> = kept.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let missing = zip(&f.dir.path().join("missing.zip"), &refs);
    let truncated = f.dir.path().join("truncated.zip");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();

    let (_g, mut fresh) = Fixture::new();
    let err = fresh.import_path(&missing, &opts(ImportFormat::Json), &mut |_| {}).unwrap_err();
    assert!(matches!(&err, Error::ImportSource { problem: ImportProblem::MissingFile(_), .. }), "{err:?}");
    assert!(err.to_string().contains("is listed in the export but missing from it (nothing was imported)"), "{err}");
    let err = fresh.import_path(&truncated, &opts(ImportFormat::Json), &mut |_| {}).unwrap_err();
    assert!(matches!(&err, Error::ImportSource { problem: ImportProblem::BadArchive(_), .. }), "{err:?}");
    assert_eq!((fresh.event_count().unwrap(), attachment_count(&fresh)), (0, 0), "nothing half-imported");
}

const TWO_PHOTOS_AND_A_MEMO: &str = r##"{ "metadata": { "version": "1.0" }, "entries": [ {
  "uuid": "C0FFEE00C0FFEE00C0FFEE00C0FFEE00",
  "creationDate": "2025-05-01T18:00:00Z",
  "timeZone": "Europe/Lisbon",
  "text": "Sunset at Cabo da Roca\n\n![](dayone-moment://BBBB)\nThen the wind came.\n![](dayone-moment:/audio/CCCC)\n![](dayone-moment://AAAA)",
  "photos": [
    { "identifier": "AAAA", "md5": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "type": "jpeg", "orderInEntry": 0 },
    { "identifier": "BBBB", "md5": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "type": "png", "orderInEntry": 1 }
  ],
  "audios": [ { "identifier": "CCCC", "md5": "cccccccccccccccccccccccccccccccc", "type": "m4a" } ],
  "videos": [ { "identifier": "DDDD", "md5": "dddddddddddddddddddddddddddddddd", "type": "mov" } ]
} ] }"##;

fn dayone_with_media(dir: &Path, extra: &[(&str, &[u8])]) -> (PathBuf, Vec<u8>, Vec<u8>, Vec<u8>) {
    let a = jpeg(400, 300, 1);
    let mut b = Vec::new();
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 7]))
        .write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Png)
        .unwrap();
    let memo = b"\0\0\0\x20ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0 an audio memo".to_vec();
    let mut files: Vec<(&str, &[u8])> = vec![
        ("Journal.json", TWO_PHOTOS_AND_A_MEMO.as_bytes()),
        ("photos/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpeg", &a),
        ("photos/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.png", &b),
        ("audios/cccccccccccccccccccccccccccccccc.m4a", &memo),
        ("videos/dddddddddddddddddddddddddddddddd.mov", b"\0\0\0\x14ftypqt  \0\0\0\0"),
    ];
    files.extend_from_slice(extra);
    (zip(&dir.join("dayone.zip"), &files), a, b, memo)
}

#[test]
fn day_one_media_are_attached_in_text_order_and_videos_are_listed_not_attached() {
    let (f, mut ws) = Fixture::new();
    let (path, a, b, memo) = dayone_with_media(f.dir.path(), &[]);
    let r = ws.import_path(&path, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    assert_eq!((r.events, r.attachments, r.media_pending), (1, 3, 1));
    assert!(r.skipped.iter().any(|s| s.what == "video" && s.reason.starts_with("videos are not attached")), "{r:?}");
    let e = &ws.list_events(&EventFilter::default()).unwrap()[0];
    assert_eq!(e.description, "Then the wind came.", "the links left the text");
    let got = ws.attachments(Some((EntryKind::Event, &e.id))).unwrap();
    let order: Vec<(&str, &str)> = got.iter().map(|x| (x.file_name.as_str(), x.media_type.as_str())).collect();
    assert_eq!(
        order,
        [
            ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.png", "image/png"),
            ("cccccccccccccccccccccccccccccccc.m4a", "audio/mp4"),
            ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpeg", "image/jpeg"),
        ]
    );
    assert_eq!(ws.attachment_bytes(&got[0].id).unwrap().1, b);
    assert_eq!(ws.attachment_bytes(&got[1].id).unwrap().1, memo);
    assert_eq!(ws.attachment_bytes(&got[2].id).unwrap().1, a);

    // Thumbnails were left for later; made once, then kept.
    assert!(!got[0].has_thumbnail);
    assert_eq!(ws.make_thumbnails(usize::MAX, &mut |_| {}).unwrap(), 0);
    let now: Vec<bool> = ws.attachments(None).unwrap().iter().map(|x| x.has_thumbnail).collect();
    assert_eq!(now, [true, false, true]);

    let again = ws.import_path(&path, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    assert_eq!((again.events, again.attachments), (0, 0));
    assert_eq!(attachment_count(&ws), 3);
}

#[test]
fn a_day_one_photo_too_large_is_a_listed_skip_and_the_journal_limit_stops_the_import() {
    let (f, mut ws) = Fixture::new();
    let (path, a, _, _) = dayone_with_media(f.dir.path(), &[]);
    ws.set_attachment_limits(AttachmentLimits { per_file: a.len() as u64 - 1, per_workspace: 1 << 30 });
    let r = ws.import_path(&path, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    assert_eq!((r.events, r.attachments), (1, 2));
    let big = r.skipped.iter().find(|s| s.reason == "larger than one attachment may be").expect("listed");
    assert_eq!(big.examples, ["photos/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpeg"]);

    let (g, mut small) = Fixture::new();
    let (path, ..) = dayone_with_media(g.dir.path(), &[]);
    small.set_attachment_limits(AttachmentLimits { per_file: 1 << 20, per_workspace: 1_000 });
    let err = small.import_path(&path, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("past their limit"), "{err}");
    assert_eq!((small.event_count().unwrap(), attachment_count(&small)), (0, 0), "nothing half-imported");
}

#[test]
fn a_zip_naming_a_path_outside_itself_is_refused_whole_and_nothing_is_written_outside() {
    let (f, mut ws) = Fixture::new();
    let (path, ..) = dayone_with_media(f.dir.path(), &[("../../etc/passwd", b"root:x:0:0")]);
    let err = ws.import_path(&path, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap_err();
    assert!(
        matches!(&err, Error::ImportSource { problem: ImportProblem::UnsafePath(p), .. } if p == "../../etc/passwd")
    );
    assert_eq!((ws.event_count().unwrap(), attachment_count(&ws)), (0, 0));
    let outside = f.dir.path().parent().unwrap().join("etc/passwd");
    assert!(!outside.exists(), "nothing unpacked");
}

#[test]
fn a_markdown_note_attaches_its_embedded_photo_but_never_a_file_outside_its_folder() {
    let (f, mut ws) = Fixture::new();
    let secret = f.dir.path().join("secret.jpg");
    std::fs::write(&secret, jpeg(10, 10, 9)).unwrap();
    let vault = f.dir.path().join("vault");
    write(
        &vault.join("2025-03-02.md"),
        "# Market day\n\nOranges everywhere.\n\n![[market.jpg]]\n\n![](../secret.jpg)\n",
    );
    let photo = jpeg(120, 90, 4);
    std::fs::write(vault.join("market.jpg"), &photo).unwrap();
    let r = ws.import_path(&vault, &opts(ImportFormat::Markdown), &mut |_| {}).unwrap();
    assert_eq!((r.events, r.attachments, r.media_pending), (1, 1, 1));
    let outside = r.skipped.iter().find(|s| s.reason.starts_with("outside the imported folder")).expect("listed");
    assert_eq!(outside.examples, ["../secret.jpg"]);
    let got = ws.attachments(None).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(ws.attachment_bytes(&got[0].id).unwrap().1, photo);
}
