//! The `refresh-worker` Lambda function, fed by the refresh queue: searches
//! each distinct query, writes every watch's price point and notification,
//! and reports the messages that failed so only those are retried.

use shared::refresh::lambda::run_worker;
use shared::{Adapters, App, Config, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    // Clients are built once per cold start and reused by every invocation.
    let app = App::with_adapters(&config, Adapters::WORKER)?;
    run_worker(app).await.map_err(|e| anyhow::anyhow!(e))
}
