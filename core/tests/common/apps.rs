//! Exports of other journal apps, written by hand in the shape the apps write them (not copied
//! from anyone): a Day One zip with two journals, a Daylio CSV, an Obsidian-style vault.

use std::io::Write;
use std::path::{Path, PathBuf};

use wisdom_core::{ImportFormat, ImportOptions};

/// Options as a test wants them: no language model (suggestions would depend on the machine).
pub fn opts(format: ImportFormat) -> ImportOptions {
    ImportOptions { suggest: wisdom_core::Suggest::Never, ..ImportOptions::new(format) }
}

/// A zip of `files` (name, bytes), deflated, at `path`.
pub fn zip(path: &Path, files: &[(&str, &[u8])]) -> PathBuf {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        w.start_file(*name, o).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
    path.to_path_buf()
}

/// A photo as a camera writes one, in miniature: a JPEG with texture, made by code (`seed` makes
/// each one different).
pub fn jpeg(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ seed.wrapping_mul(97)) >> 27;
        image::Rgb([(x * 255 / width) as u8 ^ n as u8, (y * 255 / height) as u8, (seed * 40) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88).encode_image(&img).unwrap();
    out
}

pub const FADO_PHOTO_MD5: &str = "9e107d9d372bb6826bd81d3542a419d6";

/// A personal journal: escapes, emoji, a photo in the export and one missing from it, a star,
/// location and weather, an entry that is only a photo, an empty entry, three time zones.
pub const DAYONE_JOURNAL: &str = r##"{
  "metadata" : { "version" : "1.0" },
  "entries" : [
    {
      "uuid" : "5B2C1E0A9F8D4C7B8A6E5D4C3B2A1F00",
      "creationDate" : "2025-06-14T19:42:10Z",
      "modifiedDate" : "2025-06-14T20:01:00Z",
      "timeZone" : "Europe/Lisbon",
      "creationDevice" : "Ana’s iPhone",
      "text" : "# Fado in Alfama 🎶\n\nWe found a tiny place \\(no sign outside\\)\\. The singer was 70\\+ and sang like it was her last night\\!\n\n![](dayone-moment://A1B2C3D4E5F60718293A4B5C6D7E8F90)\n\nWalked back up the hill at 1am \\- worth it\\.",
      "tags" : [ "travel", "music" ],
      "starred" : true,
      "isPinned" : false,
      "location" : { "localityName" : "Lisbon", "country" : "Portugal", "placeName" : "Alfama", "latitude" : 38.7110, "longitude" : -9.1300 },
      "weather" : { "conditionsDescription" : "Clear", "temperatureCelsius" : 22.5, "weatherCode" : "clear-night" },
      "photos" : [ { "identifier" : "A1B2C3D4E5F60718293A4B5C6D7E8F90", "md5" : "9e107d9d372bb6826bd81d3542a419d6", "type" : "jpeg", "orderInEntry" : 0, "width" : 3024, "height" : 4032 } ]
    },
    {
      "uuid" : "0C9B8A7F6E5D4C3B2A1908F7E6D5C4B3",
      "creationDate" : "2025-11-02T07:05:00Z",
      "timeZone" : "America/New_York",
      "text" : "Couldn't sleep again\\. Third night this week\\.\n\nMind racing about the reorg\\. Tried the 4\\-7\\-8 breathing \\*twice\\*\\.",
      "tags" : [ "sleep" ],
      "starred" : false
    },
    {
      "uuid" : "7E6D5C4B3A2918F7E6D5C4B3A2918F70",
      "creationDate" : "2025-12-24T16:30:00Z",
      "timeZone" : "Europe/Lisbon",
      "text" : "![](dayone-moment://FFEE0011223344556677889900AABBCC)",
      "starred" : false,
      "photos" : [ { "identifier" : "FFEE0011223344556677889900AABBCC", "md5" : "d41d8cd98f00b204e9800998ecf8427e", "type" : "heic", "orderInEntry" : 0 } ]
    },
    {
      "uuid" : "1111222233334444555566667777AAAA",
      "creationDate" : "2025-12-25T10:00:00Z",
      "timeZone" : "Europe/Lisbon",
      "text" : "",
      "starred" : false
    },
    {
      "uuid" : "8F7E6D5C4B3A29180F1E2D3C4B5A6978",
      "creationDate" : "2026-01-11T13:15:00Z",
      "timeZone" : "Asia/Tokyo",
      "text" : "Sunday lunch at Mum's\\. Everyone came, even Tio Rui\\.",
      "tags" : [ "Family" ],
      "starred" : false
    }
  ]
}"##;

/// A second journal whose name is an area's.
pub const DAYONE_WORK: &str = r##"{
  "metadata" : { "version" : "1.0" },
  "entries" : [
    {
      "uuid" : "AAAA0000BBBB1111CCCC2222DDDD3333",
      "creationDate" : "2025-09-01T08:30:00Z",
      "timeZone" : "Europe/Berlin",
      "text" : "Shipped the importer\\!\n\n* 3 formats\n* 0 regressions",
      "starred" : false
    },
    {
      "uuid" : "AAAA0000BBBB1111CCCC2222DDDD4444",
      "creationDate" : "2025-09-03T16:00:00Z",
      "timeZone" : "Europe/Berlin",
      "text" : "Review went badly\\. Need to prepare better for the Q4 plan\\.",
      "tags" : [ "review" ],
      "starred" : false
    }
  ]
}"##;

/// The usual export: both journals and the one photo Day One had.
pub fn dayone_zip(dir: &Path) -> PathBuf {
    zip(
        &dir.join("Export-All Journals.zip"),
        &[
            ("Journal.json", DAYONE_JOURNAL.as_bytes()),
            ("Work.json", DAYONE_WORK.as_bytes()),
            (&format!("photos/{FADO_PHOTO_MD5}.jpeg"), &jpeg(640, 480, 1)),
        ],
    )
}

/// Daylio's export: byte-order mark, newest first, a quoted note with commas, quotes and a line
/// break, an entry without a note, a custom mood, a scale, HTML in a note.
pub const DAYLIO: &str = "\u{feff}full_date,date,weekday,time,mood,activities,scales,note_title,note\n\
2025-10-07,October 7,Tuesday,10:10 pm,super happy,family,,,\"Mum called 🎉\"\n\
2025-10-06,October 6,Monday,9:02 pm,bad,,\"Sleep: 2\",,\"<br>Argued with my manager &amp; left early.\"\n\
2025-10-05,October 5,Sunday,14:58,Zonked,work,,,\"Deadline week, no energy.\"\n\
2025-10-04,October 4,Saturday,8:15 am,meh,sleep early | reading,,,\n\
2025-10-04,October 4,Saturday,6:50 pm,rad,friends | movies | good meal,,Pizza night,\"Ana, Rui and me. We argued about \"\"Dune\"\" for an hour,\nthen watched it anyway.\"\n";

pub fn write(path: &Path, text: &str) -> PathBuf {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// An Obsidian vault of daily notes: front matter, inline tags, timed sections, a Logseq-style
/// journal page, an embedded photo, a note without a date, a picture, the app's settings folder.
pub fn vault(dir: &Path) -> PathBuf {
    let v = dir.join("vault");
    write(&v.join(".obsidian/app.json"), "{\"legacyEditor\":false}");
    write(
        &v.join("Daily/2025-08-01.md"),
        "---\ntags: [running]\n---\n# Friday\n\nEasy 5k before work. Knee felt fine. #health\n",
    );
    write(
        &v.join("Daily/2025-08-02.md"),
        "# 2025-08-02\n\n## 07:10 Run by the river\nFelt strong, negative splits. #running\n\n## 9:30 pm - Call with Mum\nShe's worried about Dad's knee.\n",
    );
    write(&v.join("journals/2025_08_03.md"), "- Long walk with [[Ana]] along the coast #nature\n- Ate sardines\n");
    write(
        &v.join("Daily/2025-08-04.md"),
        "---\ntitle: Grandma's 90th\ndate: 2025-08-04 18:30\narea: family\ntype: milestone\ncharge: 4\n---\nThe whole family in one garden.\n\n![[cake.jpg]]\n",
    );
    std::fs::write(v.join("Daily/cake.jpg"), jpeg(300, 200, 2)).unwrap();
    write(&v.join("Notes/Ideas.md"), "# Ideas\n\n- a bench in the garden\n");
    v
}
