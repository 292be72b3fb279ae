//! The OpenAPI document is the sync API's one description, and this keeps it true: the server serves
//! it, it names exactly the endpoints the router has, and every answer of a walk through the whole
//! protocol (happy paths and refusals) has a status the document lists for that operation and a
//! body that matches the schema it gives. (schemathesis, run by scripts/test, fuzzes beyond this.)

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::{json, Value};

fn document() -> Value {
    serde_json::from_str(wisdom_sync_server::api::OPENAPI).expect("openapi.json is JSON")
}

#[test]
fn the_document_names_exactly_the_endpoints_the_server_has() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone())))
        .collect();
    let served: BTreeSet<(String, String)> = wisdom_sync_server::api::endpoint_list().into_iter().collect();
    assert_eq!(documented, served);
}

/// Checks `value` against a schema of the subset the document uses: $ref, type, required,
/// properties, additionalProperties: false, items, enum, minimum.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.strip_prefix("#/components/schemas/").expect("local refs only");
        return check(doc, &doc["components"]["schemas"][name], value, at);
    }
    let ok = match schema["type"].as_str() {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("boolean") => value.is_boolean(),
        None => true,
        Some(t) => return Err(format!("{at}: the checker knows no type {t}")),
    };
    if !ok {
        return Err(format!("{at}: {value} is not of type {}", schema["type"]));
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let (Some(min), Some(v)) = (schema["minimum"].as_i64(), value.as_i64()) {
        if v < min {
            return Err(format!("{at}: {v} < {min}"));
        }
    }
    if let Some(obj) = value.as_object() {
        for r in schema["required"].as_array().into_iter().flatten() {
            if !obj.contains_key(r.as_str().unwrap()) {
                return Err(format!("{at}: missing {r}"));
            }
        }
        for (k, v) in obj {
            match schema["properties"].get(k) {
                Some(s) => check(doc, s, v, &format!("{at}.{k}"))?,
                None if schema["additionalProperties"] == false => {
                    return Err(format!("{at}: {k} is not in the document"))
                }
                None => {}
            }
        }
    }
    if let Some(items) = value.as_array() {
        for (i, v) in items.iter().enumerate() {
            check(doc, &schema["items"], v, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// Sends a request and checks the answer against the document's operation for `path_template`.
struct Walk {
    raw: Raw,
    doc: Value,
    seen: BTreeSet<(String, String, u16)>,
}

impl Walk {
    fn send(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap());
        self.send_bytes(method, template, path, token, bytes)
    }

    /// [`Walk::send`] with a body of any bytes (a sealed attachment chunk).
    fn send_bytes(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> (u16, Value) {
        let (status, value) = self.raw.send(method, path, token, body);
        let op = &self.doc["paths"][template][method.to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not in the document");
        let response = &op["responses"][status.to_string()];
        assert!(response.is_object(), "{method} {path} answered {status}, which the document does not list: {value}");
        match response["content"]["application/json"]["schema"].as_object() {
            Some(_) => {
                let schema = &response["content"]["application/json"]["schema"];
                if let Err(e) = check(&self.doc, schema, &value, "body") {
                    panic!("{method} {path} -> {status}: {e}\n{value}");
                }
            }
            None => {
                let text_only = response["content"].get("text/plain").is_some();
                assert!(text_only || value.is_null(), "{method} {path} -> {status} has an undocumented body: {value}");
            }
        }
        self.seen.insert((method.to_string(), template.to_string(), status));
        (status, value)
    }
}

#[test]
fn every_answer_of_the_protocol_matches_the_document() {
    let stack = Stack::start();
    let mut w = Walk { raw: Raw::new(&stack.url()), doc: document(), seen: BTreeSet::new() };
    let (s, served) = w.send("GET", "/openapi.json", "/openapi.json", None, None);
    assert_eq!((s, &served), (200, &document()));
    w.send("GET", "/health", "/health", None, None);
    w.send("GET", "/metrics", "/metrics", None, None);

    let cred = "c".repeat(64);
    let reg = json!({"email": "eve@example.org", "credential": cred, "deviceName": "laptop",
                     "workspace": {"workspaceId": "ws_1", "wrappedKey": "{}"}});
    let (s, session) = w.send("POST", "/auth/register", "/auth/register", None, Some(reg.clone()));
    assert_eq!(s, 201);
    assert_eq!(w.send("POST", "/auth/register", "/auth/register", None, Some(reg)).0, 409);
    assert_eq!(w.send("POST", "/auth/register", "/auth/register", None, Some(json!({"email": "x"}))).0, 400);
    let token = session["token"].as_str().unwrap().to_string();
    let tenant = session["tenant"]["tenantId"].as_str().unwrap().to_string();
    let device = session["deviceId"].as_str().unwrap().to_string();
    let t = Some(token.as_str());

    let login = json!({"email": "eve@example.org", "credential": cred, "deviceName": "phone"});
    let (s, phone) = w.send("POST", "/auth/login", "/auth/login", None, Some(login));
    assert_eq!(s, 200);
    let wrong = json!({"email": "eve@example.org", "credential": "d".repeat(64), "deviceName": "phone"});
    assert_eq!(w.send("POST", "/auth/login", "/auth/login", None, Some(wrong)).0, 401);

    assert_eq!(w.send("GET", "/devices", "/devices", t, None).0, 200);
    assert_eq!(w.send("GET", "/devices", "/devices", None, None).0, 401);
    assert_eq!(w.send("GET", "/tenants", "/tenants", t, None).0, 200);
    let (s, _) = w.send("POST", "/tenants", "/tenants", t, Some(json!({"workspaceId": "ws_2", "wrappedKey": "{}"})));
    assert_eq!(s, 201);
    assert_eq!(w.send("POST", "/tenants", "/tenants", t, Some(json!({"workspaceId": "", "wrappedKey": "{}"}))).0, 400);

    let key = format!("/tenants/{tenant}/key");
    assert_eq!(w.send("PUT", "/tenants/{tenant_id}/key", &key, t, Some(json!({"wrappedKey": "{\"v\":2}"}))).0, 204);
    let nope = "/tenants/00000000000000000000000000/key";
    assert_eq!(w.send("PUT", "/tenants/{tenant_id}/key", nope, t, Some(json!({"wrappedKey": "x"}))).0, 404);

    let push = format!("/tenants/{tenant}/push");
    let body = json!({"pushId": "p1", "changes": [Raw::envelope("event", "e1", 5, &device)]});
    assert_eq!(w.send("POST", "/tenants/{tenant_id}/push", &push, t, Some(body.clone())).0, 200);
    assert_eq!(w.send("POST", "/tenants/{tenant_id}/push", &push, t, Some(body)).0, 200);
    let foreign = json!({"pushId": "p2", "changes": [Raw::envelope("event", "e1", 6, "someone_else")]});
    assert_eq!(w.send("POST", "/tenants/{tenant_id}/push", &push, t, Some(foreign)).0, 400);

    let pull = format!("/tenants/{tenant}/pull?after=0&limit=10");
    let (s, pulled) = w.send("GET", "/tenants/{tenant_id}/pull", &pull, t, None);
    assert_eq!((s, pulled["changes"].as_array().unwrap().len()), (200, 1));
    assert_eq!(w.send("GET", "/tenants/{tenant_id}/pull", &format!("/tenants/{tenant}/pull?after=99"), t, None).0, 409);
    assert_eq!(w.send("GET", "/tenants/{tenant_id}/pull", &format!("/tenants/{tenant}/pull?limit=0"), t, None).0, 400);

    // Attachment chunks: claimed, stored once, fetched, released.
    let chunk = "c0ffee".repeat(10) + "c0ff";
    let (claim, release) = (format!("/tenants/{tenant}/chunks/claim"), format!("/tenants/{tenant}/chunks/release"));
    let at = format!("/tenants/{tenant}/chunks/{chunk}");
    let tpl = "/tenants/{tenant_id}/chunks/{chunk_id}";
    let sealed = vec![7u8; 4096];
    assert_eq!(w.send("GET", tpl, &at, t, None).0, 404);
    assert_eq!(w.send_bytes("PUT", tpl, &at, t, Some(sealed.clone())).0, 409, "not claimed yet");
    let (s, missing) = w.send(
        "POST",
        "/tenants/{tenant_id}/chunks/claim",
        &claim,
        t,
        Some(json!({"owner": "att_1", "chunks": [chunk]})),
    );
    assert_eq!((s, missing["missing"].as_array().unwrap().len()), (200, 1));
    assert_eq!(
        w.send(
            "POST",
            "/tenants/{tenant_id}/chunks/claim",
            &claim,
            t,
            Some(json!({"owner": "att_1", "chunks": ["XY"]}))
        )
        .0,
        400
    );
    assert_eq!(w.send_bytes("PUT", tpl, &at, t, Some(vec![1, 2, 3])).0, 400, "too short to be sealed");
    let (s, stored) = w.send_bytes("PUT", tpl, &at, t, Some(sealed.clone()));
    assert_eq!((s, stored["stored"].as_bool()), (200, Some(true)));
    assert_eq!(w.send("GET", tpl, &at, t, None).0, 200);
    assert_eq!(w.send("GET", tpl, &at, None, None).0, 401);
    let (s, released) =
        w.send("POST", "/tenants/{tenant_id}/chunks/release", &release, t, Some(json!({"owners": ["att_1"]})));
    assert_eq!((s, released["deleted"].as_u64()), (200, Some(1)));
    assert_eq!(
        w.send("POST", "/tenants/{tenant_id}/chunks/release", &release, t, Some(json!({"owners": [""]}))).0,
        400
    );

    let phone_id = phone["deviceId"].as_str().unwrap();
    let revoke = format!("/devices/{phone_id}");
    assert_eq!(w.send("DELETE", "/devices/{device_id}", &revoke, t, None).0, 204);
    assert_eq!(w.send("DELETE", "/devices/{device_id}", "/devices/nope", t, None).0, 404);
    assert_eq!(w.send("POST", "/auth/logout", "/auth/logout", t, None).0, 204);
    assert_eq!(w.send("POST", "/auth/logout", "/auth/logout", t, None).0, 401);

    // Every documented operation was walked at least once.
    let walked: BTreeSet<(String, String)> = w.seen.iter().map(|(m, p, _)| (m.clone(), p.clone())).collect();
    let served: BTreeSet<(String, String)> = wisdom_sync_server::api::endpoint_list().into_iter().collect();
    assert_eq!(walked, served);
}

#[test]
fn a_server_fault_is_a_documented_500_with_a_request_id() {
    let stack = Stack::start();
    let mut w = Walk { raw: Raw::new(&stack.url()), doc: document(), seen: BTreeSet::new() };
    stack.pg.psql(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse();",
    );
    let reg = json!({"email": "fay@example.org", "credential": "c".repeat(64), "deviceName": "laptop"});
    let (s, body) = w.send("POST", "/auth/register", "/auth/register", None, Some(reg));
    assert_eq!(s, 500);
    assert!(body["requestId"].as_str().is_some_and(|id| !id.is_empty()), "{body}");
    assert!(!body["message"].as_str().unwrap().contains("injected"), "no database detail reaches the client: {body}");
}
