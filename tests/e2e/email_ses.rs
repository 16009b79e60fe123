//! Notification e-mail through the SES v2 adapter on moto: SES refuses an
//! unverified sender; a verified one sends, and the refresh worker on the
//! real PostgreSQL mails a new notification to its owner in their language,
//! once, even when the message is delivered again.

use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, Utc};
use shared::domain::Email;
use shared::email::{Mail, Mailer, SesMailer};
use shared::fares::{DemoProvider, FareSearch, SearchService};
use shared::refresh::{MemoryQueue, TickSettings, Worker, tick};
use shared::search::RawSearch;
use shared::store::{AccountStore, Caller, PostgrestStore, WatchStore};
use shared::watches::RawWatch;

use crate::moto;
use crate::postgrest::{fresh, service, user};

const SENDER: &str = "alertas@chatpassagens.example";

#[tokio::test]
async fn ses_on_moto_sends_only_from_a_verified_sender() {
    let Some(moto) = moto::start().await else {
        return;
    };
    let client = moto::ses(&moto.endpoint);
    let mailer = SesMailer::new(client.clone(), SENDER);
    let mail = Mail {
        to: "ana@example.com".to_owned(),
        subject: "Alerta de preço: São Paulo → Lisboa por R$ 3.500,00".to_owned(),
        text: "São Paulo → Lisboa caiu para R$ 3.500,00.".to_owned(),
    };
    let refused = mailer.send(&mail).await.unwrap_err();
    assert!(refused.to_string().contains("not verified"), "{refused}");
    client
        .create_email_identity()
        .email_identity(SENDER)
        .send()
        .await
        .unwrap();
    mailer.send(&mail).await.unwrap();
    let sent = moto::sent_mails(&moto.endpoint).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["source"], SENDER);
    assert_eq!(sent[0]["destinations"]["ToAddresses"][0], "ana@example.com");
    assert_eq!(sent[0]["subject"], mail.subject, "UTF-8 kept");
    assert_eq!(sent[0]["body"], mail.text);
}

#[tokio::test]
async fn the_worker_on_postgresql_mails_a_new_notification_to_its_owner_once() {
    let Some(moto) = moto::start().await else {
        return;
    };
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
    let account = store
        .create_account(&Email::parse("bia@example.com").unwrap(), "$argon2id$stub")
        .await
        .unwrap();
    let who = Caller {
        user_id: account.id,
        token: user(&account.id.to_string()),
    };
    let day = (Utc::now().date_naive() + Days::new(50)).to_string();
    let new = RawWatch {
        search: RawSearch::trip("GRU", "LIS", &day, None),
        // No fare reaches this: the first price is already under it.
        target_price: Some("999999".to_owned()),
        language: Some("en".to_owned()),
        ..RawWatch::default()
    }
    .parse(Utc::now())
    .unwrap();
    store.create_watch(&who, &new).await.unwrap();

    let client = moto::ses(&moto.endpoint);
    client
        .create_email_identity()
        .email_identity(SENDER)
        .send()
        .await
        .unwrap();
    let search = SearchService::new(
        FareSearch::new(vec![Arc::new(DemoProvider)], Duration::from_secs(2)),
        Arc::new(shared::cache::MemoryCache::default()),
        Duration::from_secs(300),
    );
    let worker = Worker::new(Arc::new(search), store.clone(), Duration::from_secs(3600))
        .with_mailer(Arc::new(SesMailer::new(client, SENDER)));
    let queue = MemoryQueue::default();
    let settings = TickSettings {
        batch: 10,
        max_batches: 1,
        lease: Duration::from_secs(300),
    };
    tick(store.as_ref(), &queue, settings, Utc::now())
        .await
        .unwrap();
    let messages = queue.drain();
    let first = worker.handle(&messages[0], Utc::now()).await.unwrap();
    assert_eq!((first.notifications, first.emails), (1, 1));
    let again = worker.handle(&messages[0], Utc::now()).await.unwrap();
    assert_eq!((again.notifications, again.emails), (0, 0), "redelivered");

    let sent = moto::sent_mails(&moto.endpoint).await;
    assert_eq!(sent.len(), 1, "one mail, not two: {sent:?}");
    assert_eq!(sent[0]["destinations"]["ToAddresses"][0], "bia@example.com");
    let subject = sent[0]["subject"].as_str().unwrap();
    assert!(subject.starts_with("Price alert: "), "{subject}");
    let body = sent[0]["body"].as_str().unwrap();
    assert!(
        body.contains("under your target of R$ 999,999.00"),
        "{body}"
    );
    let inbox = store.notifications(&who, 20, None).await.unwrap();
    assert_eq!(inbox[0].message, body.split("\n\n").next().unwrap());
}
