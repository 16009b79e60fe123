//! The server's own time for a chat turn with the offline assistant, through
//! the handler on the embedded adapters (understanding, search, summary,
//! persistence): no model in the loop.
//! Run: `cargo bench -p shared --bench chat`

use std::hint::black_box;

use axum::body::Body;
use axum::http::Request;
use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use shared::{App, Config, api};
use tower::ServiceExt;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 22, 12, 0, 30)
        .single()
        .expect("date");
    let config = Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("bench-secret-with-at-least-32-characters".to_owned()),
        _ => None,
    })
    .expect("config");
    let app = App::from_config(&config).expect("app").with_clock(now);
    let router = api::local_router(app.clone());
    let caller = signed_up(&rt, &router);
    // One day searched (the turn the README's figures since #7 measure),
    // and a month: the calendar read, then its cheapest days searched.
    let turns = [
        (
            "chat_turn_offline_new_conversation",
            "quero ir de São Paulo para Lisboa em 15 de março, até R$ 6.000, 2 adultos",
        ),
        (
            "chat_turn_offline_flexible_month",
            "quero ir de São Paulo para Lisboa em março, até R$ 6.000, 2 adultos",
        ),
    ];
    for (name, message) in turns {
        let input = || shared::assistant::TurnInput {
            conversation_id: None,
            message: message.to_owned(),
            locale: None,
            idempotency_key: None,
            events: None,
        };
        let first = rt
            .block_on(app.chat.turn(&caller, input(), now))
            .expect("turn");
        assert!(first.reply.contains("Encontrei"), "{}", first.reply);

        // The turn itself, its rate-limit check included: each iteration is
        // another traveller, so the per-minute limit never stops the loop.
        c.bench_function(name, |b| {
            b.iter_batched(
                || another(&caller),
                |who| {
                    black_box(
                        rt.block_on(app.chat.turn(&who, input(), now))
                            .expect("turn"),
                    )
                },
                criterion::BatchSize::SmallInput,
            );
        });
    }
}

/// A traveller signed up through the API, as the benchmark's caller.
fn signed_up(rt: &tokio::runtime::Runtime, router: &axum::Router) -> shared::store::Caller {
    let signup = Request::post("/auth/signup")
        .header("content-type", "application/json")
        .body(Body::from(
            r#"{"email":"bench@example.com","password":"correct horse battery"}"#,
        ))
        .expect("request");
    let grant = rt.block_on(async {
        let res = router.clone().oneshot(signup).await.expect("signup");
        let bytes = http_body_util::BodyExt::collect(res.into_body())
            .await
            .expect("body")
            .to_bytes();
        serde_json::from_slice::<serde_json::Value>(&bytes).expect("json")
    });
    let token = grant["access_token"].as_str().expect("token").to_owned();

    shared::store::Caller {
        user_id: grant["user"]["id"]
            .as_str()
            .expect("id")
            .parse()
            .expect("uuid"),
        token,
    }
}

/// The same turn with an OpenAI-compatible model that answers at once (a
/// local server replaying one streamed completion): the adapter's and the
/// turn's own overhead around a model.
fn bench_model(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 22, 12, 0, 30)
        .single()
        .expect("date");
    let base = rt.block_on(async {
        let reply = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Olá!\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        let app = axum::Router::new().route(
            "/v1/chat/completions",
            axum::routing::post(move || async move { ([("content-type", "text/event-stream")], reply) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}/v1", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        base
    });
    let config = Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("bench-secret-with-at-least-32-characters".to_owned()),
        "ASSISTANT" => Some("openai".to_owned()),
        "OPENAI_BASE_URL" => Some(base.clone()),
        "OPENAI_API_KEY" => Some("bench".to_owned()),
        _ => None,
    })
    .expect("config");
    let app = App::from_config(&config).expect("app").with_clock(now);
    let caller = shared::store::Caller {
        user_id: shared::domain::UserId::random(),
        token: String::new(),
    };
    let input = || shared::assistant::TurnInput {
        conversation_id: None,
        message: "oi".to_owned(),
        locale: None,
        idempotency_key: None,
        events: None,
    };
    let first = rt
        .block_on(app.chat.turn(&caller, input(), now))
        .expect("turn");
    assert_eq!(first.reply, "Olá!");
    c.bench_function("chat_turn_model_answering_at_once", |b| {
        b.iter_batched(
            || another(&caller),
            |who| {
                black_box(
                    rt.block_on(app.chat.turn(&who, input(), now))
                        .expect("turn"),
                )
            },
            criterion::BatchSize::SmallInput,
        );
    });
}

criterion_group!(benches, bench, bench_model);
criterion_main!(benches);

/// The same signed-in caller as another traveller (a fresh rate-limit bucket).
fn another(caller: &shared::store::Caller) -> shared::store::Caller {
    shared::store::Caller {
        user_id: shared::domain::UserId::random(),
        token: caller.token.clone(),
    }
}
