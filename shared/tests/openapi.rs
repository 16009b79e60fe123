//! The OpenAPI document served at `/openapi.json` is kept in step with the
//! product: every route the router answers is documented and every
//! documented operation is routed (in `serve` and in `template.yaml`), and
//! real answers of every operation, successes and errors alike, validate
//! against the document's schemas, status codes, content types and headers.
//! A DTO changed without the document fails here.

mod support;

use std::collections::{BTreeSet, HashSet};
use std::sync::Mutex;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use support::{Client, app_with, token_of};
use tower::ServiceExt;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// An answer as it came off the wire.
struct Raw {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Raw {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
}

/// The document, and which (method, path, status) real answers covered.
struct Doc {
    root: Value,
    seen: Mutex<BTreeSet<(String, String, u16)>>,
}

impl Doc {
    fn new(root: Value) -> Self {
        assert_eq!(root["openapi"], "3.1.0");
        Self {
            root,
            seen: Mutex::new(BTreeSet::new()),
        }
    }

    fn operation(&self, method: &str, path: &str) -> &Value {
        let op = &self.root["paths"][path][method.to_lowercase()];
        assert!(op.is_object(), "{method} {path} is not documented");
        op
    }

    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value["$ref"].as_str() {
            Some(pointer) => {
                let target = self.root.pointer(pointer.trim_start_matches('#'));
                self.resolve(target.unwrap_or_else(|| panic!("dangling {pointer}")))
            }
            None => value,
        }
    }

    /// The errors of `instance` against `schema`, refs resolved in the document.
    fn errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        let mut root = schema.clone();
        root["components"] = self.root["components"].clone();
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("schema does not compile: {e}"));
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    fn schema(&self, name: &str) -> Value {
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    /// Asserts that `raw` is an answer `method path` documents: its status,
    /// its content type, its required headers and its body's schema.
    fn check(&self, method: &str, path: &str, raw: &Raw) -> Value {
        let op = self.operation(method, path);
        let status = raw.status.as_u16();
        let documented = &op["responses"][status.to_string()];
        assert!(
            documented.is_object(),
            "{method} {path} answered {status}, which is not documented: {}",
            String::from_utf8_lossy(&raw.bytes)
        );
        let response = self.resolve(documented);
        self.check_headers(method, path, response, raw);
        let body = self.check_body(method, path, response, raw);
        self.seen
            .lock()
            .unwrap()
            .insert((method.to_owned(), path.to_owned(), status));
        body
    }

    fn check_headers(&self, method: &str, path: &str, response: &Value, raw: &Raw) {
        let Some(headers) = response["headers"].as_object() else {
            return;
        };
        for (name, header) in headers {
            let header = self.resolve(header);
            let value = raw.headers.get(name.as_str());
            if header["required"] == true {
                assert!(value.is_some(), "{method} {path}: no {name} header");
            }
            if let Some(value) = value {
                let text = json!(value.to_str().unwrap());
                let instance = if header["schema"]["type"] == "integer" {
                    json!(text.as_str().unwrap().parse::<i64>().unwrap())
                } else {
                    text
                };
                let errors = self.errors(&header["schema"], &instance);
                assert!(errors.is_empty(), "{method} {path} {name}: {errors:?}");
            }
        }
    }

    fn check_body(&self, method: &str, path: &str, response: &Value, raw: &Raw) -> Value {
        let Some(content) = response["content"].as_object() else {
            assert!(
                raw.bytes.is_empty(),
                "{method} {path}: a body was not documented"
            );
            return Value::Null;
        };
        let media = raw
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let media = media.split(';').next().unwrap_or_default().trim();
        let Some(documented) = content.get(media) else {
            panic!("{method} {path}: content type '{media}' is not documented");
        };
        if media != "application/json" {
            return Value::Null;
        }
        let body: Value = serde_json::from_slice(&raw.bytes).expect("a JSON body");
        let errors = self.errors(&documented["schema"], &body);
        assert!(errors.is_empty(), "{method} {path}: {errors:?}\n{body:#}");
        body
    }

    /// Every documented operation whose real answers were checked, by status class.
    fn unchecked_successes(&self) -> Vec<String> {
        let seen = self.seen.lock().unwrap();
        let mut missing = Vec::new();
        for (path, item) in self.root["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if method == "parameters" {
                    continue;
                }
                for status in op["responses"].as_object().unwrap().keys() {
                    let code: u16 = status.parse().unwrap();
                    let key = (method.to_uppercase(), path.clone(), code);
                    if code < 300 && !seen.contains(&key) {
                        missing.push(format!("{} {path} {code}", key.0));
                    }
                }
            }
        }
        missing
    }

    /// (method, path) of every documented operation.
    fn operations(&self) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for (path, item) in self.root["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if method != "parameters" {
                    out.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        out
    }
}

async fn send(
    c: &Client,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Raw {
    let mut req = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let response = c.router.clone().oneshot(req.body(body).unwrap()).await;
    let response = response.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Raw {
        status,
        headers,
        bytes: bytes.to_vec(),
    }
}

fn day(ahead: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(ahead)).to_string()
}

async fn document(c: &Client) -> Doc {
    let raw = send(c, "GET", "/openapi.json", None, None, &[]).await;
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(raw.bytes, shared::api::OPENAPI_DOCUMENT.as_bytes());
    let doc = Doc::new(raw.json());
    doc.check("GET", "/openapi.json", &raw);
    doc
}

/// The path templates the router declares (`.route("...")` in `api/mod.rs`).
fn routed_paths() -> BTreeSet<String> {
    let source = include_str!("../src/api/mod.rs");
    source
        .split(".route(")
        .skip(1)
        .map(|rest| {
            let rest = rest.trim_start().strip_prefix('"').expect("a literal path");
            rest.split('"').next().unwrap().to_owned()
        })
        .collect()
}

/// (method, path) pairs `template.yaml` routes through the HTTP API.
fn template_routes() -> BTreeSet<(String, String)> {
    let template = include_str!("../../template.yaml");
    let mut out = BTreeSet::new();
    let mut method = None;
    let mut previous = "";
    for token in template.split_whitespace() {
        let value = token.trim_matches([',', '"']).to_owned();
        match previous {
            "Method:" => method = Some(value),
            "Path:" => {
                out.insert((method.take().expect("a Method before its Path"), value));
            }
            _ => {}
        }
        previous = token;
    }
    out
}

#[tokio::test]
async fn every_routed_operation_is_documented_and_every_documented_one_is_routed() {
    let c = Client::new(app_with(&[]));
    let doc = document(&c).await;
    let documented = doc.operations();
    let paths: BTreeSet<String> = documented.iter().map(|(_, p)| p.clone()).collect();
    assert_eq!(routed_paths(), paths, "paths in api/mod.rs vs the document");
    let mut routed = BTreeSet::new();
    for path in &paths {
        let uri = path.replace("{id}", "00000000-0000-4000-8000-000000000000");
        for method in METHODS {
            let raw = send(&c, method, &uri, None, None, &[]).await;
            let code = raw.json()["error"]["code"].clone();
            if raw.status != StatusCode::METHOD_NOT_ALLOWED && code != "not_found" {
                routed.insert((method.to_owned(), path.clone()));
            } else if documented.contains(&(method.to_owned(), path.clone())) {
                panic!("{method} {path} is documented but answers {}", raw.status);
            }
        }
    }
    assert_eq!(routed, documented, "routed operations vs the document");
    // In AWS the chat function is served by its Function URL; every other
    // operation needs its HTTP API route.
    let in_template = template_routes();
    for (method, path) in &documented {
        if !path.starts_with("/chat") {
            assert!(
                in_template.contains(&(method.clone(), path.clone())),
                "{method} {path} has no route in template.yaml"
            );
        }
    }
}

#[tokio::test]
async fn a_response_with_a_field_the_document_does_not_know_fails_validation() {
    let c = Client::new(app_with(&[]));
    let doc = document(&c).await;
    let raw = send(&c, "GET", "/airports?q=lisboa&limit=1", None, None, &[]).await;
    let mut body = doc.check("GET", "/airports", &raw);
    assert!(doc.errors(&doc.schema("Suggestions"), &body).is_empty());
    body["places"][0]["iata"] = json!("LIS");
    assert!(!doc.errors(&doc.schema("Suggestions"), &body).is_empty());
    let mut body = raw.json();
    body["places"][0]
        .as_object_mut()
        .unwrap()
        .remove("time_zone");
    assert!(!doc.errors(&doc.schema("Suggestions"), &body).is_empty());
}

async fn public_operations(c: &Client, doc: &Doc) {
    let get = |uri: String| async move { send(c, "GET", &uri, None, None, &[]).await };
    doc.check("GET", "/health", &get("/health".into()).await);
    doc.check(
        "GET",
        "/airports",
        &get("/airports?q=s%C3%A3o%20paulo".into()).await,
    );
    doc.check("GET", "/airports", &get("/airports?q=%20".into()).await);
    let (d1, d2) = (day(40), day(50));
    let round = format!("/search?origin=SAO&destination=LIS&departure={d1}&return={d2}&adults=2");
    doc.check("GET", "/search", &get(round.clone()).await);
    let filtered = format!(
        "{round}&max_price=900000&depart_after=06:00&depart_before=23:00&carriers=LA,TP&max_stops=1&sort=cheapest&currency=EUR&limit=3"
    );
    let body = doc.check("GET", "/search", &get(filtered).await);
    assert_eq!(body["query"]["filters"]["carriers"], json!(["LA", "TP"]));
    let nothing = format!("{round}&carriers=AA&max_stops=0");
    let body = doc.check("GET", "/search", &get(nothing).await);
    assert_eq!(body["warnings"][0]["code"], "filtered", "{body}");
    let past = "/search?origin=SAO&destination=LIS&departure=2020-01-01";
    let body = doc.check("GET", "/search", &get(past.into()).await);
    assert_eq!(body["error"]["field"], "departure");
    let multi = json!({
        "legs": [
            {"origin": "RIO", "destination": "LON", "date": day(60)},
            {"origin": "LON", "destination": "PAR", "date": day(67)},
            {"origin": "PAR", "destination": "RIO", "date": day(74)}
        ],
        "passengers": {"adults": 2, "children": "1"},
        "cabin": "business", "filters": {"max_price": 90000}
    });
    let post = send(c, "POST", "/search", None, Some(multi), &[]).await;
    doc.check("POST", "/search", &post);
    let flexible = json!({
        "legs": [{"origin": "VCP", "destination": "LIS"}],
        "departure_window": {"from": day(30), "to": day(60), "shape": "weekend"},
        "other_origins": ["GIG"]
    });
    let post = send(c, "POST", "/search", None, Some(flexible), &[]).await;
    let body = doc.check("POST", "/search", &post);
    assert_eq!(body["flexible"]["origins"], json!(["VCP", "GIG"]), "{body}");
    // Three calendar reads (stays of 1–3 days) per origin; the three
    // cheapest days across both origins are searched live.
    assert_eq!(body["flexible"]["calendar_requests"], 6, "{body}");
    assert_eq!(body["flexible"]["live_searches"], 3, "{body}");
    let wide = format!(
        "/search?origin=SAO&destination=LIS&departure_from={d1}&departure_to={}",
        day(140)
    );
    let body = doc.check("GET", "/search", &get(wide).await);
    assert_eq!(body["error"]["field"], "departure_to", "{body}");
    let bad = send(c, "POST", "/search", None, Some(json!({"legs": 3})), &[]).await;
    assert_eq!(
        doc.check("POST", "/search", &bad)["error"]["code"],
        "malformed_json"
    );
    let big = json!({ "legs": [], "cabin": "x".repeat(20_000) });
    let big = send(c, "POST", "/search", None, Some(big), &[]).await;
    assert_eq!(
        doc.check("POST", "/search", &big)["error"]["code"],
        "payload_too_large"
    );
    let route = format!("origin=GRU&destination=LIS&departure={d1}");
    doc.check(
        "GET",
        "/prices/insight",
        &get(format!("/prices/insight?{route}")).await,
    );
    doc.check(
        "GET",
        "/prices/series",
        &get(format!("/prices/series?{route}")).await,
    );
    let backwards = format!("/prices/series?{route}&from={d1}&to=2020-01-01");
    doc.check("GET", "/prices/series", &get(backwards).await);
    let calendar = format!("/calendar?origin=SAO&destination=LIS&from={d1}&days=5&trip_days=7");
    let days = doc.check("GET", "/calendar", &get(calendar).await);
    assert_eq!(days["days"].as_array().map(Vec::len), Some(5), "{days}");
    let too_long = get("/calendar?origin=SAO&destination=LIS&from=2030-01-01&days=63".into()).await;
    assert_eq!(
        doc.check("GET", "/calendar", &too_long)["error"]["field"],
        "days"
    );
    doc.check(
        "GET",
        "/chat/suggestions",
        &get("/chat/suggestions?locale=en".into()).await,
    );
    doc.check(
        "GET",
        "/chat/suggestions",
        &get("/chat/suggestions?locale=xx".into()).await,
    );
}

async fn auth_operations(c: &Client, doc: &Doc) -> (String, String) {
    let creds = json!({"email": "ana@example.com", "password": "correct horse battery"});
    let signup = send(c, "POST", "/auth/signup", None, Some(creds.clone()), &[]).await;
    let grant = doc.check("POST", "/auth/signup", &signup);
    let again = send(c, "POST", "/auth/signup", None, Some(creds.clone()), &[]).await;
    doc.check("POST", "/auth/signup", &again);
    let weak = json!({"email": "bia@example.com", "password": "short"});
    let weak = send(c, "POST", "/auth/signup", None, Some(weak), &[]).await;
    assert_eq!(
        doc.check("POST", "/auth/signup", &weak)["error"]["field"],
        "password"
    );
    let login = send(c, "POST", "/auth/login", None, Some(creds), &[]).await;
    let session = doc.check("POST", "/auth/login", &login);
    let wrong = json!({"email": "ana@example.com", "password": "wrong horse battery"});
    let wrong = send(c, "POST", "/auth/login", None, Some(wrong), &[]).await;
    doc.check("POST", "/auth/login", &wrong);
    let refresh = json!({"refresh_token": grant["refresh_token"]});
    let next = send(c, "POST", "/auth/refresh", None, Some(refresh.clone()), &[]).await;
    doc.check("POST", "/auth/refresh", &next);
    let reused = send(c, "POST", "/auth/refresh", None, Some(refresh), &[]).await;
    doc.check("POST", "/auth/refresh", &reused);
    let token = token_of(&session);
    let me = send(c, "GET", "/auth/me", Some(&token), None, &[]).await;
    doc.check("GET", "/auth/me", &me);
    let anonymous = send(c, "GET", "/auth/me", None, None, &[]).await;
    doc.check("GET", "/auth/me", &anonymous);
    let spare = send(
        c,
        "POST",
        "/auth/login",
        None,
        Some(json!({"email": "ana@example.com", "password": "correct horse battery"})),
        &[],
    )
    .await;
    (token, token_of(&spare.json()))
}

/// A chat turn as JSON and as events; returns the conversation's id.
async fn chat_operations(c: &Client, doc: &Doc, token: &str) -> String {
    let first = json!({"message": format!("de São Paulo para Lisboa em {}, 2 adultos", day(45))});
    let key = [("idempotency-key", "turn-1")];
    let raw = send(c, "POST", "/chat", Some(token), Some(first.clone()), &key).await;
    let answer = doc.check("POST", "/chat", &raw);
    assert!(
        !answer["searches"].as_array().unwrap().is_empty(),
        "{answer}"
    );
    let id = answer["conversation_id"].as_str().unwrap().to_owned();
    let other = json!({"message": "outra coisa"});
    let reused = send(c, "POST", "/chat", Some(token), Some(other), &key).await;
    assert_eq!(
        doc.check("POST", "/chat", &reused)["error"]["field"],
        "Idempotency-Key"
    );
    let empty = send(
        c,
        "POST",
        "/chat",
        Some(token),
        Some(json!({"message": " "})),
        &[],
    )
    .await;
    doc.check("POST", "/chat", &empty);
    let unknown =
        json!({"message": "oi", "conversation_id": "00000000-0000-4000-8000-000000000000"});
    let unknown = send(c, "POST", "/chat", Some(token), Some(unknown), &[]).await;
    doc.check("POST", "/chat", &unknown);
    let anonymous = send(c, "POST", "/chat", None, Some(first), &[]).await;
    doc.check("POST", "/chat", &anonymous);
    let follow =
        json!({"conversation_id": id, "message": "e se for uma semana depois?", "locale": "pt-BR"});
    let stream = [("accept", "text/event-stream")];
    let raw = send(c, "POST", "/chat", Some(token), Some(follow), &stream).await;
    doc.check("POST", "/chat", &raw);
    check_events(doc, &raw);
    id
}

/// Each event of a streamed turn against the document's event schema: its
/// name and shape, then its JSON data against the `contentSchema` of the
/// branch for that name (which JSON Schema itself only annotates).
fn check_events(doc: &Doc, raw: &Raw) {
    let media = &doc.operation("POST", "/chat")["responses"]["200"]["content"]["text/event-stream"];
    let event_schema = doc.resolve(&media["schema"]);
    let mut names = Vec::new();
    for block in String::from_utf8_lossy(&raw.bytes)
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
    {
        let field = |key: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim_start().to_owned())
        };
        let name = field("event:").expect("a named event");
        let data = field("data:").expect("data");
        let event = json!({ "event": name, "data": data });
        let errors = doc.errors(&media["schema"], &event);
        assert!(errors.is_empty(), "event {name}: {errors:?}");
        let branch = event_schema["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["properties"]["event"]["const"] == name.as_str())
            .unwrap_or_else(|| panic!("event '{name}' undocumented"));
        let data: Value = serde_json::from_str(&data).unwrap();
        let errors = doc.errors(&branch["properties"]["data"]["contentSchema"], &data);
        assert!(errors.is_empty(), "event {name}: {errors:?}\n{data:#}");
        names.push(name);
    }
    for expected in ["tool", "offers", "delta", "done"] {
        assert!(
            names.iter().any(|n| n == expected),
            "no {expected} event: {names:?}"
        );
    }
}

async fn history_operations(c: &Client, doc: &Doc, token: &str, id: &str) {
    let t = Some(token);
    let second = json!({"message": "quero ir para Paris"});
    doc.check(
        "POST",
        "/chat",
        &send(c, "POST", "/chat", t, Some(second), &[]).await,
    );
    let page = send(c, "GET", "/conversations?limit=1", t, None, &[]).await;
    let page = doc.check("GET", "/conversations", &page);
    let cursor = page["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let next = send(
        c,
        "GET",
        &format!("/conversations?limit=1&cursor={cursor}"),
        t,
        None,
        &[],
    )
    .await;
    doc.check("GET", "/conversations", &next);
    let forged = send(c, "GET", "/conversations?cursor=abc", t, None, &[]).await;
    doc.check("GET", "/conversations", &forged);
    let path = format!("/conversations/{id}");
    let detail = doc.check(
        "GET",
        "/conversations/{id}",
        &send(c, "GET", &path, t, None, &[]).await,
    );
    assert!(
        detail["messages"].as_array().unwrap().len() >= 4,
        "{detail}"
    );
    let undecodable = send(c, "GET", "/conversations/%FF", t, None, &[]).await;
    doc.check("GET", "/conversations/{id}", &undecodable);
    let title = json!({"title": "Lisboa em março"});
    let renamed = send(c, "PATCH", &path, t, Some(title), &[]).await;
    doc.check("PATCH", "/conversations/{id}", &renamed);
    let blank = send(c, "PATCH", &path, t, Some(json!({"title": ""})), &[]).await;
    doc.check("PATCH", "/conversations/{id}", &blank);
    doc.check(
        "DELETE",
        "/conversations/{id}",
        &send(c, "DELETE", &path, t, None, &[]).await,
    );
    doc.check(
        "GET",
        "/conversations/{id}",
        &send(c, "GET", &path, t, None, &[]).await,
    );
    doc.check(
        "DELETE",
        "/conversations/{id}",
        &send(c, "DELETE", &path, t, None, &[]).await,
    );
}

async fn watch_operations(c: &Client, doc: &Doc, app: &shared::App, token: &str) {
    let t = Some(token);
    let body = json!({
        "origin": "SAO", "destination": "LIS", "departure": day(60), "departure_to": day(62),
        "adults": 2, "target_price": 999999, "language": "en"
    });
    let created = send(c, "POST", "/watches", t, Some(body), &[]).await;
    let watch = doc.check("POST", "/watches", &created);
    let bad = json!({"origin": "SAO", "destination": "LIS", "departure": "2020-01-01"});
    doc.check(
        "POST",
        "/watches",
        &send(c, "POST", "/watches", t, Some(bad), &[]).await,
    );
    shared::refresh::local::run_once(app).await.unwrap();
    let path = format!("/watches/{}", watch["id"].as_str().unwrap());
    doc.check(
        "GET",
        "/watches",
        &send(c, "GET", "/watches", t, None, &[]).await,
    );
    let one = doc.check(
        "GET",
        "/watches/{id}",
        &send(c, "GET", &path, t, None, &[]).await,
    );
    assert!(
        one["lowest_price"].is_string(),
        "the refresh priced it: {one}"
    );
    let prices = format!("{path}/prices");
    let prices = send(c, "GET", &prices, t, None, &[]).await;
    assert!(
        !doc.check("GET", "/watches/{id}/prices", &prices)["prices"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let change = json!({"status": "paused", "target_price": null});
    doc.check(
        "PATCH",
        "/watches/{id}",
        &send(c, "PATCH", &path, t, Some(change), &[]).await,
    );
    let wrong = json!({"status": "closed"});
    doc.check(
        "PATCH",
        "/watches/{id}",
        &send(c, "PATCH", &path, t, Some(wrong), &[]).await,
    );
    let page = send(c, "GET", "/notifications?limit=1", t, None, &[]).await;
    let page = doc.check("GET", "/notifications", &page);
    assert_eq!(
        page["unread"], 1,
        "a price under the target notifies: {page}"
    );
    let bad = send(c, "GET", "/notifications?limit=0", t, None, &[]).await;
    doc.check("GET", "/notifications", &bad);
    let read = send(c, "POST", "/notifications/read", t, None, &[]).await;
    assert_eq!(doc.check("POST", "/notifications/read", &read)["read"], 1);
    let bad = json!({"ids": ["x"]});
    doc.check(
        "POST",
        "/notifications/read",
        &send(c, "POST", "/notifications/read", t, Some(bad), &[]).await,
    );
    doc.check(
        "DELETE",
        "/watches/{id}",
        &send(c, "DELETE", &path, t, None, &[]).await,
    );
    doc.check(
        "GET",
        "/watches/{id}/prices",
        &send(c, "GET", &format!("{path}/prices"), t, None, &[]).await,
    );
}

#[tokio::test]
async fn real_answers_of_every_operation_match_the_document() {
    let app = app_with(&[
        ("REFRESH_INTERVAL_SECONDS", "0"),
        ("AUTH_RATE_LIMIT_PER_EMAIL", "50"),
    ]);
    let c = Client::new(app.clone());
    let doc = document(&c).await;
    public_operations(&c, &doc).await;
    let (token, spare) = auth_operations(&c, &doc).await;
    let id = chat_operations(&c, &doc, &token).await;
    history_operations(&c, &doc, &token, &id).await;
    watch_operations(&c, &doc, &app, &token).await;
    let out = send(&c, "POST", "/auth/logout", Some(&spare), None, &[]).await;
    doc.check("POST", "/auth/logout", &out);
    let after = send(&c, "GET", "/conversations", Some(&spare), None, &[]).await;
    doc.check("GET", "/conversations", &after);
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(doc.unchecked_successes(), Vec::<String>::new());
}

#[tokio::test]
async fn limits_and_outages_answer_as_documented() {
    let app = app_with(&[("AUTH_RATE_LIMIT_PER_IP", "1"), ("PRICE_HISTORY", "off")]);
    let c = Client::new(app);
    let doc = document(&c).await;
    let mut statuses = HashSet::new();
    for n in 0..3 {
        let creds =
            json!({"email": format!("p{n}@example.com"), "password": "correct horse battery"});
        let raw = send(&c, "POST", "/auth/signup", None, Some(creds), &[]).await;
        doc.check("POST", "/auth/signup", &raw);
        statuses.insert(raw.status);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let series = format!(
        "/prices/series?origin=GRU&destination=LIS&departure={}",
        day(30)
    );
    let raw = send(&c, "GET", &series, None, None, &[]).await;
    doc.check("GET", "/prices/series", &raw);
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn the_search_function_serves_the_document_in_aws() {
    let router = shared::api::search_router(app_with(&[]));
    let req = Request::get("/openapi.json").body(Body::empty()).unwrap();
    let response = router.oneshot(req).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(bytes, shared::api::OPENAPI_DOCUMENT.as_bytes());
}
