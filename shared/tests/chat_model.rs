//! The chat turn with an OpenAI-compatible model (a local server replaying
//! a tool call, then an answer), and the offline assistant taking over when
//! the model fails.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use support::{Client, app_with, token_of};

/// A model endpoint: `script(n, request)` answers the n-th call.
async fn model_server(
    script: impl Fn(usize, &Value) -> (StatusCode, String) + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let script = Arc::new(script);
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |body: axum::Json<Value>| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let (status, text) = script(n, &body.0);
            async move { (status, [("content-type", "text/event-stream")], text) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, calls)
}

fn sse(deltas: &[Value]) -> String {
    let mut out: String = deltas
        .iter()
        .map(|d| {
            format!(
                "data: {}\n\n",
                json!({ "choices": [{ "index": 0, "delta": d, "finish_reason": null }] })
            )
        })
        .collect();
    out.push_str("data: [DONE]\n\n");
    out
}

fn client(base: &str) -> Client {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 30).unwrap();
    Client::new(
        app_with(&[
            ("ASSISTANT", "openai"),
            ("OPENAI_BASE_URL", base),
            ("OPENAI_API_KEY", "test-key"),
            ("OPENAI_MODEL", "gpt-4o-mini"),
        ])
        .with_clock(now),
    )
}

#[tokio::test]
async fn the_model_calls_the_search_tool_and_answers_with_its_results() {
    let (base, calls) = model_server(|n, req| match n {
        0 => {
            assert_eq!(req["messages"][0]["role"], "system");
            assert!(req["messages"][0]["content"].as_str().unwrap().contains("Today is 2026-11-22"));
            assert_eq!(req["tools"][0]["function"]["name"], "search_flights");
            (StatusCode::OK, sse(&[json!({ "tool_calls": [{ "index": 0, "id": "call_9", "type": "function",
                "function": { "name": "search_flights", "arguments": "{\"origin\":\"SAO\",\"destination\":\"LIS\",\"departure_date\":\"2027-03-10\",\"adults\":2}" } }] })]))
        }
        _ => {
            let tool = req["messages"].as_array().unwrap().iter().find(|m| m["role"] == "tool").expect("tool result sent back");
            assert_eq!(tool["tool_call_id"], "call_9");
            let result: Value = serde_json::from_str(tool["content"].as_str().unwrap()).unwrap();
            assert!(result["count"].as_u64().unwrap() > 0, "{result}");
            (StatusCode::OK, sse(&[json!({ "content": "Encontrei voos de São Paulo para Lisboa; " }), json!({ "content": "o melhor é direto." })]))
        }
    })
    .await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir de São Paulo para Lisboa dia 10 de março, 2 adultos" }),
        )
        .await;
    assert_eq!(turn.status, StatusCode::OK, "{}", turn.body);
    assert_eq!(
        turn.body["reply"],
        "Encontrei voos de São Paulo para Lisboa; o melhor é direto."
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let q = &turn.body["searches"][0]["query"];
    assert_eq!(
        (
            q["legs"][0]["origin"].as_str(),
            q["legs"][0]["date"].as_str()
        ),
        (Some("SAO"), Some("2027-03-10"))
    );
    let id = turn.body["conversation_id"].as_str().unwrap();
    let detail = c
        .send("GET", &format!("/conversations/{id}"), Some(&t), None)
        .await;
    let roles: Vec<&str> = detail.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "tool", "assistant"]);
    assert_eq!(detail.body["messages"][1]["tool_calls"][0]["id"], "call_9");
}

#[tokio::test]
async fn a_failing_model_falls_back_to_the_offline_assistant() {
    let (base, calls) =
        model_server(|_, _| (StatusCode::SERVICE_UNAVAILABLE, "overloaded".to_owned())).await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir de São Paulo para Lisboa dia 10 de março" }),
        )
        .await;
    assert_eq!(turn.status, StatusCode::OK, "{}", turn.body);
    assert!(
        turn.body["reply"]
            .as_str()
            .unwrap()
            .starts_with("Encontrei"),
        "{}",
        turn.body
    );
    assert_eq!(
        turn.body["searches"][0]["query"]["legs"][0]["destination"],
        "LIS"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "tried, retried twice, then fell back"
    );
}

#[tokio::test]
async fn bad_tool_arguments_reach_the_model_as_an_error_it_can_explain() {
    let (base, _) = model_server(|n, req| match n {
        0 => (StatusCode::OK, sse(&[json!({ "tool_calls": [{ "index": 0, "id": "c1", "type": "function",
            "function": { "name": "search_flights", "arguments": "{\"origin\":\"SAO\",\"destination\":\"Atlantida\",\"departure_date\":\"2027-03-10\"}" } }] })])),
        _ => {
            let tool = req["messages"].as_array().unwrap().iter().find(|m| m["role"] == "tool").unwrap();
            assert!(tool["content"].as_str().unwrap().contains("unknown airport or city 'Atlantida'"));
            (StatusCode::OK, sse(&[json!({ "content": "Não conheço Atlântida. Para qual cidade?" })]))
        }
    })
    .await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir para Atlântida" }),
        )
        .await;
    assert_eq!(
        turn.body["reply"],
        "Não conheço Atlântida. Para qual cidade?"
    );
    assert_eq!(turn.body["searches"], json!([]), "no search ran");
}
