//! Tenants cannot reach each other, input never becomes SQL, and the database holds no plaintext.

mod common;

use common::*;
use serde_json::json;

#[test]
fn a_token_for_one_tenant_gets_404_for_another_and_forged_names_change_nothing() {
    let stack = Stack::start();
    let raw = Raw::new(&stack.url());
    let (token_a, tenant_a, device_a) = raw.account("a@example.org");
    let (token_b, tenant_b, device_b) = raw.account("b@example.org");
    let (s, r) = raw.json(
        "POST",
        &format!("/tenants/{tenant_b}/push"),
        Some(&token_b),
        json!({"pushId": "b1", "changes": [Raw::envelope("event", "evt_b", 1, &device_b)]}),
    );
    assert_eq!(s, 200, "{r}");
    let b_before = stack.pg.psql(&format!("SELECT count(*), max(seq) FROM tenant_{tenant_b}.sealed_rows"));

    // A's token on B's tenant: the same 404 as a tenant that does not exist.
    for (method, path, body) in [
        ("GET", format!("/tenants/{tenant_b}/pull?after=0"), None),
        (
            "POST",
            format!("/tenants/{tenant_b}/push"),
            Some(json!({"pushId": "x", "changes": [Raw::envelope("event", "evt_b", 99, &device_a)]})),
        ),
    ] {
        let (s, r) = match body {
            Some(b) => raw.json(method, &path, Some(&token_a), b),
            None => raw.send(method, &path, Some(&token_a), None),
        };
        assert_eq!(s, 404, "{path}: {r}");
        assert_eq!(r["code"], "not_found");
    }
    // Forged schema names and SQL metacharacters where the tenant id goes.
    let forged = [
        format!("tenant_{tenant_b}"),
        "public".to_string(),
        "..%2F..%2Fusers".to_string(),
        format!("{tenant_b}%22%3B%20DROP%20SCHEMA%20tenant_{tenant_b}%20CASCADE%3B--"),
        "x%27%20OR%20%271%27%3D%271".to_string(),
        tenant_b.to_uppercase(),
        format!("{tenant_a}%00"),
    ];
    for f in &forged {
        let (s, r) = raw.send("GET", &format!("/tenants/{f}/pull?after=0"), Some(&token_a), None);
        assert!(s == 404 || s == 400, "{f}: {s} {r}");
        let (s, r) = raw.json(
            "POST",
            &format!("/tenants/{f}/push"),
            Some(&token_a),
            json!({"pushId": "y", "changes": [Raw::envelope("event", "evt_x", 5, &device_a)]}),
        );
        assert!(s == 404 || s == 400, "{f}: {s} {r}");
    }
    // SQL metacharacters in every field of a push to A's own tenant: refused before any SQL.
    let evil = ["'; DROP TABLE users; --", "tenant_x\".sealed_rows", "a\u{0}b", "$1", "e' OR '1'='1"];
    for e in evil {
        let mut fields = vec![
            json!({"pushId": e, "changes": [Raw::envelope("event", "evt_1", 1, &device_a)]}),
            json!({"pushId": "p", "changes": [Raw::envelope(e, "evt_1", 1, &device_a)]}),
            json!({"pushId": "p", "changes": [Raw::envelope("event", e, 1, &device_a)]}),
            json!({"pushId": "p", "changes": [Raw::envelope("event", "evt_1", 1, e)]}),
        ];
        let mut bad_ct = Raw::envelope("event", "evt_1", 1, &device_a);
        bad_ct["ciphertext"] = json!(e);
        fields.push(json!({"pushId": "p", "changes": [bad_ct]}));
        for body in fields {
            let (s, r) = raw.json("POST", &format!("/tenants/{tenant_a}/push"), Some(&token_a), body.clone());
            assert_eq!(s, 400, "{body}: {r}");
            assert!(r["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        let (s, r) = raw.json("POST", "/tenants", Some(&token_a), json!({"workspaceId": e, "wrappedKey": "{}"}));
        assert_eq!(s, 400, "{r}");
    }
    // An email with quotes is just text: stored through a parameter, harmless.
    let (s, _) = raw.json(
        "POST",
        "/auth/register",
        None,
        json!({"email": "o'brien\";--@example.org", "credential": "c".repeat(64), "deviceName": "x'); DROP TABLE devices;--"}),
    );
    assert_eq!(s, 201);
    assert_eq!(stack.pg.psql("SELECT count(*) FROM users"), "3");
    assert_eq!(stack.pg.psql("SELECT count(*) FROM devices"), "3");

    // B is exactly as it was.
    assert_eq!(stack.pg.psql(&format!("SELECT count(*), max(seq) FROM tenant_{tenant_b}.sealed_rows")), b_before);
    let (s, r) = raw.send("GET", &format!("/tenants/{tenant_b}/pull?after=0"), Some(&token_b), None);
    assert_eq!(s, 200);
    assert_eq!(r["changes"].as_array().unwrap().len(), 1);
    assert_eq!(r["changes"][0]["hlc"], 1);
    let (_, r) = raw.send("GET", &format!("/tenants/{tenant_a}/pull?after=0"), Some(&token_a), None);
    assert_eq!(r["changes"].as_array().unwrap().len(), 0, "nothing reached A either");
}

#[test]
fn the_database_holds_no_plaintext_and_tenant_schemas_reference_nothing_outside() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    a.ws.rename("Zephyrine diary").unwrap();
    a.add_event("family", "Quarrelled with Ottoline about the inheritance", &["ottoline-secret"]);
    let ev = a.add_event("work", "Negotiated the Brightwater contract", &[]);
    a.edit_event(&ev, json!({"narrative": "Xanthippe said the margin was 17 percent."}));
    register(&stack, &mut a, "private@example.org");
    a.sync();
    let mut b = Device::link(&stack, "private@example.org", "phone", &clock);
    b.add_event("physical-health", "Knee surgery at Harbourview", &[]);
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);

    let dump = stack.pg.dump();
    assert!(dump.contains("sealed_rows"), "the dump has the tenant's tables");
    for secret in [
        "Zephyrine",
        "Ottoline",
        "ottoline-secret",
        "Brightwater",
        "Xanthippe",
        "Harbourview",
        "inheritance",
        "correct horse",
        "account password",
    ] {
        assert!(!dump.contains(secret), "{secret:?} is in the database dump");
    }
    // Neither the session token nor the passphrase-derived key is in there in the clear.
    assert!(!dump.contains("wst_"), "a raw session token is stored");

    // Citus schema-based sharding needs each tenant schema self-contained: no foreign key, view,
    // default or function in a tenant schema may name another schema.
    let tenant_schemas =
        stack.pg.psql("SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'");
    assert_eq!(tenant_schemas.split(',').count(), 1, "{tenant_schemas}");
    let cross_fks = stack.pg.psql(
        "SELECT count(*) FROM pg_constraint c
           JOIN pg_class s ON s.oid = c.conrelid JOIN pg_namespace sn ON sn.oid = s.relnamespace
           JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
         WHERE c.contype = 'f' AND sn.nspname LIKE 'tenant\\_%' AND tn.nspname <> sn.nspname",
    );
    assert_eq!(cross_fks, "0");
    let outside_refs = stack.pg.psql(
        "SELECT count(*) FROM pg_depend d
           JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_class r ON d.refclassid = 'pg_class'::regclass AND r.oid = d.refobjid
           JOIN pg_namespace rn ON rn.oid = r.relnamespace
         WHERE n.nspname LIKE 'tenant\\_%' AND rn.nspname <> n.nspname",
    );
    assert_eq!(outside_refs, "0");
    let tables = stack.pg.psql(&format!(
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = '{tenant_schemas}'"
    ));
    assert_eq!(tables, "change_log,chunk_refs,chunk_usage,chunks,head,pushes,refinery_schema_history,sealed_rows");
}

#[test]
fn revoked_devices_and_logged_out_sessions_are_refused_and_logins_are_throttled() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    register(&stack, &mut a, "lost@example.org");
    a.sync();
    let mut b = Device::link(&stack, "lost@example.org", "stolen laptop", &clock);
    let devices = a.ws.sync_devices().unwrap();
    assert_eq!(devices.len(), 2);
    let stolen = devices.iter().find(|d| d.name == "stolen laptop").unwrap();
    assert!(!stolen.current && !stolen.revoked);
    a.ws.sync_revoke_device(&stolen.device_id).unwrap();
    let err = b.ws.sync_now().unwrap_err();
    assert!(matches!(err, wisdom_core::Error::SyncServer { status: 401, .. }), "{err}");
    assert!(a.ws.sync_devices().unwrap().iter().any(|d| d.device_id == stolen.device_id && d.revoked));
    a.sync();

    a.ws.sync_logout().unwrap();
    let status = a.ws.sync_status().unwrap().unwrap();
    assert!(!status.logged_in);
    assert!(a.ws.sync_now().is_err());
    a.ws.sync_login(&stack.url(), "lost@example.org", &wisdom_core::Passphrase::new(PASSWORD), "laptop").unwrap();
    a.sync();

    let raw = Raw::new(&stack.url());
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let (s, _) = raw.json(
            "POST",
            "/auth/login",
            None,
            json!({"email": "lost@example.org", "credential": "w".repeat(64), "deviceName": "guess"}),
        );
        statuses.push(s);
    }
    assert!(statuses.iter().take(8).all(|s| *s == 401 || *s == 429), "{statuses:?}");
    assert_eq!(*statuses.last().unwrap(), 429, "{statuses:?}");
    let (_, metrics) = (0, reqwest::blocking::get(format!("{}/metrics", stack.url())).unwrap().text().unwrap());
    assert!(metrics.contains("wisdom_sync_logins_throttled_total"));
}
