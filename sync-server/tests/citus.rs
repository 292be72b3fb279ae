//! Opt-in: the server's convergence, isolation and fault scenarios against an existing Citus
//! coordinator, given as `WISDOM_CITUS_URL=postgres://user@host:port/db` (a database with the
//! citus extension and its workers added; see docs/sync-server.md). Without it every test here
//! says it is skipped and passes. The database is shared by the tests (and kept): every account is
//! new, under a unique email.
//!
//!     WISDOM_CITUS_URL=postgres://wisdom@127.0.0.1:9700/wisdom \
//!       cargo nextest run -p wisdom-sync-server --test citus --no-capture

mod common;

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use wisdom_sync_server::{Background, Config};

fn coordinator(test: &str) -> Option<String> {
    match std::env::var("WISDOM_CITUS_URL").ok().filter(|v| !v.is_empty()) {
        Some(url) => Some(url),
        None => {
            eprintln!("{test}: skipped: WISDOM_CITUS_URL is not set (a Citus coordinator to run against)");
            None
        }
    }
}

fn server(db: &str) -> Background {
    let mut config = Config::new(db);
    config.listen = "127.0.0.1:0".parse().unwrap();
    Background::start(config).expect("the sync server starts against the database")
}

/// Runs SQL on the coordinator with psql; unaligned output.
fn sql(db: &str, q: &str) -> String {
    let psql = std::env::var("WISDOM_PG_BIN").map(|b| format!("{b}/psql")).unwrap_or_else(|_| "psql".into());
    let out = Command::new(psql).args([db, "-XAtq", "-c", q]).output().expect("psql runs");
    assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{name}.{nanos}@citus.example.org")
}

fn schema_of(db: &str, tenant: &str) -> String {
    sql(db, &format!("SELECT schema_name FROM tenants WHERE id = '{tenant}'"))
}

/// The worker (host:port) holding every table of `schema`; panics if they are not together.
fn node_of(db: &str, schema: &str) -> String {
    let nodes = sql(
        db,
        &format!(
            "SELECT DISTINCT nodename || ':' || nodeport FROM citus_shards
             WHERE table_name::text LIKE '{schema}.%'"
        ),
    );
    let nodes: Vec<&str> = nodes.lines().collect();
    assert_eq!(nodes.len(), 1, "{schema}'s tables are not on one node: {nodes:?}");
    nodes[0].to_string()
}

#[test]
fn citus_tenant_schemas_are_distributed_and_spread_over_workers() {
    let Some(db) = coordinator("citus_tenant_schemas_are_distributed_and_spread_over_workers") else { return };
    let server = server(&db);
    let raw = Raw::new(&server.url());
    let mut per_node: BTreeMap<String, usize> = BTreeMap::new();
    let started = Instant::now();
    for i in 0..12 {
        let (_, tenant, _) = raw.account(&unique(&format!("spread{i}")));
        let schema = schema_of(&db, &tenant);
        let distributed =
            sql(&db, &format!("SELECT count(*) FROM pg_dist_schema WHERE schemaid::regnamespace::text = '{schema}'"));
        assert_eq!(distributed, "1", "{schema} is not a distributed schema");
        let tables = sql(&db, &format!("SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}'"));
        let shards = sql(&db, &format!("SELECT count(*) FROM citus_shards WHERE table_name::text LIKE '{schema}.%'"));
        assert!(tables.parse::<usize>().unwrap() >= 5, "{schema} holds {tables} tables");
        assert_eq!(shards, tables, "{schema}: each of its tables is a shard");
        // Its functions run where its tables are (a push is one routed call).
        let local_functions = sql(
            &db,
            &format!(
                "SELECT count(*) FROM pg_proc p WHERE p.pronamespace = '{schema}'::regnamespace AND NOT EXISTS
                 (SELECT 1 FROM pg_dist_object d WHERE d.objid = p.oid AND d.colocationid IS NOT NULL)"
            ),
        );
        assert_eq!(local_functions, "0", "{schema}: a function not colocated with its tables");
        *per_node.entry(node_of(&db, &schema)).or_default() += 1;
    }
    eprintln!("12 tenants in {:?}, per node: {per_node:?}", started.elapsed());
    let workers: usize =
        sql(&db, "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0").parse().unwrap();
    if workers >= 2 {
        assert!(per_node.len() >= 2, "12 tenants all on one worker: {per_node:?}");
    }
    // The system layer stays on the coordinator, as plain tables.
    let system = sql(&db, "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::text IN ('users', 'tenants', 'user_tenants', 'devices', 'sessions')");
    assert_eq!(system, "0");
}

/// The pg_dist_object row of `schema`'s push function: (its xmin, whether it is colocated with the
/// schema's `head`). `create_distributed_function` rewrites that row (and takes Citus's metadata
/// locks and syncs every worker) each time it is called, so an unchanged xmin means it was not.
fn push_function_distribution(db: &str, schema: &str) -> (String, bool) {
    let row = sql(
        db,
        &format!(
            "SELECT d.xmin::text, d.colocationid = p.colocationid FROM pg_dist_object d, pg_dist_partition p
             WHERE d.classid = 'pg_proc'::regclass AND d.objid = '\"{schema}\".push_changes'::regproc::oid
               AND p.logicalrelid = '\"{schema}\".head'::regclass"
        ),
    );
    let (xmin, colocated) =
        row.split_once('|').unwrap_or_else(|| panic!("{schema}: no distributed push function: {row:?}"));
    (xmin.to_string(), colocated == "t")
}

#[test]
fn citus_a_restart_leaves_colocated_functions_alone() {
    let Some(db) = coordinator("citus_a_restart_leaves_colocated_functions_alone") else { return };
    let first = server(&db);
    let (_, tenant, _) = Raw::new(&first.url()).account(&unique("restart"));
    drop(first);
    let schema = schema_of(&db, &tenant);
    let before = push_function_distribution(&db, &schema);
    assert!(before.1, "{schema}: push_changes is not colocated with its tables");
    // A second start brings every tenant up to date; one already distributed with its tables is
    // not distributed again.
    let started = Instant::now();
    drop(server(&db));
    let tenants = sql(&db, "SELECT count(*) FROM tenants WHERE status <> 'DELETED'");
    eprintln!("a start with {tenants} tenants took {:?}", started.elapsed());
    assert_eq!(push_function_distribution(&db, &schema), before, "{schema}: create_distributed_function ran again");
}

#[test]
fn citus_devices_converge() {
    let Some(db) = coordinator("citus_devices_converge") else { return };
    let server = server(&db);
    let clock = TestClock::new();
    let email = unique("converge");
    let mut a = Device::create(&clock);
    register_at(&server.url(), &mut a, &email);
    let mut b = Device::link_at(&server.url(), &email, "phone", &clock);
    let e1 = a.add_event("physical-health", "Morning run", &["run"]);
    b.add_event("work", "Shipped it", &["work"]);
    sync_until_quiet(&mut [&mut a, &mut b]);
    b.edit_event(&e1, json!({"title": "Evening run"}));
    clock.advance(5);
    a.edit_event(&e1, json!({"tone": "NEUTRAL"}));
    sync_until_quiet(&mut [&mut a, &mut b]);
    assert_converged(&[&a, &b]);
}

#[test]
fn citus_a_tenant_is_reachable_only_by_its_account() {
    let Some(db) = coordinator("citus_a_tenant_is_reachable_only_by_its_account") else { return };
    let server = server(&db);
    let raw = Raw::new(&server.url());
    let (ta, tenant_a, device_a) = raw.account(&unique("iso-a"));
    let (tb, tenant_b, _) = raw.account(&unique("iso-b"));
    let push = json!({"pushId": "p1", "changes": [Raw::envelope("event", "e1", 1, &device_a)]});
    assert_eq!(raw.json("POST", &format!("/tenants/{tenant_a}/push"), Some(&ta), push.clone()).0, 200);
    assert_eq!(raw.json("POST", &format!("/tenants/{tenant_a}/push"), Some(&tb), push).0, 404);
    assert_eq!(raw.send("GET", &format!("/tenants/{tenant_a}/pull"), Some(&tb), None).0, 404);
    let (s, pulled) = raw.send("GET", &format!("/tenants/{tenant_b}/pull"), Some(&tb), None);
    assert_eq!((s, pulled["changes"].as_array().unwrap().len()), (200, 0));
    // No tenant table refers outside its schema (Citus would refuse to place it whole).
    let schema = schema_of(&db, &tenant_a);
    let outside = sql(
        &db,
        &format!(
            "SELECT count(*) FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
             JOIN pg_namespace n ON n.oid = r.relnamespace
             LEFT JOIN pg_class f ON f.oid = c.confrelid LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace
             WHERE n.nspname = '{schema}' AND c.contype = 'f' AND fn.nspname <> n.nspname"
        ),
    );
    assert_eq!(outside, "0");
}

#[test]
fn citus_concurrent_pushes_keep_a_gapless_sequence_and_retries_apply_once() {
    let Some(db) = coordinator("citus_concurrent_pushes_keep_a_gapless_sequence_and_retries_apply_once") else {
        return;
    };
    let server = server(&db);
    let raw = Raw::new(&server.url());
    let (token, tenant, device) = raw.account(&unique("faults"));
    let path = format!("/tenants/{tenant}/push");
    std::thread::scope(|s| {
        for t in 0..8 {
            let (raw, token, device, path) = (Raw::new(&server.url()), token.clone(), device.clone(), path.clone());
            s.spawn(move || {
                for i in 0..25 {
                    let body = json!({"pushId": format!("t{t}-{i}"), "changes": [Raw::envelope("event", &format!("e{t}-{i}"), 1, &device)]});
                    let (status, res) = raw.json("POST", &path, Some(&token), body);
                    assert_eq!(status, 200, "{res}");
                }
            });
        }
    });
    let again = json!({"pushId": "t0-0", "changes": [Raw::envelope("event", "e0-0", 1, &device)]});
    let (_, res) = raw.json("POST", &path, Some(&token), again);
    assert_eq!(res["duplicate"], true);
    let mut seqs = Vec::new();
    let mut after = 0;
    loop {
        let (_, page) = raw.send("GET", &format!("/tenants/{tenant}/pull?after={after}&limit=64"), Some(&token), None);
        seqs.extend(page["changes"].as_array().unwrap().iter().map(|c| c["seq"].as_i64().unwrap()));
        after = page["next"].as_i64().unwrap();
        if !page["more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(seqs, (1..=200).collect::<Vec<i64>>());
    let (s, _) = raw.send("GET", &format!("/tenants/{tenant}/pull?after=500"), Some(&token), None);
    assert_eq!(s, 409);
}

#[test]
fn citus_a_tenant_moved_while_its_devices_sync_loses_nothing() {
    let Some(db) = coordinator("citus_a_tenant_moved_while_its_devices_sync_loses_nothing") else { return };
    let server = server(&db);
    let clock = TestClock::new();
    let email = unique("move");
    let mut a = Device::create(&clock);
    register_at(&server.url(), &mut a, &email);
    let mut b = Device::link_at(&server.url(), &email, "phone", &clock);
    let tenant = a.ws.sync_status().unwrap().unwrap().tenant_id;
    let schema = schema_of(&db, &tenant);
    let from = node_of(&db, &schema);
    let to = sql(
        &db,
        &format!(
            "SELECT nodename || ':' || nodeport FROM pg_dist_node
             WHERE noderole = 'primary' AND groupid <> 0 AND nodename || ':' || nodeport <> '{from}' LIMIT 1"
        ),
    );
    if to.is_empty() {
        eprintln!("skipped the move: only one worker");
        return;
    }
    let moving = Arc::new(AtomicBool::new(true));
    let (host, port) = to.split_once(':').unwrap();
    let mover = {
        let (db, schema, host, port, moving) =
            (db.clone(), schema.clone(), host.to_string(), port.to_string(), moving.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let started = Instant::now();
            sql(&db, &format!("SELECT citus_schema_move('{schema}', '{host}', {port})"));
            moving.store(false, Ordering::SeqCst);
            started.elapsed()
        })
    };
    let mut rounds = 0;
    while moving.load(Ordering::SeqCst) || rounds < 5 {
        a.add_event("physical-health", &format!("Entry {rounds}"), &[]);
        clock.advance(1);
        a.sync();
        b.sync();
        rounds += 1;
    }
    let took = mover.join().unwrap();
    sync_until_quiet(&mut [&mut a, &mut b]);
    assert_converged(&[&a, &b]);
    assert_eq!(node_of(&db, &schema), to);
    eprintln!("{schema} moved {from} -> {to} in {took:?} while the devices ran {rounds} sync rounds");
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() * 95 / 100])
}

/// Sequential pushes of 5 rows and pulls of one tenant: (push p50, p95, pull p50, p95, tenant creation).
fn latency(url: &str, label: &str) -> (Duration, Duration) {
    let raw = Raw::new(url);
    let started = Instant::now();
    let (token, tenant, device) = raw.account(&unique(&format!("latency-{label}")));
    let created = started.elapsed();
    let mut pushes = Vec::new();
    let mut pulls = Vec::new();
    for i in 0..200 {
        let changes: Vec<_> = (0..5).map(|j| Raw::envelope("event", &format!("e{i}-{j}"), i + 1, &device)).collect();
        let t = Instant::now();
        let (s, _) = raw.json(
            "POST",
            &format!("/tenants/{tenant}/push"),
            Some(&token),
            json!({"pushId": format!("p{i}"), "changes": changes}),
        );
        pushes.push(t.elapsed());
        assert_eq!(s, 200);
        let t = Instant::now();
        let (s, _) = raw.send("GET", &format!("/tenants/{tenant}/pull?after={}", i * 5), Some(&token), None);
        pulls.push(t.elapsed());
        assert_eq!(s, 200);
    }
    let (push50, push95) = percentiles(pushes);
    let (pull50, pull95) = percentiles(pulls);
    eprintln!("{label:>8}: push p50 {push50:.1?} p95 {push95:.1?} | pull p50 {pull50:.1?} p95 {pull95:.1?} | tenant created in {created:.1?}");
    (push50, pull50)
}

#[test]
fn citus_push_and_pull_latency_beside_plain_postgres() {
    let Some(db) = coordinator("citus_push_and_pull_latency_beside_plain_postgres") else { return };
    let plain = Stack::start();
    let citus = server(&db);
    let (plain_push, _) = latency(&plain.url(), "postgres");
    let (citus_push, _) = latency(&citus.url(), "citus");
    // Routed to the tenant's worker, a push costs one more hop, not plans pulled through the
    // coordinator (24 ms against 2 ms before). Within 2x, with 1 ms of slack for a busy machine.
    assert!(citus_push <= plain_push * 2 + Duration::from_millis(1), "citus push p50 {citus_push:?} vs {plain_push:?}");
}
