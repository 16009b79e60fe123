//! What the refresh and price history cost (figures in the README):
//! a tick and its worker over 10,000 watches on the in-memory adapters, and
//! the server time a search spends on recording its observation and on its
//! insight. Run: `cargo run --release -p shared --example refresh_cost`.

#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use shared::cache::MemoryCache;
use shared::domain::UserId;
use shared::fares::{DemoProvider, FareSearch, SearchService};
use shared::prices::{Insights, MemoryPriceHistory};
use shared::refresh::{MemoryQueue, TickSettings, Worker, WorkerReport, tick};
use shared::search::{RawSearch, SearchQuery};
use shared::store::{Caller, MemoryWatchStore, WatchStore};
use shared::watches::RawWatch;

fn service(insights: bool) -> SearchService {
    let s = SearchService::new(
        FareSearch::new(vec![Arc::new(DemoProvider)], Duration::from_secs(8)),
        Arc::new(MemoryCache::default()),
        Duration::from_secs(300),
    );
    if insights {
        s.with_insights(Insights::new(Arc::new(MemoryPriceHistory::default()), true))
    } else {
        s
    }
}

#[tokio::main]
async fn main() {
    let store = Arc::new(MemoryWatchStore::default());
    seed_watches(&store).await;
    refresh_round(store).await;
    let query = RawSearch::trip(
        "GRU",
        "LIS",
        &(Utc::now().date_naive() + Days::new(45)).to_string(),
        None,
    )
    .parse(Utc::now())
    .unwrap();
    cached_search_times(&query).await;
    observation_cost(&query).await;
}

/// 10,000 watches: 500 travellers with 20 each, over two routes and 250 days.
async fn seed_watches(store: &MemoryWatchStore) {
    let destinations = ["LIS", "MAD"];
    for user in 0..500u64 {
        let who = Caller {
            user_id: UserId::random(),
            token: String::new(),
        };
        for i in 0..20u64 {
            let n = user * 20 + i;
            let day = (Utc::now().date_naive() + Days::new(30 + n % 250)).to_string();
            let new = RawWatch {
                search: RawSearch::trip("GRU", destinations[(n / 250 % 2) as usize], &day, None),
                ..RawWatch::default()
            }
            .parse(Utc::now())
            .unwrap();
            store.create_watch(&who, &new).await.unwrap();
        }
    }
}

/// One tick and the worker draining its messages.
async fn refresh_round(store: Arc<MemoryWatchStore>) {
    let search = Arc::new(service(true));
    let worker = Worker::new(search, store.clone(), Duration::from_secs(21_600));
    let queue = MemoryQueue::default();
    let settings = TickSettings {
        batch: 200,
        max_batches: 100,
        lease: Duration::from_secs(300),
    };
    let started = Instant::now();
    let report = tick(store.as_ref(), &queue, settings, Utc::now())
        .await
        .unwrap();
    let tick_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut work = WorkerReport::default();
    for m in queue.drain() {
        work.add(worker.handle(&m, Utc::now()).await.unwrap());
    }
    let total_ms = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "refresh of {} watches: tick {tick_ms:.1} ms ({} store calls, {} messages); worker {:.1} ms ({} searches, {} store calls, {} notifications); total {total_ms:.1} ms",
        report.claimed,
        report.store_calls,
        report.messages,
        total_ms - tick_ms,
        work.searches,
        work.store_calls,
        work.notifications
    );
}

/// A search's own time with and without price history, cached answers
/// (the provider's work aside), median of 2,000.
async fn cached_search_times(query: &SearchQuery) {
    for (label, insights) in [
        ("without price history", false),
        ("with price history", true),
    ] {
        let s = service(insights);
        s.search(query, Utc::now()).await;
        let mut times: Vec<f64> = (0..2000).map(|_| 0.0).collect();
        for t in &mut times {
            let at = Instant::now();
            std::hint::black_box(s.search(query, Utc::now()).await);
            *t = at.elapsed().as_secs_f64() * 1e3;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "cached one-way search {label}: {:.3} ms median",
            times[1000]
        );
    }
}

/// Recording one observation of a fresh search in the price history.
async fn observation_cost(query: &SearchQuery) {
    let s = service(true);
    let results = s.search_and_record(query, Utc::now()).await;
    let mut fresh = results.clone();
    fresh.cached = false;
    let insights = Insights::new(Arc::new(MemoryPriceHistory::default()), true);
    let at = Instant::now();
    for _ in 0..10_000 {
        insights.observe(query, &fresh);
    }
    println!(
        "recording an observation (building it and spawning the write): {:.2} µs per search",
        at.elapsed().as_secs_f64() * 1e6 / 10_000.0
    );
}
