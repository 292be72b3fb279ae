//! Keeping the engine's findings as insights: one insight per pattern, found again by its key (or
//! by sharing most of its events), updated in place, left alone for good once the person dismissed
//! it, and retired once the engine, looking at the same weeks again, no longer finds it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::detect::Finding;
use crate::error::Result;
use crate::ids::{new_id, prefix};
use crate::insights::{insert_insight, load_insight, set_related};
use crate::time;
use wisdom_model::{DetectReport, Insight, InsightType};

/// What a run looked at: the span of its windows and the kinds of finding (a key's first part)
/// it judged over all of that span. A kind it did not judge (recurring situations while the
/// language model is still reading) keeps its insights as they are.
pub(super) struct Scope {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub judged: Vec<&'static str>,
}

/// Kinds of finding that are about a stretch of the journal, not about now: the ones a later run
/// can find no longer. (Trend alerts are dated by month and stay as they are.)
pub(super) const RECURRING: &str = "situation";
pub(super) const KEYWORDS: &str = "theme";
pub(super) const SIGNALS: [&str; 3] = ["cross", "weekday", "daypart"];

/// Writes findings as insights: new ones inserted, known ones updated, dismissed ones left alone,
/// and the engine's own insights that this run no longer finds, within what it looked at,
/// removed: unless the person applied one, dismissed one or made a commitment of it.
pub(super) fn keep(
    conn: &Connection,
    found: Vec<Finding>,
    now: DateTime<Utc>,
    scope: &Scope,
    report: &mut DetectReport,
) -> Result<()> {
    let touched = write_findings(conn, found, now, report)?;
    report.retired = retire(conn, &touched, scope)?;
    Ok(())
}

/// Inserts new findings and updates known ones; returns the ids of the insights found again.
fn write_findings(
    conn: &Connection,
    found: Vec<Finding>,
    now: DateTime<Utc>,
    report: &mut DetectReport,
) -> Result<HashSet<String>> {
    // Known pattern insights and their events, to recognise a pattern whose key drifted.
    let mut known: Vec<(String, Option<String>, HashSet<String>)> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT i.id, i.pattern_key, (SELECT json_group_array(event_id) FROM insight_events WHERE insight_id = i.id)
             FROM insights i WHERE i.pattern_key IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, crate::db::list_at(r, 2)?))
        })?;
        for row in rows {
            let (id, key, events) = row?;
            known.push((id, key, events.into_iter().collect()));
        }
    }
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut by_event: HashMap<String, Vec<usize>> = HashMap::new();
    let index = |known: &[(String, Option<String>, HashSet<String>)],
                 i: usize,
                 by_key: &mut HashMap<String, usize>,
                 by_event: &mut HashMap<String, Vec<usize>>| {
        if let Some(k) = &known[i].1 {
            by_key.insert(k.clone(), i);
        }
        for e in &known[i].2 {
            by_event.entry(e.clone()).or_default().push(i);
        }
    };
    for i in 0..known.len() {
        index(&known, i, &mut by_key, &mut by_event);
    }
    let mut touched: HashSet<String> = HashSet::new();
    // Largest first: where overlapping windows saw one situation with more and fewer of its
    // entries, the fullest view becomes (or updates) the insight and the partial ones match it.
    let mut found = found;
    found.sort_by_key(|f| std::cmp::Reverse(f.events.len()));
    for f in found {
        let events: HashSet<String> = f.events.iter().cloned().collect();
        let kind = f.key.split(':').next().unwrap_or("");
        let existing = by_key.get(&f.key).copied().or_else(|| {
            // A pattern whose key drifted (its top words changed, or an overlapping window found it
            // with other members) is the one sharing most of its events: half of the larger, or two
            // thirds of the smaller (three of a situation's seven, seen by a window that held only
            // those, are that situation, not another).
            let mut shared: HashMap<usize, usize> = HashMap::new();
            for e in &events {
                for &i in by_event.get(e).map(Vec::as_slice).unwrap_or(&[]) {
                    *shared.entry(i).or_default() += 1;
                }
            }
            shared
                .into_iter()
                .filter(|&(i, n)| {
                    let (_, key, ev) = &known[i];
                    key.as_deref().is_some_and(|k| k.split(':').next() == Some(kind))
                        && (n * 2 >= ev.len().max(events.len()) || (n >= 2 && n * 3 >= 2 * ev.len().min(events.len())))
                })
                .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))
                .map(|(i, _)| i)
        });
        let existing = existing.map(|i| known[i].0.clone());
        match existing {
            Some(id) if touched.contains(&id) => {}
            Some(id) => {
                touched.insert(id.clone());
                let current = load_insight(conn, &id)?;
                if current.dismissed_at.is_some() {
                    report.dismissed += 1;
                    continue;
                }
                let same_events: HashSet<&String> = current.related_events.iter().collect();
                if current.description == f.description && same_events == f.events.iter().collect() {
                    report.unchanged += 1;
                    continue;
                }
                conn.execute(
                    "UPDATE insights SET title = ?2, description = ?3, frequency = ?4, is_recurring = ?5, event_id = ?6,
                         updated_at = ?7 WHERE id = ?1",
                    params![id, f.title, f.description, f.events.len().max(1) as i64, f.recurring, f.events.last(), time::to_db(now)],
                )?;
                set_related(conn, &id, &f.events)?;
                report.updated += 1;
                report.insights.push(load_insight(conn, &id)?);
            }
            None => {
                let insight = Insight {
                    id: new_id(prefix::INSIGHT, now),
                    event_id: f.events.last().cloned(),
                    kind: InsightType::PatternRecognized,
                    title: f.title,
                    description: f.description,
                    is_recurring: f.recurring,
                    frequency: f.events.len().max(1) as i64,
                    related_events: f.events,
                    applied: false,
                    applied_at: None,
                    dismissed_at: None,
                    created_at: now,
                    updated_at: now,
                };
                insert_insight(conn, &insight, Some(&f.key))?;
                touched.insert(insight.id.clone());
                known.push((insight.id.clone(), Some(f.key), events));
                index(&known, known.len() - 1, &mut by_key, &mut by_event);
                report.created += 1;
                report.insights.push(load_insight(conn, &insight.id)?);
            }
        }
    }
    Ok(touched)
}

/// Removes the engine's insights of the kinds `scope` judged that were not found again, when all
/// their events lie within the span it looked at (or none are left). Returns how many.
fn retire(conn: &Connection, found_again: &HashSet<String>, scope: &Scope) -> Result<usize> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.pattern_key, min(e.occurred_at), max(e.occurred_at)
         FROM insights i
         LEFT JOIN insight_events ie ON ie.insight_id = i.id
         LEFT JOIN events e ON e.id = ie.event_id
         WHERE i.pattern_key IS NOT NULL AND i.applied = 0 AND i.dismissed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM commitments c WHERE c.insight_id = i.id)
         GROUP BY i.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let within = |at: &Option<String>| {
        at.as_deref().and_then(|a| time::from_db(a).ok()).is_none_or(|t| scope.from <= t && t <= scope.to)
    };
    let mut stale = Vec::new();
    for row in rows {
        let (id, key, first, last) = row?;
        let kind = key.split(':').next().unwrap_or("");
        if !found_again.contains(&id) && scope.judged.contains(&kind) && within(&first) && within(&last) {
            stale.push(id);
        }
    }
    for id in &stale {
        conn.prepare_cached("DELETE FROM insights WHERE id = ?1")?.execute([id])?;
    }
    if !stale.is_empty() {
        tracing::debug!(retired = stale.len(), "patterns no longer found");
    }
    Ok(stale.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KdfParams, Passphrase};
    use crate::time::Clock;
    use crate::workspace::Workspace;

    fn finding(first: &str, events: &[String]) -> Finding {
        Finding {
            key: format!("situation:area_family:{first}"),
            title: format!("Recurring: {first}"),
            description: format!("{} times", events.len()),
            events: events.to_vec(),
            recurring: true,
        }
    }

    #[test]
    fn overlapping_windows_seeing_one_situation_keep_its_fullest_view_once() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery");
        let mut ws =
            Workspace::create(&dir.path().join("j.wisdom"), "J", &pass, KdfParams::MINIMUM, Clock::system()).unwrap();
        let ids: Vec<String> = (0..7)
            .map(|i| {
                let mut e = crate::testing::work_event(&format!("Long talk with Dad, evening {i}"));
                e.life_area = Some("family".into());
                ws.create_event(&e).unwrap().event.id
            })
            .collect();
        // Two windows each saw three of the talks, a third window all seven (and is listed last).
        let found = vec![finding(&ids[0], &ids[0..3]), finding(&ids[3], &ids[3..6]), finding(&ids[0], &ids[0..7])];
        let now = ws.now();
        let scope = Scope { from: now - chrono::Duration::days(400), to: now, judged: vec![RECURRING] };
        let mut report = DetectReport::default();
        keep(&ws.conn, found, now, &scope, &mut report).unwrap();
        assert_eq!(report.created, 1, "{report:?}");
        let kept: Vec<String> = report.insights[0].related_events.clone();
        assert_eq!(kept.len(), 7, "{kept:?}");
    }
}
