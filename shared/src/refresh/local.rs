//! The refresh run in-process: `serve` ticks on an interval and drains the
//! in-memory queue through the worker right away; `chatpassagens refresh
//! --once` does one round.

use std::time::Duration;

use chrono::Utc;

use super::{MemoryQueue, TickReport, TickSettings, Worker, WorkerReport, tick};
use crate::app::App;
use crate::metrics::Metric;

/// Claim calls per local tick: 50 × the batch covers 10,000 watches.
const LOCAL_MAX_BATCHES: u32 = 50;

/// One tick over `app`'s store, then the worker over every message it sent.
///
/// # Errors
/// A store failure during the tick (the worker's failures are counted in
/// the report's missing points and retried on a later tick).
pub async fn run_once(app: &App) -> Result<(TickReport, WorkerReport), super::TickError> {
    let settings = TickSettings {
        batch: app.refresh.batch,
        max_batches: LOCAL_MAX_BATCHES,
        lease: app.refresh.lease,
    };
    let queue = MemoryQueue::default();
    let report = tick(app.watch_refresh.as_ref(), &queue, settings, (app.clock)()).await?;
    app.metrics
        .count(Metric::RefreshMessagesQueued, report.messages);
    let worker = Worker::new(
        app.search.clone(),
        app.watch_refresh.clone(),
        app.refresh.check_every,
    )
    .with_mailer(app.mailer.clone())
    .with_metrics(app.metrics.clone(), app.refresh.max_receive_count);
    let mut done = WorkerReport::default();
    for message in queue.drain() {
        match worker.handle(&message, (app.clock)()).await {
            Ok(r) => done.add(r),
            // Logged once here; its watches' leases end and a later tick retries them.
            Err(e) => tracing::warn!(error = %e, "refresh message failed"),
        }
    }
    // In process, a failed message is not redelivered: nothing is dead-lettered.
    worker.record(&done, 0);
    Ok((report, done))
}

/// Runs [`run_once`] every `every` until the process ends (`serve`).
pub fn spawn_every(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            let started = Utc::now();
            match run_once(&app).await {
                Ok((t, w)) if t.claimed > 0 || t.closed > 0 => tracing::info!(
                    refresh.claimed = t.claimed,
                    refresh.closed = t.closed,
                    refresh.searches = w.searches,
                    refresh.notifications = w.notifications,
                    refresh.emails = w.emails,
                    duration_ms = (Utc::now() - started).num_milliseconds(),
                    "refresh tick"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "refresh tick failed"),
            }
        }
    })
}
