//! `chatpassagens serve`: every function's handlers behind one local server.

use std::io::Write as _;
use std::net::SocketAddr;

use shared::{App, Config, api, telemetry};

pub async fn run(listen: SocketAddr) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    let app = App::from_config(&config)?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    println!("ChatPassagens listening on http://{addr}");
    println!("  {}", app.describe());
    println!(
        "  try: curl 'http://{addr}/search?origin=SAO&destination=LIS&departure={}'",
        example_date()
    );
    std::io::stdout().flush()?;
    axum::serve(listener, api::local_router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// A date a month from now, so the printed example always works.
fn example_date() -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string()
}
