//! Import and export: formats, all-or-nothing imports, and lossless round trips.

mod common;

use std::io::Cursor;

use chrono::Duration;
use common::*;
use wisdom_core::model::*;
use wisdom_core::{Error, ImportFormat, ImportOptions, KdfParams, Passphrase, Workspace};

fn import(ws: &mut Workspace, text: &str, format: ImportFormat) -> wisdom_core::Result<wisdom_core::ImportReport> {
    let opts = ImportOptions { size_hint: Some(text.len() as u64), ..ImportOptions::new(format) };
    ws.import(&mut Cursor::new(text.as_bytes().to_vec()), &opts, &mut |_| {})
}

const LINE: &str = r#"{"lifeArea":"work","type":"BREAKTHROUGH","category":"PROFESSIONAL","tone":"POSITIVE","title":"Promoted","description":"Finally","occurredAt":"2026-03-01T10:00:00Z","emotionalCharge":5,"tags":["career"]}"#;

#[test]
fn jsonl_import_writes_every_line_and_rescores() {
    let (_f, mut ws) = Fixture::new();
    let text =
        format!("{LINE}\n\n{}\n", LINE.replace("Promoted", "Promoted again").replace("\"work\"", "\"area_finance\""));
    let r = import(&mut ws, &text, ImportFormat::JsonLines).unwrap();
    assert_eq!(r.events, 2);
    assert_eq!(ws.list_events(&EventFilter { tag: Some("career".into()), ..Default::default() }).unwrap().len(), 2);
    assert!(ws.life_area("work").unwrap().current_score > 50.0);
    assert!(ws.life_area("finance").unwrap().current_score > 50.0);
}

#[test]
fn one_bad_line_rejects_the_whole_import_and_names_the_line() {
    let (_f, mut ws) = Fixture::new();
    let bad_lines = [
        (LINE.replace("5,\"tags\"", "9,\"tags\""), "emotionalCharge"),
        (LINE.replace("POSITIVE", "GREAT"), "GREAT"),
        (LINE.replace("\"work\"", "\"gardening\""), "gardening"),
        ("{not json".to_string(), "key must be a string"),
        (LINE.replace("\"tone\"", "\"tonne\""), "tonne"),
        (LINE.replace("Promoted", &"x".repeat(300)), "title"),
    ];
    for (bad, expect) in bad_lines {
        let text = format!("{LINE}\n{LINE}\n{bad}\n{LINE}\n");
        let err = import(&mut ws, &text, ImportFormat::JsonLines).unwrap_err();
        match &err {
            Error::Import { location, message } => {
                assert_eq!(location, "line 3");
                assert!(message.contains(expect), "{message}");
            }
            other => panic!("expected an import error, got {other:?}"),
        }
        assert_eq!(err.kind(), wisdom_core::ErrorKind::BadInput);
        assert_eq!(ws.event_count().unwrap(), 0, "nothing written");
    }
    assert_eq!(ws.life_area("work").unwrap().current_score, 50.0);
}

#[test]
fn our_json_round_trips_everything() {
    let (f, mut ws) = Fixture::new();
    let e = ws
        .create_event(&event("work", EventType::Upset, "Overtime", -3, t0() - Duration::days(2), &["overwork"]))
        .unwrap()
        .event;
    let i = ws
        .create_insight(&NewInsight {
            event_id: Some(e.id.clone()),
            kind: InsightType::PatternRecognized,
            title: "Recurring: overwork".into(),
            description: "Three late nights".into(),
            is_recurring: true,
            frequency: 1,
            related_events: vec![e.id.clone()],
        })
        .unwrap();
    ws.apply_insight(&i.id).unwrap();
    ws.create_commitment(&NewCommitment {
        life_area: Some("work".into()),
        event_id: Some(e.id.clone()),
        insight_id: Some(i.id.clone()),
        statement: "Leave at six".into(),
        intention: "Evenings for me".into(),
        measurable: None,
        status: None,
        next_review_at: Some(t0() + Duration::days(7)),
    })
    .unwrap();
    let b = ws
        .create_boundary(&NewBoundary {
            life_area: "work".into(),
            statement: "No Slack at night".into(),
            reason: "Sleep".into(),
            consequence: None,
            status: None,
        })
        .unwrap();
    ws.log_violation(&b.id, &NewViolation { occurred_at: None, note: Some("incident".into()) }).unwrap();
    let era =
        ws.create_era(&NewEra { name: "Now".into(), start_year: 2020, end_year: None, description: None }).unwrap();
    ws.create_autobiography_entry(&NewAutobiographyEntry {
        era_id: era.id,
        year: 2026,
        month: None,
        title: "A hard spring".into(),
        narrative: "Work ate everything.".into(),
        event_ids: vec![e.id.clone()],
        life_area_ids: vec!["work".into()],
        is_public: false,
    })
    .unwrap();
    // The daily practice as the person shaped it: a template, their own prompt, a library prompt
    // in their words, one hidden, and a reminder time.
    ws.save_template(&NewTemplate {
        name: "evening".into(),
        title: "Evening review, {weekday}".into(),
        life_area: Some("mental-health".into()),
        kind: Some(EventType::Learning),
        tags: vec!["review".into()],
        body: "What went well?\nWhat would I change?".into(),
        ..Default::default()
    })
    .unwrap();
    ws.add_prompt(&NewPrompt { text: "Who did I help this week?".into(), area: None, weekly: true }).unwrap();
    let library: Vec<ReflectionPrompt> = ws.prompts().unwrap().into_iter().filter(|p| !p.own).take(2).collect();
    ws.edit_prompt(&library[0].id, "What drained me today, honestly?").unwrap();
    ws.set_prompt_hidden(&library[1].id, true).unwrap();
    let reminder = chrono::NaiveTime::from_hms_opt(21, 30, 0);
    ws.set_practice_settings(&PracticeSettings { on_this_day: false, reminder_time: reminder, review_reminders: true })
        .unwrap();
    let mut json = Vec::new();
    ws.export_json(&mut json, &mut |_| {}).unwrap();
    let original = ws.export_document().unwrap();

    let other = f.dir.path().join("restored.wisdom");
    let mut restored =
        Workspace::create(&other, "Restored", &Passphrase::new(PASS), KdfParams::MINIMUM, f.clock.clock()).unwrap();
    let r = import(&mut restored, std::str::from_utf8(&json).unwrap(), ImportFormat::Json).unwrap();
    assert_eq!(
        (r.events, r.insights, r.commitments, r.boundaries, r.boundary_violations, r.eras, r.autobiography_entries),
        (1, 1, 1, 1, 1, 1, 1)
    );
    let copy = restored.export_document().unwrap();
    assert_eq!(copy.events, original.events);
    assert_eq!(copy.insights, original.insights);
    assert_eq!(copy.commitments, original.commitments);
    assert_eq!(copy.boundaries, original.boundaries);
    assert_eq!(copy.boundary_violations, original.boundary_violations);
    assert_eq!(copy.autobiography_entries, original.autobiography_entries);
    let scores = |d: &wisdom_core::ExportDocument| {
        d.life_areas.iter().map(|a| (a.slug.clone(), a.current_score)).collect::<Vec<_>>()
    };
    assert_eq!(scores(&copy), scores(&original));
    assert_eq!((r.templates, r.prompts, r.settings), (1, 3, true));
    assert_eq!(copy.templates, original.templates);
    assert_eq!(copy.prompts, original.prompts);
    assert_eq!(restored.practice_settings().unwrap(), ws.practice_settings().unwrap());
    assert_eq!(restored.practice_settings().unwrap().reminder_time, reminder);
    // Importing again changes nothing, and the settings now are the workspace's own.
    let again = import(&mut restored, std::str::from_utf8(&json).unwrap(), ImportFormat::Json).unwrap();
    assert_eq!(again.events, 0);
    assert_eq!((again.templates, again.prompts, again.settings), (0, 0, false));
    assert_eq!(again.already_present, 7 + 1 + 3);
    assert_eq!(restored.event_count().unwrap(), 1);
}

#[test]
fn malformed_json_import_names_the_line() {
    let (_f, mut ws) = Fixture::new();
    let err = import(&mut ws, "{\n  \"format\": \"wisdomos-export\",\n  oops\n}", ImportFormat::Json).unwrap_err();
    assert!(matches!(err, Error::Import { ref location, .. } if location == "line 3"), "{err}");
    let err = import(&mut ws, r#"{"format":"something-else","version":1,"exportedAt":"2026-01-01T00:00:00Z","workspace":{"id":"x","name":"y"}}"#, ImportFormat::Json).unwrap_err();
    assert!(err.to_string().contains("not a WisdomOS export"), "{err}");
}

#[test]
fn jrnl_export_imports_with_area_tags_and_local_times() {
    let (_f, mut ws) = Fixture::new();
    let jrnl = r#"{"tags": {"@work": 1}, "entries": [
        {"title": "Long day at the office.", "body": "Too many meetings.", "date": "2026-02-01", "time": "18:30", "tags": ["@work", "@meetings"], "starred": false},
        {"title": "Quiet Sunday.", "body": "", "date": "2026-02-02", "time": "09:00", "tags": [], "starred": true}
    ]}"#;
    let r = import(&mut ws, jrnl, ImportFormat::Jrnl).unwrap();
    assert_eq!(r.events, 2);
    let work = ws.list_events(&EventFilter { area: Some("work".into()), ..Default::default() }).unwrap();
    assert_eq!(work.len(), 1);
    assert_eq!(work[0].tags, vec!["meetings", "work"]);
    assert_eq!(work[0].description, "Too many meetings.");
    let growth = ws.list_events(&EventFilter { area: Some("personal-growth".into()), ..Default::default() }).unwrap();
    assert_eq!(growth[0].kind, EventType::Milestone, "starred entries are milestones");
    let bad = jrnl.replace("2026-02-02", "2026-13-45");
    let err = import(&mut ws, &bad, ImportFormat::Jrnl).unwrap_err();
    assert!(matches!(err, Error::Import { ref location, .. } if location == "entries[1]"), "{err}");
    assert_eq!(ws.event_count().unwrap(), 2, "the failed import wrote nothing");
}

#[test]
fn markdown_export_reads_as_a_journal() {
    let (_f, mut ws) = Fixture::new();
    let mut e = event("family", EventType::Milestone, "Mum's 70th birthday", 4, t0(), &["celebration"]);
    e.narrative = Some("Everyone came.".into());
    ws.create_event(&e).unwrap();
    let mut md = Vec::new();
    ws.export_markdown(&mut md, &mut |_| {}).unwrap();
    let md = String::from_utf8(md).unwrap();
    assert!(md.starts_with("# Test Journal"));
    assert!(md.contains("### March 2026"));
    assert!(md.contains("#### 2026-03-10 — Mum's 70th birthday"));
    assert!(md.contains("*Family · MILESTONE · PERSONAL · POSITIVE · charge +4*"));
    assert!(md.contains("Everyone came."));
    assert!(md.contains("Tags: #celebration"));
}

#[test]
fn imported_events_are_searchable_and_a_failed_import_leaves_indexing_as_it_was() {
    let (_f, mut ws) = Fixture::new();
    let lines: String = (0..50)
        .map(|i| LINE.replace("Promoted", &format!("Kayaking trip {i}")).replace("Finally", "paddled the fjord") + "\n")
        .collect();
    assert_eq!(import(&mut ws, &lines, ImportFormat::JsonLines).unwrap().events, 50);
    assert_eq!(ws.search("fjord", 100).unwrap().len(), 50);
    ws.verify_search_index().unwrap();

    // A bad last line: nothing is written, and the deferral the import began is rolled back with it,
    // so an event recorded next is searchable at once.
    let bad = format!("{lines}{}\n", LINE.replace("\"work\"", "\"no-such-area\""));
    assert!(import(&mut ws, &bad, ImportFormat::JsonLines).is_err());
    assert_eq!(ws.search("fjord", 1000).unwrap().len(), 50);
    let e = ws.create_event(&event("work", EventType::Learning, "Glacier walk", 2, t0(), &[])).unwrap();
    assert_eq!(ws.search("glacier", 10).unwrap().len(), 1);
    let edit = serde_json::json!({"title": "Ice cave walk", "description": "Blue light"});
    ws.update_event(&e.event.id, &serde_json::from_value(edit).unwrap()).unwrap();
    assert!(ws.search("glacier", 10).unwrap().is_empty());
    ws.delete_event(&e.event.id).unwrap();
    assert!(ws.search("cave", 10).unwrap().is_empty());
    ws.verify_search_index().unwrap();
}
