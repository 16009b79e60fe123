//! The `auth` Lambda function: `POST /auth/signup|login|refresh|logout`, `GET /auth/me`.

use shared::{Adapters, App, Config, api, lambda, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    // Adapters are built once per cold start and reused by every invocation.
    let app = App::with_adapters(&config, Adapters::STORE)?;
    lambda::run(app, api::auth_router).await
}
