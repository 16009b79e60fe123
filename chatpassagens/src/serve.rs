//! `chatpassagens serve`: every function's handlers behind one local server.
//! With `DATABASE_URL` set it also migrates that database and runs the
//! PostgREST bridge in-process, so the production `postgrest` store adapter
//! is what serves accounts and history.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;

use std::time::Duration;

use anyhow::Context as _;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use shared::{App, Config, api, telemetry};
use tower::ServiceExt as _;

pub async fn run(listen: SocketAddr, web_dist: &Path) -> anyhow::Result<()> {
    let overrides = match std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty()) {
        Some(url) => local_supabase(&url).await?,
        None => HashMap::new(),
    };
    let config =
        Config::from_lookup(|k| overrides.get(k).cloned().or_else(|| std::env::var(k).ok()))?;
    telemetry::init(config.log_format);
    let app = App::from_config(&config)?;
    let description = app.describe();
    if !config.watches.refresh_interval.is_zero() {
        shared::refresh::local::spawn_every(app.clone(), config.watches.refresh_interval);
    }
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    // A closed stdout (the terminal went away) must not stop the server.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ChatPassagens listening on http://{addr}");
    let _ = writeln!(out, "  {description}");
    let router = api::local_router(app);
    let router = if web_dist.join("index.html").is_file() {
        let _ = writeln!(out, "  web client: open http://{addr}/");
        with_web_client(router, web_dist)
    } else {
        let _ = writeln!(
            out,
            "  web client: not built ({} has no index.html; scripts/serve builds it)",
            web_dist.display()
        );
        router
    };
    let _ = writeln!(
        out,
        "  try: curl 'http://{addr}/search?origin=SAO&destination=LIS&departure={}'",
        example_date()
    );
    let _ = out.flush();
    drop(out);
    accept(listener, router, read_timeout()).await
}

/// How long a client may take to send its headers, and then its body
/// (`READ_TIMEOUT_MS`, default 10 s): a client that stops mid-request
/// loses its connection instead of holding it forever.
fn read_timeout() -> Duration {
    std::env::var("READ_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(10), Duration::from_millis)
}

/// Serves connections until Ctrl-C, each with header and body read
/// timeouts and the peer's address (rate limits key on the socket, not on
/// a header). `axum::serve` sets no header timeout, hence this loop.
async fn accept(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    timeout: Duration,
) -> anyhow::Result<()> {
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(timeout));
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeout);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => accepted?,
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let service =
            router
                .clone()
                .map_request(move |req: hyper::Request<hyper::body::Incoming>| {
                    let mut req = req.map(axum::body::Body::new);
                    req.extensions_mut().insert(ConnectInfo(peer));
                    req
                });
        let builder = builder.clone();
        // A connection's failure (a client that timed out or sent garbage)
        // is that client's; the server goes on.
        tokio::spawn(async move {
            let io = TokioIo::new(stream);
            let _ = builder
                .serve_connection_with_upgrades(io, TowerToHyperService::new(service))
                .await;
        });
    }
}

/// Serves the built web client for every path no API route answers; a path
/// that is no file gets `index.html`, so the client's own routes survive a
/// reload.
fn with_web_client(router: axum::Router, dir: &Path) -> axum::Router {
    use tower_http::services::{ServeDir, ServeFile};
    let spa = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
    router.fallback_service(api::with_json_errors(
        axum::Router::new().fallback_service(spa),
    ))
}

/// Migrates `database_url`, starts the PostgREST bridge on a free port, and
/// returns the settings that point the `postgrest` store at it.
pub(crate) async fn local_supabase(
    database_url: &str,
) -> anyhow::Result<HashMap<&'static str, String>> {
    let dir = Path::new("infra/supabase");
    if dir.exists() {
        let report = chatpassagens::migrate::run(database_url, dir)
            .await
            .context("migrating DATABASE_URL")?;
        if let Some(name) = &report.created_database {
            eprintln!("DATABASE_URL: created database {name}");
        }
        eprintln!(
            "DATABASE_URL: {} migrations applied, {} already there",
            report.applied.len(),
            report.skipped.len()
        );
    } else {
        eprintln!("DATABASE_URL: run from the repository root to apply infra/supabase migrations");
    }
    let secret = std::env::var("JWT_SECRET")
        .ok()
        .filter(|s| s.len() >= 32)
        .unwrap_or_else(random_secret);
    let settings = chatpassagens::postgrest_bridge::Settings {
        db_uri: database_url.to_owned(),
        schemas: vec!["public".to_owned()],
        anon_role: "anon".to_owned(),
        jwt_secret: secret.clone(),
        jwt_aud: Some("authenticated".to_owned()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let router = chatpassagens::postgrest_bridge::router(settings)?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    let sign = |role: &str| chatpassagens::postgrest_bridge::role_token(role, &secret);
    Ok(HashMap::from([
        ("STORE", "postgrest".to_owned()),
        ("SUPABASE_URL", url),
        ("SUPABASE_ANON_KEY", sign("anon")?),
        ("SUPABASE_SERVICE_ROLE_KEY", sign("service_role")?),
        ("JWT_SECRET", secret.clone()),
    ]))
}

/// A per-process JWT secret when none is configured: two random UUIDs (244
/// bits from the OS), enough for a local server whose tokens die with it.
fn random_secret() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// A date a month from now, so the printed example always works.
fn example_date() -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string()
}
