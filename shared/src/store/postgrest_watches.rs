//! The watch ports over PostgREST RPC: the traveller's calls under their own
//! token (row-level security decides), the refresh's under the service role.

use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use serde_json::json;

use super::watches::{NewNotification, Observation, WatchRefreshStore, WatchStore};
use super::{Caller, PostgrestStore, StoreError};
use crate::domain::{NotificationId, WatchId};
use crate::watches::{NewWatch, Notification, NotificationCursor, PricePoint, Watch, WatchChange};

use super::watches::MAX_NOTIFICATION_PAGE;

#[async_trait]
impl WatchStore for PostgrestStore {
    async fn create_watch(&self, caller: &Caller, watch: &NewWatch) -> Result<Watch, StoreError> {
        let args = json!({
            "query": watch.query,
            "query_key": watch.query_key(),
            "departure_from": watch.query.legs()[0].date,
            "departure_to": watch.departure_to,
            "currency": watch.query.options().currency,
            "target_price": watch.target_price,
            "language": crate::watches::watch_language_code(watch.language),
        });
        self.call("create_watch", &caller.token, args).await
    }

    async fn list_watches(&self, caller: &Caller) -> Result<Vec<Watch>, StoreError> {
        self.call("list_watches", &caller.token, json!({})).await
    }

    async fn watch(&self, caller: &Caller, id: WatchId) -> Result<Watch, StoreError> {
        self.call("get_watch", &caller.token, json!({ "id": id }))
            .await
    }

    async fn update_watch(
        &self,
        caller: &Caller,
        id: WatchId,
        change: &WatchChange,
    ) -> Result<Watch, StoreError> {
        let mut args = json!({ "id": id });
        if let Some(status) = change.status {
            args["status"] = json!(status.as_str());
        }
        match change.target_price {
            Some(Some(target)) => args["target_price"] = json!(target),
            Some(None) => args["clear_target"] = json!(true),
            None => {}
        }
        self.call("update_watch", &caller.token, args).await
    }

    async fn delete_watch(&self, caller: &Caller, id: WatchId) -> Result<(), StoreError> {
        self.rpc("delete_watch", &caller.token, json!({ "id": id }))
            .await
            .map(|_| ())
    }

    async fn watch_prices(
        &self,
        caller: &Caller,
        id: WatchId,
    ) -> Result<Vec<PricePoint>, StoreError> {
        self.call("watch_prices", &caller.token, json!({ "id": id }))
            .await
    }

    async fn notifications(
        &self,
        caller: &Caller,
        page_size: u32,
        after: Option<NotificationCursor>,
    ) -> Result<Vec<Notification>, StoreError> {
        let mut args = json!({ "page_size": page_size.clamp(1, MAX_NOTIFICATION_PAGE) });
        if let Some(c) = after {
            args["before_created_at"] = json!(c.created_at);
            args["before_id"] = json!(c.id);
        }
        self.call("list_notifications", &caller.token, args).await
    }

    async fn unread_notifications(&self, caller: &Caller) -> Result<u32, StoreError> {
        self.call("unread_notifications", &caller.token, json!({}))
            .await
    }

    async fn read_notifications(
        &self,
        caller: &Caller,
        ids: Option<&[NotificationId]>,
    ) -> Result<u32, StoreError> {
        let args = ids.map_or_else(|| json!({}), |ids| json!({ "ids": ids }));
        self.call("read_notifications", &caller.token, args).await
    }
}

#[async_trait]
impl WatchRefreshStore for PostgrestStore {
    async fn claim_due(&self, batch: u32, lease: Duration) -> Result<Vec<Watch>, StoreError> {
        self.call(
            "claim_due_watches",
            self.service()?,
            json!({ "batch": batch, "lease_seconds": lease.as_secs().max(1) }),
        )
        .await
    }

    async fn record_price(&self, o: &Observation, every: Duration) -> Result<(), StoreError> {
        let args = json!({
            "watch_id": o.watch_id,
            "observed_at": o.point.observed_at,
            "price": o.point.price,
            "currency": o.point.currency,
            "provider": o.point.provider,
            "every_seconds": every.as_secs().max(1),
        });
        self.rpc("record_watch_price", self.service()?, args)
            .await
            .map(|_| ())
    }

    async fn record_prices(
        &self,
        observations: &[Observation],
        every: Duration,
    ) -> Result<Vec<WatchId>, StoreError> {
        let points: Vec<_> = observations
            .iter()
            .map(|o| {
                json!({
                    "watch_id": o.watch_id,
                    "observed_at": o.point.observed_at,
                    "price": o.point.price,
                    "currency": o.point.currency,
                    "provider": o.point.provider,
                })
            })
            .collect();
        let args = json!({ "points": points, "every_seconds": every.as_secs().max(1) });
        self.call("record_watch_prices", self.service()?, args)
            .await
    }

    async fn notify(&self, n: &NewNotification) -> Result<bool, StoreError> {
        let args = json!({
            "watch_id": n.watch_id,
            "day": n.day,
            "price": n.price,
            "message": n.message,
        });
        self.call("insert_notification", self.service()?, args)
            .await
    }

    async fn owner_email(&self, watch: WatchId) -> Result<Option<String>, StoreError> {
        self.call(
            "watch_owner_email",
            self.service()?,
            json!({ "watch_id": watch }),
        )
        .await
    }

    async fn close_expired(&self, today: NaiveDate) -> Result<u32, StoreError> {
        self.call(
            "close_expired_watches",
            self.service()?,
            json!({ "today": today }),
        )
        .await
    }
}
