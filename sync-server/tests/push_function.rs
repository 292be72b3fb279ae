//! The tenant's push function across its migrations: a tenant pushed to under V3 and then brought
//! up to date (`tenancy::migrate`, what every start does) answers and stores, push by push, what a
//! tenant left at V3 does: the same accepted and stale counts, head and duplicate answers (push ids
//! from before the upgrade included), and the same rows, change log and push records.

mod common;

use common::*;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, NoTls};
use wisdom_sync_server::tenancy;

/// (entity, id, hlc, device, tombstone, ciphertext) of one version.
type Version = (String, String, i64, String, bool, Vec<u8>);

struct Push {
    id: String,
    device: String,
    versions: Vec<Version>,
}

/// A push of 0 to 4 versions of a few rows, from one of three devices ("d1" < "d10" < "d2" in byte
/// order, so ties on the HLC are decided both ways), at times that move on slowly and often tie; one
/// push in five reuses an earlier push id (a retry, with whatever it carries now).
fn random_push(rng: &mut Rng, n: usize) -> Push {
    let device = ["d1", "d10", "d2"][rng.below(3)].to_string();
    let id = if n > 0 && rng.below(5) == 0 { format!("p{}", rng.below(n)) } else { format!("p{n}") };
    let mut versions: Vec<Version> = Vec::new();
    for _ in 0..rng.below(5) {
        let (entity, row) = (["event", "insight"][rng.below(2)], format!("r{}", rng.below(6)));
        if versions.iter().any(|v| v.0 == entity && v.1 == row) {
            continue;
        }
        let hlc = (n / 8 + rng.below(4)) as i64;
        let sealed = vec![rng.below(256) as u8; 1 + rng.below(8)];
        versions.push((entity.into(), row, hlc, device.clone(), rng.below(4) == 0, sealed));
    }
    Push { id, device, versions }
}

/// One call of the schema's `push_changes`, as `Database::push` makes it: (accepted, stale, head,
/// duplicate).
async fn push(c: &Client, schema: &str, p: &Push) -> (i32, i32, i64, bool) {
    let column = |f: fn(&Version) -> String| p.versions.iter().map(f).collect::<Vec<String>>();
    let (entities, ids, devices) = (column(|v| v.0.clone()), column(|v| v.1.clone()), column(|v| v.3.clone()));
    let hlcs: Vec<i64> = p.versions.iter().map(|v| v.2).collect();
    let tombstones: Vec<bool> = p.versions.iter().map(|v| v.4).collect();
    let sealed: Vec<Vec<u8>> = p.versions.iter().map(|v| v.5.clone()).collect();
    let r = c
        .query_typed_one(
            &format!("SELECT * FROM {schema}.push_changes($1, $2, $3, $4, $5, $6, $7, $8)"),
            &[
                (&entities, Type::TEXT_ARRAY),
                (&ids, Type::TEXT_ARRAY),
                (&hlcs, Type::INT8_ARRAY),
                (&devices, Type::TEXT_ARRAY),
                (&tombstones, Type::BOOL_ARRAY),
                (&sealed, Type::BYTEA_ARRAY),
                (&p.id, Type::TEXT),
                (&p.device, Type::TEXT),
            ],
        )
        .await
        .unwrap_or_else(|e| panic!("{schema}: push {}: {e:?}", p.id));
    (r.get(0), r.get(1), r.get(2), r.get(3))
}

/// Everything a push writes, as text: rows, change log, push records (without the times they were
/// stamped with) and head.
async fn contents(c: &Client, schema: &str) -> Vec<String> {
    let mut out = Vec::new();
    for q in [
        format!("SELECT r::text FROM (SELECT seq, entity, id, hlc, device, tombstone, ciphertext FROM {schema}.sealed_rows) r ORDER BY r.seq"),
        format!("SELECT l::text FROM (SELECT seq, entity, id, hlc, device, tombstone, push_id FROM {schema}.change_log) l ORDER BY l.seq"),
        format!("SELECT p::text FROM (SELECT push_id, device, accepted, stale, head FROM {schema}.pushes) p ORDER BY p.push_id"),
        format!("SELECT seq::text FROM {schema}.head"),
    ] {
        out.extend(c.query(&q, &[]).await.unwrap().iter().map(|r| r.get::<_, String>(0)));
        out.push("--".into());
    }
    out
}

/// A schema made by the tenant migrations up to and including V3.
async fn schema_at_v3(c: &mut Client, schema: &str) {
    c.batch_execute(&format!("CREATE SCHEMA {schema}; SET search_path = {schema}")).await.unwrap();
    let through_v3: Vec<_> = tenancy::runner().get_migrations().iter().filter(|m| m.version() <= 3).cloned().collect();
    assert_eq!(through_v3.len(), 3);
    refinery::Runner::new(&through_v3).run_async(c).await.unwrap();
    c.batch_execute("SET search_path = public").await.unwrap();
}

#[test]
fn a_tenant_pushed_to_under_v3_answers_and_stores_as_v3_after_its_upgrade() {
    let pg = Pg::start();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (mut c, conn) = tokio_postgres::connect(&pg.url(), NoTls).await.unwrap();
        tokio::spawn(conn);
        schema_at_v3(&mut c, "tenant_upgraded").await;
        schema_at_v3(&mut c, "tenant_at_v3").await;
        let mut rng = Rng::new(17);
        let (mut answers, mut n) = (Vec::new(), 0);
        for phase in ["before the upgrade", "after it"] {
            if phase == "after it" {
                let report = tenancy::migrate(&mut c, "tenant_upgraded").await.unwrap();
                let applied: Vec<i32> = report.applied_migrations().iter().map(|m| m.version()).collect();
                let newer: Vec<i32> =
                    tenancy::runner().get_migrations().iter().map(|m| m.version()).filter(|v| *v > 3).collect();
                assert_eq!(applied, newer);
                let functions: i64 = c
                    .query_one("SELECT count(*) FROM pg_proc WHERE pronamespace = 'tenant_upgraded'::regnamespace", &[])
                    .await
                    .unwrap()
                    .get(0);
                assert_eq!(functions, 1, "the push function was replaced, not overloaded");
            }
            for _ in 0..150 {
                let p = random_push(&mut rng, n);
                n += 1;
                let upgraded = push(&c, "tenant_upgraded", &p).await;
                let reference = push(&c, "tenant_at_v3", &p).await;
                assert_eq!(upgraded, reference, "push {} ({} versions) {phase}", p.id, p.versions.len());
                answers.push(upgraded);
            }
            assert_eq!(contents(&c, "tenant_upgraded").await, contents(&c, "tenant_at_v3").await, "{phase}");
        }
        // The run covered what it compares.
        let sum = |f: fn(&(i32, i32, i64, bool)) -> i64| answers.iter().map(f).sum::<i64>();
        let (accepted, stale) = (sum(|a| a.0 as i64 * !a.3 as i64), sum(|a| a.1 as i64 * !a.3 as i64));
        let duplicates = sum(|a| a.3 as i64);
        assert!(
            accepted > 50 && stale > 50 && duplicates > 20,
            "{accepted} accepted, {stale} stale, {duplicates} duplicates"
        );
        for schema in ["tenant_upgraded", "tenant_at_v3"] {
            let tombstones: i64 = c
                .query_one(&format!("SELECT count(*) FROM {schema}.change_log WHERE tombstone"), &[])
                .await
                .unwrap()
                .get(0);
            assert!(tombstones > 10, "{schema}: {tombstones} tombstones");
            // A change is stamped with the time of its push, as the column's default did in V3.
            let unlike: i64 = c
                .query_one(
                    &format!(
                        "SELECT count(*) FROM {schema}.change_log l JOIN {schema}.pushes p USING (push_id)
                         WHERE l.accepted_at <> p.received_at"
                    ),
                    &[],
                )
                .await
                .unwrap()
                .get(0);
            assert_eq!(unlike, 0, "{schema}");
        }
    });
}
