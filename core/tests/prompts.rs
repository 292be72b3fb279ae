//! The prompts the person shapes, on a real workspace: their own join the choice, hidden ones are
//! never offered, edits show in their words, and the choice stays the same for a day and a journal.

mod common;

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use common::*;
use wisdom_core::model::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn own(text: &str, area: Option<&str>, weekly: bool) -> NewPrompt {
    NewPrompt { text: text.into(), area: area.map(str::to_string), weekly }
}

#[test]
fn the_choice_is_the_same_for_a_day_and_a_journal_and_survives_a_reopen() {
    let (f, mut ws) = Fixture::new();
    ws.create_event(&event("work", EventType::Progress, "A good day", 2, t0(), &[])).unwrap();
    ws.add_prompt(&own("What did the garden teach you?", Some("nature"), false)).unwrap();
    let days: Vec<NaiveDate> = (0..60).map(|i| day(2026, 3, 1) + Duration::days(i)).collect();
    let first: Vec<DailyPrompt> = days.iter().map(|d| ws.prompt_for(*d).unwrap()).collect();
    let again: Vec<DailyPrompt> = days.iter().map(|d| ws.prompt_for(*d).unwrap()).collect();
    assert_eq!(first, again);
    drop(ws);
    let ws = f.reopen();
    let reopened: Vec<DailyPrompt> = days.iter().map(|d| ws.prompt_for(*d).unwrap()).collect();
    assert_eq!(first, reopened);
}

#[test]
fn hidden_prompts_are_never_offered_and_own_prompts_are() {
    let (_f, mut ws) = Fixture::new();
    // Hide two prompts of every kind; add daily, weekly and area prompts of the person's own.
    for id in ["daily-1", "daily-2", "weekly-1", "weekly-3", "work-1", "family-2"] {
        assert!(ws.set_prompt_hidden(id, true).unwrap().hidden);
    }
    let mine = [
        ws.add_prompt(&own("What made me laugh today?", None, false)).unwrap(),
        ws.add_prompt(&own("Which promise to myself did I keep this week?", None, true)).unwrap(),
        ws.add_prompt(&own("What did I build this week that I am proud of?", Some("work"), false)).unwrap(),
    ];
    assert!(mine.iter().all(|p| p.own && p.id.starts_with("prm_")));
    assert_eq!(mine[1].scope, PromptScope::Weekly);
    assert_eq!((mine[2].scope, mine[2].area.as_deref()), (PromptScope::Area, Some("work")));
    let hidden: HashSet<&str> = ["daily-1", "daily-2", "weekly-1", "weekly-3", "work-1", "family-2"].into();
    let mut offered = HashSet::new();
    let mut shown = Vec::new();
    for i in 0..730 {
        let p = ws.prompt_for(day(2026, 1, 1) + Duration::days(i)).unwrap();
        assert!(!hidden.contains(p.id.as_str()), "{} was hidden", p.id);
        offered.insert(p.id.clone());
        shown.push(p.id);
    }
    for p in &mine {
        assert!(offered.contains(&p.id), "{} never offered", p.text);
    }
    // Still never twice in a week.
    for w in shown.windows(7) {
        assert_eq!(w.iter().collect::<HashSet<_>>().len(), 7, "{w:?}");
    }
    // The person's own can be hidden and edited too.
    let hidden_own = ws.set_prompt_hidden(&mine[0].id, true).unwrap();
    assert!(hidden_own.hidden && hidden_own.own);
    assert_eq!(ws.edit_prompt(&mine[0].id, "What made me smile today?").unwrap().text, "What made me smile today?");
    assert!((0..730).all(|i| ws.prompt_for(day(2026, 1, 1) + Duration::days(i)).unwrap().id != mine[0].id));
    // Shown again, it can be offered again.
    ws.set_prompt_hidden("daily-1", false).unwrap();
    let back = (0..730).any(|i| ws.prompt_for(day(2026, 1, 1) + Duration::days(i)).unwrap().id == "daily-1");
    assert!(back);
}

#[test]
fn an_edited_library_prompt_is_offered_in_the_persons_words_and_can_go_back() {
    let (_f, mut ws) = Fixture::new();
    let original = ws.prompt("daily-8").unwrap().text;
    let edited = ws.edit_prompt("daily-8", "If today were a chapter, what would it be called?").unwrap();
    assert!(edited.edited && !edited.own);
    let offered: Vec<DailyPrompt> = (0..70)
        .map(|i| ws.prompt_for(day(2026, 1, 1) + Duration::days(i)).unwrap())
        .filter(|p| p.id == "daily-8")
        .collect();
    assert!(!offered.is_empty());
    assert!(offered.iter().all(|p| p.text.starts_with("If today were a chapter")));
    // The library's words again: nothing of the person's is left for it.
    let back = ws.edit_prompt("daily-8", &original).unwrap();
    assert!(!back.edited);
    assert!(ws.export_document().unwrap().prompts.is_empty());
    // Errors a person can act on.
    assert!(matches!(ws.edit_prompt("nope-1", "Some words here?"), Err(wisdom_core::Error::NotFound { .. })));
    assert!(ws.add_prompt(&own("   ", None, false)).is_err());
}

#[test]
fn every_prompt_hidden_leaves_an_open_page() {
    let (_f, mut ws) = Fixture::new();
    let ids: Vec<String> = ws.prompts().unwrap().into_iter().map(|p| p.id).collect();
    for id in &ids {
        ws.set_prompt_hidden(id, true).unwrap();
    }
    for i in 0..14 {
        let p = ws.prompt_for(day(2026, 1, 1) + Duration::days(i)).unwrap();
        assert_eq!(p.id, "open-page");
    }
}

#[test]
fn templates_and_shaped_prompts_are_exported() {
    let (_f, mut ws) = Fixture::new();
    ws.save_template(&NewTemplate { name: "evening".into(), title: "Evening, {weekday}".into(), ..Default::default() })
        .unwrap();
    ws.add_prompt(&own("What did I learn from a stranger?", None, false)).unwrap();
    ws.set_prompt_hidden("weekly-2", true).unwrap();
    let doc = ws.export_document().unwrap();
    assert_eq!(doc.templates.len(), 1);
    let ids: Vec<&str> = doc.prompts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"weekly-2"));
    let mut md = Vec::new();
    ws.export_markdown(&mut md, &mut |_| {}).unwrap();
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("## My prompts") && md.contains("What did I learn from a stranger?"));
    assert!(md.contains("### evening: Evening, {weekday}"));
}
