//! The auth and history functions on production adapters: the `postgrest`
//! store over the bridge on the real PostgreSQL, and login limits through
//! the Upstash adapter and bridge on the real Redis.

use chrono::Timelike as _;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::{App, Config, api};

use crate::postgrest::{SECRET, fresh};

/// Serves `app`'s local router on a free port.
async fn serve(app: App) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, api::local_router(app)).await });
    base
}

fn config(vars: Vec<(&'static str, String)>) -> Config {
    Config::from_lookup(|k| {
        vars.iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.clone())
    })
    .unwrap()
}

async fn post(
    http: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut req = http.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (
        status,
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        },
    )
}

async fn get(http: &reqwest::Client, url: String, token: &str) -> (StatusCode, Value) {
    let res = http.get(url).bearer_auth(token).send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn accounts_and_history_live_in_postgresql_behind_row_level_security() {
    let Some(db) = fresh().await else { return };
    let sign = |role: &str| chatpassagens::postgrest_bridge::role_token(role, SECRET).unwrap();
    let app = App::from_config(&config(vec![
        ("STORE", "postgrest".to_owned()),
        ("SUPABASE_URL", db.base.clone()),
        ("SUPABASE_ANON_KEY", sign("anon")),
        ("SUPABASE_SERVICE_ROLE_KEY", sign("service_role")),
        ("JWT_SECRET", SECRET.to_owned()),
    ]))
    .unwrap();
    let history = app.history.clone();
    let base = serve(app).await;
    let http = reqwest::Client::new();
    let creds = json!({ "email": "ana@example.com", "password": "correct horse battery" });

    let (status, grant) = post(&http, format!("{base}/auth/signup"), None, creds.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{grant}");
    let (status, again) = post(&http, format!("{base}/auth/signup"), None, creds.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let (status, login) = post(&http, format!("{base}/auth/login"), None, creds.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let token = login["access_token"].as_str().unwrap().to_owned();
    let (status, me) = get(&http, format!("{base}/auth/me"), &token).await;
    assert_eq!(
        (status, me["email"].as_str()),
        (StatusCode::OK, Some("ana@example.com"))
    );

    // The access token the auth function issues is accepted by PostgREST as
    // the user: conversations created with it belong to Ana.
    let ana = shared::store::Caller {
        user_id: me["id"].as_str().unwrap().parse().unwrap(),
        token: token.clone(),
    };
    let conv = history.create_conversation(&ana, None).await.unwrap();
    let (status, page) = get(&http, format!("{base}/conversations"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["conversations"][0]["id"], conv.id.to_string());

    // Another account sees nothing of it.
    let bia = json!({ "email": "bia@example.com", "password": "another good password" });
    let (_, bia_grant) = post(&http, format!("{base}/auth/signup"), None, bia).await;
    let bia_token = bia_grant["access_token"].as_str().unwrap();
    let (status, _) = get(
        &http,
        format!("{base}/conversations/{}", conv.id),
        bia_token,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Refresh rotation and reuse detection through the SQL functions.
    let first = login["refresh_token"].clone();
    let (status, next) = post(
        &http,
        format!("{base}/auth/refresh"),
        None,
        json!({ "refresh_token": first }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{next}");
    assert_eq!(next["user"]["email"], "ana@example.com");
    let (status, _) = post(
        &http,
        format!("{base}/auth/refresh"),
        None,
        json!({ "refresh_token": first }),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = post(
        &http,
        format!("{base}/auth/refresh"),
        None,
        json!({ "refresh_token": next["refresh_token"] }),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "reuse revoked the family");

    // Logout revokes.
    let (_, login2) = post(&http, format!("{base}/auth/login"), None, creds).await;
    let t2 = login2["access_token"].as_str().unwrap();
    let (status, _) = post(&http, format!("{base}/auth/logout"), Some(t2), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        get(&http, format!("{base}/auth/me"), t2).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn login_limit_answers_429_at_the_configured_count_through_upstash_on_redis() {
    let Some(url) = crate::upstash::bridge().await else {
        return;
    };
    let app = App::from_config(&config(vec![
        ("CACHE", "upstash".to_owned()),
        ("UPSTASH_REDIS_REST_URL", url),
        ("UPSTASH_REDIS_REST_TOKEN", crate::upstash::TOKEN.to_owned()),
        ("AUTH_RATE_LIMIT_PER_IP", "1000".to_owned()),
        ("AUTH_RATE_LIMIT_PER_EMAIL", "3".to_owned()),
    ]))
    .unwrap()
    // Every attempt in one window (a minute boundary would reweigh them).
    .with_clock(
        chrono::Utc::now()
            .with_second(30)
            .unwrap_or_else(chrono::Utc::now),
    );
    let base = serve(app).await;
    let http = reqwest::Client::new();
    // An address and e-mail of this run's own, so earlier runs' counters do not count.
    let email = format!(
        "limit-{}-{}@example.com",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    let wrong = json!({ "email": email, "password": "not the password" });
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            post(&http, format!("{base}/auth/login"), None, wrong.clone())
                .await
                .0,
        );
    }
    assert_eq!(
        statuses,
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}
