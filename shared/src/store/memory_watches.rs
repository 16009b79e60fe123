use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::watches::{
    MAX_NOTIFICATION_PAGE, NewNotification, Observation, WatchRefreshStore, WatchStore, lease_end,
};
use super::{Caller, MemoryStore, StoreError};
use crate::domain::{NotificationId, WatchId};
use crate::watches::{
    MAX_ACTIVE_WATCHES, NewWatch, Notification, NotificationCursor, PricePoint, Watch, WatchChange,
    WatchStatus,
};

/// A watch with what only the refresh cares about.
struct Row {
    watch: Watch,
    next_check_at: DateTime<Utc>,
    lease_until: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct State {
    watches: HashMap<WatchId, Row>,
    points: HashMap<WatchId, Vec<PricePoint>>,
    notifications: Vec<Notification>,
}

/// Watches in process memory: the embedded default, lost on restart.
/// Behaves as the SQL functions do (the conformance suite checks both).
#[derive(Default)]
pub struct MemoryWatchStore {
    state: Mutex<State>,
    /// Where owners' addresses are, for e-mail; none without it.
    accounts: Option<Arc<MemoryStore>>,
}

impl MemoryWatchStore {
    /// An empty store whose watches' owners are accounts of `accounts`
    /// (their addresses receive the notifications by e-mail).
    pub fn with_accounts(accounts: Arc<MemoryStore>) -> Self {
        Self {
            state: Mutex::default(),
            accounts: Some(accounts),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn owned<'a>(s: &'a mut State, caller: &Caller, id: WatchId) -> Result<&'a mut Row, StoreError> {
    s.watches
        .get_mut(&id)
        .filter(|r| r.watch.user_id == caller.user_id)
        .ok_or(StoreError::NotFound)
}

fn full(s: &State, caller: &Caller) -> Result<(), StoreError> {
    let active = s
        .watches
        .values()
        .filter(|r| r.watch.user_id == caller.user_id && r.watch.status == WatchStatus::Active)
        .count();
    if active >= MAX_ACTIVE_WATCHES {
        return Err(StoreError::Conflict(format!(
            "at most {MAX_ACTIVE_WATCHES} active watches; pause or delete one first"
        )));
    }
    Ok(())
}

#[async_trait]
impl WatchStore for MemoryWatchStore {
    async fn create_watch(&self, caller: &Caller, new: &NewWatch) -> Result<Watch, StoreError> {
        let mut s = self.lock();
        full(&s, caller)?;
        let now = Utc::now();
        let watch = Watch {
            id: WatchId::random(),
            user_id: caller.user_id,
            query: new.query.clone(),
            query_key: new.query_key(),
            departure_to: new.departure_to,
            target_price: new.target_price,
            status: WatchStatus::Active,
            lowest_price: None,
            last_checked_at: None,
            language: new.language,
            created_at: now,
            updated_at: now,
        };
        s.watches.insert(
            watch.id,
            Row {
                watch: watch.clone(),
                next_check_at: now,
                lease_until: None,
            },
        );
        Ok(watch)
    }

    async fn list_watches(&self, caller: &Caller) -> Result<Vec<Watch>, StoreError> {
        let s = self.lock();
        let mut mine: Vec<Watch> = s
            .watches
            .values()
            .filter(|r| r.watch.user_id == caller.user_id)
            .map(|r| r.watch.clone())
            .collect();
        mine.sort_by_key(|w| std::cmp::Reverse((w.created_at, w.id)));
        Ok(mine)
    }

    async fn watch(&self, caller: &Caller, id: WatchId) -> Result<Watch, StoreError> {
        Ok(owned(&mut self.lock(), caller, id)?.watch.clone())
    }

    async fn update_watch(
        &self,
        caller: &Caller,
        id: WatchId,
        change: &WatchChange,
    ) -> Result<Watch, StoreError> {
        let mut s = self.lock();
        let status = owned(&mut s, caller, id)?.watch.status;
        let resuming = change.status == Some(WatchStatus::Active) && status != WatchStatus::Active;
        if status == WatchStatus::Closed && change.status.is_some() {
            return Err(StoreError::Conflict(
                "the watch is closed: its dates have passed".to_owned(),
            ));
        }
        if resuming {
            full(&s, caller)?;
        }
        let row = owned(&mut s, caller, id)?;
        if let Some(status) = change.status {
            row.watch.status = status;
        }
        if let Some(target) = change.target_price {
            row.watch.target_price = target;
        }
        row.watch.updated_at = Utc::now();
        Ok(row.watch.clone())
    }

    async fn delete_watch(&self, caller: &Caller, id: WatchId) -> Result<(), StoreError> {
        let mut s = self.lock();
        owned(&mut s, caller, id)?;
        s.watches.remove(&id);
        s.points.remove(&id);
        s.notifications.retain(|n| n.watch_id != id);
        Ok(())
    }

    async fn watch_prices(
        &self,
        caller: &Caller,
        id: WatchId,
    ) -> Result<Vec<PricePoint>, StoreError> {
        let mut s = self.lock();
        owned(&mut s, caller, id)?;
        Ok(s.points.get(&id).cloned().unwrap_or_default())
    }

    async fn notifications(
        &self,
        caller: &Caller,
        page_size: u32,
        after: Option<NotificationCursor>,
    ) -> Result<Vec<Notification>, StoreError> {
        let s = self.lock();
        let mut page: Vec<Notification> = s
            .notifications
            .iter()
            .filter(|n| mine(&s, caller, n))
            .filter(|n| after.is_none_or(|a| (n.created_at, n.id) < (a.created_at, a.id)))
            .cloned()
            .collect();
        page.sort_by_key(|n| std::cmp::Reverse((n.created_at, n.id)));
        page.truncate(page_size.clamp(1, MAX_NOTIFICATION_PAGE) as usize);
        Ok(page)
    }

    async fn unread_notifications(&self, caller: &Caller) -> Result<u32, StoreError> {
        let s = self.lock();
        let n = s
            .notifications
            .iter()
            .filter(|n| mine(&s, caller, n) && n.read_at.is_none())
            .count();
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn read_notifications(
        &self,
        caller: &Caller,
        ids: Option<&[NotificationId]>,
    ) -> Result<u32, StoreError> {
        let mut s = self.lock();
        let owners: HashMap<WatchId, bool> = s
            .watches
            .iter()
            .map(|(id, r)| (*id, r.watch.user_id == caller.user_id))
            .collect();
        let now = Utc::now();
        let mut changed = 0;
        for n in &mut s.notifications {
            let listed = ids.is_none_or(|ids| ids.contains(&n.id));
            if listed && n.read_at.is_none() && owners.get(&n.watch_id) == Some(&true) {
                n.read_at = Some(now);
                changed += 1;
            }
        }
        Ok(changed)
    }
}

fn mine(s: &State, caller: &Caller, n: &Notification) -> bool {
    s.watches
        .get(&n.watch_id)
        .is_some_and(|r| r.watch.user_id == caller.user_id)
}

/// Adds a price point to a watch as `record_watch_price` does.
fn record(s: &mut State, o: &Observation, every: Duration) -> Result<(), StoreError> {
    let row = s.watches.get_mut(&o.watch_id).ok_or(StoreError::NotFound)?;
    let now = Utc::now();
    row.watch.lowest_price = Some(
        row.watch
            .lowest_price
            .map_or(o.point.price, |low| low.min(o.point.price)),
    );
    row.watch.last_checked_at = Some(o.point.observed_at);
    row.lease_until = None;
    row.next_check_at = lease_end(now, every);
    s.points
        .entry(o.watch_id)
        .or_default()
        .push(o.point.clone());
    Ok(())
}

#[async_trait]
impl WatchRefreshStore for MemoryWatchStore {
    async fn claim_due(&self, batch: u32, lease: Duration) -> Result<Vec<Watch>, StoreError> {
        let now = Utc::now();
        let mut s = self.lock();
        let mut due: Vec<&mut Row> = s
            .watches
            .values_mut()
            .filter(|r| r.watch.status == WatchStatus::Active && r.next_check_at <= now)
            .filter(|r| r.lease_until.is_none_or(|l| l <= now))
            .collect();
        due.sort_by_key(|r| (r.next_check_at, r.watch.id));
        Ok(due
            .into_iter()
            .take(batch as usize)
            .map(|r| {
                r.lease_until = Some(lease_end(now, lease));
                r.watch.clone()
            })
            .collect())
    }

    async fn record_price(&self, o: &Observation, every: Duration) -> Result<(), StoreError> {
        record(&mut self.lock(), o, every)
    }

    async fn record_prices(
        &self,
        observations: &[Observation],
        every: Duration,
    ) -> Result<Vec<WatchId>, StoreError> {
        let mut s = self.lock();
        Ok(observations
            .iter()
            .filter(|o| record(&mut s, o, every).is_ok())
            .map(|o| o.watch_id)
            .collect())
    }

    async fn notify(&self, n: &NewNotification) -> Result<bool, StoreError> {
        let mut s = self.lock();
        let currency = s
            .watches
            .get(&n.watch_id)
            .ok_or(StoreError::NotFound)?
            .watch
            .query
            .options()
            .currency;
        if s.notifications
            .iter()
            .any(|x| x.watch_id == n.watch_id && x.day == n.day)
        {
            return Ok(false);
        }
        s.notifications.push(Notification {
            id: NotificationId::random(),
            watch_id: n.watch_id,
            day: n.day,
            price: n.price,
            currency,
            message: n.message.clone(),
            created_at: Utc::now(),
            read_at: None,
        });
        Ok(true)
    }

    async fn owner_email(&self, watch: WatchId) -> Result<Option<String>, StoreError> {
        let owner = self.lock().watches.get(&watch).map(|r| r.watch.user_id);
        Ok(match (owner, &self.accounts) {
            (Some(owner), Some(accounts)) => accounts.email_of(owner),
            _ => None,
        })
    }

    async fn close_expired(&self, today: NaiveDate) -> Result<u32, StoreError> {
        let mut closed = 0;
        for r in self.lock().watches.values_mut() {
            if r.watch.status != WatchStatus::Closed && r.watch.departure_to < today {
                r.watch.status = WatchStatus::Closed;
                r.watch.updated_at = Utc::now();
                closed += 1;
            }
        }
        Ok(closed)
    }
}
