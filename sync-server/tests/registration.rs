//! Registering is all or nothing: a failure at any step (a tenant migration, the last row written)
//! leaves no user, device, session, tenant or schema, the client gets a clean 500 with a request id,
//! the server's log line under that id says what failed down to the database's own words, and the
//! same request succeeds once the fault is gone. Tenants made by the first form of V1 are upgraded.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

/// The real binary, logging JSON lines into a file the test reads.
struct LoggedServer {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl LoggedServer {
    fn start(pg: &Pg) -> LoggedServer {
        let port = pg::free_port();
        let log = pg.path().join(format!("server-{port}.log"));
        let child = Command::new(env!("CARGO_BIN_EXE_wisdom-sync-server"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("WISDOM_SYNC_DATABASE_URL", pg.url())
            .env("WISDOM_SYNC_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let server = LoggedServer { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if reqwest::blocking::get(format!("{}/health", server.url())).is_ok_and(|r| r.status() == 200) {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not come up: {}", server.log_text());
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The log lines (JSON) carrying `request_id`.
    fn lines_of(&self, request_id: &str) -> Vec<Value> {
        self.log_text()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v["fields"]["request_id"] == request_id)
            .collect()
    }
}

impl Drop for LoggedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn counts(pg: &Pg) -> String {
    pg.psql(
        "SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM devices) || ' devices, ' ||
                (SELECT count(*) FROM sessions) || ' sessions, ' || (SELECT count(*) FROM tenants) || ' tenants, ' ||
                (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%') || ' schemas'",
    )
}

fn register_body(email: &str) -> Value {
    json!({"email": email, "credential": "c".repeat(64), "deviceName": "laptop",
           "workspace": {"workspaceId": "ws_1", "wrappedKey": "{\"sealed\":true}"}})
}

/// Sends the failing register, checks the 500 and the log line under its request id, returns that line.
fn failed_register(server: &LoggedServer, pg: &Pg, email: &str) -> String {
    let raw = Raw::new(&server.url());
    let (status, body) = raw.json("POST", "/auth/register", None, register_body(email));
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["code"], "internal");
    let request_id = body["requestId"].as_str().expect("a 5xx names its request").to_string();
    assert!(body["message"].as_str().unwrap().contains(&request_id), "{body}");
    assert_eq!(counts(pg), "0 users, 0 devices, 0 sessions, 0 tenants, 0 schemas");
    // The log line may land a moment after the answer.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let lines = server.lines_of(&request_id);
        if let Some(l) = lines.iter().find(|l| l["fields"]["message"] == "request failed") {
            let error = l["fields"]["error"].as_str().unwrap().to_string();
            assert!(!error.ends_with("db error"), "{error}");
            return error;
        }
        assert!(Instant::now() < deadline, "no log line for request {request_id}:\n{}", server.log_text());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_registration_whose_tenant_migration_fails_leaves_nothing_and_can_be_retried() {
    let pg = Pg::start();
    let server = LoggedServer::start(&pg);
    pg.psql(
        "CREATE FUNCTION no_head() RETURNS event_trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF EXISTS (SELECT FROM pg_event_trigger_ddl_commands() WHERE object_identity LIKE 'tenant\\_%.head') THEN
             RAISE EXCEPTION 'injected: no head table today' USING HINT = 'drop the event trigger no_head';
           END IF;
         END $$;
         CREATE EVENT TRIGGER no_head ON ddl_command_end EXECUTE FUNCTION no_head();",
    );
    let error = failed_register(&server, &pg, "ana@example.org");
    // refinery -> tokio-postgres -> the database's own message, and the statement.
    for part in [
        "error applying migration V1__tenant",
        "ERROR P0001: injected: no head table today",
        "hint: drop the event trigger no_head",
        "CREATE TABLE head",
    ] {
        assert!(error.contains(part), "{part:?} missing from the logged error: {error}");
    }

    pg.psql("DROP EVENT TRIGGER no_head");
    let raw = Raw::new(&server.url());
    let (status, session) = raw.json("POST", "/auth/register", None, register_body("ana@example.org"));
    assert_eq!(status, 201, "{session}");
    assert_eq!(session["tenant"]["role"], "OWNER");
    assert_eq!(counts(&pg), "1 users, 1 devices, 1 sessions, 1 tenants, 1 schemas");
}

#[test]
fn a_registration_failing_at_its_last_row_leaves_nothing_and_can_be_retried() {
    let pg = Pg::start();
    let server = LoggedServer::start(&pg);
    pg.psql(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'injected: no owners today'; END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON user_tenants FOR EACH ROW EXECUTE FUNCTION refuse();",
    );
    let error = failed_register(&server, &pg, "ben@example.org");
    assert!(error.contains("ERROR P0001: injected: no owners today"), "{error}");
    assert!(error.contains("context: PL/pgSQL function refuse()"), "{error}");

    pg.psql("DROP TRIGGER refuse ON user_tenants");
    let (status, session) =
        Raw::new(&server.url()).json("POST", "/auth/register", None, register_body("ben@example.org"));
    assert_eq!(status, 201, "{session}");
    assert_eq!(counts(&pg), "1 users, 1 devices, 1 sessions, 1 tenants, 1 schemas");
    // And the tenant works.
    let token = session["token"].as_str().unwrap();
    let tenant = session["tenant"]["tenantId"].as_str().unwrap();
    let device = session["deviceId"].as_str().unwrap();
    let raw = Raw::new(&server.url());
    let (s, pushed) = raw.json(
        "POST",
        &format!("/tenants/{tenant}/push"),
        Some(token),
        json!({"pushId": "p1", "changes": [Raw::envelope("event", "e1", 1, device)]}),
    );
    assert_eq!((s, pushed["accepted"].as_u64()), (200, Some(1)), "{pushed}");
}

#[test]
fn a_registration_with_an_email_taken_leaves_no_schema_behind() {
    let pg = Pg::start();
    let server = LoggedServer::start(&pg);
    let raw = Raw::new(&server.url());
    assert_eq!(raw.json("POST", "/auth/register", None, register_body("cy@example.org")).0, 201);
    let (status, body) = raw.json("POST", "/auth/register", None, register_body("cy@example.org"));
    assert_eq!(status, 409, "{body}");
    assert_eq!(counts(&pg), "1 users, 1 devices, 1 sessions, 1 tenants, 1 schemas");
}

/// A tenant made by the first V1 (a separate CREATE UNIQUE INDEX) carries that form's checksum; the
/// server records the revised one at start and the tenant syncs on.
#[test]
fn a_tenant_made_by_the_first_v1_is_upgraded_at_start() {
    let pg = Pg::start();
    let server = LoggedServer::start(&pg);
    let raw = Raw::new(&server.url());
    let (token, tenant, device) = raw.account("dee@example.org");
    let schema = pg.psql(&format!("SELECT schema_name FROM tenants WHERE id = '{tenant}'"));
    // Make it over again as the first V1 made it, history and all.
    pg.psql(&format!("DROP SCHEMA {schema} CASCADE; CREATE SCHEMA {schema}"));
    let first = include_str!("fixtures/V1__tenant.before-citus.sql");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (mut client, conn) = tokio_postgres::connect(&pg.url(), tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        client.batch_execute(&format!("SET search_path = {schema}")).await.unwrap();
        let old = refinery::Migration::unapplied("V1__tenant", first).unwrap();
        refinery::Runner::new(&[old]).run_async(&mut client).await.unwrap();
    });
    let old_sum = pg.psql(&format!("SELECT checksum FROM {schema}.refinery_schema_history WHERE version = 1"));
    assert_eq!(old_sum, wisdom_sync_server::tenancy::REVISED[0].1.to_string());
    drop(server);

    let server = LoggedServer::start(&pg);
    let now = wisdom_sync_server::tenancy::runner().get_migrations()[0].checksum().to_string();
    assert_eq!(pg.psql(&format!("SELECT checksum FROM {schema}.refinery_schema_history WHERE version = 1")), now);
    assert!(server.log_text().contains("recorded the revised checksum"), "{}", server.log_text());
    let raw = Raw::new(&server.url());
    let (s, pushed) = raw.json(
        "POST",
        &format!("/tenants/{tenant}/push"),
        Some(&token),
        json!({"pushId": "p1", "changes": [Raw::envelope("event", "e1", 1, &device)]}),
    );
    assert_eq!((s, pushed["accepted"].as_u64()), (200, Some(1)), "{pushed}");
    // A second start finds nothing to do.
    drop(server);
    let server = LoggedServer::start(&pg);
    assert!(!server.log_text().contains("recorded the revised checksum"));
}

/// What a server killed between making a tenant's schema and writing its rows leaves: a schema no
/// tenant names. The next start drops it once it is old enough not to be another server's
/// registration in flight; a fresh one stays, and so does one of unknown age (logged).
#[test]
fn a_schema_a_crashed_registration_left_is_dropped_at_a_later_start() {
    use wisdom_sync_server::tenancy;
    let pg = Pg::start();
    let server = LoggedServer::start(&pg);
    let raw = Raw::new(&server.url());
    let (_, tenant, _) = raw.account("kept@example.org");
    let kept = pg.psql(&format!("SELECT schema_name FROM tenants WHERE id = '{tenant}'"));
    drop(server);
    // Made exactly as a registration makes them, then the server "dies" before the rows.
    let (old, fresh, undated) = (
        format!("tenant_{}", wisdom_sync_server::auth::new_id()),
        format!("tenant_{}", wisdom_sync_server::auth::new_id()),
        format!("tenant_{}", wisdom_sync_server::auth::new_id()),
    );
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (mut client, conn) = tokio_postgres::connect(&pg.url(), tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        for schema in [&old, &fresh, &undated] {
            tenancy::provision(&mut client, &tenancy::Backend::Postgres, schema).await.unwrap();
        }
    });
    let made = pg.psql(&format!("SELECT obj_description('{fresh}'::regnamespace, 'pg_namespace')"));
    assert!(made.starts_with("wisdom tenant schema, made at unix time "), "{made}");
    let now: i64 = pg.psql("SELECT extract(epoch FROM now())::bigint").parse().unwrap();
    let backdated = tenancy::made_comment(now - tenancy::ORPHAN_AFTER_SECONDS - 60);
    pg.psql(&format!("COMMENT ON SCHEMA {old} IS '{backdated}'; COMMENT ON SCHEMA {undated} IS NULL"));

    let server = LoggedServer::start(&pg);
    let schemas =
        pg.psql("SELECT string_agg(nspname, ' ' ORDER BY nspname) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'");
    let mut left: Vec<&str> = schemas.split(' ').collect();
    left.sort_unstable();
    let mut want = vec![kept.as_str(), fresh.as_str(), undated.as_str()];
    want.sort_unstable();
    assert_eq!(left, want, "{}", server.log_text());
    let log = server.log_text();
    assert!(log.contains("dropped a tenant schema a failed registration left behind") && log.contains(&old), "{log}");
    assert!(log.contains("of unknown age") && log.contains(&undated), "{log}");
    // Registering still works, and the new schema is kept at the next start.
    let raw = Raw::new(&server.url());
    let (token, tenant2, _) = raw.account("after@example.org");
    assert_eq!(raw.send("GET", &format!("/tenants/{tenant2}/pull?after=0"), Some(&token), None).0, 200);
    drop(server);
    let _server = LoggedServer::start(&pg);
    assert_eq!(pg.psql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'"), "4");
}
