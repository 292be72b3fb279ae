//! `wisdom import --format dayone|daylio|markdown [--dry-run]` with the real binary: the preview
//! a person reads, the JSON a script reads, the flags that reach the filing, the exit codes.

use serde_json::Value;
use wisdom_core::model::ImportPreview;

mod common;
use common::{arg, stderr, Journal};

/// How many events the journal holds.
fn events(env: &Journal) -> usize {
    let list: Value = serde_json::from_str(&env.ok(&["event", "list", "--json"])).unwrap();
    list["events"].as_array().map_or(0, |a| a.len())
}

const DAYLIO: &str = "\u{feff}full_date,date,weekday,time,mood,activities,scales,note_title,note\n\
2025-10-07,October 7,Tuesday,10:10 pm,super happy,family,,,\"Mum called 🎉\"\n\
2025-10-05,October 5,Sunday,14:58,Zonked,work,,,\"Deadline week, no energy.\"\n\
2025-10-04,October 4,Saturday,6:50 pm,rad,friends | movies,,Pizza night,\"Ana, Rui and me.\nWe argued about \"\"Dune\"\".\"\n";

#[test]
fn a_dry_run_says_what_would_happen_and_writes_nothing() {
    let env = Journal::new("Imported");
    let csv = env.file("daylio_export.csv", DAYLIO);
    let text = env.ok(&["import", arg(&csv), "--format", "daylio", "--dry-run"]);
    assert!(text.starts_with("Daylio "), "{text}");
    assert!(text.contains("(dry run: nothing was written)"), "{text}");
    assert!(text.contains("3 new entries to add, 2025-10-04"), "{text}");
    assert!(text.contains("mood:Zonked"), "{text}");
    assert!(text.contains("unknown custom mood: no charge (set it with --mood NAME=CHARGE)"), "{text}");
    assert!(text.contains("not suggested: the language model is not installed on this device"), "{text}");
    assert!(text.contains("Run the same command without --dry-run to import."), "{text}");
    assert_eq!(events(&env), 0);
}

#[test]
fn the_json_preview_is_the_model_type_and_the_flags_reach_the_filing() {
    let env = Journal::new("Imported");
    let csv = env.file("daylio.csv", DAYLIO);
    let map = env.file("areas.txt", "# my rules\nactivity:work = finance\nfriends = friendships\n");
    let out = env.ok(&[
        "import",
        arg(&csv),
        "--format",
        "daylio",
        "--dry-run",
        "--json",
        "--area-map",
        arg(&map),
        "--mood",
        "zonked=-3",
        "--area",
        "family",
    ]);
    let p: ImportPreview = serde_json::from_str(&out).unwrap();
    let rule = |from: &str| p.mappings.iter().find(|m| m.from == from).map(|m| (m.to.clone(), m.why.clone()));
    assert_eq!(rule("activity:work"), Some(("finance".into(), "your rule".into())));
    assert_eq!(rule("activity:friends"), Some(("friendships".into(), "your rule".into())));
    assert_eq!(rule("mood:Zonked"), Some(("-3".into(), "--mood".into())));
    assert_eq!((p.new, p.sample.len()), (3, 3));
}

#[test]
fn importing_the_same_export_twice_adds_nothing() {
    let env = Journal::new("Imported");
    let csv = env.file("daylio.csv", DAYLIO);
    assert_eq!(env.ok(&["import", arg(&csv), "--format", "daylio"]), "Imported 3 events.\n");
    assert_eq!(env.ok(&["import", arg(&csv), "--format", "daylio"]), "Imported 0 events (3 already present).\n");
    let report: Value = serde_json::from_str(&env.ok(&["import", arg(&csv), "--format", "daylio", "--json"])).unwrap();
    assert_eq!((report["events"].as_u64(), report["alreadyPresent"].as_u64()), (Some(0), Some(3)));
    assert_eq!(events(&env), 3);
}

#[test]
fn a_day_one_journal_file_without_its_zip_says_which_photos_it_could_not_attach() {
    let env = Journal::new("Imported");
    let journal = env.file(
        "Travel.json",
        r#"{"metadata":{"version":"1.0"},"entries":[{"uuid":"C0FFEE00C0FFEE00C0FFEE00C0FFEE00",
            "creationDate":"2024-05-04T09:00:00Z","timeZone":"Asia/Tokyo",
            "text":"Kyoto at dawn\n\n![](dayone-moment://BEEF)\nQuiet temples\\.","tags":["travel"],
            "photos":[{"identifier":"BEEF","md5":"0cc175b9c0f1b6a831c399e269772661","type":"jpeg"}]}]}"#,
    );
    let out = env.ok(&["import", arg(&journal), "--format", "dayone"]);
    assert!(out.starts_with("Imported 1 event.\n1 photo or file the entries refer to is not attached"), "{out}");
    assert!(out.contains("missing from the export (photos/0cc175b9c0f1b6a831c399e269772661.jpeg)"), "{out}");
    let list: Value = serde_json::from_str(&env.ok(&["event", "list", "--json"])).unwrap();
    assert_eq!(list["events"][0]["title"], "Kyoto at dawn");
    assert_eq!(list["events"][0]["description"], "Quiet temples.");
}

#[test]
fn bad_input_exits_2_and_names_the_file() {
    let env = Journal::new("Imported");
    env.file("vault/2025-08-01.md", "Fine day\n");
    env.file("vault/2025-02-30.md", "Leap\n");
    let out = env.run(&["import", arg(&env.dir.path().join("vault")), "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "error: 2025-02-30.md: the date 2025-02-30 in its name does not exist (nothing was imported)\n"
    );
    let cut = env.file("cut.zip", "PK\u{3}\u{4} and then nothing");
    let out = env.run(&["import", arg(&cut), "--format", "dayone"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("damaged or truncated"), "{}", stderr(&out));
    let out = env.run(&["import", arg(&cut), "--format", "jrnl", "--dry-run"]);
    assert_eq!(out.status.code(), Some(2));
    let out = env.run(&["import", "--format", "daylio", "--mood", "zonked", arg(&cut)]);
    assert!(stderr(&out).contains("--mood zonked: write NAME=CHARGE"), "{}", stderr(&out));
    assert_eq!(events(&env), 0);
}
