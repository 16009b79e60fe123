//! The OpenAI-compatible adapter against a local server replaying streams in
//! the documented chunk format, including the known deviations of Gemini's
//! and Ollama's endpoints, errors, retries and timeouts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use serde_json::{Value, json};
use shared::assistant::model::{
    AssistantModel, ChatMessage, ModelError, OpenAiCompatible, ToolSpec,
};

/// Serves `script(attempt, body)` at `/v1/chat/completions`; returns the base URL and the attempt counter.
async fn server(
    script: impl Fn(usize, Value) -> (StatusCode, String) + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = attempts.clone();
    let script = Arc::new(script);
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, body: axum::Json<Value>| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let script = script.clone();
            async move {
                assert_eq!(headers.get("authorization").unwrap(), "Bearer test-key");
                let (status, text) = script(n, body.0);
                if text == "SLOW" {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
                let mut response = (status, text).into_response();
                response
                    .headers_mut()
                    .insert("content-type", "text/event-stream".parse().unwrap());
                if status == StatusCode::TOO_MANY_REQUESTS {
                    response
                        .headers_mut()
                        .insert("retry-after", "0".parse().unwrap());
                }
                response
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, attempts)
}

fn sse(chunks: &[Value]) -> String {
    let mut out: String = chunks.iter().map(|c| format!("data: {c}\n\n")).collect();
    out.push_str("data: [DONE]\n\n");
    out
}

fn chunk(delta: Value, finish: Option<&str>) -> Value {
    json!({ "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1_795_000_000, "model": "m",
            "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }] })
}

fn model(base: &str) -> OpenAiCompatible {
    OpenAiCompatible::new(base, "test-key", "gpt-4o-mini", Duration::from_secs(2))
        .unwrap()
        .with_retries(2, Duration::from_millis(10))
}

fn tools() -> Vec<ToolSpec> {
    vec![ToolSpec {
        name: "search_flights",
        description: "Search flights",
        parameters: json!({ "type": "object", "properties": { "origin": { "type": "string" } } }),
    }]
}

#[tokio::test]
async fn text_streams_in_order_and_the_request_is_well_formed() {
    let (base, _) = server(|_, body| {
        assert_eq!(body["model"], "gpt-4o-mini");
        assert_eq!(body["stream"], true);
        assert_eq!(body["tools"][0]["function"]["name"], "search_flights");
        assert_eq!(body["messages"][0]["role"], "user");
        let text = sse(&[
            chunk(json!({ "role": "assistant", "content": "" }), None),
            chunk(json!({ "content": "Olá, " }), None),
            chunk(json!({ "content": "viajante!" }), None),
            chunk(json!({}), Some("stop")),
        ]);
        (StatusCode::OK, text)
    })
    .await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let done = model(&base)
        .complete(&[ChatMessage::text("user", "oi")], &tools(), Some(&tx))
        .await
        .unwrap();
    assert_eq!(done.content, "Olá, viajante!");
    assert!(done.tool_calls.is_empty());
    drop(tx);
    let mut deltas = Vec::new();
    while let Some(d) = rx.recv().await {
        deltas.push(d);
    }
    assert_eq!(deltas, ["Olá, ", "viajante!"]);
}

#[tokio::test]
async fn tool_calls_split_across_chunks_are_assembled() {
    let (base, _) = server(|_, _| {
        (StatusCode::OK, sse(&[
            chunk(json!({ "role": "assistant", "content": null, "tool_calls": [{ "index": 0, "id": "call_a", "type": "function", "function": { "name": "search_flights", "arguments": "" } }] }), None),
            chunk(json!({ "tool_calls": [{ "index": 1, "id": "call_b", "type": "function", "function": { "name": "find_airports", "arguments": "{\"q\":" } }] }), None),
            chunk(json!({ "tool_calls": [{ "index": 0, "function": { "arguments": "{\"origin\":\"SAO\"," } }] }), None),
            chunk(json!({ "tool_calls": [{ "index": 1, "function": { "arguments": "\"lisboa\"}" } }] }), None),
            chunk(json!({ "tool_calls": [{ "index": 0, "function": { "arguments": "\"destination\":\"LIS\"}" } }] }), None),
            chunk(json!({}), Some("tool_calls")),
        ]))
    })
    .await;
    let done = model(&base)
        .complete(&[ChatMessage::text("user", "SAO-LIS")], &tools(), None)
        .await
        .unwrap();
    assert_eq!(done.tool_calls.len(), 2);
    assert_eq!(
        (
            done.tool_calls[0].id.as_str(),
            done.tool_calls[0].name.as_str()
        ),
        ("call_a", "search_flights")
    );
    let args: Value = serde_json::from_str(&done.tool_calls[0].arguments).unwrap();
    assert_eq!(args, json!({ "origin": "SAO", "destination": "LIS" }));
    assert_eq!(done.tool_calls[1].arguments, "{\"q\":\"lisboa\"}");
}

#[tokio::test]
async fn gemini_calls_without_index_and_stop_after_tool_calls_are_understood() {
    let (base, _) = server(|_, _| {
        let gemini = json!({ "choices": [{ "delta": { "role": "assistant", "tool_calls": [
            { "id": "function-call-1", "type": "function", "function": { "name": "search_flights", "arguments": "{\"origin\":\"GRU\"" } }
        ] }, "finish_reason": null, "index": 0 }], "model": "gemini-2.0-flash", "object": "chat.completion.chunk" });
        let rest = json!({ "choices": [{ "delta": { "tool_calls": [{ "type": "function", "function": { "arguments": ",\"destination\":\"LIS\"}" } }] },
                           "finish_reason": "stop", "index": 0 }] });
        (StatusCode::OK, sse(&[gemini, rest]))
    })
    .await;
    let done = model(&base)
        .complete(&[ChatMessage::text("user", "x")], &tools(), None)
        .await
        .unwrap();
    assert_eq!(done.tool_calls.len(), 1);
    assert_eq!(done.tool_calls[0].id, "function-call-1");
    assert_eq!(
        done.tool_calls[0].arguments,
        "{\"origin\":\"GRU\",\"destination\":\"LIS\"}"
    );
}

#[tokio::test]
async fn ollama_parallel_calls_reusing_one_index_stay_apart() {
    let (base, _) = server(|_, _| {
        (StatusCode::OK, sse(&[
            chunk(json!({ "role": "assistant", "content": "", "tool_calls": [{ "id": "call_1", "index": 0, "type": "function", "function": { "name": "search_flights", "arguments": "{\"origin\":\"GRU\"}" } }] }), None),
            chunk(json!({ "role": "assistant", "content": "", "tool_calls": [{ "id": "call_2", "index": 0, "type": "function", "function": { "name": "search_flights", "arguments": "{\"origin\":\"VCP\"}" } }] }), None),
            chunk(json!({}), Some("stop")),
        ]))
    })
    .await;
    let done = model(&base)
        .complete(&[ChatMessage::text("user", "x")], &tools(), None)
        .await
        .unwrap();
    let ids: Vec<&str> = done.tool_calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["call_1", "call_2"]);
    assert_eq!(done.tool_calls[1].arguments, "{\"origin\":\"VCP\"}");
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_with_backoff() {
    let (base, attempts) = server(|n, _| match n {
        0 => (
            StatusCode::TOO_MANY_REQUESTS,
            r#"{"error":{"message":"Rate limit reached","type":"requests"}}"#.to_owned(),
        ),
        1 => (
            StatusCode::SERVICE_UNAVAILABLE,
            "upstream overloaded".to_owned(),
        ),
        _ => (
            StatusCode::OK,
            sse(&[chunk(json!({ "content": "ok" }), Some("stop"))]),
        ),
    })
    .await;
    let done = model(&base)
        .complete(&[ChatMessage::text("user", "x")], &[], None)
        .await
        .unwrap();
    assert_eq!(done.content, "ok");
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn failures_are_classified_without_pointless_retries() {
    let (base, attempts) =
        server(|_, _| (StatusCode::INTERNAL_SERVER_ERROR, "boom".to_owned())).await;
    assert!(matches!(
        model(&base)
            .complete(&[ChatMessage::text("user", "x")], &[], None)
            .await,
        Err(ModelError::Unavailable(_))
    ));
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "first try and two retries"
    );

    let (base, attempts) = server(|_, _| {
        (
            StatusCode::UNAUTHORIZED,
            r#"{"error":{"message":"Incorrect API key"}}"#.to_owned(),
        )
    })
    .await;
    assert!(matches!(
        model(&base)
            .complete(&[ChatMessage::text("user", "x")], &[], None)
            .await,
        Err(ModelError::Unauthorized)
    ));
    assert_eq!(attempts.load(Ordering::SeqCst), 1);

    let (base, _) = server(|_, _| {
        (
            StatusCode::BAD_REQUEST,
            r#"{"error":{"message":"Invalid 'messages'"}}"#.to_owned(),
        )
    })
    .await;
    assert!(
        matches!(model(&base).complete(&[ChatMessage::text("user", "x")], &[], None).await, Err(ModelError::Rejected(m)) if m == "Invalid 'messages'")
    );

    let (base, _) = server(|_, _| (StatusCode::OK, "SLOW".to_owned())).await;
    let slow = OpenAiCompatible::new(&base, "test-key", "m", Duration::from_millis(300))
        .unwrap()
        .with_retries(0, Duration::ZERO);
    assert!(matches!(
        slow.complete(&[ChatMessage::text("user", "x")], &[], None)
            .await,
        Err(ModelError::Timeout)
    ));

    let (base, _) = server(|_, _| {
        (
            StatusCode::OK,
            "data: {\"error\":{\"message\":\"model overloaded\"}}\n\n".to_owned(),
        )
    })
    .await;
    assert!(
        matches!(model(&base).complete(&[ChatMessage::text("user", "x")], &[], None).await, Err(ModelError::Unavailable(m)) if m == "model overloaded")
    );
}
