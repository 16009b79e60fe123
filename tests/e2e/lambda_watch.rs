//! The function binaries themselves (search, auth, chat, history) under
//! cargo-lambda's runtime emulator (`cargo lambda watch`), routed by the
//! workspace's `[workspace.metadata.lambda.watch.router]` and configured by
//! its `[workspace.metadata.lambda.watch.env]`: one JWT secret and one store
//! (PostgreSQL through the PostgREST bridge) for every function.

use std::os::unix::process::CommandExt as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tests::{
    ChildGuard, TestDatabase, free_port, service_available, tool_available, workspace_root,
};

/// First request compiles the function; give a cold build on 2 cores room.
const FIRST_REQUEST_TIMEOUT: Duration = Duration::from_secs(900);

/// `KEY = "value"` lines of Cargo.toml's `[workspace.metadata.lambda.watch.env]`.
fn watch_env() -> Vec<(String, String)> {
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[workspace.metadata.lambda.watch.env]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| {
            let (key, value) = l.split_once(" = ")?;
            Some((key.to_owned(), value.trim_matches('"').to_owned()))
        })
        .collect()
}

/// A migrated database of the test's own behind the PostgREST bridge with
/// the workspace's development secret, where the metadata's SUPABASE_URL
/// points (127.0.0.1:3001): cargo-lambda's `--env-var` cannot override one
/// variable of the metadata's environment, so the test takes that port.
async fn shared_store(env: &[(String, String)]) -> TestDatabase {
    let secret = env
        .iter()
        .find(|(k, _)| k == "JWT_SECRET")
        .map(|(_, v)| v.clone())
        .expect("the watch environment sets JWT_SECRET");
    let database = TestDatabase::create().await;
    chatpassagens::migrate::run(&database.url, &workspace_root().join("infra/supabase"))
        .await
        .expect("migrations apply");
    let settings = chatpassagens::postgrest_bridge::Settings {
        db_uri: database.url.clone(),
        schemas: vec!["public".to_owned()],
        anon_role: "anon".to_owned(),
        jwt_secret: secret,
        jwt_aud: Some("authenticated".to_owned()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3001")
        .await
        .expect("127.0.0.1:3001 is free for the bridge (is scripts/watch running?)");
    let router = chatpassagens::postgrest_bridge::router(settings).unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    database
}

#[tokio::test]
async fn every_function_shares_the_secret_and_store_of_the_workspace_watch_env() {
    if !tool_available("cargo", &["lambda", "--version"])
        || !service_available("PostgreSQL", "127.0.0.1:5432")
    {
        return;
    }
    let env = watch_env();
    for (key, want) in [
        ("STORE", "postgrest"),
        ("SUPABASE_URL", "http://127.0.0.1:3001"),
    ] {
        assert!(
            env.iter().any(|(k, v)| k == key && v == want),
            "{key} in {env:?}"
        );
    }
    let _database = shared_store(&env).await;
    let port = free_port();
    let log =
        std::fs::File::create(std::env::temp_dir().join(format!("cargo-lambda-watch-{port}.log")))
            .unwrap();
    let child = Command::new("cargo")
        .args([
            "lambda",
            "watch",
            "--ignore-changes",
            "--invoke-address",
            "127.0.0.1",
            "--invoke-port",
            &port.to_string(),
        ])
        .current_dir(workspace_root())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .process_group(0)
        .spawn()
        .expect("cargo lambda watch starts");
    let _guard = ChildGuard(child);

    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "cargo lambda watch did not listen on {port}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let client = reqwest::Client::builder()
        .timeout(FIRST_REQUEST_TIMEOUT)
        .build()
        .unwrap();
    let date = (chrono::Utc::now().date_naive() + chrono::Days::new(45)).to_string();
    let response = client
        .get(format!(
            "{base}/search?origin=SAO&destination=lisboa&departure={date}&adults=2"
        ))
        .send()
        .await
        .expect("the emulator answers");
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    let offers = body["offers"].as_array().unwrap();
    assert!(!offers.is_empty());
    assert!(offers.iter().all(|o| o["provider"] == "demo"));
    assert_eq!(body["query"]["legs"][0]["destination"], "LIS");

    let bad = client
        .get(format!(
            "{base}/search?origin=SAO&destination=LIS&departure=tomorrow"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let bad: Value = bad.json().await.unwrap();
    assert_eq!(bad["error"]["field"], "departure");

    let airports: Value = client
        .get(format!("{base}/airports?q=lisboa"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(airports["places"][0]["code"], "LIS");

    // The emulator builds each function on its first request and may drop
    // a connection meanwhile: an unauthenticated call (401) warms each one.
    for (method, path) in [
        (reqwest::Method::GET, "/auth/me"),
        (reqwest::Method::POST, "/chat"),
        (reqwest::Method::GET, "/conversations"),
    ] {
        warm(&client, method, &format!("{base}{path}")).await;
    }

    // The chat binary runs Lambda response streaming: server-sent events come through the emulator.
    let grant: Value = client
        .post(format!("{base}/auth/signup"))
        .json(&serde_json::json!({ "email": "watch@example.com", "password": "correct horse battery" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = grant["access_token"]
        .as_str()
        .expect("the auth binary signs up");
    let stream = client
        .post(format!("{base}/chat"))
        .bearer_auth(token)
        .header("accept", "text/event-stream")
        .json(&serde_json::json!({ "message": format!("de Recife para Lisboa em {date}") }))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let text = stream.text().await.unwrap();
    for event in [
        "event: tool",
        "event: offers",
        "event: delta",
        "event: done",
    ] {
        assert!(text.contains(event), "{event} missing from:\n{text}");
    }

    // The conversation chat stored is the one history lists: one store.
    let done: Value = text
        .split("event: done\ndata: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .and_then(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| panic!("no done event data in:\n{text}"));
    let listed = client
        .get(format!("{base}/conversations"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200, "history accepts auth's token");
    let listed: Value = listed.json().await.unwrap();
    let ids: Vec<&Value> = listed["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, [&done["conversation_id"]], "{listed}");
}

/// Calls a function until its binary is built and answers (any status):
/// transport errors are retried, up to five times.
async fn warm(client: &reqwest::Client, method: reqwest::Method, url: &str) {
    for attempt in 1..=5 {
        match client.request(method.clone(), url).send().await {
            Ok(response) => {
                assert_eq!(response.status(), 401, "{url} without a token");
                return;
            }
            Err(e) if attempt < 5 => eprintln!("{url}: {e}; retrying"),
            Err(e) => panic!("{url} never answered: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
