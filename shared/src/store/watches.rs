//! The watch ports: a traveller's own watches and notifications
//! ([`WatchStore`], under their token, so row-level security decides), and
//! what the scheduled refresh does across every traveller
//! ([`WatchRefreshStore`], service role).

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::{Caller, StoreError};
use crate::domain::{NotificationId, WatchId};
use crate::watches::{NewWatch, Notification, NotificationCursor, PricePoint, Watch, WatchChange};

/// Most notifications per page.
pub const MAX_NOTIFICATION_PAGE: u32 = 100;

/// A traveller's watches, price series and notifications.
#[async_trait]
pub trait WatchStore: Send + Sync {
    /// Stores a watch, active.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the caller already has
    /// [`MAX_ACTIVE_WATCHES`](crate::watches::MAX_ACTIVE_WATCHES) active ones
    /// (checked atomically: concurrent creations cannot both pass).
    async fn create_watch(&self, caller: &Caller, watch: &NewWatch) -> Result<Watch, StoreError>;
    /// The caller's watches, newest first.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn list_watches(&self, caller: &Caller) -> Result<Vec<Watch>, StoreError>;
    /// One of the caller's watches.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a watch that is missing or another's.
    async fn watch(&self, caller: &Caller, id: WatchId) -> Result<Watch, StoreError>;
    /// Pauses, resumes or changes the target of a watch.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a watch that is missing or another's;
    /// [`StoreError::Conflict`] when resuming would pass the active limit.
    async fn update_watch(
        &self,
        caller: &Caller,
        id: WatchId,
        change: &WatchChange,
    ) -> Result<Watch, StoreError>;
    /// Deletes a watch with its prices and notifications.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a watch that is missing or another's.
    async fn delete_watch(&self, caller: &Caller, id: WatchId) -> Result<(), StoreError>;
    /// A watch's observed prices, oldest first.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a watch that is missing or another's.
    async fn watch_prices(
        &self,
        caller: &Caller,
        id: WatchId,
    ) -> Result<Vec<PricePoint>, StoreError>;
    /// The caller's notifications, newest first, after `cursor`.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn notifications(
        &self,
        caller: &Caller,
        page_size: u32,
        after: Option<NotificationCursor>,
    ) -> Result<Vec<Notification>, StoreError>;
    /// How many of the caller's notifications are unread.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn unread_notifications(&self, caller: &Caller) -> Result<u32, StoreError>;
    /// Marks notifications read (`None`: all of them); how many changed.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn read_notifications(
        &self,
        caller: &Caller,
        ids: Option<&[NotificationId]>,
    ) -> Result<u32, StoreError>;
}

/// One price the refresh observed for one watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The watch.
    pub watch_id: WatchId,
    /// The point to add to its series.
    pub point: PricePoint,
}

/// A notification to create, at most one per watch and day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// The watch.
    pub watch_id: WatchId,
    /// The day it counts against.
    pub day: NaiveDate,
    /// The price that caused it.
    pub price: Decimal,
    /// The text, in the traveller's language.
    pub message: String,
}

/// The scheduled refresh's view: every traveller's watches (service role).
#[async_trait]
pub trait WatchRefreshStore: Send + Sync {
    /// Takes up to `batch` active watches that are due and not leased, and
    /// leases them for `lease`: a concurrent claim skips them.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn claim_due(&self, batch: u32, lease: Duration) -> Result<Vec<Watch>, StoreError>;
    /// Adds a price point to a watch, lowers its low, releases its lease and
    /// schedules its next check `every` from now.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a watch deleted meanwhile.
    async fn record_price(
        &self,
        observation: &Observation,
        every: Duration,
    ) -> Result<(), StoreError>;
    /// [`Self::record_price`] for many watches at once (one message's);
    /// returns the ids recorded, leaving out watches deleted meanwhile.
    /// The default records one by one; an adapter may do it in one call.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn record_prices(
        &self,
        observations: &[Observation],
        every: Duration,
    ) -> Result<Vec<WatchId>, StoreError> {
        let mut recorded = Vec::with_capacity(observations.len());
        for o in observations {
            match self.record_price(o, every).await {
                Ok(()) => recorded.push(o.watch_id),
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(recorded)
    }
    /// Creates a notification unless the watch already has one that day;
    /// whether it was created.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn notify(&self, notification: &NewNotification) -> Result<bool, StoreError>;
    /// The address of a watch's owner, to e-mail a notification to; `None`
    /// when the watch (or its account) is gone, or the store keeps no
    /// accounts.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn owner_email(&self, watch: WatchId) -> Result<Option<String>, StoreError>;
    /// Closes active and paused watches whose window ended before `today`;
    /// how many.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn close_expired(&self, today: NaiveDate) -> Result<u32, StoreError>;
}

/// When a claim's lease ends.
pub(super) fn lease_end(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX)
}
