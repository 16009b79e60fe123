//! The scheduled refresh on the embedded adapters: one search per distinct
//! query, notifications on a real drop only and never twice, a failing
//! message retried alone, expired watches closed.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Days, Utc};
use rust_decimal::Decimal;
use shared::cache::{Cache, CacheError, RateDecision};
use shared::domain::Email;
use shared::domain::{Offer, UserId};
use shared::email::{Mail, MailError, Mailer};
use shared::fares::{DemoProvider, FareProvider, FareSearch, ProviderError, SearchService};
use shared::refresh::{
    Delivery, MemoryQueue, RefreshMessage, TickSettings, Worker, WorkerReport, tick,
};
use shared::search::{RawSearch, SearchQuery};
use shared::store::{AccountStore, Caller, MemoryStore, MemoryWatchStore, WatchStore};
use shared::watches::RawWatch;

/// The demo provider with its prices scaled by `percent`, counting searches.
#[derive(Default)]
struct Scaled {
    percent: AtomicU32,
    searches: AtomicUsize,
    /// Every search's (departure, return) dates.
    dates: Mutex<Vec<(chrono::NaiveDate, Option<chrono::NaiveDate>)>>,
}

#[async_trait]
impl FareProvider for Scaled {
    fn name(&self) -> &str {
        "demo"
    }
    async fn search(
        &self,
        q: &SearchQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<Offer>, ProviderError> {
        self.searches.fetch_add(1, Ordering::SeqCst);
        let legs = q.legs();
        self.dates
            .lock()
            .unwrap()
            .push((legs[0].date, legs.get(1).map(|l| l.date)));
        let factor = Decimal::from(self.percent.load(Ordering::SeqCst)) / Decimal::from(100);
        Ok(DemoProvider
            .offers(q, now)
            .into_iter()
            .map(|mut o| {
                o.price.amount = (o.price.amount * factor).round_dp(2);
                o
            })
            .collect())
    }
}

/// No cache, so every search reaches the provider and is counted.
struct NoCache;

#[async_trait]
impl Cache for NoCache {
    fn name(&self) -> &'static str {
        "none"
    }
    async fn get(&self, _: &str) -> Result<Option<String>, CacheError> {
        Ok(None)
    }
    async fn set(&self, _: &str, _: &str, _: Duration) -> Result<(), CacheError> {
        Ok(())
    }
    async fn delete(&self, _: &str) -> Result<(), CacheError> {
        Ok(())
    }
    async fn rate_limit(
        &self,
        _: &str,
        _: u32,
        _: Duration,
        _: i64,
    ) -> Result<RateDecision, CacheError> {
        Err(CacheError::Unavailable("not here".to_owned()))
    }
}

struct Rig {
    provider: Arc<Scaled>,
    store: Arc<MemoryWatchStore>,
    queue: MemoryQueue,
    worker: Worker,
}

fn rig() -> Rig {
    rig_on(Arc::new(MemoryWatchStore::default()))
}

fn rig_on(store: Arc<MemoryWatchStore>) -> Rig {
    let provider = Arc::new(Scaled::default());
    provider.percent.store(100, Ordering::SeqCst);
    let search = SearchService::new(
        FareSearch::new(vec![provider.clone()], Duration::from_secs(2)),
        Arc::new(NoCache),
        Duration::from_secs(300),
    );
    // Due again at once, so each tick of a test prices the watch again.
    let worker = Worker::new(Arc::new(search), store.clone(), Duration::ZERO);
    Rig {
        provider,
        store,
        queue: MemoryQueue::default(),
        worker,
    }
}

const SETTINGS: TickSettings = TickSettings {
    batch: 200,
    max_batches: 100,
    lease: Duration::from_secs(300),
};

fn caller() -> Caller {
    Caller {
        user_id: UserId::random(),
        token: String::new(),
    }
}

async fn watch(store: &MemoryWatchStore, who: &Caller, days: u64, target: Option<&str>) {
    let day = (Utc::now().date_naive() + Days::new(days)).to_string();
    let new = RawWatch {
        search: RawSearch::trip("GRU", "LIS", &day, None),
        target_price: target.map(str::to_owned),
        ..RawWatch::default()
    }
    .parse(Utc::now())
    .unwrap();
    store.create_watch(who, &new).await.unwrap();
}

/// One tick, then the worker over everything it sent.
async fn run(r: &Rig) -> (usize, WorkerReport, Vec<RefreshMessage>) {
    let report = tick(r.store.as_ref(), &r.queue, SETTINGS, Utc::now())
        .await
        .unwrap();
    let messages = r.queue.drain();
    assert_eq!(report.messages, messages.len());
    let mut total = WorkerReport::default();
    for m in &messages {
        total.add(r.worker.handle(m, Utc::now()).await.unwrap());
    }
    (report.claimed, total, messages)
}

#[tokio::test]
async fn a_thousand_watches_over_fifty_queries_cost_fifty_searches() {
    let r = rig();
    for user in 0..50 {
        let who = caller();
        for i in 0..20 {
            watch(&r.store, &who, 30 + (user * 20 + i) % 50, None).await;
        }
    }
    let (claimed, report, messages) = run(&r).await;
    assert_eq!((claimed, messages.len()), (1000, 50));
    assert_eq!(report.searches, 50);
    assert_eq!(r.provider.searches.load(Ordering::SeqCst), 50);
    assert_eq!(report.points, 1000, "every watch gets its price point");
}

#[tokio::test]
async fn a_new_low_ten_percent_down_notifies_once_and_a_smaller_move_not_at_all() {
    let r = rig();
    let who = caller();
    watch(&r.store, &who, 45, None).await;
    let (_, first, _) = run(&r).await;
    assert_eq!(first.notifications, 0, "a first price is no news");
    r.provider.percent.store(95, Ordering::SeqCst);
    assert_eq!(
        run(&r).await.1.notifications,
        0,
        "5% is not a drop worth telling"
    );
    r.provider.percent.store(85, Ordering::SeqCst);
    let (_, drop, messages) = run(&r).await;
    assert_eq!(drop.notifications, 1, "85 is 10.5% under the low of 95");
    // The same message delivered again notifies nobody twice.
    let again = r.worker.handle(&messages[0], Utc::now()).await.unwrap();
    assert_eq!(again.notifications, 0);
    let inbox = r.store.notifications(&who, 20, None).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(
        inbox[0].message.contains("caiu para"),
        "{}",
        inbox[0].message
    );
    let series = r.store.watch_prices(&who, inbox[0].watch_id).await.unwrap();
    assert_eq!(series.len(), 4);
}

#[tokio::test]
async fn a_price_under_the_target_notifies_in_the_watch_language() {
    let r = rig();
    let who = caller();
    let day = (Utc::now().date_naive() + Days::new(45)).to_string();
    let new = RawWatch {
        search: RawSearch::trip("GRU", "LIS", &day, None),
        target_price: Some("99999".to_owned()),
        language: Some("en".to_owned()),
        ..RawWatch::default()
    }
    .parse(Utc::now())
    .unwrap();
    r.store.create_watch(&who, &new).await.unwrap();
    assert_eq!(run(&r).await.1.notifications, 1);
    let inbox = r.store.notifications(&who, 20, None).await.unwrap();
    assert!(
        inbox[0]
            .message
            .contains("under your target of R$ 99,999.00"),
        "{}",
        inbox[0].message
    );
}

#[tokio::test]
async fn one_failing_message_is_retried_alone() {
    let r = rig();
    for days in [40, 41] {
        watch(&r.store, &caller(), days, None).await;
    }
    tick(r.store.as_ref(), &r.queue, SETTINGS, Utc::now())
        .await
        .unwrap();
    let mut deliveries: Vec<Delivery> = r
        .queue
        .drain()
        .iter()
        .enumerate()
        .map(|(i, m)| Delivery {
            id: format!("m{i}"),
            body: serde_json::to_string(m).unwrap(),
            receive_count: 1,
        })
        .collect();
    deliveries.insert(
        1,
        Delivery {
            id: "broken".to_owned(),
            body: "{\"query_key\": 1}".to_owned(),
            receive_count: 1,
        },
    );
    let (report, failed) = r.worker.handle_batch(&deliveries, Utc::now()).await;
    assert_eq!(failed, ["broken"]);
    assert_eq!(report.points, 2, "the other messages are done");
}

#[tokio::test]
async fn watches_whose_dates_passed_are_closed_and_not_refreshed() {
    let r = rig();
    let who = caller();
    watch(&r.store, &who, 5, None).await;
    watch(&r.store, &who, 300, None).await;
    let later = Utc::now() + chrono::Duration::days(30);
    let report = tick(r.store.as_ref(), &r.queue, SETTINGS, later)
        .await
        .unwrap();
    assert_eq!((report.closed, report.claimed), (1, 1));
    let statuses: Vec<_> = r
        .store
        .list_watches(&who)
        .await
        .unwrap()
        .iter()
        .map(|w| w.status.as_str())
        .collect();
    assert!(statuses.contains(&"closed") && statuses.contains(&"active"));
}

/// Keeps every mail it is given, or refuses them all while `down`.
#[derive(Default)]
struct Outbox {
    sent: Mutex<Vec<Mail>>,
    down: AtomicBool,
}

#[async_trait]
impl Mailer for Outbox {
    fn name(&self) -> &'static str {
        "outbox"
    }
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(MailError::Unavailable("mail server down".to_owned()));
        }
        self.sent.lock().unwrap().push(mail.clone());
        Ok(())
    }
}

#[tokio::test]
async fn a_new_notification_is_mailed_to_its_owner_once_and_a_failed_mail_loses_nothing() {
    let accounts = Arc::new(MemoryStore::default());
    let ana = accounts
        .create_account(&Email::parse("ana@example.com").unwrap(), "hash")
        .await
        .unwrap();
    let who = Caller {
        user_id: ana.id,
        token: String::new(),
    };
    let mut r = rig_on(Arc::new(MemoryWatchStore::with_accounts(accounts)));
    let outbox = Arc::new(Outbox::default());
    r.worker = r.worker.with_mailer(outbox.clone());
    let day = (Utc::now().date_naive() + Days::new(45)).to_string();
    let new = RawWatch {
        search: RawSearch::trip("GRU", "LIS", &day, None),
        target_price: Some("99999".to_owned()),
        language: Some("en".to_owned()),
        ..RawWatch::default()
    }
    .parse(Utc::now())
    .unwrap();
    r.store.create_watch(&who, &new).await.unwrap();
    let (_, report, messages) = run(&r).await;
    assert_eq!((report.notifications, report.emails), (1, 1));
    {
        let sent = outbox.sent.lock().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].to, "ana@example.com");
        assert!(
            sent[0].subject.starts_with("Price alert: ") && sent[0].subject.contains("R$"),
            "{}",
            sent[0].subject
        );
        assert!(
            sent[0].text.contains("under your target of R$ 99,999.00"),
            "{}",
            sent[0].text
        );
    }
    let again = r.worker.handle(&messages[0], Utc::now()).await.unwrap();
    assert_eq!(
        (again.notifications, again.emails),
        (0, 0),
        "redelivered: no second mail"
    );
    assert_eq!(outbox.sent.lock().unwrap().len(), 1);

    outbox.down.store(true, Ordering::SeqCst);
    watch(&r.store, &who, 46, Some("99999")).await;
    let (_, report, _) = run(&r).await;
    assert_eq!(
        (report.notifications, report.emails),
        (1, 0),
        "the mail failed, the message did not"
    );
    let inbox = r.store.notifications(&who, 20, None).await.unwrap();
    assert_eq!(inbox.len(), 2, "both notifications are in the app");
}

#[tokio::test]
async fn a_round_trip_watch_is_priced_as_a_round_trip_over_its_window() {
    let r = rig();
    let who = caller();
    let out = Utc::now().date_naive() + Days::new(50);
    let new = RawWatch {
        search: RawSearch::trip(
            "GRU",
            "LIS",
            &out.to_string(),
            Some(&(out + Days::new(10)).to_string()),
        ),
        departure_to: Some((out + Days::new(2)).to_string()),
        ..RawWatch::default()
    }
    .parse(Utc::now())
    .unwrap();
    let watch = r.store.create_watch(&who, &new).await.unwrap();
    let (_, report, _) = run(&r).await;
    assert_eq!(report.searches, 3, "one search per departure date");
    let searched = r.provider.dates.lock().unwrap().clone();
    let expected: Vec<_> = (0..3)
        .map(|i| (out + Days::new(i), Some(out + Days::new(i + 10))))
        .collect();
    assert_eq!(searched, expected, "the ten-day stay is kept");
    let series = r.store.watch_prices(&who, watch.id).await.unwrap();
    let one_way = DemoProvider
        .offers(
            &RawSearch::trip("GRU", "LIS", &out.to_string(), None)
                .parse(Utc::now())
                .unwrap(),
            Utc::now(),
        )
        .into_iter()
        .map(|o| o.price.amount)
        .min()
        .unwrap();
    assert!(
        series[0].price > one_way,
        "a round trip costs more than its outbound alone: {} vs {one_way}",
        series[0].price
    );
}
