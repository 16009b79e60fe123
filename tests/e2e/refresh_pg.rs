//! The scheduled refresh on the real PostgreSQL through the PostgREST
//! bridge: overlapping ticks never take one watch twice, a thousand
//! watches over fifty queries cost fifty searches, and a redelivered
//! message notifies nobody twice.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Days, Utc};
use shared::domain::{Email, Offer};
use shared::fares::{DemoProvider, FareProvider, FareSearch, ProviderError, SearchService};
use shared::refresh::{MemoryQueue, TickSettings, Worker, WorkerReport, tick};
use shared::search::{RawSearch, SearchQuery};
use shared::store::{AccountStore, Caller, PostgrestStore, WatchStore};
use shared::watches::RawWatch;

use crate::postgrest::{fresh, service, user};

#[derive(Default)]
struct Counting(AtomicUsize);

#[async_trait]
impl FareProvider for Counting {
    fn name(&self) -> &str {
        "demo"
    }
    async fn search(
        &self,
        q: &SearchQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<Offer>, ProviderError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(DemoProvider.offers(q, now))
    }
}

const SETTINGS: TickSettings = TickSettings {
    batch: 100,
    max_batches: 100,
    lease: Duration::from_secs(300),
};

#[tokio::test]
async fn overlapping_ticks_on_postgresql_split_a_thousand_watches_into_fifty_searches() {
    let Some(db) = fresh().await else { return };
    let store = Arc::new(
        PostgrestStore::new(
            &db.base,
            "anon-key",
            Some(&service()),
            Duration::from_secs(10),
        )
        .unwrap(),
    );
    let creations = (0..50).map(|u| {
        let store = store.clone();
        tokio::spawn(async move {
            let email = Email::parse(&format!("watcher{u}@example.com")).unwrap();
            let account = store
                .create_account(&email, "$argon2id$stub")
                .await
                .unwrap();
            let who = Caller {
                user_id: account.id,
                token: user(&account.id.to_string()),
            };
            for i in 0..20 {
                let day = (Utc::now().date_naive() + Days::new(30 + (u * 20 + i) % 50)).to_string();
                let new = RawWatch {
                    search: RawSearch::trip("GRU", "LIS", &day, None),
                    ..RawWatch::default()
                }
                .parse(Utc::now())
                .unwrap();
                store.create_watch(&who, &new).await.unwrap();
            }
        })
    });
    for c in creations {
        c.await.unwrap();
    }

    // Two ticks at once, as two overlapping scheduled runs would be.
    let (qa, qb) = (
        Arc::new(MemoryQueue::default()),
        Arc::new(MemoryQueue::default()),
    );
    let run = |q: Arc<MemoryQueue>| {
        let store = store.clone();
        tokio::spawn(async move {
            tick(store.as_ref(), q.as_ref(), SETTINGS, Utc::now())
                .await
                .unwrap()
        })
    };
    let (a, b) = (run(qa.clone()), run(qb.clone()));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    assert_eq!(a.claimed + b.claimed, 1000, "{a:?} {b:?}");
    let messages: Vec<_> = qa.drain().into_iter().chain(qb.drain()).collect();
    let ids: Vec<_> = messages
        .iter()
        .flat_map(|m| m.watches.iter().map(|w| w.id))
        .collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(
        (ids.len(), unique.len()),
        (1000, 1000),
        "no watch is taken twice"
    );

    let provider = Arc::new(Counting::default());
    let search = SearchService::new(
        FareSearch::new(vec![provider.clone()], Duration::from_secs(2)),
        Arc::new(shared::cache::MemoryCache::default()),
        Duration::from_secs(300),
    );
    let worker = Worker::new(Arc::new(search), store.clone(), Duration::from_secs(3600));
    let mut total = WorkerReport::default();
    for m in &messages {
        total.add(worker.handle(m, Utc::now()).await.unwrap());
    }
    assert_eq!(
        provider.0.load(Ordering::SeqCst),
        50,
        "one search per distinct query"
    );
    assert_eq!(total.points, 1000);
    let again = tick(
        store.as_ref(),
        &MemoryQueue::default(),
        SETTINGS,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(again.claimed, 0, "refreshed watches are not due again yet");
}
