use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{QueueError, RefreshMessage, RefreshQueue};
use crate::store::{StoreError, WatchRefreshStore};

/// How one tick claims.
#[derive(Debug, Clone, Copy)]
pub struct TickSettings {
    /// Watches per claim call.
    pub batch: u32,
    /// Most claim calls per tick: bounds a tick's run time; what is left
    /// stays due for the next one.
    pub max_batches: u32,
    /// How long claimed watches are kept from other runs.
    pub lease: Duration,
}

/// What a tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Watches closed because their window passed.
    pub closed: u32,
    /// Watches claimed.
    pub claimed: usize,
    /// Messages sent (one per distinct query).
    pub messages: usize,
    /// Calls made to the store.
    pub store_calls: u32,
}

/// Why a tick stopped.
#[derive(Debug, thiserror::Error)]
pub enum TickError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The queue failed; the claimed watches are retried when their lease ends.
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// Closes expired watches, then claims due ones in batches and sends one
/// message per distinct query among them.
///
/// # Errors
/// The first store or queue failure; what was sent before it stays sent,
/// and watches claimed but not sent are retried once their lease ends.
pub async fn tick(
    store: &dyn WatchRefreshStore,
    queue: &dyn RefreshQueue,
    settings: TickSettings,
    now: DateTime<Utc>,
) -> Result<TickReport, TickError> {
    // Windows end at the origin's midnight at the latest; a day of slack
    // keeps a watch open until its last date has passed everywhere.
    let yesterday = now.date_naive() - chrono::Days::new(1);
    let mut report = TickReport {
        closed: store.close_expired(yesterday).await?,
        store_calls: 1,
        ..TickReport::default()
    };
    // Grouped across every batch of the tick, so a query whose watches
    // span batches is still searched once.
    let mut claimed = Vec::new();
    for _ in 0..settings.max_batches {
        let batch = store.claim_due(settings.batch, settings.lease).await?;
        report.store_calls += 1;
        let last = batch.len() < settings.batch as usize;
        claimed.extend(batch);
        if last {
            break;
        }
    }
    report.claimed = claimed.len();
    let messages = RefreshMessage::group(claimed);
    report.messages = messages.len();
    queue.send(&messages).await?;
    Ok(report)
}
