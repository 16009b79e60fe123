use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::app::App;

/// `GET /health`: liveness plus which adapters are active.
pub(super) async fn get(State(app): State<App>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "fare_providers": app.search.provider_names(),
        "cache": app.search.cache_name(),
    }))
}
