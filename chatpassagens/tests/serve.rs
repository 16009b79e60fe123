//! `chatpassagens serve` as a newcomer runs it: a real process on a free
//! port, on the embedded defaults, searched over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on port 0 with an empty environment (no account, key or
/// server) and reads the address it prints.
fn serve() -> Server {
    serve_with(&[])
}

/// The same, with these environment variables.
fn serve_with(vars: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chatpassagens"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_clear()
        .envs(vars.iter().copied())
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chatpassagens starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .strip_prefix("ChatPassagens listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    let adapters = lines.next().unwrap().unwrap();
    assert!(
        adapters.contains("fare providers: demo") && adapters.contains("cache: memory"),
        "{adapters}"
    );
    let database = vars.iter().any(|(k, _)| *k == "DATABASE_URL");
    let store = if database {
        "store: postgrest"
    } else {
        "store: memory"
    };
    assert!(adapters.contains(store), "{adapters}");
    // Keep reading, so the server never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, base }
}

fn departure() -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(60)).to_string()
}

#[tokio::test]
async fn serve_answers_searches_over_http_on_the_embedded_defaults() {
    let server = serve();
    let http = reqwest::Client::new();

    let health: Value = http
        .get(format!("{}/health", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");

    let url = format!(
        "{}/search?origin=s%C3%A3o%20paulo&destination=LIS&departure={}&adults=2&sort=cheapest",
        server.base,
        departure()
    );
    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let body: Value = response.json().await.unwrap();
    let offers = body["offers"].as_array().unwrap();
    assert!(!offers.is_empty());
    let prices: Vec<f64> = offers
        .iter()
        .map(|o| o["price"]["amount"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    assert_eq!(body["cached"], false);

    let again: Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["cached"], true);

    let post = serde_json::json!({
        "legs": [
            {"origin": "RIO", "destination": "Londres", "date": departure()},
            {"origin": "LON", "destination": "PAR", "date": departure()},
        ],
        "cabin": "business",
    });
    let response = http
        .post(format!("{}/search", server.base))
        .json(&post)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["query"]["trip"], "multi_city");
    assert!(
        body["offers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["cabin"] == "business")
    );

    let bad = http
        .post(format!("{}/search", server.base))
        .header("content-type", "application/json")
        .body("{\"legs\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let bad: Value = bad.json().await.unwrap();
    assert_eq!(bad["error"]["code"], "malformed_json");
}

#[test]
fn search_command_prints_a_table_and_explains_bad_input() {
    let out = Command::new(env!("CARGO_BIN_EXE_chatpassagens"))
        .args(["search", "sampa", "rio", &departure(), "--limit", "3"])
        .env_clear()
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.lines().next().unwrap().contains("price BRL"),
        "{table}"
    );
    assert_eq!(table.lines().count(), 4, "{table}");

    let out = Command::new(env!("CARGO_BIN_EXE_chatpassagens"))
        .args(["search", "SAO", "Atlantida", &departure()])
        .env_clear()
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown airport or city 'Atlantida'"), "{err}");
}

/// The `search` command's standard output with these environment variables.
fn search_output(vars: &[(&str, &str)]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chatpassagens"))
        .args(["search", "SAO", "LIS", &departure(), "--limit", "1"])
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_cli_writes_emf_metric_lines_only_when_asked() {
    let quiet = search_output(&[]);
    assert!(!quiet.contains("_aws"), "off by default: {quiet}");
    assert_eq!(
        quiet.lines().count(),
        2,
        "the header and one offer: {quiet}"
    );
    let lambda_off = search_output(&[("AWS_LAMBDA_FUNCTION_NAME", "search"), ("METRICS", "off")]);
    assert!(
        !lambda_off.contains("_aws"),
        "METRICS=off wins: {lambda_off}"
    );

    let asked = search_output(&[("METRICS", "emf"), ("STAGE", "dev")]);
    let emf: Vec<Value> = asked
        .lines()
        .filter(|l| l.starts_with("{\"_aws\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        emf.iter()
            .any(|l| l["CacheMisses"] == 1.0 && l["Stage"] == "dev"),
        "{asked}"
    );
    assert!(
        emf.iter()
            .any(|l| l["Provider"] == "demo" && l["ProviderErrors"] == 0.0),
        "{asked}"
    );
    assert_eq!(asked.lines().count(), 2 + emf.len(), "whole lines: {asked}");
}

#[tokio::test]
async fn serve_with_database_url_keeps_accounts_in_postgresql_through_the_bridge() {
    if !tests::service_available("PostgreSQL", "127.0.0.1:5432") {
        return;
    }
    // Dropped (connections and all) when the test ends, passed or failed.
    let database = tests::TestDatabase::create().await;
    let url = database.url.clone();
    let server = serve_with(&[("DATABASE_URL", url.as_str())]);
    let http = reqwest::Client::new();
    let creds =
        serde_json::json!({ "email": "ana@example.com", "password": "correct horse battery" });
    let signup = http
        .post(format!("{}/auth/signup", server.base))
        .json(&creds)
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), 201);
    let grant: Value = signup.json().await.unwrap();
    let me: Value = http
        .get(format!("{}/auth/me", server.base))
        .bearer_auth(grant["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ana@example.com");
    drop(server);
    // The account is a row in PostgreSQL, its password an argon2id hash.
    let (db, conn) = tokio_postgres::connect(&database.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let row = db
        .query_one("select email, password_hash from public.accounts", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "ana@example.com");
    assert!(row.get::<_, String>(1).starts_with("$argon2id$"));
    drop(db);
}

#[tokio::test]
async fn terminal_chat_signs_in_and_streams_answers_across_turns() {
    let server = serve();
    let mut chat = Command::new(env!("CARGO_BIN_EXE_chatpassagens"))
        .args([
            "chat",
            "--api",
            &server.base,
            "--email",
            "terminal@example.com",
            "--password",
            "correct horse battery",
        ])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write as _;
        let stdin = chat.stdin.as_mut().unwrap();
        writeln!(stdin, "quero ir de Recife para Lisboa").unwrap();
        writeln!(stdin, "dia 10 de março").unwrap();
    }
    drop(chat.stdin.take());
    let out = tokio::task::spawn_blocking(move || chat.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Em que data"),
        "the first turn asks for the date:\n{text}"
    );
    assert!(text.contains("(buscando voos…)"), "{text}");
    assert!(
        text.contains("Encontrei") && text.contains("Recife"),
        "the second turn searches in the same conversation:\n{text}"
    );
}

/// Sends `request` raw and reads until the server closes the connection.
fn raw_exchange(base: &str, request: &[u8]) -> String {
    String::from_utf8_lossy(&raw_bytes(base, request)).into_owned()
}

/// The same, as bytes.
fn raw_bytes(base: &str, request: &[u8]) -> Vec<u8> {
    use std::io::{Read as _, Write as _};
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    // A bound on the test, not a figure: the server's timeout is 300 ms.
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    // A server may answer and close before reading a huge request whole.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    // A reset after the answer (unread request bytes) ends the read too.
    let _ = stream.read_to_end(&mut answer);
    answer
}

#[test]
fn a_client_that_stalls_mid_request_loses_its_connection() {
    let server = serve_with(&[("READ_TIMEOUT_MS", "300")]);
    // Headers that never end: the connection is dropped.
    let headers = raw_exchange(&server.base, b"GET /health HTTP/1.1\r\nHost: x\r\n");
    assert!(!headers.contains("200 OK"), "{headers}");
    // A body shorter than its Content-Length: answered with an error, then closed.
    let body = raw_exchange(
        &server.base,
        b"POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"legs\":",
    );
    assert!(!body.contains("200 OK"), "{body}");
    // The server still answers everyone else.
    let ok = raw_exchange(
        &server.base,
        b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
}

#[tokio::test]
async fn serve_refreshes_a_new_watch_in_process_on_its_interval() {
    let server = serve_with(&[("REFRESH_INTERVAL_SECONDS", "1")]);
    let http = reqwest::Client::new();
    let creds =
        serde_json::json!({ "email": "watcher@example.com", "password": "correct horse battery" });
    let grant: Value = http
        .post(format!("{}/auth/signup", server.base))
        .json(&creds)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = grant["access_token"].as_str().unwrap().to_owned();
    let watch: Value = http
        .post(format!("{}/watches", server.base))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({ "origin": "SAO", "destination": "LIS", "departure": departure() }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = watch["id"].as_str().unwrap();
    let mut prices = Value::Null;
    for _ in 0..50 {
        prices = http
            .get(format!("{}/watches/{id}/prices", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if !prices["prices"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let point = &prices["prices"][0];
    assert_eq!(point["provider"], "demo", "{prices}");
    assert_eq!(point["currency"], "BRL");
}

/// What `serve` answered to a raw request: the status, and the JSON error
/// body when it sent one (`None`: no body at all).
fn probe(base: &str, request: &[u8]) -> (u16, Option<Value>) {
    let answer = raw_bytes(base, request);
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let head = match response.parse(&answer) {
        Ok(httparse::Status::Complete(n)) => n,
        other => panic!(
            "no HTTP answer ({other:?}): {}",
            String::from_utf8_lossy(&answer)
        ),
    };
    let status = response.code.unwrap();
    let body = &answer[head..];
    if body.is_empty() {
        return (status, None);
    }
    let content_type = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map(|h| String::from_utf8_lossy(h.value).into_owned());
    assert_eq!(
        content_type.as_deref(),
        Some("application/json"),
        "{status}: {}",
        String::from_utf8_lossy(body)
    );
    let json: Value = serde_json::from_slice(body).expect("a JSON error body");
    (status, Some(json))
}

/// The one error body: a code and a message, the field when one is named.
fn assert_error_body(what: &str, status: u16, body: Option<&Value>, code: &str) {
    let body = body.unwrap_or_else(|| panic!("{what}: {status} without a body"));
    let error = &body["error"];
    assert_eq!(error["code"], code, "{what}: {body}");
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: {body}"
    );
}

#[tokio::test]
async fn malformed_requests_are_refused_with_the_json_error_body_once_routed() {
    let server = serve_with(&[("WEB_DIST", "no-web-client-here")]);
    let token = signed_up(&server, "prober@example.com").await;
    let base = server.base.as_str();
    let get = |target: &str, extra: &str| {
        format!("GET {target} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n").into_bytes()
    };
    let auth = format!("Authorization: Bearer {token}\r\n");

    // Routed, then refused by the framework or a handler: the JSON body.
    for (target, extra, status, code) in [
        ("/conversations/%FF", auth.as_str(), 400, "bad_request"),
        ("/conversations/%C3%28", auth.as_str(), 400, "bad_request"),
        ("/watches/%FF", auth.as_str(), 400, "bad_request"),
        ("/conversations/%FF", "", 400, "bad_request"),
        (
            "/search?origin=%FF%FE&destination=LIS&departure=2027-03-10",
            "",
            400,
            "invalid_field",
        ),
        ("/%FF", "", 404, "not_found"),
    ] {
        let (got, body) = probe(base, &get(target, extra));
        assert_eq!(got, status, "{target}: {body:?}");
        assert_error_body(target, got, body.as_ref(), code);
    }

    // Raw UTF-8 in the target gets through hyper and is read as text.
    let (got, body) = probe(
        base,
        b"GET /search?origin=S\xC3\xA3o+Paulo&destination=Lisboa HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(got, 400, "{body:?}");
    assert_error_body(
        "raw UTF-8 in the target",
        got,
        body.as_ref(),
        "invalid_field",
    );
    assert_eq!(
        body.unwrap()["error"]["field"],
        "departure",
        "the origin was understood"
    );

    // A header line ended by a bare LF is read as HTTP/1.1 allows, and the
    // request is served.
    let (got, _) = probe(
        base,
        b"GET /health HTTP/1.1\r\nHost: x\nX-Probe: a\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(got, 200, "a bare LF ends a header line");

    // Refused by hyper while it reads the request head, before any route
    // runs: its own bodiless 400, 414 and 431.
    let long_target = format!("/search?q={}", "a".repeat(70_000));
    let big_header = format!("X-Probe: {}\r\n", "b".repeat(512 * 1024));
    let many_headers: String = (0..120).map(|i| format!("X-Probe-{i}: c\r\n")).collect();
    for (what, request, status) in [
        (
            "a control byte in the target",
            b"GET /hea\x01lth HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
            400,
        ),
        (
            "a raw byte in the method",
            b"G\xC9T /health HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
            400,
        ),
        (
            "a bare CR in a header",
            b"GET /health HTTP/1.1\r\nHost: x\r\nX-Probe: a\rb\r\n\r\n".to_vec(),
            400,
        ),
        (
            "a NUL in a header",
            b"GET /health HTTP/1.1\r\nHost: x\r\nX-Probe: a\x00b\r\n\r\n".to_vec(),
            400,
        ),
        ("an over-long URI", get(&long_target, ""), 414),
        ("a 512 KB header", get("/health", &big_header), 431),
        ("120 headers", get("/health", &many_headers), 431),
    ] {
        let (got, body) = probe(base, &request);
        assert_eq!(got, status, "{what}: {body:?}");
        assert_eq!(
            body, None,
            "{what}: hyper answers before routing, without a body"
        );
    }

    // None of it hurt the server.
    let (got, _) = probe(base, &get("/health", ""));
    assert_eq!(got, 200);
}

/// Signs `email` up on `server` and returns its access token.
async fn signed_up(server: &Server, email: &str) -> String {
    let creds = serde_json::json!({ "email": email, "password": "correct horse battery" });
    let grant: Value = reqwest::Client::new()
        .post(format!("{}/auth/signup", server.base))
        .json(&creds)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    grant["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn the_web_clients_files_refuse_other_methods_with_the_json_error_body() {
    let dir = std::env::temp_dir().join(format!("cp-web-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<html>ChatPassagens</html>").unwrap();
    let server = serve_with(&[("WEB_DIST", dir.to_str().unwrap())]);
    let request =
        |line: &str| format!("{line}\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    // A path no API route has is the client's (its own routes survive a reload).
    let page = raw_exchange(&server.base, request("GET /voos/%FF HTTP/1.1").as_bytes());
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("ChatPassagens"),
        "{page}"
    );
    for line in ["POST /index.html HTTP/1.1", "DELETE / HTTP/1.1"] {
        let (status, body) = probe(&server.base, request(line).as_bytes());
        assert_eq!(status, 405, "{line}");
        assert_error_body(line, status, body.as_ref(), "method_not_allowed");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
