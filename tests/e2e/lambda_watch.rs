//! The function binaries themselves (search, auth, chat) under cargo-lambda's
//! runtime emulator (`cargo lambda watch`), routed by the workspace's
//! `[workspace.metadata.lambda.watch.router]`.

use std::os::unix::process::CommandExt as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tests::{ChildGuard, free_port, tool_available, workspace_root};

/// First request compiles the function; give a cold build on 2 cores room.
const FIRST_REQUEST_TIMEOUT: Duration = Duration::from_secs(900);

#[tokio::test]
async fn search_binary_answers_a_real_search_under_cargo_lambda_watch() {
    if !tool_available("cargo", &["lambda", "--version"]) {
        return;
    }
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
        // Auth and chat are separate processes: one JWT secret lets chat verify auth's tokens.
        .args([
            "--env-var",
            "JWT_SECRET=watch-secret-with-at-least-32-characters",
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
}
