//! The `wisdom` command's scriptable contract: flags, JSON shapes, exit codes, one-line errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;
use common::{stderr, wisdom_command, PASS};

struct Env {
    dir: tempfile::TempDir,
    ws: PathBuf,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("journal.wisdom");
        let env = Env { dir, ws };
        let out = env.run(&["init", "--name", "CLI Journal", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        env
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = wisdom_command(&self.dir.path().join("home"), &self.ws, args);
        c.env("WISDOM_PASSPHRASE", PASS);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).unwrap()
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

#[test]
fn areas_and_dashboard_print_the_seed_shapes() {
    let env = Env::new();
    let areas = env.json(&["areas"]);
    let list = areas["lifeAreas"].as_array().unwrap();
    assert_eq!(list.len(), 30);
    for key in ["id", "slug", "name", "cluster", "currentScore", "status", "sortOrder"] {
        assert!(list[0].get(key).is_some(), "lifeAreas[0].{key}");
    }
    let d = env.json(&["dashboard"]);
    for key in [
        "overallScore",
        "distribution",
        "topAreas",
        "needsAttention",
        "recentActivity",
        "activeCommitments",
        "upcomingReviews",
    ] {
        assert!(d.get(key).is_some(), "dashboard.{key}");
    }
    assert_eq!(d["distribution"]["balanced"], 30);
    assert!(env.ok(&["areas"]).contains("Work & Purpose"));
}

#[test]
fn event_add_returns_the_post_events_response_and_changes_the_score() {
    let env = Env::new();
    let r = env.json(&[
        "event",
        "add",
        "Got promoted",
        "--area",
        "work",
        "--type",
        "breakthrough",
        "--charge",
        "5",
        "--tag",
        "career",
        "--at",
        "2026-01-15",
    ]);
    assert_eq!(r["event"]["title"], "Got promoted");
    assert_eq!(r["event"]["type"], "BREAKTHROUGH");
    assert_eq!(r["event"]["category"], "PROFESSIONAL");
    assert_eq!(r["event"]["tone"], "POSITIVE");
    assert!(r["suggestedInsights"].is_array());
    let id = r["event"]["id"].as_str().unwrap().to_string();
    let shown = env.json(&["event", "show", &id[..14]]);
    assert_eq!(shown["id"], id.as_str());
    let listed = env.json(&["event", "list", "--tag", "career"]);
    assert_eq!(listed["events"].as_array().unwrap().len(), 1);
    let edited = env.json(&["event", "edit", &id, "--charge", "-2", "--title", "Promotion, mixed feelings"]);
    assert_eq!(edited["emotionalCharge"], -2);
    let hits = env.json(&["search", "mixed feelings"]);
    assert_eq!(hits["results"][0]["id"], id.as_str());
    // The passage comes as parts, the matched terms marked.
    let parts = hits["results"][0]["snippet"].as_array().unwrap();
    let marked: Vec<&str> = parts.iter().filter(|p| p["marked"] == true).filter_map(|p| p["text"].as_str()).collect();
    assert_eq!(marked, ["mixed", "feelings"], "{hits}");
    // Piped, the hit is its plain text: no markers, no terminal escapes.
    let listed = env.ok(&["search", "mixed feelings"]);
    assert!(listed.contains("Promotion, mixed feelings") && !listed.contains('\x1b'), "{listed}");
    assert!(listed.lines().any(|l| l == "    Promotion, mixed feelings"), "{listed}");
    env.ok(&["event", "rm", &id]);
    assert_eq!(env.run(&["event", "show", &id]).status.code(), Some(2));
}

#[test]
fn exit_codes_follow_the_contract() {
    let env = Env::new();
    let bad_charge = env.run(&["event", "add", "x", "--area", "work", "--type", "upset", "--charge", "9"]);
    assert_eq!(bad_charge.status.code(), Some(2));
    assert_eq!(stderr(&bad_charge).trim(), "error: invalid emotionalCharge: \"9\" (allowed: an integer from -5 to +5)");
    let bad_enum = env.run(&["event", "add", "x", "--area", "work", "--type", "great"]);
    assert_eq!(bad_enum.status.code(), Some(2));
    assert!(stderr(&bad_enum).contains("allowed: BREAKTHROUGH"));
    let bad_area = env.run(&["event", "add", "x", "--area", "gardening", "--type", "upset"]);
    assert_eq!(bad_area.status.code(), Some(2));
    let wrong = env.cmd(&["areas"]).env("WISDOM_PASSPHRASE", "not it at all").output().unwrap();
    assert_eq!(wrong.status.code(), Some(3));
    assert_eq!(stderr(&wrong).trim(), "error: wrong passphrase");
    let no_pass = env.cmd(&["areas"]).env_remove("WISDOM_PASSPHRASE").output().unwrap();
    assert_eq!(no_pass.status.code(), Some(2), "{}", stderr(&no_pass));
    let missing = env.cmd(&["areas"]).args(["--workspace", "/nonexistent/x.wisdom"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(stderr(&missing).lines().count(), 1);
}

#[test]
fn passphrase_file_and_passwd() {
    let env = Env::new();
    let file = env.file("pass.txt", &format!("{PASS}\n"));
    let out = env
        .cmd(&["areas", "--passphrase-file", file.to_str().unwrap()])
        .env_remove("WISDOM_PASSPHRASE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let changed = env.cmd(&["passwd"]).env("WISDOM_NEW_PASSPHRASE", "an even better one").output().unwrap();
    assert!(changed.status.success(), "{}", stderr(&changed));
    assert_eq!(env.run(&["areas"]).status.code(), Some(3));
    assert!(env.cmd(&["areas"]).env("WISDOM_PASSPHRASE", "an even better one").output().unwrap().status.success());
}

#[test]
fn import_rejects_a_bad_line_whole_and_export_round_trips() {
    let env = Env::new();
    let good = r#"{"lifeArea":"family","type":"MILESTONE","category":"RELATIONAL","tone":"POSITIVE","title":"Wedding","description":"Best day","occurredAt":"2025-06-01T15:00:00Z","emotionalCharge":5,"tags":["love"]}"#;
    let bad = good.replace("\"emotionalCharge\":5", "\"emotionalCharge\":\"five\"");
    let file = env.file("bad.jsonl", &format!("{good}\n{bad}\n"));
    let out = env.run(&["import", file.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: line 2: "), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was imported"));
    assert_eq!(env.json(&["event", "list"])["events"].as_array().unwrap().len(), 0);

    let file = env.file("good.jsonl", &format!("{good}\n{}\n", good.replace("Wedding", "Honeymoon")));
    let report = env.json(&["import", file.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(report["events"], 2);

    let export = env.dir.path().join("out.json");
    env.ok(&["export", "--format", "json", "-o", export.to_str().unwrap()]);
    let md = env.dir.path().join("out.md");
    env.ok(&["export", "--format", "markdown", "-o", md.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&md).unwrap().contains("Honeymoon"));

    let other = Env::new();
    let r = other.json(&["import", export.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r["events"], 2);
    let a = env.json(&["event", "list"]);
    let b = other.json(&["event", "list"]);
    assert_eq!(a, b);
}

#[test]
fn records_verbs_work_end_to_end() {
    let env = Env::new();
    let b =
        env.json(&["boundary", "add", "No work email after 7pm", "--reason", "Evenings are mine", "--area", "work"]);
    let bid = b["id"].as_str().unwrap();
    let v = env.json(&["boundary", "violate", bid, "--note", "Answered the boss at 10pm"]);
    assert_eq!(v["boundary"]["violationCount"], 1);
    assert_eq!(env.json(&["areas"])["lifeAreas"][0]["currentScore"], 40.0);
    let c = env.json(&[
        "commitment",
        "add",
        "Laptop closed by 7",
        "--intention",
        "Rest",
        "--area",
        "work",
        "--review",
        "2099-01-01",
    ]);
    let cid = c["id"].as_str().unwrap();
    let done = env.json(&["commitment", "edit", cid, "--status", "completed"]);
    assert_eq!(done["status"], "COMPLETED");
    let i =
        env.json(&["insight", "add", "Evenings matter", "--type", "value-clarified", "-d", "I am better with rest"]);
    let iid = i["id"].as_str().unwrap();
    assert_eq!(env.json(&["insight", "apply", iid])["applied"], true);
    assert_eq!(env.json(&["insight", "list"])["insights"].as_array().unwrap().len(), 1);
    let era = env.json(&["era", "add", "Thirties", "--start", "2020"]);
    let entry = env.json(&[
        "bio",
        "add",
        "A new job",
        "--era",
        era["id"].as_str().unwrap(),
        "--year",
        "2024",
        "--narrative",
        "It began.",
        "--area",
        "work",
    ]);
    assert_eq!(entry["lifeAreaIds"][0], "area_work");
    assert_eq!(
        env.run(&["era", "rm", era["id"].as_str().unwrap()]).status.code(),
        Some(2),
        "era with entries is protected"
    );
}

#[test]
fn workspaces_lists_this_device_without_secrets() {
    let env = Env::new();
    let w = env.json(&["workspaces"]);
    let list = w["workspaces"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "CLI Journal");
    assert_eq!(list[0]["kdf"]["memoryKib"], 19 * 1024);
    let registry = std::fs::read_to_string(Path::new(&env.dir.path().join("home/registry.json"))).unwrap();
    assert!(!registry.contains(PASS) && !registry.contains("wrappedKey"));
}

#[test]
fn insights_detect_and_snapshots_commands() {
    let env = Env::new();
    for i in 0..4 {
        let day = format!("2026-0{}-1{i}", 1 + i % 2);
        env.ok(&[
            "event",
            "add",
            &format!("Overtime before the deadline {i}"),
            "--area",
            "work",
            "--type",
            "upset",
            "--charge",
            "-3",
            "--tag",
            "overwork",
            "-d",
            "Stayed late again, exhausted, the boss wanted overtime",
            "--at",
            &day,
        ]);
    }
    let r = env.json(&["insights", "detect", "--window-days", "3650"]);
    assert!(r["created"].as_u64().unwrap() >= 1, "{r}");
    let list = env.json(&["insights"]);
    let found = list["insights"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"].as_str().unwrap().starts_with("Recurring:"))
        .cloned();
    let found = found.expect("a recurring pattern");
    assert_eq!(found["type"], "PATTERN_RECOGNIZED");
    assert_eq!(found["frequency"], 4);
    let id = found["id"].as_str().unwrap();
    let c = env.json(&["insight", "commit", id, "Home by six", "--intention", "Evenings back"]);
    assert_eq!(c["insight"]["applied"], true);
    assert_eq!(c["commitment"]["lifeAreaId"], "area_work");
    assert!(env.json(&["insight", "dismiss", id])["dismissedAt"].is_string());
    assert_eq!(env.json(&["insights", "detect"])["created"], 0);

    env.ok(&["timezone", "Europe/Lisbon"]);
    assert_eq!(env.json(&["timezone"])["timezone"], "Europe/Lisbon");
    assert_eq!(env.run(&["timezone", "Mars/Olympus"]).status.code(), Some(2));
    let s = env.json(&["snapshots", "work", "--from", "2020-01-01"]);
    assert!(s["snapshots"].is_array());
}

#[test]
fn bench_quick_runs_every_operation() {
    let out = Command::new(env!("CARGO_BIN_EXE_wisdom"))
        .args(["bench", "--quick", "--json"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.len() >= 12, "{rows:?}");
    assert!(rows.iter().all(|r| r["medianMs"].as_f64().unwrap() >= 0.0));
    let insert = rows.iter().find(|r| r["operation"].as_str().unwrap().starts_with("create event")).unwrap();
    assert!(insert["p99Ms"].as_f64().unwrap() > 0.0 && insert["budgetMs"] == 2.0);
}

#[test]
fn without_the_language_model_insights_fall_back_to_keywords_and_say_so_once() {
    let env = Env::new();
    env.ok(&[
        "event",
        "add",
        "My boss snapped at me in the standup",
        "--area",
        "work",
        "--type",
        "upset",
        "--charge",
        "-3",
    ]);
    let no_model =
        |args: &[&str]| env.cmd(args).env("WISDOM_MODEL_DIR", env.dir.path().join("no-model")).output().unwrap();
    let first = no_model(&["insights", "detect"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("keyword matching"), "{}", stderr(&first));
    let second = no_model(&["insights", "detect"]);
    assert!(second.status.success() && !stderr(&second).contains("keyword matching"), "{}", stderr(&second));
    let search = no_model(&["search", "--meaning", "boss"]);
    assert_eq!(search.status.code(), Some(1));
    assert!(stderr(&search).starts_with("error: the language model is not available"), "{}", stderr(&search));
    // With the model (scripts/test installs it), the same journal is searched by meaning.
    let hits = env.json(&["search", "--meaning", "my manager was rude to me"]);
    assert_eq!(hits["results"][0]["title"], "My boss snapped at me in the standup", "{hits}");
    let status = env.json(&["embed"]);
    assert_eq!((status["embedded"].as_u64(), status["total"].as_u64()), (Some(1), Some(1)), "{status}");
}

/// A journal imported where the model was missing got keyword guesses; once the model has read
/// it, the guesses it no longer finds are gone and the recurring situations it finds are named.
#[test]
fn keyword_guesses_give_way_to_situations_once_the_model_has_read_the_journal() {
    let env = Env::new();
    let journal = wisdom_core::corpus::written_journal(3, chrono::Utc::now());
    let lines: Vec<String> = journal.entries.iter().map(|e| serde_json::to_string(&e.event).unwrap()).collect();
    let file = env.file("old-journal.jsonl", &lines.join("\n"));
    let no_model = |args: &[&str]| {
        let out = env.cmd(args).env("WISDOM_MODEL_DIR", env.dir.path().join("no-model")).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    no_model(&["import", file.to_str().unwrap(), "--format", "jsonl"]);
    no_model(&["insights", "detect"]);
    let titles = |v: Value| -> Vec<String> {
        v["insights"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_string()).collect()
    };
    let guesses = titles(env.json(&["insights"]));
    assert!(guesses.iter().filter(|t| t.contains(" · ")).count() >= 3, "{guesses:?}");
    let read = env.run(&["embed"]);
    assert!(read.status.success() && stderr(&read).contains("no longer found"), "{}", stderr(&read));
    let now = titles(env.json(&["insights"]));
    let situations: Vec<&String> = now.iter().filter(|t| t.starts_with("Recurring: ")).collect();
    assert!(situations.len() >= 2 && situations.iter().all(|t| !t.contains(" · ")), "{now:?}");
    let status = env.json(&["embed"]);
    assert_eq!(status["embedded"], status["total"], "{status}");
}

#[test]
fn an_entry_starts_from_a_template_and_what_is_given_wins() {
    let env = Env::new();
    env.ok(&[
        "template",
        "add",
        "Evening",
        "--title",
        "Evening review, {weekday}",
        "--area",
        "personal-growth",
        "--type",
        "learning",
        "--tag",
        "review",
        "--body",
        "What went well?",
    ]);
    let list = env.json(&["template", "list"]);
    assert_eq!(list["templates"][0]["name"], "evening", "{list}");
    let e = env.json(&["event", "add", "--template", "EVENING", "--at", "2026-11-30", "--charge", "2"]);
    let ev = &e["event"];
    assert_eq!(ev["title"], "Evening review, Monday", "{e}");
    assert_eq!((ev["lifeAreaId"].as_str(), ev["type"].as_str()), (Some("area_personal-growth"), Some("LEARNING")));
    assert_eq!((ev["description"].as_str(), ev["tags"][0].as_str()), (Some("What went well?"), Some("review")));
    // What the person types wins over the template.
    let e = env.json(&["event", "add", "Long day", "--template", "evening", "--type", "setback", "-t", "work"]);
    assert_eq!((e["event"]["title"].as_str(), e["event"]["type"].as_str()), (Some("Long day"), Some("SETBACK")));
    assert_eq!(e["event"]["tags"], serde_json::json!(["review", "work"]));
    // A template without an area needs one from the command line; an unknown one is named.
    env.ok(&["template", "add", "gratitude", "--title", "Three good things"]);
    let out = env.run(&["event", "add", "--template", "gratitude", "--type", "progress"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("give --area"), "{}", stderr(&out));
    let out = env.run(&["event", "add", "--template", "nope"]);
    assert!(!out.status.success() && stderr(&out).contains("nope"), "{}", stderr(&out));
    let out = env.run(&["template", "add", "two words", "--title", "x"]);
    assert!(!out.status.success() && stderr(&out).contains("letters, digits"), "{}", stderr(&out));
    env.ok(&["template", "rm", "evening"]);
    assert_eq!(env.json(&["template", "list"])["templates"].as_array().unwrap().len(), 1);
}

#[test]
fn the_daily_practice_commands_speak_json_and_refuse_bad_dates() {
    let env = Env::new();
    env.ok(&["timezone", "UTC"]);
    for at in ["2024-02-29 10:00", "2025-02-28 10:00", "2026-01-28 10:00", "1d", "0d"] {
        env.ok(&[
            "event",
            "add",
            "Wrote a page",
            "--area",
            "personal-growth",
            "--type",
            "learning",
            "--charge",
            "2",
            "--at",
            at,
        ]);
    }
    let streak = env.json(&["streak"]);
    assert_eq!(streak["currentStreak"], 2, "{streak}");
    assert_eq!(streak["weeklyEntries"].as_array().unwrap().len(), 12);
    let found = env.json(&["on-this-day", "2026-02-28"]);
    let dates: Vec<&str> = found["onThisDay"].as_array().unwrap().iter().map(|o| o["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-01-28", "2025-02-28", "2024-02-29"]);
    let cal = env.json(&["calendar", "--year", "2024"]);
    assert_eq!(cal["days"][0]["date"], "2024-02-29");
    assert_eq!(cal["days"][0]["averageCharge"], 2.0);
    let today = env.json(&["today"]);
    assert_eq!(today["entries"].as_array().unwrap().len(), 1, "{today}");
    assert_eq!(today["rhythm"]["wroteToday"], true);
    let text = env.ok(&["calendar", "--year", "2024"]);
    assert_eq!(text.lines().count(), 13, "{text}");
    for bad in [&["on-this-day", "2025-02-30"][..], &["calendar", "--year", "0"][..]] {
        let out = env.run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1);
    }
}
