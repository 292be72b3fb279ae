//! The attachment budgets (issue 14): attaching a 5 MB photo, and importing a Day One export of
//! 10,000 entries with 2,000 photos. Photos are real JPEGs made here: a few camera-sized images
//! with sensor-like noise (so they compress like photos), each copy made distinct by bytes after
//! its end-of-image marker (decoders ignore them), so no two photos share a hash and nothing is
//! deduplicated away.

use std::io::Write;
use std::path::Path;

use wisdom_core::model::{EntryKind, NewEvent};
use wisdom_core::{Clock, ImportFormat, ImportOptions, Passphrase, Workspace};

use crate::measure::{once, repeat};
use crate::report::{Sample, System};
use crate::{push, Plan};

pub const DAYONE_ENTRIES: usize = 10_000;
pub const DAYONE_PHOTOS: usize = 2_000;

/// A camera-like JPEG: gradients with per-pixel noise.
fn photo(width: u32, height: u32, seed: u32, quality: u8) -> Vec<u8> {
    let mut s = seed.wrapping_mul(2_654_435_761) | 1;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        let n = (s & 15) as u8;
        image::Rgb([
            ((x * 255 / width) as u8).wrapping_add(n),
            ((y * 255 / height) as u8).wrapping_add(n / 2),
            (seed as u8).wrapping_mul(37).wrapping_add(n),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(&img).expect("encodes");
    out
}

/// Entries on one page of the timeline, each with a photo.
pub const PAGE_ENTRIES: usize = 50;

/// What the desktop does to show a page of entries with their thumbnails: list the page, then
/// per entry its files and each photo's kept thumbnail as a `data:` URL (the shell's
/// `entry_attachments`). The webview's own drawing of the images is not in this figure.
fn thumbnail_page(samples: &mut Vec<Sample>, dir: &Path, plan: &Plan, sample: &NewEvent) -> anyhow::Result<()> {
    use base64::Engine;
    let pass = Passphrase::new("benchmark passphrase");
    let mut ws = Workspace::create(&dir.join("page.wisdom"), "Page", &pass, plan.kdf, Clock::system())?;
    // Phone-sized photos (about 1 MB): their thumbnails are made when attached, as in the app.
    let bases: Vec<Vec<u8>> = (0..4).map(|i| photo(2048, 1536, 300 + i, 88)).collect();
    for i in 0..PAGE_ENTRIES {
        let new = NewEvent { title: format!("Harbour walk, day {i}"), ..sample.clone() };
        let id = ws.create_event(&new)?.event.id;
        let mut bytes = bases[i % bases.len()].clone();
        bytes.extend_from_slice(format!("page photo {i}").as_bytes());
        ws.attach_bytes(EntryKind::Event, &id, &format!("IMG_{i:04}.jpg"), bytes)?;
    }
    let filter = wisdom_core::model::EventFilter { limit: Some(PAGE_ENTRIES as u32), ..Default::default() };
    let stat = repeat(plan.reps.max(5), |_| {
        let mut shown = 0;
        for e in ws.list_events(&filter)? {
            for a in ws.attachments(Some((EntryKind::Event, &e.id)))? {
                if let Some(jpeg) = ws.attachment_thumbnail(&a.id)? {
                    let url =
                        format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(jpeg));
                    shown += (url.len() > 100) as usize;
                }
            }
        }
        anyhow::ensure!(shown == PAGE_ENTRIES, "{shown} thumbnails on the page");
        Ok(())
    })?;
    push(samples, "timeline page: 50 entries' thumbnails", System::Ours, PAGE_ENTRIES, stat);
    Ok(())
}

pub fn run(
    samples: &mut Vec<Sample>,
    dir: &Path,
    plan: &Plan,
    sample: &NewEvent,
    with_import: bool,
) -> anyhow::Result<()> {
    let pass = Passphrase::new("benchmark passphrase");
    let path = dir.join("photos.wisdom");
    let mut ws = Workspace::create(&path, "Photos", &pass, plan.kdf, Clock::system())?;
    let event = ws.create_event(sample)?.event.id;

    // 12 MP at quality 95 with light noise: about 5 MB, as a phone's photo.
    let big: Vec<Vec<u8>> = (0..plan.reps.min(5) as u32).map(|i| photo(4000, 3000, i + 1, 95)).collect();
    let mb = big[0].len() as f64 / 1e6;
    eprintln!("  5 MB photo: {mb:.1} MB each");
    anyhow::ensure!((4.5..6.0).contains(&mb), "the generated photo is {mb:.1} MB, not about 5 MB");
    let stat = repeat(big.len(), |i| {
        ws.attach_bytes(EntryKind::Event, &event, &format!("IMG_{i:04}.jpg"), big[i].clone())?;
        Ok(())
    })?;
    push(samples, "attach a 5 MB photo", System::Ours, 1, stat);
    drop(ws);
    thumbnail_page(samples, dir, plan, sample)?;
    if !with_import {
        return Ok(());
    }

    // The Day One export.
    let bases: Vec<Vec<u8>> = (0..24).map(|i| photo(2048, 1536, 100 + i, 88)).collect();
    let zip_path = dir.join("dayone.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path)?);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut entries = Vec::with_capacity(DAYONE_ENTRIES);
    let mut photo_bytes = 0u64;
    let start = chrono::Utc::now() - chrono::Duration::days(3650);
    for i in 0..DAYONE_ENTRIES {
        let when = start + chrono::Duration::minutes(i as i64 * 523);
        let mut text = format!(
            "Day {i} by the sea\n\nWalked along the front with Ana\\. The light on the water was something else, and we talked about moving somewhere quieter\\. Entry {i}\\."
        );
        let mut photos = Vec::new();
        if i % (DAYONE_ENTRIES / DAYONE_PHOTOS) == 0 {
            let md5 = format!("{:032x}", i as u128 * 0x9e3779b97f4a7c15);
            let id = format!("{:032X}", i as u128 * 0x85ebca6b + 7);
            text.push_str(&format!("\n\n![](dayone-moment://{id})"));
            photos.push(serde_json::json!({ "identifier": id, "md5": md5, "type": "jpeg", "orderInEntry": 0 }));
            let mut bytes = bases[i % bases.len()].clone();
            bytes.extend_from_slice(format!("photo {i}").as_bytes());
            photo_bytes += bytes.len() as u64;
            zip.start_file(format!("photos/{md5}.jpeg"), stored)?;
            zip.write_all(&bytes)?;
        }
        entries.push(serde_json::json!({
            "uuid": format!("{:032X}", i as u128 * 0x2545F4914F6CDD1D + 1),
            "creationDate": when.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "timeZone": "Europe/Lisbon",
            "text": text,
            "tags": [if i % 3 == 0 { "family" } else { "walks" }],
            "starred": i % 50 == 0,
            "photos": photos,
        }));
    }
    zip.start_file("Journal.json", deflated)?;
    serde_json::to_writer(&mut zip, &serde_json::json!({ "metadata": { "version": "1.0" }, "entries": entries }))?;
    zip.finish()?;
    eprintln!(
        "  Day One export: {DAYONE_ENTRIES} entries, {DAYONE_PHOTOS} photos, {:.2} GB of photos (mean {:.0} KB)",
        photo_bytes as f64 / 1e9,
        photo_bytes as f64 / DAYONE_PHOTOS as f64 / 1e3
    );

    let path = dir.join("dayone.wisdom");
    let mut ws = Workspace::create(&path, "Imported", &pass, plan.kdf, Clock::system())?;
    let opts = ImportOptions { suggest: wisdom_core::Suggest::Never, ..ImportOptions::new(ImportFormat::DayOne) };
    let (report, stat) = once(|| Ok(ws.import_path(&zip_path, &opts, &mut |_| {})?))?;
    anyhow::ensure!(report.events == DAYONE_ENTRIES as u64 && report.attachments == DAYONE_PHOTOS as u64, "{report:?}");
    push(samples, "import Day One: 10k entries, 2k photos", System::Ours, DAYONE_ENTRIES, stat);
    let (_, stat) = once(|| Ok(ws.make_thumbnails(usize::MAX, &mut |_| {})?))?;
    push(samples, "thumbnails of 2k imported photos", System::Ours, DAYONE_ENTRIES, stat);
    Ok(())
}
