//! The `chat` Lambda function: `POST /chat`, `GET /chat/suggestions`.

use shared::{Adapters, App, Config, api, lambda, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    // Adapters are built once per cold start and reused by every invocation.
    let app = App::with_adapters(&config, Adapters::CHAT)?;
    // Streams server-sent events through a Function URL (RESPONSE_STREAM).
    lambda::run_streaming(app, api::chat_router).await
}
