use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Days, Utc};
use rust_decimal::Decimal;

use super::{RefreshMessage, WatchRef};
use crate::assistant::Lang;
use crate::domain::WatchId;
use crate::email::{LogMailer, Mail, Mailer};
use crate::fares::SearchService;
use crate::metrics::{Metric, Metrics};
use crate::search::SearchQuery;
use crate::store::{NewNotification, Observation, StoreError, WatchRefreshStore};
use crate::watches::{PricePoint, decide, mail, message, shifted};

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
    /// E-mails sent (one per new notification whose owner has an address).
    pub emails: usize,
}

impl WorkerReport {
    /// Adds another report's counts to this one.
    pub fn add(&mut self, other: Self) {
        self.searches += other.searches;
        self.points += other.points;
        self.notifications += other.notifications;
        self.store_calls += other.store_calls;
        self.emails += other.emails;
    }
}

/// One delivery of a queue message: its id (to report a failure) and body.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The queue's message id.
    pub id: String,
    /// The JSON of a [`RefreshMessage`].
    pub body: String,
    /// How many times the queue has delivered it, this time included (SQS's
    /// `ApproximateReceiveCount`; 1 when unknown).
    pub receive_count: u32,
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
    /// Where new notifications are e-mailed.
    mailer: Arc<dyn Mailer>,
    /// Where each batch's searches, notifications and dead-lettered
    /// messages are counted.
    metrics: Metrics,
    /// Deliveries before the queue dead-letters a message (its redrive
    /// policy's `maxReceiveCount`).
    max_receive_count: u32,
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
            mailer: Arc::new(LogMailer),
            metrics: Metrics::off(),
            max_receive_count: 5,
        }
    }

    /// The same worker counting in `metrics`, knowing that the queue
    /// dead-letters a message after `max_receive_count` deliveries.
    #[must_use]
    pub fn with_metrics(mut self, metrics: Metrics, max_receive_count: u32) -> Self {
        self.metrics = metrics;
        self.max_receive_count = max_receive_count;
        self
    }

    /// Records what a batch of messages did: one line with its searches,
    /// notifications and the messages it dead-lettered.
    pub fn record(&self, report: &WorkerReport, dead_lettered: usize) {
        self.metrics.record(&[
            (Metric::RefreshSearches, report.searches as f64),
            (Metric::NotificationsSent, report.notifications as f64),
            (Metric::MessagesDeadLettered, dead_lettered as f64),
        ]);
    }

    /// The same worker e-mailing new notifications through `mailer`
    /// (the log adapter otherwise).
    #[must_use]
    pub fn with_mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.mailer = mailer;
        self
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
        let point = PricePoint {
            observed_at: now,
            price,
            currency: message.query.options().currency.code().to_owned(),
            provider,
        };
        let observations: Vec<Observation> = message
            .watches
            .iter()
            .map(|w| Observation {
                watch_id: w.id,
                point: point.clone(),
            })
            .collect();
        // One call for every watch of the message; those deleted since they
        // were claimed are left out, and nobody is told about them.
        let recorded: HashSet<WatchId> = self
            .store
            .record_prices(&observations, self.every)
            .await?
            .into_iter()
            .collect();
        report.store_calls += 1;
        report.points = recorded.len();
        for watch in message.watches.iter().filter(|w| recorded.contains(&w.id)) {
            if let Some((note, lang)) = notification(message, watch, price, now) {
                report.store_calls += 1;
                // Only a notification created now is mailed: a redelivered
                // message finds it made and sends nothing twice.
                if self.store.notify(&note).await? {
                    report.notifications += 1;
                    report.store_calls += 1;
                    if self.mail(&message.query, &note, lang).await {
                        report.emails += 1;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Handles a batch of queue deliveries (an SQS event's records): each
    /// message on its own, so one that fails is retried alone. Returns the
    /// totals and the ids of the deliveries that failed; a failure on the
    /// last allowed delivery is counted as dead-lettered.
    pub async fn handle_batch(
        &self,
        deliveries: &[Delivery],
        now: DateTime<Utc>,
    ) -> (WorkerReport, Vec<String>) {
        let mut total = WorkerReport::default();
        let mut failed = Vec::new();
        let mut dead_lettered = 0;
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
                    if d.receive_count >= self.max_receive_count {
                        dead_lettered += 1;
                    }
                }
            }
        }
        self.record(&total, dead_lettered);
        (total, failed)
    }

    /// E-mails a new notification to its watch's owner; whether it went.
    /// A failure is logged once here and costs nothing else: the in-app
    /// notification is already stored.
    async fn mail(&self, query: &SearchQuery, note: &NewNotification, lang: Lang) -> bool {
        let to = match self.store.owner_email(note.watch_id).await {
            Ok(Some(to)) => to,
            Ok(None) => return false,
            Err(e) => {
                tracing::warn!(watch.id = %note.watch_id, error = %e, "notification e-mail skipped: no address");
                return false;
            }
        };
        let (subject, text) = mail(query, note.price, &note.message, lang);
        let sent = self.mailer.send(&Mail { to, subject, text }).await;
        if let Err(e) = &sent {
            tracing::warn!(watch.id = %note.watch_id, mailer = self.mailer.name(), error = %e, "notification e-mail failed");
        }
        sent.is_ok()
    }

    /// The cheapest total over every date of the window still bookable, and
    /// how many searches that took.
    async fn cheapest(
        &self,
        message: &RefreshMessage,
        now: DateTime<Utc>,
    ) -> (Option<(Decimal, String)>, usize) {
        let first = message.query.legs()[0].date;
        let mut best: Option<(Decimal, String)> = None;
        let mut searches = 0;
        let mut day = first;
        while day <= message.departure_to {
            // Days already past at the origin are skipped: nothing to sell.
            // A round trip keeps its stay: the return moves with the departure.
            if let Ok(query) = shifted(&message.query, day, now) {
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

/// The notification `price` deserves for `watch`, if any, and its language.
fn notification(
    msg: &RefreshMessage,
    watch: &WatchRef,
    price: Decimal,
    now: DateTime<Utc>,
) -> Option<(NewNotification, Lang)> {
    let lang = if watch.language == "en" {
        Lang::En
    } else {
        Lang::Pt
    };
    let reason = decide(watch.lowest_price, watch.target_price, price)?;
    let note = NewNotification {
        watch_id: watch.id,
        day: now.date_naive(),
        price,
        message: message(&msg.query, msg.departure_to, price, reason, lang),
    };
    Some((note, lang))
}
