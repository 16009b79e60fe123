//! What a refresh tick costs on the production adapters (figures in the
//! README): 10,000 watches (500 distinct queries) in the real PostgreSQL
//! through the `postgrest` store over the bridge, the refresh queue on SQS
//! and the price history on DynamoDB, both on `moto_server`. Counts the
//! searches, store RPCs, and the SQS and DynamoDB requests (an SDK
//! interceptor counts every attempt), and times the tick and the worker
//! draining the queue.
//!
//! Run: `CARGO_PROFILE_RELEASE_LTO=false cargo run --release -p tests --example refresh_pg_cost`
//! (PostgreSQL at 127.0.0.1:5432, user postgres; makes a `cp_refresh_bench`
//! database; `MOTO_SERVER` names moto_server when it is not on PATH).

#![allow(clippy::print_stdout)]

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::BoxError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use chatpassagens::postgrest_bridge::{Settings, role_token, router};
use chrono::{Days, Utc};
use shared::cache::MemoryCache;
use shared::domain::Email;
use shared::fares::{DemoProvider, FareSearch, SearchService};
use shared::prices::{DynamoPriceHistory, Insights};
use shared::refresh::{Delivery, SqsQueue, TickSettings, Worker, WorkerReport, tick};
use shared::search::RawSearch;
use shared::store::{AccountStore, Caller, PostgrestStore, WatchStore};
use shared::watches::RawWatch;
use tests::{ChildGuard, free_port, workspace_root};

const SECRET: &str = "bench-secret-with-at-least-32-characters";
const USERS: u64 = 500;
const PER_USER: u64 = 20;

/// Counts the HTTP requests an AWS client sends (every attempt, as the
/// service would bill and log them).
#[derive(Debug, Clone, Default)]
struct Requests(Arc<AtomicUsize>);

impl Intercept for Requests {
    fn name(&self) -> &'static str {
        "Requests"
    }
    fn read_before_transmit(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Requests {
    fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

async fn moto() -> anyhow::Result<(String, ChildGuard)> {
    let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_owned());
    let port = free_port();
    let child = Command::new(&program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let addr = format!("127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(&addr).is_ok() {
            return Ok((format!("http://{addr}"), ChildGuard(child)));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("moto_server did not listen on {addr}")
}

async fn store() -> anyhow::Result<Arc<PostgrestStore>> {
    let admin = tests::postgres_admin().await;
    admin
        .batch_execute("drop database if exists cp_refresh_bench with (force)")
        .await?;
    admin
        .batch_execute("create database cp_refresh_bench")
        .await?;
    let url = "postgres://postgres@127.0.0.1:5432/cp_refresh_bench";
    chatpassagens::migrate::run(url, &workspace_root().join("infra/supabase")).await?;
    let settings = Settings {
        db_uri: url.to_owned(),
        schemas: vec!["public".to_owned()],
        anon_role: "anon".to_owned(),
        jwt_secret: SECRET.to_owned(),
        jwt_aud: Some("authenticated".to_owned()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = router(settings)?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    let service = role_token("service_role", SECRET)?;
    Ok(Arc::new(PostgrestStore::new(
        &base,
        "anon",
        Some(&service),
        Duration::from_secs(30),
    )?))
}

fn user_token(id: &str) -> anyhow::Result<String> {
    let claims = serde_json::json!({ "sub": id, "role": "authenticated", "aud": "authenticated",
        "exp": Utc::now().timestamp() + 3600, "sid": "bench" });
    let key = jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes());
    Ok(jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &key,
    )?)
}

/// 500 travellers with 20 watches each over 500 distinct queries, as the
/// in-memory figure has them; eight at a time.
async fn watches(store: &Arc<PostgrestStore>) -> anyhow::Result<()> {
    let destinations = ["LIS", "MAD"];
    let mut tasks = Vec::new();
    for lane in 0..8u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for user in (lane..USERS).step_by(8) {
                let email = Email::parse(&format!("watcher{user}@example.com"))
                    .map_err(anyhow::Error::msg)?;
                let account = store.create_account(&email, "x").await?;
                let who = Caller {
                    user_id: account.id,
                    token: user_token(&account.id.to_string())?,
                };
                for i in 0..PER_USER {
                    let n = user * PER_USER + i;
                    let day = (Utc::now().date_naive() + Days::new(30 + n % 250)).to_string();
                    let destination = destinations[(n / 250 % 2) as usize];
                    let new = RawWatch {
                        search: RawSearch::trip("GRU", destination, &day, None),
                        ..RawWatch::default()
                    }
                    .parse(Utc::now())
                    .map_err(anyhow::Error::msg)?;
                    store.create_watch(&who, &new).await?;
                }
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(())
}

async fn history(endpoint: &str, requests: &Requests) -> anyhow::Result<DynamoPriceHistory> {
    let client = aws_sdk_dynamodb::Client::from_conf(
        aws_sdk_dynamodb::config::Builder::new()
            .interceptor(requests.clone())
            .http_client(shared::aws::http_client())
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
                "test", "test", None, None, "moto",
            ))
            .endpoint_url(endpoint)
            .build(),
    );
    let key = |name: &str, kind| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
    };
    let attr = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
    };
    client
        .create_table()
        .table_name("fares")
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .attribute_definitions(attr("pk")?)
        .attribute_definitions(attr("sk")?)
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await?;
    Ok(DynamoPriceHistory::new(client, "fares"))
}

fn sqs(endpoint: &str, requests: &Requests) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::from_conf(
        aws_sdk_sqs::config::Builder::new()
            .interceptor(requests.clone())
            .http_client(shared::aws::http_client())
            .behavior_version(aws_sdk_sqs::config::BehaviorVersion::latest())
            .region(aws_sdk_sqs::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_sqs::config::Credentials::new(
                "test", "test", None, None, "moto",
            ))
            .endpoint_url(endpoint)
            .build(),
    )
}

/// Receives and handles every message, ten at a time as the SQS event
/// source delivers them, deleting each batch once handled.
async fn drain(
    client: &aws_sdk_sqs::Client,
    url: &str,
    worker: &Worker,
) -> anyhow::Result<WorkerReport> {
    let mut total = WorkerReport::default();
    loop {
        let got = client
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(10)
            .send()
            .await?;
        if got.messages().is_empty() {
            return Ok(total);
        }
        let deliveries: Vec<Delivery> = got
            .messages()
            .iter()
            .map(|m| Delivery {
                id: m.receipt_handle().unwrap_or_default().to_owned(),
                body: m.body().unwrap_or_default().to_owned(),
                receive_count: 1,
            })
            .collect();
        let (report, failed) = worker.handle_batch(&deliveries, Utc::now()).await;
        anyhow::ensure!(failed.is_empty(), "{} messages failed", failed.len());
        total.add(report);
        for d in &deliveries {
            client
                .delete_message()
                .queue_url(url)
                .receipt_handle(&d.id)
                .send()
                .await?;
        }
    }
}

/// The queue the tick fills and the worker drains.
async fn refresh_queue(client: &aws_sdk_sqs::Client) -> anyhow::Result<String> {
    Ok(client
        .create_queue()
        .queue_name("refresh")
        .send()
        .await?
        .queue_url()
        .unwrap_or_default()
        .to_owned())
}

/// What the worker did, and what it cost in SQS and DynamoDB calls.
fn print_worker(worker_ms: f64, work: &WorkerReport, sqs: usize, dynamo: usize) {
    println!(
        "worker: {worker_ms:.0} ms, {} searches, {} price points, {} store RPCs, {} notifications, {sqs} SQS calls (receive and delete)",
        work.searches, work.points, work.store_calls, work.notifications,
    );
    println!(
        "DynamoDB: {dynamo} requests (a PutItem per search's observation; the worker reads no history)"
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (endpoint, _moto) = moto().await?;
    let store = store().await?;
    let at = Instant::now();
    watches(&store).await?;
    println!(
        "created {} watches in {:.1} s",
        USERS * PER_USER,
        at.elapsed().as_secs_f64()
    );
    let (dynamo_calls, sqs_calls) = (Requests::default(), Requests::default());
    let history = Arc::new(history(&endpoint, &dynamo_calls).await?);
    let dynamo_before = dynamo_calls.count();
    let search = SearchService::new(
        FareSearch::new(vec![Arc::new(DemoProvider)], Duration::from_secs(8)),
        Arc::new(MemoryCache::default()),
        Duration::from_secs(300),
    )
    .with_insights(Insights::new(history.clone(), true));
    let client = sqs(&endpoint, &sqs_calls);
    let url = refresh_queue(&client).await?;
    let queue = SqsQueue::new(client.clone(), &url);
    let sqs_before = sqs_calls.count();
    let settings = TickSettings {
        batch: 200,
        max_batches: 100,
        lease: Duration::from_secs(300),
    };
    let started = Instant::now();
    let report = tick(store.as_ref(), &queue, settings, Utc::now()).await?;
    let tick_ms = started.elapsed().as_secs_f64() * 1e3;
    let sqs_sends = sqs_calls.count() - sqs_before;
    let worker = Worker::new(Arc::new(search), store.clone(), Duration::from_secs(21_600));
    let started = Instant::now();
    let work = drain(&client, &url, &worker).await?;
    let worker_ms = started.elapsed().as_secs_f64() * 1e3;
    // The observations are written in the background: let them land.
    tokio::time::sleep(Duration::from_secs(3)).await;
    println!(
        "tick: {tick_ms:.0} ms, {} watches claimed, {} store RPCs, {} messages in {sqs_sends} SQS calls",
        report.claimed, report.store_calls, report.messages,
    );
    print_worker(
        worker_ms,
        &work,
        sqs_calls.count() - sqs_before - sqs_sends,
        dynamo_calls.count() - dynamo_before,
    );
    tests::postgres_admin()
        .await
        .batch_execute("drop database if exists cp_refresh_bench with (force)")
        .await?;
    Ok(())
}
