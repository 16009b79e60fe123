//! The DynamoDB price history on moto: the table as `template.yaml`
//! declares it (pk, sk, on demand), series in one query, comparable
//! history across a departure's week, and a verdict from it.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use chrono::{Duration, Utc};
use rust_decimal::Decimal;
use shared::domain::{Cabin, Currency, IataCode, Money};
use shared::prices::{
    Basis, DynamoPriceHistory, FareObservation, PriceHistory, RouteKey, Verdict, insight,
};

use crate::moto;

fn key(name: &str, kind: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .unwrap()
}

fn attr(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_dynamodb_history_on_moto_serves_series_and_comparable_prices() {
    let Some(moto) = moto::start().await else {
        return;
    };
    let client = moto::dynamodb(&moto.endpoint);
    client
        .create_table()
        .table_name("fares")
        .key_schema(key("pk", KeyType::Hash))
        .key_schema(key("sk", KeyType::Range))
        .attribute_definitions(attr("pk"))
        .attribute_definitions(attr("sk"))
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    let history = DynamoPriceHistory::new(client, "fares");
    let now = Utc::now();
    let route = RouteKey {
        origin: IataCode::parse("GRU").unwrap(),
        destination: IataCode::parse("LIS").unwrap(),
        departure: now.date_naive() + Duration::days(40),
        return_date: None,
        cabin: Cabin::Economy,
    };
    // Ten observations, an hour apart, of departures spread over the week.
    for i in 0..10i64 {
        let at = now - Duration::hours(i + 1);
        let observation = FareObservation {
            route: route.on(route.departure + Duration::days(i % 3 - 1)),
            max_stops: None,
            price_per_traveller: Money::new(Decimal::from(2000 + 100 * i), Currency::BRL),
            provider: "demo".to_owned(),
            observed_at: at,
        };
        history.record(&observation).await.unwrap();
    }
    let series = history
        .series(&route, now - Duration::days(30), now)
        .await
        .unwrap();
    assert_eq!(
        series.len(),
        3,
        "one partition: the departures on the day itself"
    );
    assert!(
        series
            .windows(2)
            .all(|w| w[0].observed_at <= w[1].observed_at)
    );
    let comparable = history
        .comparable(&route, 3, now - Duration::days(120))
        .await
        .unwrap();
    assert_eq!(comparable.len(), 10);
    let today = Money::new(Decimal::from(1500), Currency::BRL);
    let verdict = insight(today, now, 40, &comparable, Basis::Observed);
    assert_eq!(verdict.verdict, Some(Verdict::Low));
    assert!(
        verdict.based_on.starts_with("based on 10 prices observed"),
        "{}",
        verdict.based_on
    );
}
