//! The production Upstash adapter, unchanged, against the local bridge over
//! the real Redis at 127.0.0.1:6379; against a server replaying Upstash's
//! documented errors; and the bridge checked with `@upstash/redis`.

use std::time::Duration;

use axum::Json;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use shared::cache::{Cache, CacheError, UpstashCache};
use shared::search::{Leg, SearchOptions, SearchQuery};
use shared::{App, Config};
use tests::{service_available, tool_available, workspace_root};

const REDIS_ADDR: &str = "127.0.0.1:6379";
const REDIS_URL: &str = "redis://127.0.0.1:6379";
pub(crate) const TOKEN: &str = "e2e-token";

/// Starts a bridge on a free port; `None` (skipped) when Redis is down outside CI.
pub(crate) async fn bridge() -> Option<String> {
    if !service_available("Redis", REDIS_ADDR) {
        return None;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = chatpassagens::upstash_bridge::router(REDIS_URL, TOKEN.to_owned())
        .await
        .unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Some(url)
}

/// Keys of one test run, apart from every other run's.
fn prefix(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("cp-e2e:{}:{nanos}:{test}:", std::process::id())
}

/// Deletes every key under a test's prefix when dropped, passed or failed,
/// so no run leaves keys without an expiry in the shared Redis.
struct Keys(String);

impl Keys {
    fn new(test: &str) -> Self {
        Self(prefix(test))
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        // Blocking is fine here: this client needs no runtime, and the
        // test is over.
        use redis::Commands as _;
        let deleted = redis::Client::open(REDIS_URL)
            .and_then(|c| c.get_connection())
            .and_then(|mut conn| {
                let keys = conn
                    .scan_match::<_, String>(format!("{}*", self.0))?
                    .collect::<Result<Vec<String>, _>>()?;
                if keys.is_empty() {
                    return Ok(());
                }
                redis::cmd("DEL").arg(&keys).query::<()>(&mut conn)
            });
        if let Err(e) = deleted {
            tests::notice("LEFT BEHIND", &format!("keys '{}*': {e}", self.0));
        }
    }
}

fn adapter(url: &str, token: &str) -> UpstashCache {
    UpstashCache::new(url, token, Duration::from_secs(2)).unwrap()
}

#[tokio::test]
async fn adapter_sets_gets_expires_and_deletes_through_the_bridge() {
    let Some(url) = bridge().await else { return };
    let cache = adapter(&url, TOKEN);
    let keys = Keys::new("basic");
    let key = format!("{}value", keys.0);
    cache
        .set(
            &key,
            "São Paulo ✈ Lisboa {\"json\": true}",
            Duration::from_secs(1),
        )
        .await
        .unwrap();
    assert_eq!(
        cache.get(&key).await.unwrap().as_deref(),
        Some("São Paulo ✈ Lisboa {\"json\": true}")
    );
    let ttl = cache.command(&[json!("PTTL"), json!(key)]).await.unwrap();
    assert!(
        ttl.as_i64().unwrap() > 0 && ttl.as_i64().unwrap() <= 1000,
        "{ttl}"
    );
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        cache.get(&key).await.unwrap(),
        None,
        "expired after its TTL"
    );
    cache
        .set(&key, "again", Duration::from_secs(60))
        .await
        .unwrap();
    cache.delete(&key).await.unwrap();
    assert_eq!(cache.get(&key).await.unwrap(), None);
}

#[tokio::test]
async fn adapter_pipeline_answers_each_command_and_isolates_errors() {
    let Some(url) = bridge().await else { return };
    let cache = adapter(&url, TOKEN);
    let keys = Keys::new("pipeline");
    let p = keys.0.clone();
    let results = cache
        .pipeline(&[
            vec![json!("SET"), json!(format!("{p}n")), json!(1)],
            vec![json!("INCR"), json!(format!("{p}n"))],
            vec![json!("GET"), json!(format!("{p}missing"))],
            vec![json!("SET"), json!(format!("{p}text")), json!("abc")],
            vec![json!("INCR"), json!(format!("{p}text"))],
            vec![
                json!("MGET"),
                json!(format!("{p}n")),
                json!(format!("{p}missing")),
            ],
        ])
        .await
        .unwrap();
    assert_eq!(results.len(), 6);
    assert_eq!(results[0].as_ref().unwrap(), &json!("OK"));
    assert_eq!(results[1].as_ref().unwrap(), &json!(2));
    assert_eq!(results[2].as_ref().unwrap(), &Value::Null);
    assert!(
        matches!(&results[4], Err(CacheError::Rejected(m)) if m.contains("not an integer")),
        "{:?}",
        results[4]
    );
    assert_eq!(results[5].as_ref().unwrap(), &json!(["2", null]));
    // Keys written without an expiry are gone once the test is over.
    let pattern = format!("{p}*");
    drop(keys);
    let left = cache
        .command(&[json!("KEYS"), json!(pattern)])
        .await
        .unwrap();
    assert_eq!(left, json!([]));
}

#[tokio::test]
async fn adapter_maps_a_refused_token_and_a_bad_command() {
    let Some(url) = bridge().await else { return };
    let wrong = adapter(&url, "not-the-token");
    assert!(matches!(
        wrong.get("k").await,
        Err(CacheError::Unauthorized)
    ));
    let cache = adapter(&url, TOKEN);
    let err = cache
        .command(&[json!("NOSUCHCOMMAND"), json!("x")])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CacheError::Rejected(m) if m.contains("unknown command")),
        "{err:?}"
    );
    let err = cache.command(&[json!("GET")]).await.unwrap_err();
    assert!(
        matches!(&err, CacheError::Rejected(m) if m.contains("wrong number of arguments")),
        "{err:?}"
    );
}

fn query(now: chrono::DateTime<Utc>) -> SearchQuery {
    let leg = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
    SearchQuery::new(vec![leg], SearchOptions::default(), now).unwrap()
}

#[tokio::test]
async fn search_results_are_cached_in_redis_through_the_bridge() {
    let Some(url) = bridge().await else { return };
    let config = Config::from_lookup(|k| match k {
        "CACHE" => Some("upstash".to_owned()),
        "UPSTASH_REDIS_REST_URL" => Some(url.clone()),
        "UPSTASH_REDIS_REST_TOKEN" => Some(TOKEN.to_owned()),
        _ => None,
    })
    .unwrap();
    let app = App::from_config(&config).unwrap();
    assert_eq!(app.search.cache_name(), "upstash");
    // A "now" of this run's own, so no earlier run's entry is found.
    let base = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    let now = base + chrono::Duration::milliseconds((std::process::id() % 100_000) as i64);
    let q = query(now);
    let key = format!("search:v1:{}", q.provider_key());
    adapter(&url, TOKEN).delete(&key).await.unwrap();

    let first = app.search.search(&q, now).await;
    assert!(!first.cached && !first.offers.is_empty());
    let stored = adapter(&url, TOKEN)
        .command(&[json!("TTL"), json!(key)])
        .await
        .unwrap();
    assert!(
        stored.as_i64().unwrap() > 250,
        "stored with the 300 s TTL: {stored}"
    );
    let second = app
        .search
        .search(&q, now + chrono::Duration::seconds(5))
        .await;
    assert!(second.cached);
    assert_eq!(second.cache_age_seconds, 5);
    assert_eq!(second.offers, first.offers);
}

/// A server answering as Upstash documents its failures.
async fn replay_server() -> String {
    let app = axum::Router::new()
        .route(
            "/unauthorized/pipeline",
            post(|| async {
                (
                    StatusCode::UNAUTHORIZED,
                    Json(json!({"error": "Unauthorized"})),
                )
            }),
        )
        .route(
            "/bad",
            post(|| async {
                (
                    StatusCode::BAD_REQUEST,
                    Json(json!({"error": "ERR syntax error"})),
                )
            }),
        )
        .route(
            "/down",
            post(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "upstream connect error") }),
        )
        .route(
            "/slow",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                Json(json!({"result": null}))
            }),
        )
        .route(
            "/garbled",
            post(|| async { Json(json!({"result": "%%% not base64"})) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test]
async fn adapter_maps_upstash_documented_failures() {
    let base = replay_server().await;
    let short = |path: &str| {
        UpstashCache::new(&format!("{base}{path}"), TOKEN, Duration::from_millis(300)).unwrap()
    };
    assert!(matches!(
        short("/unauthorized")
            .pipeline(&[vec![json!("GET"), json!("k")]])
            .await,
        Err(CacheError::Unauthorized)
    ));
    assert!(
        matches!(short("/bad").get("k").await, Err(CacheError::Rejected(m)) if m == "ERR syntax error")
    );
    assert!(matches!(
        short("/down").get("k").await,
        Err(CacheError::Unavailable(_))
    ));
    assert!(
        matches!(short("/slow").get("k").await, Err(CacheError::Unavailable(m)) if m == "timed out")
    );
    assert!(matches!(
        short("/garbled").get("k").await,
        Err(CacheError::Protocol(_))
    ));
    let closed = format!("http://127.0.0.1:{}", tests::free_port());
    assert!(matches!(
        short_at(&closed).get("k").await,
        Err(CacheError::Unavailable(_))
    ));
}

fn short_at(url: &str) -> UpstashCache {
    UpstashCache::new(url, TOKEN, Duration::from_millis(300)).unwrap()
}

#[tokio::test]
async fn search_answers_when_the_upstash_cache_is_unreachable() {
    let closed = format!("http://127.0.0.1:{}", tests::free_port());
    let config = Config::from_lookup(|k| match k {
        "CACHE" => Some("upstash".to_owned()),
        "UPSTASH_REDIS_REST_URL" => Some(closed.clone()),
        "UPSTASH_REDIS_REST_TOKEN" => Some(TOKEN.to_owned()),
        "CACHE_TIMEOUT_MS" => Some("200".to_owned()),
        _ => None,
    })
    .unwrap();
    let app = App::from_config(&config).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    let results = app.search.search(&query(now), now).await;
    assert!(!results.offers.is_empty());
    assert!(!results.cached);
}

#[tokio::test]
async fn official_upstash_client_passes_against_the_bridge() {
    if !tool_available("node", &["--version"]) || !tool_available("npm", &["--version"]) {
        return;
    }
    let Some(url) = bridge().await else { return };
    let keys = Keys::new("official");
    let dir = workspace_root().join("tests/upstash-client");
    if !dir.join("node_modules/@upstash/redis").exists() {
        let status = tokio::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .await
            .unwrap();
        assert!(status.success(), "npm ci in tests/upstash-client failed");
    }
    let output = tokio::process::Command::new("node")
        .args(["--test", "client.test.mjs"])
        .current_dir(&dir)
        .env("UPSTASH_REDIS_REST_URL", &url)
        .env("UPSTASH_REDIS_REST_TOKEN", TOKEN)
        .env("KEY_PREFIX", &keys.0)
        .output()
        .await
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "@upstash/redis against the bridge:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("# fail 0"), "{report}");
    let passed = report
        .lines()
        .find(|l| l.starts_with("# pass"))
        .unwrap_or_default();
    assert!(
        passed
            .trim_start_matches("# pass ")
            .parse::<u32>()
            .unwrap_or(0)
            >= 9,
        "{report}"
    );
    // Quiet unless it fails; say how much ran.
    eprintln!("@upstash/redis: {passed}");
}
