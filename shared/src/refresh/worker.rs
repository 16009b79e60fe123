use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Days, Utc};
use rust_decimal::Decimal;

use super::{RefreshMessage, WatchRef};
use crate::assistant::Lang;
use crate::fares::SearchService;
use crate::search::{Leg, SearchQuery};
use crate::store::{NewNotification, Observation, StoreError, WatchRefreshStore};
use crate::watches::{PricePoint, decide, message};

/// What the worker did with one message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerReport {
    /// Searches run (one per departure date of the window still ahead).
    pub searches: usize,
    /// Price points written.
    pub points: usize,
    /// Notifications created (a redelivered message creates none).
    pub notifications: usize,
    /// Calls made to the store.
    pub store_calls: usize,
}

impl WorkerReport {
    /// Adds another report's counts to this one.
    pub fn add(&mut self, other: Self) {
        self.searches += other.searches;
        self.points += other.points;
        self.notifications += other.notifications;
        self.store_calls += other.store_calls;
    }
}

/// One delivery of a queue message: its id (to report a failure) and body.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The queue's message id.
    pub id: String,
    /// The JSON of a [`RefreshMessage`].
    pub body: String,
}

/// Why a message failed; the queue delivers it again.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Consumes refresh messages: searches, records, notifies.
#[derive(Clone)]
pub struct Worker {
    search: Arc<SearchService>,
    store: Arc<dyn WatchRefreshStore>,
    /// How long until a refreshed watch is due again.
    every: Duration,
}

impl Worker {
    /// A worker searching with `search` and writing to `store`.
    pub fn new(
        search: Arc<SearchService>,
        store: Arc<dyn WatchRefreshStore>,
        every: Duration,
    ) -> Self {
        Self {
            search,
            store,
            every,
        }
    }

    /// Handles one message as of `now`.
    ///
    /// # Errors
    /// A store failure; points already written stay, and a redelivery
    /// notifies nobody twice (one notification per watch and day).
    pub async fn handle(
        &self,
        message: &RefreshMessage,
        now: DateTime<Utc>,
    ) -> Result<WorkerReport, WorkerError> {
        let (cheapest, searches) = self.cheapest(message, now).await;
        let mut report = WorkerReport {
            searches,
            ..WorkerReport::default()
        };
        let Some((price, provider)) = cheapest else {
            return Ok(report);
        };
        for watch in &message.watches {
            let point = PricePoint {
                observed_at: now,
                price,
                currency: message.query.options().currency.code().to_owned(),
                provider: provider.clone(),
            };
            let observation = Observation {
                watch_id: watch.id,
                point,
            };
            match self.store.record_price(&observation, self.every).await {
                Ok(()) => report.points += 1,
                // Deleted since it was claimed: nothing to tell anyone.
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            }
            report.store_calls += 1;
            if let Some(note) = notification(message, watch, price, now) {
                report.store_calls += 1;
                if self.store.notify(&note).await? {
                    report.notifications += 1;
                }
            }
        }
        Ok(report)
    }

    /// Handles a batch of queue deliveries (an SQS event's records): each
    /// message on its own, so one that fails is retried alone. Returns the
    /// totals and the ids of the deliveries that failed.
    pub async fn handle_batch(
        &self,
        deliveries: &[Delivery],
        now: DateTime<Utc>,
    ) -> (WorkerReport, Vec<String>) {
        let mut total = WorkerReport::default();
        let mut failed = Vec::new();
        for d in deliveries {
            let outcome = match serde_json::from_str::<RefreshMessage>(&d.body) {
                Ok(message) => self.handle(&message, now).await.map_err(|e| e.to_string()),
                Err(e) => Err(format!("unreadable refresh message: {e}")),
            };
            match outcome {
                Ok(r) => total.add(r),
                Err(error) => {
                    // Logged once here; the queue redelivers it (then its DLQ).
                    tracing::warn!(message.id = %d.id, error = %error, "refresh message failed");
                    failed.push(d.id.clone());
                }
            }
        }
        (total, failed)
    }

    /// The cheapest total over every date of the window still bookable, and
    /// how many searches that took.
    async fn cheapest(
        &self,
        message: &RefreshMessage,
        now: DateTime<Utc>,
    ) -> (Option<(Decimal, String)>, usize) {
        let first = message.query.legs()[0];
        let mut best: Option<(Decimal, String)> = None;
        let mut searches = 0;
        let mut day = first.date;
        while day <= message.departure_to {
            let leg = Leg { date: day, ..first };
            // Days already past at the origin are skipped: nothing to sell.
            if let Ok(query) = SearchQuery::new(vec![leg], message.query.options().clone(), now) {
                searches += 1;
                let results = self.search.search_and_record(&query, now).await;
                if let Some(o) = results.offers.iter().min_by_key(|o| o.price.amount)
                    && best.as_ref().is_none_or(|(p, _)| o.price.amount < *p)
                {
                    best = Some((o.price.amount, o.provider.clone()));
                }
            }
            day = day + Days::new(1);
        }
        (best, searches)
    }
}

/// The notification `price` deserves for `watch`, if any.
fn notification(
    msg: &RefreshMessage,
    watch: &WatchRef,
    price: Decimal,
    now: DateTime<Utc>,
) -> Option<NewNotification> {
    let lang = if watch.language == "en" {
        Lang::En
    } else {
        Lang::Pt
    };
    let reason = decide(watch.lowest_price, watch.target_price, price)?;
    Some(NewNotification {
        watch_id: watch.id,
        day: now.date_naive(),
        price,
        message: message(&msg.query, msg.departure_to, price, reason, lang),
    })
}
