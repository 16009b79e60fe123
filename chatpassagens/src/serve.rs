//! `chatpassagens serve`: every function's handlers behind one local server.
//! With `DATABASE_URL` set it also migrates that database and runs the
//! PostgREST bridge in-process, so the production `postgrest` store adapter
//! is what serves accounts and history.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context as _;
use shared::{App, Config, api, telemetry};

pub async fn run(listen: SocketAddr) -> anyhow::Result<()> {
    let overrides = match std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty()) {
        Some(url) => local_supabase(&url).await?,
        None => HashMap::new(),
    };
    let config =
        Config::from_lookup(|k| overrides.get(k).cloned().or_else(|| std::env::var(k).ok()))?;
    telemetry::init(config.log_format);
    let app = App::from_config(&config)?;
    if !config.watches.refresh_interval.is_zero() {
        shared::refresh::local::spawn_every(app.clone(), config.watches.refresh_interval);
    }
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    // A closed stdout (the terminal went away) must not stop the server.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ChatPassagens listening on http://{addr}");
    let _ = writeln!(out, "  {}", app.describe());
    let _ = writeln!(
        out,
        "  try: curl 'http://{addr}/search?origin=SAO&destination=LIS&departure={}'",
        example_date()
    );
    let _ = out.flush();
    drop(out);
    axum::serve(listener, api::local_router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
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
