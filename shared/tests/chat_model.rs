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
use futures::StreamExt as _;
use serde_json::{Value, json};
use support::{Client, app_with, events_of, stream_turn, token_of};

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
            async move {
                // "SLEEP" splits a stream: the rest arrives half a second later.
                let body = match text.split_once("SLEEP") {
                    Some((head, _)) => {
                        let head = head.to_owned();
                        let rest = format!(
                            "data: {}\n\ndata: [DONE]\n\n",
                            json!({ "choices": [{ "index": 0, "delta": { "content": "segunda parte." }, "finish_reason": "stop" }] })
                        );
                        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(head)]).chain(futures::stream::once(async move {
                            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                            Ok(rest)
                        }));
                        axum::body::Body::from_stream(chunks)
                    }
                    None => axum::body::Body::from(text),
                };
                (status, [("content-type", "text/event-stream")], body)
            }
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

#[tokio::test]
async fn the_turn_streams_typed_events_a_real_sse_client_parses() {
    let (base, _) = model_server(|n, _| match n {
        0 => (StatusCode::OK, sse(&[json!({ "tool_calls": [{ "index": 0, "id": "c1", "type": "function",
            "function": { "name": "search_flights", "arguments": "{\"origin\":\"SAO\",\"destination\":\"LIS\",\"departure_date\":\"2027-03-10\"}" } }] })])),
        _ => (StatusCode::OK, sse(&[json!({ "content": "Achei " }), json!({ "content": "ótimas opções." })])),
    })
    .await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let body = stream_turn(
        &c,
        &t,
        json!({ "message": "de São Paulo para Lisboa dia 10 de março" }),
    )
    .await;
    let events = events_of(body, None).await;
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["tool", "offers", "delta", "delta", "title", "done"]);
    assert_eq!(events[0].1["name"], "search_flights");
    assert!(!events[1].1["offers"].as_array().unwrap().is_empty());
    assert_eq!(
        format!(
            "{}{}",
            events[2].1["text"].as_str().unwrap(),
            events[3].1["text"].as_str().unwrap()
        ),
        "Achei ótimas opções."
    );
    let id = events[5].1["conversation_id"].as_str().unwrap();
    let detail = c
        .send("GET", &format!("/conversations/{id}"), Some(&t), None)
        .await;
    assert_eq!(
        detail.body["messages"][3]["content"],
        "Achei ótimas opções."
    );
    assert_eq!(detail.body["messages"][3]["id"], events[5].1["message_id"]);
}

#[tokio::test]
async fn a_client_that_disconnects_mid_stream_does_not_lose_the_turn() {
    // A slow model: the answer's second half comes half a second after the first.
    let (base, _) = model_server(|_, _| {
        let first = format!(
            "data: {}\n\n",
            json!({ "choices": [{ "index": 0, "delta": { "content": "Primeira parte, " } }] })
        );
        (StatusCode::OK, format!("{first}SLEEP"))
    })
    .await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let body = stream_turn(&c, &t, json!({ "message": "oi, quero viajar" })).await;
    let seen = events_of(body, Some("delta")).await;
    assert_eq!(seen.last().unwrap().0, "delta");
    // The client is gone; the turn finishes and is stored whole.
    let mut stored = Value::Null;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let list = c.send("GET", "/conversations", Some(&t), None).await;
        if let Some(first) = list.body["conversations"]
            .as_array()
            .and_then(|a| a.first())
        {
            let id = first["id"].as_str().unwrap().to_owned();
            stored = c
                .send("GET", &format!("/conversations/{id}"), Some(&t), None)
                .await
                .body;
            break;
        }
    }
    let messages = stored["messages"].as_array().expect("the turn was stored");
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1]["content"], "Primeira parte, segunda parte.");
}

#[tokio::test]
async fn a_retry_of_a_stored_turn_runs_nothing_again() {
    let (base, calls) = model_server(|_, _| {
        (
            StatusCode::OK,
            sse(&[json!({ "content": "Para onde você quer ir?" })]),
        )
    })
    .await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let send = || {
        let req = axum::http::Request::post("/chat")
            .header("authorization", format!("Bearer {t}"))
            .header("idempotency-key", "retry-me")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({ "message": "oi" }).to_string(),
            ))
            .unwrap();
        tower::ServiceExt::oneshot(c.router.clone(), req)
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let again = send().await.unwrap();
    let bytes = http_body_util::BodyExt::collect(again.into_body())
        .await
        .unwrap()
        .to_bytes();
    let again: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(again["reply"], "Para onde você quer ir?");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the model was not asked again"
    );
}

#[tokio::test]
async fn a_model_that_breaks_mid_answer_is_announced_before_the_offline_answer_replaces_it() {
    // Every attempt streams a few words, then the connection ends without [DONE].
    let (base, _) = model_server(|_, _| {
        let partial = format!(
            "data: {}\n\n",
            json!({ "choices": [{ "index": 0, "delta": { "content": "Achei vo" }, "finish_reason": null }] })
        );
        (StatusCode::OK, partial)
    })
    .await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let body = stream_turn(
        &c,
        &t,
        json!({ "message": "de São Paulo para Lisboa dia 10 de março" }),
    )
    .await;
    let events = events_of(body, None).await;
    let fallback = events
        .iter()
        .rposition(|(n, _)| n == "fallback")
        .expect("a fallback event");
    let after: String = events[fallback..]
        .iter()
        .filter(|(n, _)| n == "delta")
        .map(|(_, d)| d["text"].as_str().unwrap())
        .collect();
    let (_, done) = events.last().unwrap();
    let id = done["conversation_id"].as_str().unwrap();
    let detail = c
        .send("GET", &format!("/conversations/{id}"), Some(&t), None)
        .await;
    let stored = detail.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m["role"] == "assistant")
        .unwrap()["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(stored.starts_with("Encontrei"), "{stored}");
    assert_eq!(
        after, stored,
        "what follows the fallback is what was stored"
    );
}

#[tokio::test]
async fn a_model_that_never_answers_is_cut_off_by_the_turn_deadline() {
    // A model that accepts the request and then says nothing for a minute.
    let app = Router::new().route(
        "/v1/chat/completions",
        post(|| async {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            StatusCode::OK
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 30).unwrap();
    let c = Client::new(
        app_with(&[
            ("ASSISTANT", "openai"),
            ("OPENAI_BASE_URL", &base),
            ("OPENAI_API_KEY", "test-key"),
            ("MODEL_TIMEOUT_MS", "20000"),
            ("CHAT_MODEL_DEADLINE_MS", "600"),
        ])
        .with_clock(now),
    );
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        c.post(
            "/chat",
            Some(&t),
            json!({ "message": "de São Paulo para Lisboa dia 10 de março" }),
        ),
    )
    .await
    .expect("the turn ends long before one model timeout");
    let reply = turn.body["reply"].as_str().unwrap();
    assert!(
        reply.starts_with("Encontrei"),
        "the offline assistant answered: {reply}"
    );
}

fn tool_call(id: &str, name: &str, arguments: Value) -> String {
    sse(&[
        json!({ "tool_calls": [{ "index": 0, "id": id, "type": "function",
        "function": { "name": name, "arguments": arguments.to_string() } }] }),
    ])
}

/// The last tool result the request sends back to the model.
fn last_tool_result(req: &Value) -> Value {
    let tool = req["messages"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m["role"] == "tool")
        .expect("a tool result sent back");
    serde_json::from_str(tool["content"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn with_a_model_a_watch_request_goes_to_its_watch_tool_which_refuses_bad_arguments_by_name() {
    let round_trip = json!({ "action": "create", "origin": "SAO", "destination": "LIS",
        "departure_date": "2027-03-10", "return_date": "2027-03-17", "adults": 2 });
    let (base, calls) = model_server(move |n, req| match n {
        0 => (StatusCode::OK, sse(&[json!({ "content": "Ida e volta São Paulo–Lisboa a partir de R$ 5.000." })])),
        1 => {
            let tools: Vec<&str> = req["tools"].as_array().unwrap().iter().map(|t| t["function"]["name"].as_str().unwrap()).collect();
            assert_eq!(tools, ["search_flights", "watch_route"]);
            let said = req["messages"].as_array().unwrap().last().unwrap();
            assert_eq!(said["content"], "me avisa quando baixar", "the model gets the watch request");
            let mut bad = round_trip.clone();
            bad["target_price"] = json!(-5);
            (StatusCode::OK, tool_call("w1", "watch_route", bad))
        }
        2 => {
            let refused = last_tool_result(req);
            assert_eq!(refused["field"], "target_price", "{refused}");
            (StatusCode::OK, tool_call("w2", "watch_route", round_trip.clone()))
        }
        3 => {
            let created = &last_tool_result(req)["created"];
            assert_eq!(created["watching"], "SAO ⇄ LIS, 2027-03-10, back after 7 days", "{created}");
            (StatusCode::OK, sse(&[json!({ "content": "Pronto! Vou acompanhar São Paulo ⇄ Lisboa, ida 10 de março e volta 17 de março, e te aviso quando o preço cair." })]))
        }
        4 => (StatusCode::OK, tool_call("w3", "watch_route", json!({ "action": "list" }))),
        _ => {
            let listed = last_tool_result(req);
            assert_eq!(listed["watches"].as_array().unwrap().len(), 1, "{listed}");
            (StatusCode::OK, sse(&[json!({ "content": "Você acompanha 1 rota: São Paulo ⇄ Lisboa." })]))
        }
    })
    .await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let first = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "ida e volta de São Paulo para Lisboa, 10 a 17 de março, 2 adultos" }),
        )
        .await;
    let id = first.body["conversation_id"].as_str().unwrap().to_owned();
    let watch = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "me avisa quando baixar", "conversation_id": id }),
        )
        .await;
    assert_eq!(watch.status, StatusCode::OK, "{}", watch.body);
    assert!(
        watch.body["reply"]
            .as_str()
            .unwrap()
            .starts_with("Pronto! Vou acompanhar São Paulo ⇄ Lisboa"),
        "{}",
        watch.body
    );
    let list = c.send("GET", "/watches", Some(&t), None).await;
    let watches = list.body["watches"].as_array().unwrap();
    assert_eq!(watches.len(), 1, "the refused call stored nothing");
    let legs = &watches[0]["query"]["legs"];
    assert_eq!(
        (legs[0]["date"].as_str(), legs[1]["date"].as_str()),
        (Some("2027-03-10"), Some("2027-03-17")),
        "the round trip is watched"
    );
    assert_eq!(watches[0]["query"]["passengers"]["adults"], 2);
    let listed = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quais rotas estou acompanhando?", "conversation_id": id }),
        )
        .await;
    assert_eq!(
        listed.body["reply"],
        "Você acompanha 1 rota: São Paulo ⇄ Lisboa."
    );
    assert_eq!(calls.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn when_the_model_fails_the_rules_still_create_the_watch() {
    let (base, _) =
        model_server(|_, _| (StatusCode::SERVICE_UNAVAILABLE, "overloaded".to_owned())).await;
    let c = client(&base);
    let t = token_of(&c.signup("ana@example.com").await);
    let first = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir de São Paulo para Lisboa dia 10 de março" }),
        )
        .await;
    let id = first.body["conversation_id"].as_str().unwrap().to_owned();
    let watch = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "me avisa quando baixar", "conversation_id": id }),
        )
        .await;
    assert!(
        watch.body["reply"]
            .as_str()
            .unwrap()
            .contains("Vou acompanhar"),
        "{}",
        watch.body
    );
    let list = c.send("GET", "/watches", Some(&t), None).await;
    assert_eq!(list.body["watches"].as_array().unwrap().len(), 1);
}
