//! Metrics as CloudWatch EMF lines, read the way CloudWatch reads them:
//! each line parsed as JSON, its `_aws` directive naming the namespace,
//! dimensions and units, and the values beside it. The app reports to a
//! capture sink, so each test reads only its own app's lines.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use chrono::{Days, Utc};
use serde_json::{Value, json};
use shared::metrics::Metrics;
use shared::refresh::{Delivery, Worker};
use shared::{Adapters, App, Config};
use support::{Client, SECRET, token_of};

/// An app on the embedded adapters with `vars`, reporting to a capture sink.
fn app(vars: &[(&str, &str)]) -> App {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let config = Config::from_lookup(|k| {
        if k == "JWT_SECRET" {
            return Some(SECRET.to_owned());
        }
        vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    })
    .unwrap();
    App::assemble(&config, Adapters::ALL, Metrics::capture("test")).unwrap()
}

/// Every captured line, parsed (a line that is not JSON fails the test).
fn lines(app: &App) -> Vec<Value> {
    app.metrics
        .captured()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The lines whose directive declares `metric`.
fn with(lines: &[Value], metric: &str) -> Vec<Value> {
    lines
        .iter()
        .filter(|l| {
            l["_aws"]["CloudWatchMetrics"][0]["Metrics"]
                .as_array()
                .is_some_and(|ms| ms.iter().any(|m| m["Name"] == metric))
        })
        .cloned()
        .collect()
}

/// The sum of `metric`'s values over `lines`.
fn total(lines: &[Value], metric: &str) -> f64 {
    with(lines, metric)
        .iter()
        .map(|l| l[metric].as_f64().expect("a numeric value"))
        .sum()
}

fn day(ahead: u64) -> String {
    (Utc::now().date_naive() + Days::new(ahead)).to_string()
}

#[tokio::test]
async fn an_offline_chat_turn_emits_one_turn_latency_line_cloudwatch_can_read() {
    let app = app(&[]);
    let c = Client::new(app.clone());
    let t = token_of(&c.signup("ana@example.com").await);
    let say = json!({ "message": "quero ir de São Paulo para Lisboa dia 10 de março" });
    let turn = c.post("/chat", Some(&t), say.clone()).await;
    assert_eq!(turn.status, StatusCode::OK, "{}", turn.body);

    let all = lines(&app);
    let turns = with(&all, "TurnLatency");
    assert_eq!(turns.len(), 1, "once per turn: {all:?}");
    let line = &turns[0];
    let directive = &line["_aws"]["CloudWatchMetrics"][0];
    assert_eq!(directive["Namespace"], "ChatPassagens");
    assert_eq!(directive["Dimensions"], json!([["Stage"]]));
    assert_eq!(
        directive["Metrics"],
        json!([{ "Name": "TurnLatency", "Unit": "Milliseconds" }])
    );
    assert!(line["_aws"]["Timestamp"].is_u64());
    assert_eq!(line["Stage"], "test");
    let ms = line["TurnLatency"].as_f64().expect("a number");
    assert!(ms > 0.0 && ms < 10_000.0, "{ms}");
    assert_eq!(
        total(&all, "CacheMisses"),
        1.0,
        "the turn's search asked the providers"
    );
    assert_eq!(total(&all, "ModelFallbacks"), 0.0, "no model, no fallback");

    let again = c.post("/chat", Some(&t), say).await;
    assert_eq!(again.status, StatusCode::OK);
    let all = lines(&app);
    assert_eq!(with(&all, "TurnLatency").len(), 2);
    assert_eq!(
        total(&all, "CacheHits"),
        1.0,
        "the same search again is cached"
    );
}

#[tokio::test]
async fn a_refresh_round_counts_the_messages_it_queued_and_the_searches_it_ran() {
    let app = app(&[]);
    let c = Client::new(app.clone());
    let ana = token_of(&c.signup("ana@example.com").await);
    let bia = token_of(&c.signup("bia@example.com").await);
    // Three watches, two distinct queries: ana's and bia's SAO–LIS are one.
    for (token, destination) in [(&ana, "LIS"), (&bia, "LIS"), (&ana, "MAD")] {
        let body = json!({ "origin": "SAO", "destination": destination, "departure": day(40) });
        let created = c.post("/watches", Some(token), body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    }

    let (tick, work) = shared::refresh::local::run_once(&app).await.unwrap();
    assert_eq!((tick.claimed, tick.messages), (3, 2));

    let all = lines(&app);
    let queued = with(&all, "RefreshMessagesQueued");
    assert_eq!(queued.len(), 1, "one line per tick");
    assert_eq!(queued[0]["RefreshMessagesQueued"], 2.0);
    assert_eq!(queued[0]["Stage"], "test");
    let batch = with(&all, "RefreshSearches");
    assert_eq!(batch.len(), 1, "one line per batch");
    assert_eq!(batch[0]["RefreshSearches"], 2.0);
    assert_eq!(work.searches, 2);
    assert_eq!(batch[0]["NotificationsSent"], work.notifications as f64);
    assert_eq!(batch[0]["MessagesDeadLettered"], 0.0);
}

#[tokio::test]
async fn a_message_failing_its_last_allowed_delivery_is_counted_as_dead_lettered() {
    let app = app(&[("REFRESH_MAX_RECEIVE_COUNT", "3")]);
    let worker = Worker::new(
        app.search.clone(),
        app.watch_refresh.clone(),
        Duration::from_secs(3600),
    )
    .with_metrics(app.metrics.clone(), app.refresh.max_receive_count);
    let broken = |id: &str, receive_count| Delivery {
        id: id.to_owned(),
        body: "{\"query_key\": 1}".to_owned(),
        receive_count,
    };
    let (_, failed) = worker
        .handle_batch(&[broken("early", 2), broken("last", 3)], Utc::now())
        .await;
    assert_eq!(failed, ["early", "last"], "both are reported failed");
    let all = lines(&app);
    assert_eq!(
        total(&all, "MessagesDeadLettered"),
        1.0,
        "only the last goes to the DLQ"
    );
}

#[tokio::test]
async fn a_provider_that_fails_is_counted_under_its_own_name() {
    // Nothing listens on port 1: Duffel's calls are refused at once.
    let app = app(&[
        ("FARE_PROVIDERS", "demo,duffel"),
        ("DUFFEL_ACCESS_TOKEN", "test-token"),
        ("DUFFEL_BASE_URL", "http://127.0.0.1:1"),
    ]);
    let c = Client::new(app.clone());
    let search = c
        .send(
            "GET",
            &format!("/search?origin=SAO&destination=LIS&departure={}", day(30)),
            None,
            None,
        )
        .await;
    assert_eq!(search.status, StatusCode::OK, "{}", search.body);
    assert_eq!(search.body["warnings"][0]["provider"], "duffel");

    let all = lines(&app);
    let calls = with(&all, "ProviderErrors");
    let of = |name: &str| {
        calls
            .iter()
            .find(|l| l["Provider"] == name)
            .unwrap_or_else(|| panic!("no line for {name}: {all:?}"))
            .clone()
    };
    let duffel = of("duffel");
    assert_eq!(
        duffel["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
        json!([["Stage", "Provider"]])
    );
    assert_eq!(duffel["ProviderErrors"], 1.0);
    assert!(duffel["ProviderLatency"].as_f64().unwrap() >= 0.0);
    assert_eq!(of("demo")["ProviderErrors"], 0.0, "the demo answered");
}

/// A model endpoint that refuses every call (a revoked key).
async fn refusing_model() -> String {
    let router = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(|| async { StatusCode::UNAUTHORIZED }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

#[tokio::test]
async fn a_model_that_fails_emits_its_latency_and_a_fallback() {
    let base = refusing_model().await;
    let app = app(&[
        ("ASSISTANT", "openai"),
        ("OPENAI_BASE_URL", &base),
        ("OPENAI_API_KEY", "revoked"),
    ]);
    let c = Client::new(app.clone());
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir de São Paulo para Lisboa dia 10 de março" }),
        )
        .await;
    assert_eq!(
        turn.status,
        StatusCode::OK,
        "the offline assistant answered: {}",
        turn.body
    );

    let all = lines(&app);
    assert_eq!(total(&all, "ModelFallbacks"), 1.0, "{all:?}");
    let model = with(&all, "ModelLatency");
    assert_eq!(model.len(), 1, "one model call");
    assert_eq!(
        model[0]["_aws"]["CloudWatchMetrics"][0]["Metrics"],
        json!([{ "Name": "ModelLatency", "Unit": "Milliseconds" }])
    );
    assert_eq!(with(&all, "TurnLatency").len(), 1);
}

#[test]
fn outside_lambda_metrics_are_off_unless_asked_for() {
    let local = Config::from_lookup(|_| None).unwrap();
    let app = App::from_config(&local).unwrap();
    assert!(
        !app.metrics.is_on(),
        "serve and the CLI write no metric lines"
    );
    let asked = Config::from_lookup(|k| (k == "METRICS").then(|| "emf".to_owned())).unwrap();
    assert!(App::from_config(&asked).unwrap().metrics.is_on());
}
