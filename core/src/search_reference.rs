//! Randomized comparison of the fast read paths (ranked search, filtered and paged listings)
//! against straightforward reference queries on the same journal: same rows, same order.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rusqlite::params;

use crate::keys::{KdfParams, Passphrase};
use crate::time::Clock;
use crate::workspace::Workspace;
use wisdom_model::{EventCategory, EventFilter, EventTone, EventType, NewEvent};

/// Few words, so that queries match many entries, some entries share scores, and phrases occur.
const WORDS: &[&str] = &["garden", "gardens", "coffee", "rain", "train", "tea", "quiet", "kiln", "river", "late"];
const TAGS: &[&str] = &["home", "food", "work"];
const AREAS: &[&str] = &["work", "family", "nature"];

#[derive(Debug, Clone)]
struct Entry {
    title: Vec<usize>,
    description: Vec<usize>,
    /// Minutes before the workspace's `now`; repeats give equal times, ordered by id.
    minutes_ago: i64,
    tags: Vec<usize>,
    area: usize,
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        prop::collection::vec(0..WORDS.len(), 1..4),
        prop::collection::vec(0..WORDS.len(), 0..12),
        prop_oneof![0..20i64, 0..40_000i64],
        prop::collection::vec(0..TAGS.len(), 0..3),
        0..AREAS.len(),
    )
        .prop_map(|(title, description, minutes_ago, tags, area)| Entry {
            title,
            description,
            minutes_ago,
            tags,
            area,
        })
}

fn text(ix: &[usize]) -> String {
    ix.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
}

fn journal(entries: &[Entry]) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::from_fn(now);
    let mut ws = Workspace::create(
        &dir.path().join("j.wisdom"),
        "Reference",
        &Passphrase::new("reference passphrase"),
        KdfParams::MINIMUM,
        clock,
    )
    .unwrap();
    for e in entries {
        ws.create_event(&NewEvent {
            life_area_id: None,
            life_area: Some(AREAS[e.area].into()),
            kind: EventType::Progress,
            category: EventCategory::Personal,
            tone: EventTone::Neutral,
            title: text(&e.title),
            description: text(&e.description),
            narrative: None,
            occurred_at: Some(now() - Duration::minutes(e.minutes_ago)),
            emotional_charge: 0,
            tags: e.tags.iter().map(|&t| TAGS[t].to_string()).collect(),
        })
        .unwrap();
    }
    (dir, ws)
}

/// The plainest ranked search: FTS5's own `rank`, every match sorted, across the three indexes.
fn reference_search(ws: &Workspace, query: &str, limit: u32) -> Vec<(String, String, f64)> {
    let q = crate::search::fts_query(query).unwrap();
    let sql = "SELECT kind, id, r FROM (
        SELECT 'event' AS kind, 0 AS k, e.id, events_fts.rank AS r, events_fts.rowid AS row
          FROM events_fts JOIN events e ON e.rid = events_fts.rowid WHERE events_fts MATCH ?1
        UNION ALL
        SELECT 'insight', 1, i.id, insights_fts.rank, insights_fts.rowid
          FROM insights_fts JOIN insights i ON i.rid = insights_fts.rowid WHERE insights_fts MATCH ?1
        UNION ALL
        SELECT 'autobiography', 2, a.id, autobiography_fts.rank, autobiography_fts.rowid
          FROM autobiography_fts JOIN autobiography_entries a ON a.rid = autobiography_fts.rowid
         WHERE autobiography_fts MATCH ?1
    ) ORDER BY r, k, row LIMIT ?2";
    let mut stmt = ws.conn.prepare(sql).unwrap();
    stmt.query_map(params![q, limit], |r| Ok((r.get(0)?, r.get(1)?, -r.get::<_, f64>(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The snippet of one hit, asked for alone (the text holds no marker characters, see
/// [`crate::search::read_snippet`]).
fn reference_snippet(ws: &Workspace, query: &str, kind: &str, id: &str) -> wisdom_model::Snippet {
    let q = crate::search::fts_query(query).unwrap();
    let (fts, table) = match kind {
        "event" => ("events_fts", "events"),
        "insight" => ("insights_fts", "insights"),
        _ => ("autobiography_fts", "autobiography_entries"),
    };
    let sql = format!(
        "SELECT snippet({fts}, -1, char(2), char(3), '…', 16) FROM {fts} JOIN {table} t ON t.rid = {fts}.rowid
          WHERE {fts} MATCH ?1 AND t.id = ?2"
    );
    let raw: String = ws.conn.query_row(&sql, params![q, id], |r| r.get(0)).unwrap();
    crate::search::read_snippet(&raw, true)
}

/// The plainest listing: every event read, filtered and sorted here.
fn reference_list(ws: &Workspace, f: &EventFilter) -> Vec<String> {
    let mut stmt = ws
        .conn
        .prepare(
            "SELECT e.id, e.occurred_at, a.slug,
                    (SELECT group_concat(t.name) FROM event_tags et JOIN tags t ON t.id = et.tag_id
                      WHERE et.event_id = e.id)
               FROM events e JOIN life_areas a ON a.id = e.life_area_id",
        )
        .unwrap();
    let mut rows: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, Option<String>>(3)?.unwrap_or_default())))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    if let Some(after) = &f.after {
        let mark = rows.iter().find(|r| &r.0 == after).map(|r| (r.1.clone(), r.0.clone())).unwrap();
        rows.retain(|r| (&r.1, &r.0) < (&mark.0, &mark.1));
    }
    let from = f.from.map(crate::time::to_db);
    let to = f.to.map(crate::time::to_db);
    rows.retain(|(_, at, area, tags)| {
        from.as_ref().is_none_or(|from| at >= from)
            && to.as_ref().is_none_or(|to| at < to)
            && f.area.as_ref().is_none_or(|a| a == area)
            && f.tag.as_ref().is_none_or(|t| tags.split(',').any(|x| x == t))
    });
    rows.sort_by(|a, b| (&b.1, &b.0).cmp(&(&a.1, &a.0)));
    let skip = f.offset.unwrap_or(0) as usize;
    let take = f.limit.map_or(usize::MAX, |l| l as usize);
    rows.into_iter().skip(skip).take(take).map(|r| r.0).collect()
}

fn query() -> impl Strategy<Value = String> {
    let word = (0..WORDS.len()).prop_map(|i| WORDS[i].to_string());
    prop_oneof![
        word.clone(),
        (word.clone(), word.clone()).prop_map(|(a, b)| format!("{a} {b}")),
        word.clone().prop_map(|w| format!("{}*", &w[..2])),
        (word.clone(), word).prop_map(|(a, b)| format!("\"{a} {b}\"")),
    ]
}

/// A filter, and which event (by place in the whole journal) to page after, if any.
fn filter() -> impl Strategy<Value = (EventFilter, Option<usize>)> {
    (
        prop::option::of((0..40_000i64, 1..20_000i64)),
        prop::option::of(0..TAGS.len()),
        prop::option::of(0..AREAS.len()),
        prop::option::of(1..15u32),
        prop::option::of(0..10u32),
        prop::option::of(0..60usize),
    )
        .prop_map(|(range, tag, area, limit, offset, after)| {
            let f = EventFilter {
                from: range.map(|(ago, _)| now() - Duration::minutes(ago)),
                to: range.map(|(ago, len)| now() - Duration::minutes(ago) + Duration::minutes(len)),
                tag: tag.map(|t| TAGS[t].to_string()),
                area: area.map(|a| AREAS[a].to_string()),
                limit,
                offset: limit.and(offset),
                ..Default::default()
            };
            (f, after)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn search_and_listings_match_the_reference_queries(
        entries in prop::collection::vec(entry(), 1..60),
        queries in prop::collection::vec((query(), 1..30u32), 1..8),
        filters in prop::collection::vec(filter(), 1..8),
    ) {
        let (_dir, ws) = journal(&entries);
        for (q, limit) in &queries {
            let got = ws.search(q, *limit).unwrap();
            let want = reference_search(&ws, q, *limit);
            prop_assert_eq!(got.len(), want.len(), "query {:?}", q);
            for (g, w) in got.iter().zip(&want) {
                prop_assert_eq!((&g.kind, &g.id), (&w.0, &w.1), "query {:?}", q);
                prop_assert!((g.score - w.2).abs() < 1e-9, "query {:?}: score {} against {}", q, g.score, w.2);
                prop_assert_eq!(&g.snippet, &reference_snippet(&ws, q, &g.kind, &g.id), "query {:?}", q);
            }
        }
        let all = reference_list(&ws, &EventFilter::default());
        for (f, after) in &filters {
            let mut f = f.clone();
            f.after = after.map(|i| all[i % all.len()].clone());
            let f = &f;
            let got: Vec<String> = ws.list_events(f).unwrap().into_iter().map(|e| e.id).collect();
            prop_assert_eq!(got, reference_list(&ws, f), "filter {:?}", f);
        }
    }
}
