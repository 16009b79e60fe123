//! The watch scenarios of the store conformance suite: the same checks on
//! the memory adapter and on PostgREST over the bridge on PostgreSQL (row-
//! level security, the atomic 20-watch limit, claims that never overlap,
//! one notification per watch and day, closing expired watches).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, Utc};
use rust_decimal::Decimal;
use shared::domain::{NotificationId, WatchId};
use shared::search::RawSearch;
use shared::store::{
    Caller, NewNotification, Observation, StoreError, WatchRefreshStore, WatchStore,
};
use shared::watches::{NewWatch, PricePoint, RawWatch, WatchChange, WatchStatus};

/// The two watch ports of one adapter.
pub(crate) struct WatchKit {
    pub(crate) watches: Arc<dyn WatchStore>,
    pub(crate) refresh: Arc<dyn WatchRefreshStore>,
}

fn new_watch(days_ahead: u64, target: Option<&str>) -> NewWatch {
    let day = (Utc::now().date_naive() + Days::new(days_ahead)).to_string();
    RawWatch {
        search: RawSearch::trip("GRU", "LIS", &day, None),
        target_price: target.map(str::to_owned),
        ..RawWatch::default()
    }
    .parse(Utc::now())
    .unwrap()
}

fn point(price: i64) -> PricePoint {
    PricePoint {
        observed_at: Utc::now(),
        price: Decimal::from(price),
        currency: "BRL".to_owned(),
        provider: "demo".to_owned(),
    }
}

/// Creating, reading, changing and deleting, each only by its owner.
pub(crate) async fn watches_scenario(kit: &WatchKit, ana: &Caller, bia: &Caller) {
    let w = &kit.watches;
    let created = w
        .create_watch(ana, &new_watch(40, Some("3000")))
        .await
        .unwrap();
    assert_eq!(created.status, WatchStatus::Active);
    assert_eq!(created.user_id, ana.user_id);
    assert_eq!(created.target_price, Some(Decimal::from(3000)));
    assert_eq!(created.query, new_watch(40, None).query);
    assert_eq!(w.watch(ana, created.id).await.unwrap(), created);
    assert_eq!(
        w.list_watches(ana).await.unwrap(),
        std::slice::from_ref(&created)
    );

    assert!(w.list_watches(bia).await.unwrap().is_empty());

    // A round trip keeps both legs (the stored query holds them).
    let out = Utc::now().date_naive() + Days::new(60);
    let round = RawWatch {
        search: RawSearch::trip(
            "GRU",
            "LIS",
            &out.to_string(),
            Some(&(out + Days::new(7)).to_string()),
        ),
        departure_to: Some((out + Days::new(3)).to_string()),
        ..RawWatch::default()
    }
    .parse(Utc::now())
    .unwrap();
    let stored = w.create_watch(ana, &round).await.unwrap();
    assert_eq!(stored.query, round.query);
    assert_eq!(stored.stay(), Some(7));
    assert_eq!(
        w.watch(ana, stored.id).await.unwrap().query_key,
        round.query_key()
    );
    w.delete_watch(ana, stored.id).await.unwrap();

    let pause = WatchChange::parse(Some("paused"), None).unwrap();
    assert!(matches!(
        w.watch(bia, created.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        w.update_watch(bia, created.id, &pause).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        w.watch_prices(bia, created.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        w.delete_watch(bia, created.id).await,
        Err(StoreError::NotFound)
    ));

    let paused = w.update_watch(ana, created.id, &pause).await.unwrap();
    assert_eq!(paused.status, WatchStatus::Paused);
    assert_eq!(
        paused.target_price,
        Some(Decimal::from(3000)),
        "the target stays"
    );
    let untargeted = WatchChange::parse(None, Some(None)).unwrap();
    assert_eq!(
        w.update_watch(ana, created.id, &untargeted)
            .await
            .unwrap()
            .target_price,
        None
    );
    w.delete_watch(ana, created.id).await.unwrap();
    assert!(matches!(
        w.watch(ana, created.id).await,
        Err(StoreError::NotFound)
    ));
}

/// The 20-active limit holds even when 25 creations race.
pub(crate) async fn limit_scenario(kit: &WatchKit, ana: &Caller) {
    let tries = (0..25).map(|i| {
        let (w, ana) = (kit.watches.clone(), ana.clone());
        tokio::spawn(async move { w.create_watch(&ana, &new_watch(30 + i, None)).await })
    });
    let mut created = Vec::new();
    let mut refused = 0;
    for t in tries {
        match t.await.unwrap() {
            Ok(watch) => created.push(watch),
            Err(StoreError::Conflict(m)) => {
                assert!(m.contains("at most 20 active watches"), "{m}");
                refused += 1;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((created.len(), refused), (20, 5));
    let resume = WatchChange::parse(Some("active"), None).unwrap();
    let pause = WatchChange::parse(Some("paused"), None).unwrap();
    kit.watches
        .update_watch(ana, created[0].id, &pause)
        .await
        .unwrap();
    kit.watches
        .create_watch(ana, &new_watch(70, None))
        .await
        .unwrap();
    assert!(matches!(
        kit.watches.update_watch(ana, created[0].id, &resume).await,
        Err(StoreError::Conflict(_))
    ));
    for w in kit.watches.list_watches(ana).await.unwrap() {
        kit.watches.delete_watch(ana, w.id).await.unwrap();
    }
}

/// Drains every due watch, in two overlapping claimers, and returns them.
async fn claim_all(kit: &WatchKit) -> Vec<WatchId> {
    let claimer = |r: Arc<dyn WatchRefreshStore>| {
        tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let batch = r.claim_due(7, Duration::from_secs(60)).await.unwrap();
                if batch.is_empty() {
                    return got;
                }
                got.extend(batch.into_iter().map(|w| w.id));
            }
        })
    };
    let (a, b) = (claimer(kit.refresh.clone()), claimer(kit.refresh.clone()));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    a.into_iter().chain(b).collect()
}

/// Claims never overlap; prices, notifications and closing behave.
pub(crate) async fn refresh_scenario(kit: &WatchKit, ana: &Caller, bia: &Caller) {
    let (w, r) = (&kit.watches, &kit.refresh);
    let mut mine = HashSet::new();
    for i in 0..15 {
        let who = if i % 2 == 0 { ana } else { bia };
        mine.insert(
            w.create_watch(who, &new_watch(30 + i, None))
                .await
                .unwrap()
                .id,
        );
    }
    let claimed = claim_all(kit).await;
    let unique: HashSet<WatchId> = claimed.iter().copied().collect();
    assert_eq!(unique.len(), claimed.len(), "no watch is claimed twice");
    assert!(mine.is_subset(&unique), "every due watch is claimed");
    assert!(
        r.claim_due(100, Duration::from_secs(60))
            .await
            .unwrap()
            .is_empty(),
        "leased watches are not claimed again"
    );

    let watch = w.list_watches(ana).await.unwrap().remove(0);
    let observe = |price| Observation {
        watch_id: watch.id,
        point: point(price),
    };
    r.record_price(&observe(4000), Duration::from_secs(3600))
        .await
        .unwrap();
    r.record_price(&observe(3500), Duration::from_secs(3600))
        .await
        .unwrap();
    // A message's prices in one call; a watch deleted meanwhile is left out.
    let gone = Observation {
        watch_id: WatchId::random(),
        point: point(3000),
    };
    let recorded = r
        .record_prices(&[observe(3600), gone], Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(recorded, [watch.id]);
    let after = w.watch(ana, watch.id).await.unwrap();
    assert_eq!(after.lowest_price, Some(Decimal::from(3500)));
    let series = w.watch_prices(ana, watch.id).await.unwrap();
    assert_eq!(
        series.iter().map(|p| p.price).collect::<Vec<_>>(),
        [
            Decimal::from(4000),
            Decimal::from(3500),
            Decimal::from(3600)
        ]
    );

    let today = Utc::now().date_naive();
    let note = NewNotification {
        watch_id: watch.id,
        day: today,
        price: Decimal::from(3500),
        message: "GRU → LIS caiu para R$ 3.500,00".to_owned(),
    };
    assert!(r.notify(&note).await.unwrap());
    assert!(!r.notify(&note).await.unwrap(), "one per watch and day");
    assert_eq!(
        r.owner_email(watch.id).await.unwrap().as_deref(),
        Some("ana-watches@example.com"),
        "the notification's e-mail goes to the watch's owner"
    );
    assert_eq!(r.owner_email(WatchId::random()).await.unwrap(), None);
    let page = w.notifications(ana, 20, None).await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].message, note.message);
    assert!(w.notifications(bia, 20, None).await.unwrap().is_empty());
    assert_eq!(w.unread_notifications(ana).await.unwrap(), 1);
    assert_eq!(
        w.read_notifications(bia, None).await.unwrap(),
        0,
        "not hers"
    );
    let stranger: [NotificationId; 1] = [NotificationId::random()];
    assert_eq!(w.read_notifications(ana, Some(&stranger)).await.unwrap(), 0);
    assert_eq!(
        w.read_notifications(ana, Some(&[page[0].id]))
            .await
            .unwrap(),
        1
    );
    assert_eq!(w.unread_notifications(ana).await.unwrap(), 0);

    let closed = r.close_expired(today + Days::new(365)).await.unwrap();
    assert!(closed >= 15, "{closed}");
    assert!(
        w.list_watches(bia)
            .await
            .unwrap()
            .iter()
            .all(|x| x.status == WatchStatus::Closed)
    );
    let resume = WatchChange::parse(Some("active"), None).unwrap();
    assert!(matches!(
        w.update_watch(ana, watch.id, &resume).await,
        Err(StoreError::Conflict(_))
    ));
}
