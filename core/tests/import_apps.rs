//! Imports from other journal apps: Day One, Daylio, a folder of Markdown notes. What each entry
//! becomes, what the preview says, and that the same export imported twice adds nothing.

mod common;

use chrono::{TimeZone, Utc};
use common::apps::*;
use common::*;
use wisdom_core::model::*;
use wisdom_core::{ImportFormat, Workspace};

fn by_title(ws: &Workspace, title: &str) -> Event {
    let all = ws.list_events(&EventFilter::default()).unwrap();
    all.iter()
        .find(|e| e.title == title)
        .cloned()
        .unwrap_or_else(|| panic!("no event {title:?} among {:?}", all.iter().map(|e| &e.title).collect::<Vec<_>>()))
}

#[test]
fn day_one_zip_brings_every_journal_in_unescaped_filed_and_in_its_time_zone() {
    let (f, mut ws) = Fixture::new();
    let zip = dayone_zip(f.dir.path());
    let r = ws.import_path(&zip, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    // Five entries in Journal (one empty, left out) and two in Work.
    // The Fado photo is in the zip and attached; the HEIC one is not in the export.
    assert_eq!((r.events, r.already_present, r.media_pending, r.attachments), (6, 0, 1, 1));

    let fado = by_title(&ws, "Fado in Alfama 🎶");
    assert_eq!(
        fado.description,
        "We found a tiny place (no sign outside). The singer was 70+ and sang like it was her last night!\n\nWalked back up the hill at 1am - worth it."
    );
    assert_eq!(fado.occurred_at, Utc.with_ymd_and_hms(2025, 6, 14, 19, 42, 10).unwrap());
    assert_eq!(fado.kind, EventType::Milestone, "a star is a milestone");
    assert_eq!(fado.tags, ["music", "travel"]);
    assert_eq!(fado.life_area_id, "area_personal-growth", "nothing names an area: the default");

    let sleep = by_title(&ws, "Couldn't sleep again. Third night this week.");
    assert_eq!(sleep.description, "Mind racing about the reorg. Tried the 4-7-8 breathing *twice*.");
    // A photo and nothing else: titled by what it is and the day where it was taken.
    let photo = by_title(&ws, "Photo, 24 December 2025");
    assert_eq!(photo.description, "");
    // Tagged Family: the tag names the area. In a journal of several, each entry keeps its journal.
    assert_eq!(by_title(&ws, "Sunday lunch at Mum's. Everyone came, even Tio Rui.").life_area_id, "area_family");
    let shipped = by_title(&ws, "Shipped the importer!");
    assert_eq!(
        (shipped.life_area_id.as_str(), shipped.description.as_str()),
        ("area_work", "* 3 formats\n* 0 regressions")
    );
    assert_eq!(shipped.tags, ["work"]);
    ws.verify_search_index().unwrap();
}

#[test]
fn the_same_day_one_export_twice_adds_nothing_and_a_deleted_entry_stays_deleted() {
    let (f, mut ws) = Fixture::new();
    let zip = dayone_zip(f.dir.path());
    ws.import_path(&zip, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    let gone = by_title(&ws, "Review went badly. Need to prepare better for the Q4 plan.");
    ws.delete_event(&gone.id).unwrap();

    let backups = Workspace::backups_of(&f.path).unwrap().len();
    let again = ws.import_path(&zip, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    assert_eq!((again.events, again.already_present, again.media_pending), (0, 6, 0));
    assert_eq!(Workspace::backups_of(&f.path).unwrap().len(), backups, "nothing to write, nothing backed up");
    assert_eq!(ws.event_count().unwrap(), 5);
    let preview = ws.preview_import(&zip, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    assert_eq!((preview.found, preview.new, preview.already_present, preview.changed_since), (6, 0, 6, 0));
}

#[test]
fn another_device_that_imports_the_same_export_finds_the_synced_entries() {
    let (f, mut laptop) = Fixture::new();
    let zip = dayone_zip(f.dir.path());
    laptop.import_path(&zip, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    // The desktop has the laptop's entries with their ids (as sync brings them), not its import log.
    let mut json = Vec::new();
    laptop.export_json(&mut json, &mut |_| {}).unwrap();
    let (_g, mut desktop) = Fixture::new();
    let moved = std::io::Cursor::new(json);
    desktop.import(&mut std::io::BufReader::new(moved), &opts(ImportFormat::Json), &mut |_| {}).unwrap();

    let r = desktop.import_path(&zip, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    assert_eq!((r.events, r.already_present), (0, 6));
    assert_eq!(desktop.event_count().unwrap(), 6);
}

#[test]
fn day_one_preview_says_what_maps_where_and_what_waits_for_attachments_without_writing() {
    let (f, ws) = Fixture::new();
    let zip = dayone_zip(f.dir.path());
    let mut o = opts(ImportFormat::DayOne);
    o.rules.area_map = vec![("tag:travel".into(), "travel-adventure".into()), ("sleep".into(), "mental-health".into())];
    let p = ws.preview_import(&zip, &o, &mut |_| {}).unwrap();
    assert_eq!(ws.event_count().unwrap(), 0, "a preview writes nothing");
    assert_eq!((p.found, p.new, p.already_present), (6, 6, 0));
    assert_eq!(p.first, Some(Utc.with_ymd_and_hms(2025, 6, 14, 19, 42, 10).unwrap()));
    assert_eq!(p.last, Some(Utc.with_ymd_and_hms(2026, 1, 11, 13, 15, 0).unwrap()));
    assert_eq!(
        p.parts,
        [ImportPart { name: "Journal".into(), entries: 5 }, ImportPart { name: "Work".into(), entries: 2 }]
    );
    let area = |from: &str| {
        p.mappings
            .iter()
            .find(|m| m.target == MappingTarget::Area && m.from == from)
            .map(|m| (m.to.as_str(), m.entries, m.why.as_str()))
    };
    assert_eq!(area("tag:travel"), Some(("travel-adventure", 1, "your rule")));
    assert_eq!(area("tag:sleep"), Some(("mental-health", 1, "your rule")));
    assert_eq!(area("journal:Work"), Some(("work", 2, "names the area")));
    assert_eq!(area("tag:Family"), Some(("family", 1, "names the area")));
    assert_eq!(area("everything else"), Some(("personal-growth", 1, "default area (--area)")));
    assert!(p.mappings.iter().any(|m| m.target == MappingTarget::Type && m.from == "starred" && m.to == "MILESTONE"));

    let skipped = |what: &str| p.skipped.iter().filter(|s| s.what == what).cloned().collect::<Vec<_>>();
    // The photo in the zip will be attached: only the one missing from it is left out.
    let photos = skipped("photo");
    assert_eq!(photos.len(), 1, "{photos:?}");
    assert!(photos[0].reason.contains("missing from the export"));
    assert_eq!(photos[0].examples, ["photos/d41d8cd98f00b204e9800998ecf8427e.heic".to_string()]);
    assert_eq!(skipped("entry")[0].examples, ["Journal.json: entries[3]"]);
    assert_eq!(p.sample[0].title, "Fado in Alfama 🎶");
    assert_eq!(p.sample[0].life_area_id, "area_travel-adventure");
}

#[test]
fn a_bare_day_one_journal_file_imports_too() {
    let (f, mut ws) = Fixture::new();
    let file = write(&f.dir.path().join("Work.json"), DAYONE_WORK);
    let r = ws.import_path(&file, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap();
    assert_eq!(r.events, 2);
    // One journal: its name is not added as a tag.
    assert!(by_title(&ws, "Shipped the importer!").tags.is_empty());
}

#[test]
fn one_bad_entry_in_the_second_journal_leaves_the_first_unwritten_too() {
    let (f, mut ws) = Fixture::new();
    let work = DAYONE_WORK.replace("2025-09-03T16:00:00Z", "the third of September");
    let zip = zip(
        &f.dir.path().join("e.zip"),
        &[("Journal.json", DAYONE_JOURNAL.as_bytes()), ("Work.json", work.as_bytes())],
    );
    let err = ws.import_path(&zip, &opts(ImportFormat::DayOne), &mut |_| {}).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("Work.json: entries[1]: creationDate \"the third of September\""), "{text}");
    assert!(text.ends_with("(nothing was imported)"), "{text}");
    assert_eq!(ws.event_count().unwrap(), 0);
}

#[test]
fn daylio_moods_become_charges_activities_tags_and_notes_entries() {
    let (f, mut ws) = Fixture::new();
    let csv = write(&f.dir.path().join("daylio_export_2025_10_08.csv"), DAYLIO);
    ws.set_timezone("Europe/Lisbon").unwrap();
    let r = ws.import_path(&csv, &opts(ImportFormat::Daylio), &mut |_| {}).unwrap();
    assert_eq!(r.events, 5);

    let pizza = by_title(&ws, "Pizza night");
    assert_eq!(pizza.description, "Ana, Rui and me. We argued about \"Dune\" for an hour,\nthen watched it anyway.");
    assert_eq!((pizza.emotional_charge, pizza.tone), (4, EventTone::Positive));
    assert_eq!(pizza.tags, ["friends", "good meal", "movies"]);
    // 6:50 pm in Lisbon (UTC+1 in October).
    assert_eq!(pizza.occurred_at, Utc.with_ymd_and_hms(2025, 10, 4, 17, 50, 0).unwrap());
    // No note: titled from its mood and activities.
    let quiet = by_title(&ws, "Meh: sleep early, reading");
    assert_eq!((quiet.emotional_charge, quiet.description.as_str()), (0, ""));
    assert_eq!(by_title(&ws, "Mum called 🎉").emotional_charge, 3, "a custom mood read from its words");
    assert_eq!(by_title(&ws, "Mum called 🎉").life_area_id, "area_family", "the activity names the area");
    assert_eq!(by_title(&ws, "Argued with my manager & left early.").emotional_charge, -2);
    assert_eq!(by_title(&ws, "Deadline week, no energy.").emotional_charge, 0, "unknown mood: no charge");

    let again = ws.import_path(&csv, &opts(ImportFormat::Daylio), &mut |_| {}).unwrap();
    assert_eq!((again.events, again.already_present), (0, 5));
    // The person edits a note in Daylio and exports again: it is found, and said to have changed.
    let edited = write(&csv, &DAYLIO.replace("no energy", "no energy at all"));
    let p = ws.preview_import(&edited, &opts(ImportFormat::Daylio), &mut |_| {}).unwrap();
    assert_eq!((p.new, p.already_present, p.changed_since), (0, 5, 1));
}

#[test]
fn daylio_preview_names_unknown_moods_and_the_persons_own_charges_win() {
    let (f, ws) = Fixture::new();
    let csv = write(&f.dir.path().join("daylio.csv"), DAYLIO);
    let p = ws.preview_import(&csv, &opts(ImportFormat::Daylio), &mut |_| {}).unwrap();
    let zonked = p.mappings.iter().find(|m| m.from == "mood:Zonked").unwrap();
    assert_eq!((zonked.target, zonked.to.as_str()), (MappingTarget::Charge, "+0"));
    assert!(zonked.why.starts_with("unknown custom mood"), "{}", zonked.why);
    assert!(p
        .mappings
        .iter()
        .any(|m| m.from == "activity:good meal" && m.to == "good meal" && m.target == MappingTarget::Tag));
    assert_eq!(p.skipped.iter().find(|s| s.what == "scale").map(|s| s.count), Some(1));

    let mut o = opts(ImportFormat::Daylio);
    o.rules.moods = vec![("zonked".into(), -3)];
    let p = ws.preview_import(&csv, &o, &mut |_| {}).unwrap();
    let zonked = p.mappings.iter().find(|m| m.from == "mood:Zonked").unwrap();
    assert_eq!((zonked.to.as_str(), zonked.why.as_str()), ("-3", "--mood"));
}

#[test]
fn an_older_daylio_export_without_titles_or_scales_reads() {
    let (f, mut ws) = Fixture::new();
    let csv = write(
        &f.dir.path().join("old.csv"),
        "full_date,date,weekday,time,mood,activities,note\r\n2019-05-01,May 1,Wednesday,07:45,good,gym,\"Leg day, finally.\"\r\n",
    );
    assert_eq!(ws.import_path(&csv, &opts(ImportFormat::Daylio), &mut |_| {}).unwrap().events, 1);
    assert_eq!(by_title(&ws, "Leg day, finally.").tags, ["gym"]);
}

#[test]
fn a_markdown_vault_gives_one_entry_per_note_or_timed_heading_and_lists_what_it_left() {
    let (f, mut ws) = Fixture::new();
    ws.set_timezone("Europe/London").unwrap();
    let vault = vault(f.dir.path());
    let p = ws.preview_import(&vault, &opts(ImportFormat::Markdown), &mut |_| {}).unwrap();
    assert_eq!(p.new, 5);
    let skipped: Vec<(&str, Vec<String>)> = p.skipped.iter().map(|s| (s.what.as_str(), s.examples.clone())).collect();
    assert!(skipped.contains(&("folder", vec![".obsidian".into()])), "{skipped:?}");
    assert!(skipped.contains(&("file", vec!["Daily/cake.jpg".into()])), "{skipped:?}");
    assert!(skipped.contains(&("note", vec!["Notes/Ideas.md".into()])), "{skipped:?}");
    assert!(!skipped.iter().any(|(what, _)| *what == "image"), "the embedded photo is attached: {skipped:?}");

    let r = ws.import_path(&vault, &opts(ImportFormat::Markdown), &mut |_| {}).unwrap();
    assert_eq!((r.events, r.media_pending, r.attachments), (5, 0, 1));
    let friday = by_title(&ws, "Friday");
    assert_eq!(friday.tags, ["health", "running"]);
    assert_eq!(friday.occurred_at, Utc.with_ymd_and_hms(2025, 8, 1, 11, 0, 0).unwrap(), "noon in London (BST)");
    let run = by_title(&ws, "Run by the river");
    assert_eq!(run.occurred_at, Utc.with_ymd_and_hms(2025, 8, 2, 6, 10, 0).unwrap());
    assert_eq!(run.description, "Felt strong, negative splits. #running");
    assert_eq!(by_title(&ws, "Call with Mum").occurred_at, Utc.with_ymd_and_hms(2025, 8, 2, 20, 30, 0).unwrap());
    // A Logseq outline: the bullet and the link's brackets are not part of the title.
    let walk = by_title(&ws, "Long walk with Ana along the coast #nature");
    assert_eq!(walk.description, "- Ate sardines");
    assert_eq!(walk.tags, ["nature"]);
    let party = by_title(&ws, "Grandma's 90th");
    assert_eq!(
        (party.life_area_id.as_str(), party.kind, party.emotional_charge),
        ("area_family", EventType::Milestone, 4)
    );
    assert_eq!(party.description, "The whole family in one garden.");
    assert_eq!(party.occurred_at, Utc.with_ymd_and_hms(2025, 8, 4, 17, 30, 0).unwrap());

    let again = ws.import_path(&vault, &opts(ImportFormat::Markdown), &mut |_| {}).unwrap();
    assert_eq!((again.events, again.already_present), (0, 5));
}

#[test]
fn one_note_imports_by_itself_with_the_same_ids_as_from_its_folder() {
    let (f, mut ws) = Fixture::new();
    let vault = vault(f.dir.path());
    let r = ws.import_path(&vault.join("Daily/2025-08-02.md"), &opts(ImportFormat::Markdown), &mut |_| {}).unwrap();
    assert_eq!(r.events, 2);
    let r = ws.import_path(&vault, &opts(ImportFormat::Markdown), &mut |_| {}).unwrap();
    assert_eq!((r.events, r.already_present), (3, 2));
}

/// Eight read entries, four of running and four of money trouble, for suggestions to learn from.
fn journal_with_read_entries(ws: &mut Workspace) {
    let model = wisdom_core::meaning::language_model().expect("the language model (run scripts/test)");
    let earlier = [
        ("physical-health", EventType::Progress, 3, "Ran 10k along the canal"),
        ("physical-health", EventType::Progress, 3, "Morning jog, legs felt light"),
        ("physical-health", EventType::Progress, 3, "Half marathon training run"),
        ("physical-health", EventType::Progress, 3, "Interval sprints at the track"),
        ("finance", EventType::Setback, -3, "Overdraft again before payday"),
        ("finance", EventType::Setback, -3, "Credit card bill made me panic"),
        ("finance", EventType::Setback, -3, "Spent too much on takeaways"),
        ("finance", EventType::Setback, -3, "Savings gone on the car repair"),
    ];
    for (i, (area, kind, charge, title)) in earlier.into_iter().enumerate() {
        ws.create_event(&event(area, kind, title, charge, t0() - chrono::Duration::days(i as i64), &[])).unwrap();
    }
    ws.embed_backlog(&model, &mut |_| {}).unwrap();
}

#[test]
fn entries_nothing_files_take_the_area_and_type_of_the_persons_similar_entries() {
    let (f, mut ws) = Fixture::new();
    journal_with_read_entries(&mut ws);
    let csv = write(
        &f.dir.path().join("daylio.csv"),
        "full_date,date,weekday,time,mood,activities,note_title,note\n\
         2026-02-01,February 1,Sunday,7:10 am,good,,,Jogged five miles before breakfast\n\
         2026-02-02,February 2,Monday,9:40 pm,awful,,,Worried about paying the rent this month\n",
    );
    let o = wisdom_core::ImportOptions::new(ImportFormat::Daylio);
    let p = ws.preview_import(&csv, &o, &mut |_| {}).unwrap();
    let suggested: Vec<(&str, u64)> = p
        .mappings
        .iter()
        .filter(|m| m.target == MappingTarget::Area && m.why == "suggested from your similar entries")
        .map(|m| (m.to.as_str(), m.entries))
        .collect();
    assert_eq!(suggested, [("finance", 1), ("physical-health", 1)]);
    ws.import_path(&csv, &o, &mut |_| {}).unwrap();
    let jog = by_title(&ws, "Jogged five miles before breakfast");
    assert_eq!(
        (jog.life_area_id.as_str(), jog.kind, jog.tone),
        ("area_physical-health", EventType::Progress, EventTone::Positive)
    );
    let rent = by_title(&ws, "Worried about paying the rent this month");
    // The mood, not the neighbours, sets the tone.
    assert_eq!(
        (rent.life_area_id.as_str(), rent.kind, rent.tone, rent.emotional_charge),
        ("area_finance", EventType::Setback, EventTone::Negative, -4)
    );
}

#[test]
fn a_large_import_leaves_the_model_alone_unless_asked_and_says_why() {
    let (f, mut ws) = Fixture::new();
    journal_with_read_entries(&mut ws);
    let mut csv = String::from("full_date,date,weekday,time,mood,activities,note_title,note\n");
    let day = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    for i in 0..1_001 {
        let d = day + chrono::Duration::days(i);
        csv.push_str(&format!("{d},x,x,8:00 pm,good,,,Day {i} went fine\n"));
    }
    let csv = write(&f.dir.path().join("years.csv"), &csv);
    let started = std::time::Instant::now();
    let p = ws.preview_import(&csv, &wisdom_core::ImportOptions::new(ImportFormat::Daylio), &mut |_| {}).unwrap();
    let area = p.mappings.iter().find(|m| m.target == MappingTarget::Area).unwrap();
    assert_eq!((area.to.as_str(), area.entries), ("personal-growth", 1_001));
    assert!(area.why.contains("1001 entries are more than the language model is asked about"), "{}", area.why);
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "the model was not asked 1001 times");
}
