//! The language model inside a real encrypted workspace: vectors computed off the write path,
//! kept in step with edits and deletes, recurring situations found by meaning, search by meaning.
//! Needs the model files (scripts/test fetches them).

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use wisdom_core::meaning::language_model;
use wisdom_core::model::*;
use wisdom_core::{ImportFormat, ImportOptions};

fn add(
    ws: &mut wisdom_core::Workspace,
    area: &str,
    kind: EventType,
    title: &str,
    charge: i64,
    days_ago: i64,
) -> String {
    let mut e = event(area, kind, title, charge, t0() - Duration::days(days_ago), &[]);
    e.description = String::new();
    ws.create_event(&e).unwrap().event.id
}

#[test]
fn vectors_are_computed_off_the_write_path_and_follow_edits_and_deletes() {
    let (_f, mut ws) = Fixture::new();
    let model = language_model().expect("the language model (run scripts/test)");
    let a = add(&mut ws, "work", EventType::Upset, "Supervisor dismissed my proposal in front of everyone", -3, 3);
    let b = add(&mut ws, "family", EventType::Progress, "Long call with dad about his garden", 2, 2);
    // Recording an event computes nothing: the insert stays cheap.
    let s = ws.meaning_status().unwrap();
    assert_eq!((s.embedded, s.total), (0, 2));
    assert_eq!(ws.embed_backlog(&model, &mut |_| {}).unwrap(), 2);
    assert!(ws.meaning_status().unwrap().is_complete());
    // An edit of the text drops the vector; an edit of the charge does not.
    ws.update_event(&a, &EventPatch { emotional_charge: Some(-4), ..Default::default() }).unwrap();
    assert!(ws.meaning_status().unwrap().is_complete());
    ws.update_event(
        &a,
        &EventPatch { title: Some("My boss criticised my plan at the meeting".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!(ws.meaning_status().unwrap().embedded, 1);
    ws.delete_event(&b).unwrap();
    let s = ws.meaning_status().unwrap();
    assert_eq!((s.embedded, s.total), (0, 1));
    assert_eq!(ws.embed_backlog(&model, &mut |_| {}).unwrap(), 1);
}

#[test]
fn search_by_meaning_finds_a_paraphrase_without_a_shared_word() {
    let (_f, mut ws) = Fixture::new();
    let target = add(&mut ws, "work", EventType::Upset, "Supervisor dismissed my proposal in front of everyone", -3, 5);
    for (i, t) in [
        "Conference call with the partner company",
        "Bought groceries and cooked pasta",
        "Long run by the river",
        "Phone call with Sam about his new job",
        "Repainted the hallway",
        "Dentist appointment, all fine",
    ]
    .iter()
    .enumerate()
    {
        add(&mut ws, "hobbies-play", EventType::Progress, t, 1, i as i64);
    }
    let model = language_model().unwrap();
    ws.embed_backlog(&model, &mut |_| {}).unwrap();
    // No word in common with the entry: keyword search finds nothing, meaning finds it first.
    assert!(ws.search("boss criticised me", 5).unwrap().is_empty());
    let hits = ws.search_by_meaning("boss criticised me", 5).unwrap();
    assert_eq!(hits[0].id, target, "{hits:?}");
    assert!(hits[0].score > hits[1].score);
    assert!(ws.search_by_meaning("  ?! ", 5).is_err());
}

/// Five upsets with the boss told in different words over two months, among everyday work entries
/// that share words with them but not their meaning. Returns the upsets' ids.
fn boss_at_work(ws: &mut wisdom_core::Workspace) -> Vec<String> {
    let ids = BOSS.iter().map(|(t, d)| add(ws, "work", EventType::Upset, t, -3, *d)).collect();
    let everyday = [
        "Team lunch at the new ramen place",
        "Finished the report a day early",
        "Coffee with my manager's assistant",
        "Conference call with the partner company",
        "Booked the standup comedy tickets",
        "Planning meeting for the summer party",
        "Printer jammed again",
        "New monitor at my desk",
        "Wrote the weekly update",
        "Quiet day, cleared my inbox",
    ];
    for (i, t) in everyday.iter().enumerate() {
        add(ws, "work", EventType::Progress, t, 1, (i as i64 * 6) % 80);
    }
    ids
}

const BOSS: [(&str, i64); 5] = [
    ("My boss snapped at me in the standup", 60),
    ("Supervisor dismissed my proposal in front of everyone", 45),
    ("Got chewed out by my manager over the report", 30),
    ("Manager criticised my work in the team meeting again", 16),
    ("boss belittled me in front of the client", 4),
];

fn recurring(ws: &wisdom_core::Workspace) -> Vec<Insight> {
    let all = InsightFilter { include_dismissed: true, ..Default::default() };
    ws.list_insights(&all).unwrap().into_iter().filter(|i| i.title.starts_with("Recurring: ")).collect()
}

#[test]
fn a_recurring_situation_is_named_in_the_persons_words_and_kept_once() {
    let (f, mut ws) = Fixture::new();
    let boss = BOSS;
    let ids = boss_at_work(&mut ws);
    let r = ws.detect_patterns().unwrap();
    assert_eq!(r.engine, wisdom_model::PatternEngine::Meaning);
    let found: Vec<&Insight> = r.insights.iter().filter(|i| i.title.starts_with("Recurring: ")).collect();
    assert_eq!(found.len(), 1, "{:#?}", r.insights);
    let s = found[0];
    let typical = s.title.trim_start_matches("Recurring: ").to_lowercase();
    assert!(boss.iter().any(|(t, _)| t.to_lowercase().starts_with(&typical)), "{}", s.title);
    let mut got = s.related_events.clone();
    got.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(got, want, "{}", s.description);
    assert!(s.description.starts_with("5 times in "), "{}", s.description);
    assert!(s.description.contains("average charge -3.0"), "{}", s.description);
    // Run again, and again after reopening: updated in place, never duplicated.
    let again = ws.detect_patterns().unwrap();
    assert_eq!((again.created, again.unchanged), (0, 1));
    drop(ws);
    let mut ws = f.reopen();
    assert_eq!(ws.detect_patterns().unwrap().created, 0);
    assert_eq!(recurring(&ws).len(), 1);
}

/// Files three of the five upsets under other areas, so the engine no longer sees one situation.
fn scatter(ws: &mut wisdom_core::Workspace, ids: &[String]) {
    for (id, area) in ids.iter().zip(["family", "finance", "friendships"]) {
        ws.update_event(id, &EventPatch { life_area: Some(area.into()), ..Default::default() }).unwrap();
    }
}

#[test]
fn a_pattern_no_longer_found_is_retired_unless_the_person_acted_on_it() {
    for acted in ["nothing", "applied", "dismissed"] {
        let (_f, mut ws) = Fixture::new();
        let ids = boss_at_work(&mut ws);
        assert_eq!(ws.detect_patterns().unwrap().created, 1);
        let found = recurring(&ws).remove(0);
        match acted {
            "applied" => drop(ws.apply_insight(&found.id).unwrap()),
            "dismissed" => drop(ws.dismiss_insight(&found.id).unwrap()),
            _ => {}
        }
        scatter(&mut ws, &ids);
        let r = ws.detect_patterns().unwrap();
        let left: Vec<String> = recurring(&ws).into_iter().map(|i| i.id).collect();
        if acted == "nothing" {
            assert_eq!((r.retired, left.len()), (1, 0), "{acted}: {r:?}");
        } else {
            assert_eq!((r.retired, left), (0, vec![found.id.clone()]), "{acted}");
        }
    }
}

#[test]
fn recurring_situations_wait_for_the_model_to_read_an_import_then_are_found() {
    let (_f, mut ws) = Fixture::new();
    let journal = wisdom_core::corpus::written_journal(3, t0());
    let lines: Vec<String> = journal.entries.iter().map(|e| serde_json::to_string(&e.event).unwrap()).collect();
    let opts = ImportOptions::new(ImportFormat::JsonLines);
    ws.import(&mut lines.join("\n").as_bytes(), &opts, &mut |_| {}).unwrap();
    // Too much unread to read on the spot: no keyword guesses that the reading would retire.
    let r = ws.detect_patterns().unwrap();
    assert_eq!(r.engine, wisdom_model::PatternEngine::Reading);
    assert!(r.notice.is_some() && recurring(&ws).is_empty(), "{r:?}");
    assert_eq!(ws.detect_patterns_after_reading().unwrap(), None, "nothing read yet");
    ws.embed_backlog(&language_model().unwrap(), &mut |_| {}).unwrap();
    let r = ws.detect_patterns_after_reading().unwrap().expect("a run after the reading");
    assert_eq!(r.engine, wisdom_model::PatternEngine::Meaning);
    assert!(r.created >= 2 && recurring(&ws).len() == r.created, "{r:?}");
    assert_eq!(ws.detect_patterns_after_reading().unwrap(), None, "once is enough");
}

#[test]
fn an_imported_journal_from_years_ago_gets_its_situations_once_each() {
    let (_f, mut ws) = Fixture::new();
    // Ninety days that ended two years before today: outside the daily run's window, and across
    // several of the half-overlapping windows a whole-journal run looks through.
    let journal = wisdom_core::corpus::written_journal(6, t0() - Duration::days(730));
    let lines: Vec<String> = journal.entries.iter().map(|e| serde_json::to_string(&e.event).unwrap()).collect();
    let opts = ImportOptions::new(ImportFormat::JsonLines);
    ws.import(&mut lines.join("\n").as_bytes(), &opts, &mut |_| {}).unwrap();
    ws.embed_backlog(&language_model().unwrap(), &mut |_| {}).unwrap();
    let r = ws.detect_patterns_after_reading().unwrap().expect("a run after the reading");
    let found = recurring(&ws);
    assert!(found.len() >= 4, "{r:?}");
    // One insight per situation: no two share more than one entry.
    for (a, x) in found.iter().enumerate() {
        for y in &found[a + 1..] {
            let shared = x.related_events.iter().filter(|e| y.related_events.contains(e)).count();
            assert!(shared <= 1, "{:?} and {:?} share {shared} entries", x.title, y.title);
        }
    }
}

#[test]
fn a_burst_within_one_week_is_an_episode_not_a_pattern() {
    let (_f, mut ws) = Fixture::new();
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap(); // a Monday
    for (i, t) in [
        "Flight delayed three hours",
        "Airline lost my suitcase",
        "Still no luggage, bought a toothbrush",
        "Bag finally delivered to the hotel",
    ]
    .iter()
    .enumerate()
    {
        let mut e = event("travel-adventure", EventType::Setback, t, -3, at + Duration::days(i as i64), &[]);
        e.description = String::new();
        ws.create_event(&e).unwrap();
    }
    let r = ws.detect_patterns().unwrap();
    assert!(r.insights.iter().all(|i| !i.title.starts_with("Recurring: ")), "{:#?}", r.insights);
}

#[test]
fn a_new_entry_gets_the_area_type_and_tone_of_the_entries_it_resembles() {
    let (_f, mut ws) = Fixture::new();
    let model = language_model().unwrap();
    assert_eq!(ws.suggest_for_text("Went for a long run").unwrap(), None, "nothing read yet");
    for (i, t) in [
        "Ran 10k along the canal",
        "Morning jog, legs felt light",
        "Half marathon training run",
        "Interval sprints at the track",
    ]
    .iter()
    .enumerate()
    {
        add(&mut ws, "physical-health", EventType::Progress, t, 3, i as i64);
    }
    for (i, t) in [
        "Overdraft again before payday",
        "Credit card bill made me panic",
        "Spent too much on takeaways",
        "Savings gone on the car repair",
    ]
    .iter()
    .enumerate()
    {
        add(&mut ws, "finance", EventType::Setback, t, -3, i as i64);
    }
    ws.embed_backlog(&model, &mut |_| {}).unwrap();
    let s = ws.suggest_for_text("Jogged five miles before breakfast").unwrap().unwrap();
    assert_eq!(
        (s.life_area_id.as_str(), s.kind, s.tone),
        ("area_physical-health", EventType::Progress, EventTone::Positive)
    );
    let s = ws.suggest_for_text("Worried about paying the rent this month").unwrap().unwrap();
    assert_eq!((s.life_area_id.as_str(), s.kind), ("area_finance", EventType::Setback));
    assert!(s.confidence > 0.5 && s.based_on == 8, "{s:?}");
}

/// The gate: for one paraphrased query per planted situation, at least 4 of the top 5
/// results belong to it. Measured on seeds 1-10 of the written corpus this is not met yet: 31 of
/// 80 situations (24 before the area feedback), 2.92 of 5 on average; most of the others get 2-3
/// of 5, the rest being everyday entries of the same kind. This floor keeps it from sliding back
/// and prints the figure.
#[test]
fn search_by_meaning_on_journals_written_as_people_write() {
    let model = language_model().unwrap();
    // Per query set (each situation's first, second and third way of asking): queries, queries
    // with 4 of the top 5 from the situation, and entries of it in the top 5 in all.
    let mut tally = [(0usize, 0usize, 0usize); 3];
    for seed in 1..=10 {
        let (_f, mut ws) = Fixture::new();
        let journal = wisdom_core::corpus::written_journal(seed, t0());
        let mut ids = Vec::new();
        for e in &journal.entries {
            ids.push((ws.create_event(&e.event).unwrap().event.id, e.situation));
        }
        ws.embed_backlog(&model, &mut |_| {}).unwrap();
        // As the journal is once its daily run has looked for recurring situations.
        ws.detect_patterns().unwrap();
        for &s in &journal.situations {
            for (set, query) in wisdom_core::corpus::SITUATIONS[s].queries.iter().enumerate() {
                let hits = ws.search_by_meaning(query, 5).unwrap();
                let good = hits.iter().filter(|h| ids.iter().any(|(id, sit)| *id == h.id && *sit == Some(s))).count();
                let t = &mut tally[set];
                (t.0, t.1, t.2) = (t.0 + 1, t.1 + usize::from(good >= 4), t.2 + good);
            }
        }
    }
    for (set, (queries, met, in_top5)) in tally.iter().enumerate() {
        let mean = *in_top5 as f64 / *queries as f64;
        println!(
            "search by meaning, query {}: {met} of {queries} with 4 of the top 5; {mean:.2} of 5 on average",
            set + 1
        );
    }
    // The gate is every situation (80 of 80); these floors keep what is reached.
    let (queries, met, in_top5) = tally[0];
    let mean = in_top5 as f64 / queries as f64;
    assert!(mean >= 3.2 && met * 20 >= queries * 11, "{met} of {queries}, mean {mean:.2}");
}
