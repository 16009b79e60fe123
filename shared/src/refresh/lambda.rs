//! The two refresh functions on the Lambda runtime: `fare-refresh` (an
//! EventBridge Scheduler event starts a tick) and `refresh-worker` (an SQS
//! event, answered with the ids of the messages that failed).

use std::sync::Arc;

pub use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use chrono::Utc;
use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use serde_json::{Value, json};

use super::{Delivery, RefreshQueue, TickSettings, Worker, tick};
use crate::app::App;
use crate::metrics::Metric;

/// Claim calls per scheduled run: 25 × the batch (200 by default) is 5,000
/// watches a run, a few seconds of RPCs; the rest stays due for the next run.
const MAX_BATCHES: u32 = 25;

/// Runs `fare-refresh`: each scheduled event runs one tick into `queue`.
///
/// # Errors
/// When the Lambda runtime cannot start.
pub async fn run_tick(app: App, queue: Arc<dyn RefreshQueue>) -> Result<(), lambda_runtime::Error> {
    let settings = TickSettings {
        batch: app.refresh.batch,
        max_batches: MAX_BATCHES,
        lease: app.refresh.lease,
    };
    lambda_runtime::run(service_fn(move |_event: LambdaEvent<Value>| {
        let (app, queue) = (app.clone(), queue.clone());
        async move {
            let report = tick(
                app.watch_refresh.as_ref(),
                queue.as_ref(),
                settings,
                Utc::now(),
            )
            .await?;
            app.metrics
                .count(Metric::RefreshMessagesQueued, report.messages);
            tracing::info!(
                refresh.closed = report.closed,
                refresh.claimed = report.claimed,
                refresh.messages = report.messages,
                "refresh tick"
            );
            Ok::<_, lambda_runtime::Error>(json!({
                "closed": report.closed,
                "claimed": report.claimed,
                "messages": report.messages,
            }))
        }
    }))
    .await
}

/// The answer to one SQS event: the ids of the records that failed, so
/// only those are delivered again.
pub async fn handle_sqs(worker: &Worker, event: SqsEvent) -> SqsBatchResponse {
    let deliveries: Vec<Delivery> = event
        .records
        .into_iter()
        .map(|r| Delivery {
            receive_count: r
                .attributes
                .get("ApproximateReceiveCount")
                .and_then(|n| n.parse().ok())
                .unwrap_or(1),
            id: r.message_id.unwrap_or_default(),
            body: r.body.unwrap_or_default(),
        })
        .collect();
    let (report, failed) = worker.handle_batch(&deliveries, Utc::now()).await;
    tracing::info!(
        refresh.searches = report.searches,
        refresh.points = report.points,
        refresh.notifications = report.notifications,
        refresh.emails = report.emails,
        refresh.failed = failed.len(),
        "refresh messages"
    );
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failed
        .into_iter()
        .map(|id| {
            let mut f = BatchItemFailure::default();
            f.item_identifier = id;
            f
        })
        .collect();
    response
}

/// Runs `refresh-worker`: each SQS event's messages through the worker.
///
/// # Errors
/// When the Lambda runtime cannot start.
pub async fn run_worker(app: App) -> Result<(), lambda_runtime::Error> {
    let worker = Worker::new(
        app.search.clone(),
        app.watch_refresh.clone(),
        app.refresh.check_every,
    )
    .with_mailer(app.mailer.clone())
    .with_metrics(app.metrics.clone(), app.refresh.max_receive_count);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let worker = worker.clone();
        async move { Ok::<_, lambda_runtime::Error>(handle_sqs(&worker, event.payload).await) }
    }))
    .await
}
