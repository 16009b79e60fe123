use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::WatchId;
use crate::search::SearchQuery;
use crate::watches::Watch;

/// What the worker needs of one watch to decide its notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchRef {
    /// The watch.
    pub id: WatchId,
    /// Its low when claimed (the reference for a "new low").
    pub lowest_price: Option<Decimal>,
    /// Its target.
    pub target_price: Option<Decimal>,
    /// Language of its notifications (`pt` or `en`).
    pub language: String,
}

/// One distinct query and every watch that shares it. About 120 bytes per
/// watch, so [`RefreshMessage::MAX_WATCHES`] keeps a message well under
/// SQS's 256 KiB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshMessage {
    /// The distinct-query key the watches share.
    pub query_key: String,
    /// The search for the window's first date.
    pub query: SearchQuery,
    /// Last departure date of the window.
    pub departure_to: NaiveDate,
    /// The watches to update.
    pub watches: Vec<WatchRef>,
}

impl RefreshMessage {
    /// Most watches per message.
    pub const MAX_WATCHES: usize = 1000;

    /// The messages for claimed `watches`: one per distinct query (more
    /// only past [`Self::MAX_WATCHES`] sharers), in the order first seen.
    pub fn group(watches: Vec<Watch>) -> Vec<Self> {
        let mut order: Vec<String> = Vec::new();
        let mut groups: std::collections::HashMap<String, Vec<Watch>> =
            std::collections::HashMap::new();
        for w in watches {
            if !groups.contains_key(&w.query_key) {
                order.push(w.query_key.clone());
            }
            groups.entry(w.query_key.clone()).or_default().push(w);
        }
        let mut out = Vec::new();
        for key in order {
            let list = groups.remove(&key).unwrap_or_default();
            for chunk in list.chunks(Self::MAX_WATCHES) {
                out.push(Self {
                    query_key: key.clone(),
                    query: chunk[0].query.clone(),
                    departure_to: chunk[0].departure_to,
                    watches: chunk.iter().map(watch_ref).collect(),
                });
            }
        }
        out
    }
}

fn watch_ref(w: &Watch) -> WatchRef {
    WatchRef {
        id: w.id,
        lowest_price: w.lowest_price,
        target_price: w.target_price,
        language: crate::watches::watch_language_code(w.language).to_owned(),
    }
}

/// Why messages could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The queue could not be reached or refused the messages.
    #[error("refresh queue unavailable: {0}")]
    Unavailable(String),
}

/// Where the tick sends work for the worker.
#[async_trait]
pub trait RefreshQueue: Send + Sync {
    /// The adapter's name, for logs.
    fn name(&self) -> &'static str;
    /// Sends every message (the adapter batches as its backend allows).
    ///
    /// # Errors
    /// [`QueueError::Unavailable`] when any message could not be sent.
    async fn send(&self, messages: &[RefreshMessage]) -> Result<(), QueueError>;
}

/// Messages in process memory: `serve` and `chatpassagens refresh` drain
/// them in-process right after each tick.
#[derive(Default)]
pub struct MemoryQueue {
    messages: Mutex<VecDeque<RefreshMessage>>,
}

impl MemoryQueue {
    /// Takes every message waiting, oldest first.
    pub fn drain(&self) -> Vec<RefreshMessage> {
        self.messages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .drain(..)
            .collect()
    }
}

#[async_trait]
impl RefreshQueue for MemoryQueue {
    fn name(&self) -> &'static str {
        "memory"
    }

    async fn send(&self, messages: &[RefreshMessage]) -> Result<(), QueueError> {
        self.messages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(messages.iter().cloned());
        Ok(())
    }
}
