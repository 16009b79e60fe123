//! The refresh through SQS on moto: the tick sends one message per distinct
//! query; the worker's SQS handler reports only the message that failed,
//! and a redelivered message notifies nobody twice.

use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, Utc};
use serde_json::json;
use shared::domain::UserId;
use shared::fares::{DemoProvider, FareSearch, SearchService};
use shared::refresh::lambda::handle_sqs;
use shared::refresh::{SqsQueue, TickSettings, Worker, tick};
use shared::search::RawSearch;
use shared::store::{Caller, MemoryWatchStore, WatchStore};
use shared::watches::RawWatch;

use crate::moto;

#[tokio::test]
async fn the_refresh_over_sqs_on_moto_retries_only_the_failed_message_and_never_notifies_twice() {
    let Some(moto) = moto::start().await else {
        return;
    };
    let client = moto::sqs(&moto.endpoint);
    let url = client
        .create_queue()
        .queue_name("refresh")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let queue = SqsQueue::new(client.clone(), &url);
    let store = Arc::new(MemoryWatchStore::default());
    let who = Caller {
        user_id: UserId::random(),
        token: String::new(),
    };
    for i in 0..12 {
        let day = (Utc::now().date_naive() + Days::new(40 + i % 3)).to_string();
        let new = RawWatch {
            search: RawSearch::trip("GRU", "LIS", &day, None),
            // A target no fare reaches under: every watch is notified.
            target_price: Some("999999".to_owned()),
            ..RawWatch::default()
        }
        .parse(Utc::now())
        .unwrap();
        store.create_watch(&who, &new).await.unwrap();
    }
    let settings = TickSettings {
        batch: 5,
        max_batches: 10,
        lease: Duration::from_secs(300),
    };
    let report = tick(store.as_ref(), &queue, settings, Utc::now())
        .await
        .unwrap();
    assert_eq!((report.claimed, report.messages), (12, 3));

    let received = client
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let mut records: Vec<_> = received
        .messages()
        .iter()
        .map(|m| json!({ "messageId": m.message_id(), "body": m.body() }))
        .collect();
    assert_eq!(records.len(), 3, "one message per distinct query");
    records.insert(1, json!({ "messageId": "poison", "body": "not json" }));
    let event: shared::refresh::lambda::SqsEvent =
        serde_json::from_value(json!({ "Records": records })).unwrap();

    let search = SearchService::new(
        FareSearch::new(vec![Arc::new(DemoProvider)], Duration::from_secs(2)),
        Arc::new(shared::cache::MemoryCache::default()),
        Duration::from_secs(300),
    );
    let worker = Worker::new(Arc::new(search), store.clone(), Duration::from_secs(3600));
    let answer = handle_sqs(&worker, event.clone()).await;
    let failed: Vec<_> = answer
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(failed, ["poison"], "only the bad message is retried");
    let inbox = store.notifications(&who, 100, None).await.unwrap();
    assert_eq!(inbox.len(), 12);

    // SQS delivers the batch again (at-least-once): nothing new for anyone.
    handle_sqs(&worker, event).await;
    assert_eq!(
        store.notifications(&who, 100, None).await.unwrap().len(),
        12
    );
    assert_eq!(store.unread_notifications(&who).await.unwrap(), 12);
}
