//! Recording a life: events, links between records, filters, search, scores and the dashboard.

mod common;

use chrono::Duration;
use common::*;
use wisdom_core::model::*;
use wisdom_core::Error;

#[test]
fn creating_an_event_returns_it_with_the_new_score() {
    let (_f, mut ws) = Fixture::new();
    let mut new = event("work", EventType::Breakthrough, "Got promoted", 5, t0(), &["#Career", "growth"]);
    new.narrative = Some("Full story".into());
    let created = ws.create_event(&new).unwrap();
    assert_eq!(created.event.title, "Got promoted");
    assert_eq!(created.event.tags, vec!["career", "growth"]);
    assert_eq!(created.event.life_area_id, "area_work");
    assert!(created.updated_score > 65.0, "{}", created.updated_score);
    assert_eq!(ws.life_area("work").unwrap().current_score, created.updated_score);
    let json = serde_json::to_value(&created).unwrap();
    for key in ["event", "updatedScore", "suggestedInsights"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    for key in [
        "id",
        "lifeAreaId",
        "type",
        "category",
        "tone",
        "title",
        "description",
        "narrative",
        "occurredAt",
        "emotionalCharge",
        "tags",
    ] {
        assert!(json["event"].get(key).is_some(), "missing event.{key}");
    }
}

#[test]
fn bad_values_are_refused_with_the_field_named_and_nothing_written() {
    let (_f, mut ws) = Fixture::new();
    let cases: Vec<(NewEvent, &str)> = vec![
        (event("work", EventType::Progress, "x", 6, t0(), &[]), "emotionalCharge"),
        (event("work", EventType::Progress, "  ", 1, t0(), &[]), "title"),
        (event("work", EventType::Progress, &"long ".repeat(50), 1, t0(), &[]), "title"),
        (event("work", EventType::Progress, "future", 1, t0() + Duration::days(3), &[]), "occurredAt"),
        (event("work", EventType::Progress, "tags", 1, t0(), &["a,b"]), "tags"),
    ];
    for (new, field) in cases {
        match ws.create_event(&new) {
            Err(Error::Invalid(i)) => assert_eq!(i.field, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    let unknown = ws.create_event(&event("gardening", EventType::Progress, "x", 1, t0(), &[]));
    assert!(matches!(unknown, Err(Error::NotFound { entity: "life area", .. })));
    let mut huge = event("work", EventType::Progress, "big", 1, t0(), &[]);
    huge.narrative = Some("x".repeat(Limits::NARRATIVE + 1));
    assert!(matches!(ws.create_event(&huge), Err(Error::Invalid(ref i)) if i.field == "narrative"));
    assert_eq!(ws.event_count().unwrap(), 0);
    assert_eq!(ws.life_area("work").unwrap().current_score, 50.0);
}

#[test]
fn events_filter_by_area_type_tone_tag_dates_and_text() {
    let (_f, mut ws) = Fixture::new();
    let d = |n: i64| t0() - Duration::days(n);
    ws.create_event(&event("work", EventType::Upset, "Late night deploy", -3, d(1), &["overwork"])).unwrap();
    ws.create_event(&event("work", EventType::Progress, "Shipped the search feature", 3, d(5), &["launch"])).unwrap();
    ws.create_event(&event("family", EventType::Upset, "Argument at dinner", -2, d(10), &["overwork"])).unwrap();
    ws.create_event(&event("nature", EventType::Learning, "Walked in the forest", 2, d(40), &[])).unwrap();
    let titles = |f: EventFilter| -> Vec<String> { ws.list_events(&f).unwrap().into_iter().map(|e| e.title).collect() };
    assert_eq!(titles(EventFilter::default()).len(), 4);
    assert_eq!(titles(EventFilter::default())[0], "Late night deploy", "newest first");
    assert_eq!(titles(EventFilter { area: Some("work".into()), ..Default::default() }).len(), 2);
    assert_eq!(titles(EventFilter { kind: Some(EventType::Upset), ..Default::default() }).len(), 2);
    assert_eq!(titles(EventFilter { tone: Some(EventTone::Positive), ..Default::default() }).len(), 2);
    assert_eq!(
        titles(EventFilter { tag: Some("#Overwork".into()), ..Default::default() }),
        vec!["Late night deploy", "Argument at dinner"]
    );
    assert_eq!(
        titles(EventFilter { from: Some(d(6)), to: Some(d(2)), ..Default::default() }),
        vec!["Shipped the search feature"]
    );
    assert_eq!(
        titles(EventFilter { text: Some("forests".into()), ..Default::default() }),
        vec!["Walked in the forest"],
        "stemmed"
    );
    assert_eq!(
        titles(EventFilter { limit: Some(1), offset: Some(1), ..Default::default() }),
        vec!["Shipped the search feature"]
    );
    let combined = EventFilter {
        area: Some("work".into()),
        tag: Some("overwork".into()),
        kind: Some(EventType::Upset),
        ..Default::default()
    };
    assert_eq!(titles(combined), vec!["Late night deploy"]);
}

/// A common tag is listed by walking the newest events, a rare one by fetching its events: both
/// give the same newest-first page as filtering everything, whatever the limit and offset.
#[test]
fn a_tag_listing_is_the_same_whether_the_tag_is_common_or_rare() {
    let (_f, mut ws) = Fixture::new();
    let events: Vec<NewEvent> = (0..400)
        .map(|i| {
            let mut tags = vec![];
            if i % 3 == 0 {
                tags.push("daily");
            }
            if i % 97 == 5 {
                tags.push("rare");
            }
            event("work", EventType::Progress, &format!("Entry {i}"), 1, t0() - Duration::hours(i), &tags)
        })
        .collect();
    for e in &events {
        ws.create_event(e).unwrap();
    }
    for tag in ["daily", "rare", "#Daily", "absent"] {
        let all: Vec<String> = ws
            .list_events(&EventFilter::default())
            .unwrap()
            .into_iter()
            .filter(|e| e.tags.contains(&tag.trim_start_matches('#').to_lowercase()))
            .map(|e| e.id)
            .collect();
        for (limit, offset) in [(None, None), (Some(5), None), (Some(20), Some(7)), (Some(1000), None)] {
            let got: Vec<String> = ws
                .list_events(&EventFilter { tag: Some(tag.into()), limit, offset, ..Default::default() })
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect();
            let skip = offset.unwrap_or(0) as usize;
            let want: Vec<String> =
                all.iter().skip(skip).take(limit.map_or(usize::MAX, |l| l as usize)).cloned().collect();
            assert_eq!(got, want, "tag {tag}, limit {limit:?}, offset {offset:?}");
        }
    }
}

#[test]
fn search_ranks_title_matches_first_and_highlights_them() {
    let (_f, mut ws) = Fixture::new();
    let mut body = event("work", EventType::Learning, "Quarterly review", 1, t0(), &[]);
    body.description = "We talked about burnout among other things".into();
    ws.create_event(&body).unwrap();
    ws.create_event(&event("mental-health", EventType::Setback, "Burnout warning signs", -2, t0(), &[])).unwrap();
    ws.create_insight(&NewInsight {
        event_id: None,
        kind: InsightType::TruthRevealed,
        title: "Rest is part of the work".into(),
        description: "Burnout comes from never stopping".into(),
        is_recurring: false,
        frequency: 1,
        related_events: vec![],
    })
    .unwrap();
    let hits = ws.search("burnout", 10).unwrap();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0].title, "Burnout warning signs");
    assert_eq!(hits[0].snippet.marked().collect::<Vec<_>>(), ["Burnout"], "{:?}", hits[0].snippet);
    assert!(hits.iter().any(|h| h.kind == "insight"));
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(ws.search("\"unterminated AND (", 10).is_ok(), "query syntax never errors");
    assert!(matches!(ws.search("  ", 10), Err(Error::Invalid(_))));
}

#[test]
fn brackets_a_person_wrote_stay_text_and_only_the_match_is_marked() {
    let (_f, mut ws) = Fixture::new();
    let mut body = event("work", EventType::Learning, "Notes from the retro", 1, t0(), &[]);
    body.description = "Wrote [todo] next to the deadline item, then [deadline] again in brackets".into();
    ws.create_event(&body).unwrap();
    let hits = ws.search("deadline", 10).unwrap();
    assert_eq!(hits.len(), 1);
    let snippet = &hits[0].snippet;
    assert_eq!(snippet.text(), "Wrote [todo] next to the deadline item, then [deadline] again in brackets");
    // Both occurrences are marked, the one inside the person's brackets too, and the brackets
    // themselves are text on either side of it.
    assert_eq!(snippet.marked().collect::<Vec<_>>(), ["deadline", "deadline"], "{snippet:?}");
    let around: Vec<&str> = snippet.0.iter().filter(|p| !p.marked).map(|p| p.text.as_str()).collect();
    assert_eq!(around, ["Wrote [todo] next to the ", " item, then [", "] again in brackets"]);
}

#[test]
fn edits_keep_the_search_index_tags_and_scores_in_step() {
    let (f, mut ws) = Fixture::new();
    let e =
        ws.create_event(&event("work", EventType::Upset, "Yelled at a colleague", -4, t0(), &["anger"])).unwrap().event;
    let before = ws.life_area("work").unwrap().current_score;
    assert!(before < 50.0);
    f.clock.advance(Duration::minutes(5));
    let patch = EventPatch {
        title: Some("Apologised to a colleague".into()),
        description: Some("Owned it the next morning".into()),
        kind: Some(EventType::Progress),
        emotional_charge: Some(3),
        tags: Some(vec!["repair".into()]),
        life_area: Some("professional-network".into()),
        ..Default::default()
    };
    let edited = ws.update_event(&e.id[..12], &patch).unwrap();
    assert_eq!(edited.title, "Apologised to a colleague");
    assert_eq!(edited.tags, vec!["repair"]);
    assert!(edited.updated_at > e.updated_at, "updatedAt moves on edit");
    assert!(ws.search("yelled", 5).unwrap().is_empty());
    assert_eq!(ws.search("apologised", 5).unwrap().len(), 1);
    assert_eq!(ws.life_area("work").unwrap().current_score, 50.0, "old area recomputed");
    assert!(ws.life_area("professional-network").unwrap().current_score > 50.0);
    ws.delete_event(&e.id).unwrap();
    assert_eq!(ws.life_area("professional-network").unwrap().current_score, 50.0, "delete recomputes");
    assert!(ws.search("apologised", 5).unwrap().is_empty());
    assert!(matches!(ws.event(&e.id), Err(Error::NotFound { .. })));
}

#[test]
fn deleting_an_event_keeps_what_refers_to_it() {
    let (_f, mut ws) = Fixture::new();
    let e = ws.create_event(&event("work", EventType::Upset, "Missed deadline", -3, t0(), &[])).unwrap().event;
    let e2 = ws.create_event(&event("work", EventType::Upset, "Missed another", -3, t0(), &[])).unwrap().event;
    let i = ws
        .create_insight(&NewInsight {
            event_id: Some(e.id.clone()),
            kind: InsightType::PatternRecognized,
            title: "Deadlines slip".into(),
            description: "Twice now".into(),
            is_recurring: true,
            frequency: 2,
            related_events: vec![e.id.clone(), e2.id.clone()],
        })
        .unwrap();
    assert_eq!(i.related_events, vec![e.id.clone(), e2.id.clone()]);
    let c = ws
        .create_commitment(&NewCommitment {
            life_area: None,
            event_id: Some(e.id.clone()),
            insight_id: Some(i.id.clone()),
            statement: "Plan buffers".into(),
            intention: "Finish calmly".into(),
            measurable: None,
            status: None,
            next_review_at: None,
        })
        .unwrap();
    assert_eq!(c.life_area_id.as_deref(), Some("area_work"), "area taken from the event");
    ws.delete_event(&e.id).unwrap();
    let i = ws.insight(&i.id).unwrap();
    assert_eq!(i.event_id, None);
    assert_eq!(i.related_events, vec![e2.id.clone()]);
    let c = ws.commitment(&c.id).unwrap();
    assert_eq!(c.event_id, None);
    assert_eq!(c.insight_id.as_deref(), Some(i.id.as_str()));
}

#[test]
fn commitments_and_violations_move_scores_and_the_dashboard() {
    let (f, mut ws) = Fixture::new();
    let review = t0() + Duration::days(3);
    let c = ws
        .create_commitment(&NewCommitment {
            life_area: Some("physical-health".into()),
            event_id: None,
            insight_id: None,
            statement: "Walk every morning".into(),
            intention: "Energy".into(),
            measurable: Some("5 walks a week".into()),
            status: None,
            next_review_at: Some(review),
        })
        .unwrap();
    let d = ws.dashboard().unwrap();
    assert_eq!(d.active_commitments, 1);
    assert_eq!(d.upcoming_reviews.len(), 1);
    assert!(!d.upcoming_reviews[0].overdue);
    let done = ws.set_commitment_status(&c.id, CommitmentStatus::Completed).unwrap();
    assert!(done.completed_at.is_some());
    assert_eq!(ws.life_area("physical-health").unwrap().current_score, 65.0);
    assert_eq!(ws.dashboard().unwrap().active_commitments, 0);

    let b = ws
        .create_boundary(&NewBoundary {
            life_area: "family".into(),
            statement: "No phones at dinner".into(),
            reason: "Presence".into(),
            consequence: None,
            status: None,
        })
        .unwrap();
    for _ in 0..4 {
        f.clock.advance(Duration::hours(1));
        ws.log_violation(&b.id, &NewViolation::default()).unwrap();
    }
    let b = ws.boundary(&b.id).unwrap();
    assert_eq!(b.violation_count, 4);
    assert_eq!(b.last_violated_at, Some(f.clock.clock().now()));
    let family = ws.life_area("family").unwrap();
    assert_eq!(family.current_score, 20.0, "capped at -30");
    assert_eq!(family.status, AreaStatus::Struggling);
    let d = ws.dashboard().unwrap();
    assert_eq!(d.needs_attention[0].slug, "family");
    assert_eq!(d.top_areas[0].slug, "physical-health");
    assert_eq!(d.distribution.struggling, 1);
    assert_eq!(d.distribution.thriving + d.distribution.balanced, 29);
    ws.delete_boundary(&b.id).unwrap();
    assert_eq!(ws.life_area("family").unwrap().current_score, 50.0, "violations cascade with their boundary");
}

#[test]
fn scores_follow_time_when_the_workspace_is_reopened() {
    let (f, mut ws) = Fixture::new();
    ws.create_event(&event("work", EventType::Breakthrough, "Promotion", 5, t0(), &[])).unwrap();
    assert!(ws.life_area("work").unwrap().current_score > 70.0);
    ws.lock();
    f.clock.advance(Duration::days(31));
    let ws = f.reopen();
    assert_eq!(ws.life_area("work").unwrap().current_score, 50.0, "the breakthrough left the window");
}

#[test]
fn autobiography_links_events_and_areas_and_protects_eras() {
    let (_f, mut ws) = Fixture::new();
    let e =
        ws.create_event(&event("learning-education", EventType::Milestone, "Graduated", 5, t0(), &[])).unwrap().event;
    let era = ws
        .create_era(&NewEra { name: "University".into(), start_year: 2020, end_year: Some(2026), description: None })
        .unwrap();
    let bad = ws.create_era(&NewEra { name: "Oops".into(), start_year: 2020, end_year: Some(2019), description: None });
    assert!(matches!(bad, Err(Error::Invalid(ref i)) if i.field == "endYear"));
    let entry = ws
        .create_autobiography_entry(&NewAutobiographyEntry {
            era_id: era.id.clone(),
            year: 2026,
            month: Some(3),
            title: "The last exam".into(),
            narrative: "I walked out into the sun and cried.".into(),
            event_ids: vec![e.id.clone()],
            life_area_ids: vec!["learning-education".into(), "emotional-wellbeing".into()],
            is_public: false,
        })
        .unwrap();
    assert_eq!(entry.event_ids, vec![e.id.clone()]);
    assert_eq!(entry.life_area_ids.len(), 2);
    assert_eq!(ws.search("sun", 5).unwrap()[0].kind, "autobiography");
    let month13 =
        ws.update_autobiography_entry(&entry.id, &AutobiographyPatch { month: Some(Some(13)), ..Default::default() });
    assert!(matches!(month13, Err(Error::Invalid(ref i)) if i.field == "month"));
    assert!(matches!(ws.delete_era(&era.id), Err(Error::Conflict(_))));
    let by_area =
        ws.list_autobiography(&AutobiographyFilter { area: Some("emotional-wellbeing".into()), ..Default::default() });
    assert_eq!(by_area.unwrap().len(), 1);
    ws.delete_autobiography_entry(&entry.id).unwrap();
    ws.delete_era(&era.id).unwrap();
}

#[test]
fn insights_apply_and_dismiss() {
    let (_f, mut ws) = Fixture::new();
    let i = ws
        .create_insight(&NewInsight {
            event_id: None,
            kind: InsightType::LimitingBelief,
            title: "I must earn rest".into(),
            description: "Rest is not a reward".into(),
            is_recurring: false,
            frequency: 1,
            related_events: vec![],
        })
        .unwrap();
    let applied = ws.apply_insight(&i.id).unwrap();
    assert!(applied.applied && applied.applied_at.is_some());
    let dismissed = ws.dismiss_insight(&i.id).unwrap();
    assert!(dismissed.dismissed_at.is_some());
    assert!(ws.list_insights(&InsightFilter::default()).unwrap().is_empty());
    assert_eq!(ws.list_insights(&InsightFilter { include_dismissed: true, ..Default::default() }).unwrap().len(), 1);
}
