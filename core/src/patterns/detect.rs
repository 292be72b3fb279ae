//! Running the pattern engine over a workspace, window by window: recurring situations by meaning
//! (or by keywords on a device without the language model), rhythm and cross-area signals, and
//! trend alerts; `keep` turns the findings into insights.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};

use super::cluster::{ClusterParams, Corpus, PatternEvent};
use super::keep::{keep, Scope, KEYWORDS, RECURRING, SIGNALS};
use super::signals::{self, Signal, SignalEvent, Violation};
use super::situations::situations;
use crate::areas::score_inputs;
use crate::error::Result;
use crate::events::EVENT_SELECT_NO_TAGS;
use crate::meaning::event_vectors_between;
use crate::score;
use crate::time;
use crate::workspace::Workspace;
use crate::zone::workspace_zone;
use wisdom_model::{DetectReport, Event, EventType, PatternEngine};

pub const DEFAULT_WINDOW_DAYS: i64 = 90;

/// A pattern in words, ready to become an insight.
#[derive(Debug, Clone)]
pub(super) struct Finding {
    pub key: String,
    pub title: String,
    pub description: String,
    pub events: Vec<String>,
    pub recurring: bool,
}

/// The word for `n` events of a kind: "upset" or "upsets".
fn noun(kind: EventType, n: usize) -> String {
    let word = match kind {
        EventType::Breakthrough => "breakthrough",
        EventType::Progress => "progress step",
        EventType::Setback => "setback",
        EventType::Upset => "upset",
        EventType::Milestone => "milestone",
        EventType::Pattern => "pattern note",
        EventType::Learning => "learning",
    };
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// "1 upset", "4 upsets".
fn plural(kind: EventType, n: usize) -> String {
    format!("{n} {}", noun(kind, n))
}

fn cadence(span_days: f64, n: usize) -> String {
    let every = span_days / (n.max(2) - 1) as f64;
    if every < 1.5 {
        "almost daily".into()
    } else if every < 4.0 {
        "every few days".into()
    } else if every < 10.0 {
        "about once a week".into()
    } else {
        format!("about every {} days", every.round() as i64)
    }
}

/// The members' areas with how many each holds, the most first (ties in order of appearance).
fn areas_by_count<'a>(members: &[&'a Event]) -> Vec<(&'a str, usize)> {
    let mut areas: Vec<(&str, usize)> = Vec::new();
    for e in members {
        match areas.iter_mut().find(|a| a.0 == e.life_area_id) {
            Some(a) => a.1 += 1,
            None => areas.push((&e.life_area_id, 1)),
        }
    }
    areas.sort_by_key(|a| std::cmp::Reverse(a.1));
    areas
}

fn describe_cluster(
    members: &[&Event],
    theme: &[String],
    names: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> String {
    let n = members.len();
    let mut kinds: Vec<(EventType, usize)> = Vec::new();
    for e in members {
        match kinds.iter_mut().find(|k| k.0 == e.kind) {
            Some(k) => k.1 += 1,
            None => kinds.push((e.kind, 1)),
        }
    }
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
    let what = if kinds.len() == 1 {
        plural(kinds[0].0, n)
    } else {
        let parts: Vec<String> = kinds.iter().map(|(k, c)| plural(*k, *c)).collect();
        format!("{n} events ({})", parts.join(", "))
    };
    let areas = areas_by_count(members);
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let where_ = if areas[0].1 * 4 >= n * 3 {
        format!("in {}", name(areas[0].0))
    } else {
        let list: Vec<String> = areas.iter().take(3).map(|a| name(a.0)).collect();
        format!("across {}", list.join(", "))
    };
    let first = members.iter().map(|e| e.occurred_at).min().unwrap_or(now);
    let last = members.iter().map(|e| e.occurred_at).max().unwrap_or(now);
    let past = ((now - first).num_hours() as f64 / 24.0).ceil().max(1.0) as i64;
    let span = (last - first).num_hours() as f64 / 24.0;
    let charge = members.iter().map(|e| e.emotional_charge).sum::<i64>() as f64 / n as f64;
    format!(
        "You've logged {what} {where_} in the past {past} days related to {}: {}, between {} and {}. Average charge {charge:+.1}.",
        theme.join(", "),
        cadence(span, n),
        first.format("%-d %b"),
        last.format("%-d %b"),
    )
}

/// A situation in the person's words: how often, over what span, where, how it felt, and a few
/// of the entries as they wrote them.
fn describe_situation(members: &[&Event], typical: &Event, names: &HashMap<String, String>) -> String {
    let n = members.len();
    let areas = areas_by_count(members);
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let where_: Vec<String> = areas.iter().map(|(a, c)| format!("{} ({c})", name(a))).collect();
    let first = members.iter().map(|e| e.occurred_at).min().expect("members");
    let last = members.iter().map(|e| e.occurred_at).max().expect("members");
    let weeks = ((last - first).num_days() as f64 / 7.0).ceil().max(1.0) as i64;
    let charge = members.iter().map(|e| e.emotional_charge).sum::<i64>() as f64 / n as f64;
    let quotes: Vec<String> =
        members.iter().filter(|e| e.id != typical.id).rev().take(3).map(|e| format!("“{}”", e.title.trim())).collect();
    format!(
        "{n} times in {weeks} weeks ({} to {}), {}, in {}; average charge {charge:+.1}. Also in your words: {}.",
        first.format("%-d %b"),
        last.format("%-d %b"),
        cadence((last - first).num_hours() as f64 / 24.0, n),
        where_.join(", "),
        quotes.join(", ")
    )
}

/// A title made of the person's own words: the most typical entry's title, without trailing
/// punctuation, capitalised.
fn situation_title(typical: &Event) -> String {
    let t = typical.title.trim().trim_end_matches(['.', '!', '?', ',', ';', ':']).trim();
    let mut chars = t.chars();
    let t = chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
    format!("Recurring: {t}")
}

fn weekday_name(d: u32) -> &'static str {
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][d as usize % 7]
}

fn describe_signal(s: &Signal, names: &HashMap<String, String>) -> Finding {
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    match s {
        Signal::CrossArea { after_area, area, events, violations } => Finding {
            key: format!("cross:{after_area}:{area}"),
            title: format!("Recurring: upsets in {} after boundary violations in {}", name(area), name(after_area)),
            description: format!(
                "{} times an upset or setback in {} came within two days of crossing a boundary in {} ({} violations logged there). Protecting that boundary may protect {} too.",
                events.len(), name(area), name(after_area), violations, name(area)
            ),
            events: events.clone(),
            recurring: true,
        },
        Signal::Weekday { area, kind, weekday, events, of } => Finding {
            key: format!("weekday:{area}:{}:{weekday}", kind.as_str()),
            title: format!("Recurring: {} {} in {}", weekday_name(*weekday), noun(*kind, 2), name(area)),
            description: format!(
                "{} of your {} {} in {} fell on a {}. Something about that day may be worth looking at.",
                events.len(),
                of,
                noun(*kind, *of),
                name(area),
                weekday_name(*weekday)
            ),
            events: events.clone(),
            recurring: true,
        },
        Signal::TimeOfDay { area, kind, part, events, of } => Finding {
            key: format!("daypart:{area}:{}:{part:?}", kind.as_str()),
            title: format!("Recurring: {} {} in {}", noun(*kind, 2), part.label(), name(area)),
            description: format!(
                "{} of your {} {} in {} happened {}, more than your usual rhythm would explain.",
                events.len(),
                of,
                noun(*kind, *of),
                name(area),
                part.label()
            ),
            events: events.clone(),
            recurring: true,
        },
    }
}

/// Loads the events between two instants, oldest first. Tags come from one join over the same
/// range rather than a subquery per event (the range can hold tens of thousands).
fn events_between(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Event>> {
    let (from, to) = (time::to_db(from), time::to_db(to));
    let sql =
        format!("{EVENT_SELECT_NO_TAGS} WHERE e.occurred_at > ?1 AND e.occurred_at <= ?2 ORDER BY e.occurred_at, e.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut events: Vec<Event> =
        stmt.query_map(params![from, to], crate::events::event_from_row)?.collect::<rusqlite::Result<_>>()?;
    let index: HashMap<String, usize> = events.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
    let mut tags = conn.prepare_cached(
        "SELECT et.event_id, t.name FROM events e INDEXED BY events_occurred_at
             JOIN event_tags et ON et.event_id = e.id JOIN tags t ON t.id = et.tag_id
         WHERE e.occurred_at > ?1 AND e.occurred_at <= ?2 ORDER BY t.name",
    )?;
    let rows = tags.query_map(params![from, to], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, tag) = row?;
        if let Some(&i) = index.get(&id) {
            events[i].tags.push(tag);
        }
    }
    Ok(events)
}

fn area_names(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM life_areas")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn view(events: &[Event]) -> Vec<PatternEvent<'_>> {
    events
        .iter()
        .map(|e| PatternEvent {
            id: &e.id,
            area: &e.life_area_id,
            kind: e.kind,
            tone: e.tone,
            charge: e.emotional_charge,
            occurred_at: e.occurred_at,
            title: &e.title,
            description: &e.description,
            narrative: e.narrative.as_deref(),
            tags: &e.tags,
        })
        .collect()
}

/// Theme clusters among `events[range]`, described as of `now`.
fn theme_findings(
    corpus: &Corpus,
    view: &[PatternEvent<'_>],
    events: &[Event],
    range: std::ops::Range<usize>,
    names: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in corpus.cluster(view, range, &ClusterParams::default()) {
        let members: Vec<&Event> = c.members.iter().map(|&m| &events[m]).collect();
        let mut area_count: HashMap<&str, usize> = HashMap::new();
        for e in &members {
            *area_count.entry(&e.life_area_id).or_default() += 1;
        }
        let main_area = area_count.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|a| *a.0).unwrap_or("");
        let mut stems = c.stems.clone();
        stems.truncate(2);
        stems.sort();
        let theme = if c.theme.is_empty() { vec!["a shared theme".to_string()] } else { c.theme.clone() };
        out.push(Finding {
            key: format!("theme:{main_area}:{}", stems.join("+")),
            title: format!("Recurring: {}", theme.join(" · ")),
            description: describe_cluster(&members, &theme, names, now),
            events: members.iter().map(|e| e.id.clone()).collect(),
            recurring: true,
        });
    }
    out
}

/// Recurring situations among `events[range]` found by meaning: `vectors` holds the events'
/// stored sentence vectors; events without one are left out.
fn situation_findings(
    view: &[PatternEvent<'_>],
    events: &[Event],
    range: std::ops::Range<usize>,
    vectors: &HashMap<String, Vec<f32>>,
    tz: Tz,
    names: &HashMap<String, String>,
) -> Vec<Finding> {
    let with_vector: Vec<usize> = range.filter(|&i| vectors.contains_key(&events[i].id)).collect();
    let sub: Vec<PatternEvent<'_>> = with_vector.iter().map(|&i| view[i]).collect();
    let refs: Vec<&[f32]> = with_vector.iter().map(|&i| vectors[&events[i].id].as_slice()).collect();
    situations(&sub, &refs, tz)
        .into_iter()
        .map(|s| {
            let members: Vec<&Event> = s.members.iter().map(|&m| &events[with_vector[m]]).collect();
            let typical = &events[with_vector[s.typical]];
            Finding {
                key: format!("situation:{}:{}", typical.life_area_id, members[0].id),
                title: situation_title(typical),
                description: describe_situation(&members, typical, names),
                events: members.iter().map(|e| e.id.clone()).collect(),
                recurring: true,
            }
        })
        .collect()
}

/// One stretch of the journal the engine looks at: its events and violations (index ranges) and
/// its last instant.
struct Window {
    events: std::ops::Range<usize>,
    violations: std::ops::Range<usize>,
    end: DateTime<Utc>,
}

/// How one window's recurring situations were looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Meaning,
    Keywords,
    /// The model is here but has not read enough of the window yet.
    Waiting,
}

/// Share of a window's events that must have a vector for the window to be read by meaning.
const MEANING_COVERAGE: f64 = 0.9;
/// A back-log this small is read on the spot before a detection run (a few seconds at most).
const INLINE_BACKFILL: u64 = 256;

/// Cross-area and rhythm findings among `events`, with the violations of the same span.
fn signal_findings(
    events: &[Event],
    violations: &[Violation],
    tz: Tz,
    names: &HashMap<String, String>,
) -> Vec<Finding> {
    let signal_events: Vec<SignalEvent> = events
        .iter()
        .map(|e| SignalEvent {
            id: e.id.clone(),
            area: e.life_area_id.clone(),
            kind: e.kind,
            occurred_at: e.occurred_at,
        })
        .collect();
    signals::cross_area(&signal_events, violations)
        .iter()
        .chain(&signals::rhythms(&signal_events, tz))
        .map(|s| describe_signal(s, names))
        .collect()
}

fn violations_between(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Violation>> {
    let rows = conn
        .prepare_cached(
            "SELECT b.life_area_id, v.occurred_at FROM boundary_violations v JOIN boundaries b ON b.id = v.boundary_id
             WHERE v.occurred_at > ?1 AND v.occurred_at <= ?2 ORDER BY v.occurred_at",
        )?
        .query_map(params![time::to_db(from), time::to_db(to)], |r| {
            Ok(Violation { area: r.get(0)?, occurred_at: crate::db::ts_at(r, 1)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// An area whose score fell by [`signals::TREND_DROP`] or more over [`signals::TREND_DAYS`].
fn trend_alerts(conn: &Connection, names: &HashMap<String, String>, now: DateTime<Utc>) -> Result<Vec<Finding>> {
    let then = now - Duration::days(signals::TREND_DAYS);
    let mut out = Vec::new();
    for (area, name) in names {
        let before = score::score(&score_inputs(conn, area, then)?, then).score;
        let after = score::score(&score_inputs(conn, area, now)?, now).score;
        if before - after >= signals::TREND_DROP {
            let worst: Vec<String> = conn
                .prepare_cached(
                    "SELECT id FROM events WHERE life_area_id = ?1 AND occurred_at > ?2 AND occurred_at <= ?3
                     ORDER BY emotional_charge, occurred_at DESC LIMIT 5",
                )?
                .query_map(params![area, time::to_db(then), time::to_db(now)], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            out.push(Finding {
                key: format!("trend:{area}:{}", now.format("%Y-%m")),
                title: format!("Trend: {name} down {:.0} points in {} days", before - after, signals::TREND_DAYS),
                description: format!(
                    "{name} went from {before:.1} to {after:.1} over the past {} days. The events below weighed most; an inquiry or a small commitment could turn it.",
                    signals::TREND_DAYS
                ),
                events: worst,
                recurring: false,
            });
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

/// The setting that asks for a detection run once the model has read what is new.
const LOOK_AGAIN: &str = "patterns_look_again";

/// Asks for (or, after a run that judged everything, clears) a run once the model has read the
/// journal: see [`Workspace::detect_patterns_after_reading`].
pub(crate) fn set_look_again(conn: &Connection, due: bool) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
    )?
    .execute([LOOK_AGAIN, if due { "true" } else { "false" }])?;
    Ok(())
}

pub(crate) fn window_days(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'pattern_window_days'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).filter(|d| *d > 0).unwrap_or(DEFAULT_WINDOW_DAYS))
}

impl Workspace {
    /// Runs the full pattern engine over the pattern window (90 days unless set otherwise).
    pub fn detect_patterns(&mut self) -> Result<DetectReport> {
        let now = self.now();
        let days = window_days(&self.conn)?;
        self.detect_patterns_between(now - Duration::days(days), now)
    }

    /// Runs the engine over `from..to`, window by window (each the pattern window long, half
    /// overlapping), so a decade of journal costs linear time and patterns stay local in time.
    pub fn detect_patterns_between(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<DetectReport> {
        let now = self.now();
        let days = window_days(&self.conn)?;
        let (meaning, mut notice) = self.prepare_meaning()?;
        let tx = self.tx()?;
        let tz = workspace_zone(&tx)?;
        let names = area_names(&tx)?;
        let events = events_between(&tx, from, to)?;
        let violations = violations_between(&tx, from, to)?;
        let view = view(&events);
        // The keyword corpus is built only if a window needs it.
        let corpus = std::sync::OnceLock::new();
        let vectors = if meaning { Some(event_vectors_between(&tx, from, to)?) } else { None };
        let mut report = DetectReport { events_considered: events.len(), ..Default::default() };
        // The windows first, then their findings: two threads share the windows (each window is
        // pure work on the loaded events), and the findings are put back in window order.
        let mut windows = Vec::new();
        let mut end = to;
        loop {
            let start = (end - Duration::days(days)).max(from);
            windows.push(Window {
                events: events.partition_point(|e| e.occurred_at <= start)
                    ..events.partition_point(|e| e.occurred_at <= end),
                violations: violations.partition_point(|v| v.occurred_at <= start)
                    ..violations.partition_point(|v| v.occurred_at <= end),
                end,
            });
            if start <= from {
                break;
            }
            end -= Duration::days((days / 2).max(1));
        }
        let find = |w: &Window| -> (Vec<Finding>, Reading) {
            let range = w.events.clone();
            let (mut found, how) = match &vectors {
                None => {
                    let corpus = corpus.get_or_init(|| Corpus::new(&view));
                    (theme_findings(corpus, &view, &events, range.clone(), &names, w.end), Reading::Keywords)
                }
                Some(v) => {
                    let covered = events[range.clone()].iter().filter(|e| v.contains_key(&e.id)).count();
                    if covered as f64 >= MEANING_COVERAGE * range.len() as f64 {
                        (situation_findings(&view, &events, range.clone(), v, tz, &names), Reading::Meaning)
                    } else {
                        // Keywords here would raise insights that the model's reading soon retires.
                        (Vec::new(), Reading::Waiting)
                    }
                }
            };
            found.extend(signal_findings(&events[range], &violations[w.violations.clone()], tz, &names));
            (found, how)
        };
        let half = windows.len().div_ceil(2);
        let (first, second) = windows.split_at(half);
        let (mut results, rest) = std::thread::scope(|scope| {
            let other = scope.spawn(|| second.iter().map(find).collect::<Vec<_>>());
            let mine: Vec<_> = first.iter().map(find).collect();
            (mine, other.join().expect("a detection thread"))
        });
        results.extend(rest);
        let waiting = results.iter().any(|r| r.1 == Reading::Waiting);
        let mut judged = SIGNALS.to_vec();
        report.engine = match &vectors {
            None => {
                judged.push(KEYWORDS);
                PatternEngine::Keywords
            }
            Some(_) if waiting => {
                notice.get_or_insert_with(|| {
                    "the language model has not read enough of these weeks yet: recurring situations are looked \
                     for once it has (run `wisdom embed`, or leave the app open)"
                        .into()
                });
                PatternEngine::Reading
            }
            Some(_) => {
                judged.extend([RECURRING, KEYWORDS]);
                PatternEngine::Meaning
            }
        };
        report.notice = notice;
        let mut all: Vec<Finding> = results.into_iter().flat_map(|r| r.0).collect();
        // Trend alerts are about now only.
        all.extend(trend_alerts(&tx, &names, to)?);
        keep(&tx, all, now, &Scope { from, to, judged }, &mut report)?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('patterns_last_run', ?1)
             ON CONFLICT (key) DO UPDATE SET value = ?1",
            [time::to_db(now)],
        )?;
        // Until a run reads by meaning, the next finished reading looks again.
        set_look_again(&tx, report.engine != PatternEngine::Meaning)?;
        tx.commit()?;
        tracing::debug!(created = report.created, updated = report.updated, "patterns detected");
        Ok(report)
    }

    /// Runs the engine again, once the language model has read the whole journal, when its last
    /// run waited for the model or many entries came since (an import, a first sync): what a
    /// finished back-fill calls, over the whole journal. None when there was no need.
    pub fn detect_patterns_after_reading(&mut self) -> Result<Option<DetectReport>> {
        let due = self.setting(LOOK_AGAIN)?.as_deref() == Some("true");
        if !due || !self.meaning_status()?.is_complete() {
            return Ok(None);
        }
        // An import or a first sync can bring years of writing: all of it is looked at, window by
        // window, not only the last pattern window (an old journal would show nothing at all).
        let now = self.now();
        let recent = now - Duration::days(window_days(&self.conn)?);
        let first: Option<DateTime<Utc>> = self
            .conn
            .prepare_cached("SELECT min(occurred_at) FROM events")?
            .query_row([], |r| crate::db::opt_ts_at(r, 0))?;
        let from = first.map_or(recent, |f| (f - Duration::days(1)).min(recent));
        self.detect_patterns_between(from, now).map(Some)
    }

    /// Whether this run can read by meaning (the model is here), reading a small back-log first;
    /// otherwise why not, in a sentence.
    fn prepare_meaning(&mut self) -> Result<(bool, Option<String>)> {
        let model = match crate::meaning::language_model() {
            Ok(m) => m,
            Err(e) => return Ok((false, Some(format!("{e}: recurring situations are found by keywords")))),
        };
        // (Looking for unread events is a scan: only when the counts say there are some.)
        let unread = self.events_without_vectors()?;
        if unread > 0 && unread <= INLINE_BACKFILL {
            self.embed_event_backlog(&model)?;
        }
        Ok((true, None))
    }

    /// Sets how many days back the daily pattern run looks.
    pub fn set_pattern_window(&mut self, days: i64) -> Result<()> {
        if !(7..=3650).contains(&days) {
            return Err(wisdom_model::Invalid::new("patternWindowDays", days, "7 to 3650 days").into());
        }
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('pattern_window_days', ?1)
             ON CONFLICT (key) DO UPDATE SET value = ?1",
            [days.to_string()],
        )?;
        Ok(())
    }
}
