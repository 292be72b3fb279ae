//! `wisdom event attach` and `wisdom attachment list|show|rm|extract` with the real binary on a
//! real encrypted journal: files in, the same bytes out, the limits' messages and exit codes.

use serde_json::Value;

mod common;
use common::{arg, stderr, Journal};

/// A new event's id.
fn event(env: &Journal, title: &str) -> String {
    let e = env.json(&["event", "add", title, "--area", "family", "--type", "milestone"]);
    e["event"]["id"].as_str().unwrap().to_string()
}

/// A photo as a phone would take it, in miniature: a JPEG with texture, made by code.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7 % 256) as u8, (y * 3 % 256) as u8, ((x ^ y) % 256) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88).encode_image(&img).unwrap();
    out
}

#[test]
fn attached_files_are_listed_shown_extracted_byte_identical_and_removed() {
    let env = Journal::new("Photos");
    let e = event(&env, "Lena's first birthday");
    let jpeg = photo(800, 600);
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
    let (p1, p2) = (env.file("cake.jpg", &jpeg), env.file("invitation.pdf", &pdf));

    let out = env.ok(&["event", "attach", &e[..12], arg(&p1), arg(&p2)]);
    assert!(out.contains("Attached cake.jpg as att_"), "{out}");

    let list = env.json(&["attachment", "list"]);
    let items = list["attachments"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["fileName"], "cake.jpg");
    assert_eq!(items[0]["mediaType"], "image/jpeg");
    assert_eq!(items[0]["hasThumbnail"], true);
    assert_eq!(items[0]["entryId"], e.as_str());
    assert_eq!(items[1]["mediaType"], "application/pdf");
    assert_eq!(items[1]["hasThumbnail"], false);
    assert_eq!(list["usage"]["bytes"], (jpeg.len() + pdf.len()) as u64);
    let photo_id = items[0]["id"].as_str().unwrap().to_string();
    let pdf_id = items[1]["id"].as_str().unwrap().to_string();

    let shown = env.ok(&["attachment", "show", &photo_id]);
    assert!(shown.contains("cake.jpg") && shown.contains(&format!("{} bytes", jpeg.len())), "{shown}");
    assert!(env.ok(&["event", "show", &e]).contains("cake.jpg"));

    let out = env.dir.path().join("out").join("cake-copy.jpg");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    env.ok(&["attachment", "extract", &photo_id, "-o", arg(&out)]);
    assert_eq!(std::fs::read(&out).unwrap(), jpeg);
    assert_eq!(std::fs::read_dir(out.parent().unwrap()).unwrap().count(), 1, "no partial file left beside it");

    env.ok(&["attachment", "rm", &pdf_id]);
    let missing = env.run(&["attachment", "show", &pdf_id]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(stderr(&missing).contains("not found"), "{}", stderr(&missing));

    env.ok(&["event", "rm", &e]);
    assert_eq!(env.json(&["attachment", "list"])["attachments"], Value::Array(vec![]));
    assert_eq!(env.json(&["attachment", "list"])["usage"]["bytes"], 0);
}

#[test]
fn a_file_too_large_is_refused_from_its_size_and_nothing_is_attached() {
    let env = Journal::new("Photos");
    let e = event(&env, "Holiday video");
    let ok = env.file("note.txt", b"fine");
    // 2 GB, sparse: never read, refused from its size.
    let huge = env.dir.path().join("holiday.mov");
    std::fs::File::create(&huge).unwrap().set_len(2 << 30).unwrap();
    let out = env.run(&["event", "attach", &e, arg(&ok), arg(&huge)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("holiday.mov is 2.0 GiB, more than the 100.0 MiB one attachment may be"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.json(&["attachment", "list"])["attachments"], Value::Array(vec![]));

    let out = env.run(&["event", "attach", &e, arg(&env.dir.path().join("nowhere.jpg"))]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nowhere.jpg"), "{}", stderr(&out));
}

#[test]
fn an_export_zip_carries_the_files_into_another_journal_byte_identical() {
    let env = Journal::new("Photos");
    let e = event(&env, "Grandpa's letters");
    let scan = photo(640, 480);
    env.ok(&["event", "attach", &e, arg(&env.file("letter 1.jpg", &scan))]);
    let zip = env.dir.path().join("journal.zip");
    env.ok(&["export", "--format", "zip", "-o", arg(&zip)]);

    let other = Journal::new("Photos");
    let out = other.ok(&["import", arg(&zip), "--format", "json"]);
    assert!(out.contains("Imported 1 event") && out.contains("Attached 1 photo or file"), "{out}");
    let list = other.json(&["attachment", "list"]);
    let item = &list["attachments"][0];
    assert_eq!((item["fileName"].as_str(), item["hasThumbnail"].as_bool()), (Some("letter 1.jpg"), Some(true)));
    let copy = other.dir.path().join("copy.jpg");
    other.ok(&["attachment", "extract", item["id"].as_str().unwrap(), "-o", arg(&copy)]);
    assert_eq!(std::fs::read(copy).unwrap(), scan);
}

#[test]
fn an_autobiography_entry_keeps_its_old_photos_and_loses_them_with_it() {
    let env = Journal::new("Memoir");
    let era = env.json(&["era", "add", "University", "--start", "1994", "--end", "1998"]);
    let era = era["id"].as_str().unwrap().to_string();
    let entry = env.json(&[
        "bio",
        "add",
        "Graduation day",
        "--era",
        &era,
        "--year",
        "1998",
        "--narrative",
        "Mum cried, I nearly did.",
    ]);
    let entry = entry["id"].as_str().unwrap().to_string();
    let scan = photo(640, 480);
    let p = env.file("graduation scan.jpg", &scan);

    let out = env.ok(&["bio", "attach", &entry, arg(&p)]);
    assert!(out.contains("Attached graduation scan.jpg as att_"), "{out}");
    let listed = env.json(&["attachment", "list", "--bio", &entry]);
    let items = listed["attachments"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["entryId"], entry.as_str());
    assert_eq!(items[0]["hasThumbnail"], true);
    // An event's list does not show it.
    let e = event(&env, "Moved flat");
    assert_eq!(env.json(&["attachment", "list", "--event", &e])["attachments"], Value::Array(vec![]));

    // A wrong id attaches nothing.
    let wrong = env.run(&["bio", "attach", "bio_nope", arg(&p)]);
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    assert_eq!(env.json(&["attachment", "list"])["attachments"].as_array().unwrap().len(), 1);

    env.ok(&["bio", "rm", &entry]);
    assert_eq!(env.json(&["attachment", "list"])["attachments"], Value::Array(vec![]));
}
