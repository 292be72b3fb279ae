//! Bad input to every endpoint: a 4xx with a JSON message a person can act on, never a 500, and
//! nothing stored.

mod common;

use common::*;
use serde_json::{json, Value};

fn counts(stack: &Stack, tenant: &str) -> String {
    stack.pg.psql(&format!(
        "SELECT (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM tenants) || '/' ||
                (SELECT count(*) FROM devices) || '/' || (SELECT count(*) FROM sessions) || '/' ||
                (SELECT count(*) FROM tenant_{tenant}.sealed_rows) || '/' || (SELECT count(*) FROM tenant_{tenant}.pushes)"
    ))
}

fn assert_refused(status: u16, body: &Value, what: &str) {
    assert!((400..500).contains(&status), "{what}: status {status} {body}");
    assert!(body["message"].as_str().is_some_and(|m| m.len() > 5), "{what}: no message in {body}");
    assert!(body["code"].as_str().is_some(), "{what}: no code in {body}");
}

#[test]
fn every_endpoint_refuses_bad_input_with_a_4xx_and_stores_nothing() {
    let stack = Stack::start();
    let raw = Raw::new(&stack.url());
    let (token, tenant, device) = raw.account("owner@example.org");
    let before = counts(&stack, &tenant);
    let push = format!("/tenants/{tenant}/push");
    let pull = format!("/tenants/{tenant}/pull");
    let huge = vec![b'x'; 17 << 20];
    let mut huge_json = b"{\"email\":\"".to_vec();
    huge_json.extend(std::iter::repeat_n(b'a', 17 << 20));
    huge_json.extend(b"\"}");

    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("not json", b"hello".to_vec()),
        ("truncated", b"{\"email\": \"a@b.c\"".to_vec()),
        ("array", b"[1,2,3]".to_vec()),
        ("null", b"null".to_vec()),
        ("wrong types", br#"{"email": 5, "credential": [], "deviceName": {}}"#.to_vec()),
        (
            "unknown field",
            br#"{"email":"a@b.c","credential":"cccccccccccccccccccccccccccccccccccccc","deviceName":"x","admin":true}"#
                .to_vec(),
        ),
        ("huge", huge),
        ("huge json", huge_json),
        ("invalid utf-8", vec![b'{', 0xff, 0xfe, b'}']),
    ];
    let posts = ["/auth/register", "/auth/login", "/tenants", push.as_str()];
    for path in posts {
        for (what, body) in &bodies {
            match raw.try_send("POST", path, Some(&token), Some(body.clone())) {
                Ok((s, r)) => assert_refused(s, &r, &format!("POST {path} with {what}")),
                // Past the limit the server answers 413 at once and stops reading; the client may
                // still be writing and see the connection close instead of the answer.
                Err(e) if what.starts_with("huge") => assert!(e.is_request() || e.is_body(), "{e}"),
                Err(e) => panic!("POST {path} with {what}: {e}"),
            }
        }
    }
    // Values of the right type but wrong shape.
    let cases: Vec<(&str, Value)> = vec![
        ("/auth/register", json!({"email": "no-at-sign", "credential": "c".repeat(64), "deviceName": "x"})),
        ("/auth/register", json!({"email": "a@b.c", "credential": "short", "deviceName": "x"})),
        ("/auth/register", json!({"email": "a@b.c", "credential": "c".repeat(64), "deviceName": ""})),
        ("/auth/register", json!({"email": "a@b.c", "credential": "c".repeat(64), "deviceName": "x".repeat(500)})),
        ("/auth/register", json!({"email": "owner@example.org", "credential": "c".repeat(64), "deviceName": "again"})),
        ("/auth/login", json!({"email": "owner@example.org", "credential": "d".repeat(64), "deviceName": "x"})),
        ("/auth/login", json!({"email": "nobody@example.org", "credential": "c".repeat(64), "deviceName": "x"})),
        ("/tenants", json!({"workspaceId": "", "wrappedKey": "{}"})),
        ("/tenants", json!({"workspaceId": "ws", "wrappedKey": "k".repeat(9000)})),
        (&push, json!({"pushId": "p", "changes": "none"})),
        (&push, json!({"pushId": "", "changes": []})),
        (&push, json!({"pushId": "p", "changes": [{"entity": "event"}]})),
        (&push, json!({"pushId": "p", "changes": [Raw::envelope("event", "e", -1, &device)]})),
        (&push, json!({"pushId": "p", "changes": [Raw::envelope("event", "e", 1, "someone-else")]})),
        (
            &push,
            json!({"pushId": "p", "changes": [Raw::envelope("event", "e", 1, &device), Raw::envelope("event", "e", 2, &device)]}),
        ),
        (
            &push,
            json!({"pushId": "p", "changes": [{"entity": "event", "id": "e", "hlc": 1, "device": device, "tombstone": false, "ciphertext": "AAAA"}]}),
        ),
        (
            &push,
            json!({"pushId": "p", "changes": [{"entity": "event", "id": "e", "hlc": 1.5, "device": device, "tombstone": "no", "ciphertext": "AAAA"}]}),
        ),
        (
            &push,
            json!({"pushId": "p", "changes": (0..1001).map(|i| Raw::envelope("event", &format!("e{i}"), 1, &device)).collect::<Vec<_>>()}),
        ),
        (
            &push,
            json!({"pushId": "p", "changes": [{"entity": "event", "id": "e", "hlc": 9223372036854775808u64, "device": device, "tombstone": false, "ciphertext": "AAAA"}]}),
        ),
    ];
    for (path, body) in &cases {
        let (s, r) = raw.json("POST", path, Some(&token), body.clone());
        let shown: String = body.to_string().chars().take(120).collect();
        assert_refused(s, &r, &format!("POST {path} {shown}"));
    }
    // Query strings, paths, methods and missing or bad tokens.
    for q in ["?after=-1", "?after=abc", "?limit=0", "?limit=100000", "?after=1&bogus=2", "?after=99999999"] {
        let (s, r) = raw.send("GET", &format!("{pull}{q}"), Some(&token), None);
        assert_refused(s, &r, &format!("GET pull{q}"));
    }
    for (method, path) in [
        ("GET", "/tenants"),
        ("GET", "/devices"),
        ("POST", "/auth/logout"),
        ("GET", pull.as_str()),
        ("DELETE", "/devices/0000000000000000000000000"),
    ] {
        for t in [None, Some("wst_forged"), Some("Bearer"), Some(&"x".repeat(5000)[..])] {
            let (s, r) = raw.send(method, path, t, None);
            assert_refused(s, &r, &format!("{method} {path} with token {:?}", t.map(|t| &t[..t.len().min(12)])));
            assert_eq!(s, 401);
        }
    }
    for (method, path) in [("GET", "/nowhere"), ("DELETE", "/devices/not-a-device"), ("GET", "/tenants/x/y/z")] {
        let (s, r) = raw.send(method, path, Some(&token), None);
        assert_refused(s, &r, &format!("{method} {path}"));
    }
    let key = format!("/tenants/{tenant}/key");
    for (what, body) in &bodies {
        if let Ok((s, r)) = raw.try_send("PUT", &key, Some(&token), Some(body.clone())) {
            assert_refused(s, &r, &format!("PUT {key} with {what}"));
        }
    }
    for body in [json!({"wrappedKey": ""}), json!({"wrappedKey": 5}), json!({"wrappedKey": "k".repeat(9000)})] {
        let (s, r) = raw.json("PUT", &key, Some(&token), body);
        assert_refused(s, &r, "PUT key");
    }
    let (s, r) = raw.json("PUT", "/tenants/0000000000000000000000000a/key", Some(&token), json!({"wrappedKey": "{}"}));
    assert_eq!(s, 404, "{r}");
    let (s, _) = raw.send("PUT", "/tenants", Some(&token), None);
    assert!((400..500).contains(&s), "PUT /tenants: {s}");

    assert_eq!(counts(&stack, &tenant), before, "nothing was stored");
    let metrics = reqwest::blocking::get(format!("{}/metrics", stack.url())).unwrap().text().unwrap();
    assert!(metrics.contains("wisdom_sync_requests_5xx_total 0"), "{metrics}");
    let (s, r) = raw.send("GET", "/health", None, None);
    assert_eq!((s, r["status"].as_str()), (200, Some("ok")));
}
