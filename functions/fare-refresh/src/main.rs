//! The `fare-refresh` Lambda function, started by EventBridge Scheduler:
//! claims due watches and sends one message per distinct query to the
//! refresh queue (`REFRESH_QUEUE_URL`).

use std::sync::Arc;

use anyhow::Context as _;
use shared::refresh::{SqsQueue, lambda::run_tick};
use shared::{Adapters, App, Config, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    let queue_url = config
        .watches
        .queue_url
        .clone()
        .context("REFRESH_QUEUE_URL: required by fare-refresh")?;
    // Clients are built once per cold start and reused by every invocation.
    let app = App::with_adapters(&config, Adapters::STORE)?;
    let queue = Arc::new(SqsQueue::from_env(&queue_url));
    run_tick(app, queue).await.map_err(|e| anyhow::anyhow!(e))
}
