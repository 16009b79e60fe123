//! The `search` Lambda function: `GET|POST /search`, `GET /airports`,
//! `GET /prices/insight`, `GET /prices/series`, `GET /health`, `GET /openapi.json`.

use shared::{Adapters, App, Config, api, lambda, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    // Adapters are built once per cold start and reused by every invocation.
    let app = App::with_adapters(&config, Adapters::SEARCH)?;
    lambda::run(app, api::search_router).await
}
