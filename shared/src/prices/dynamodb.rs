//! Price history on Amazon DynamoDB (or `moto_server` in tests).
//!
//! # Key design
//! - Partition key `pk` = `ROUTE#{origin}-{destination}#{departure}[~{return}]#{cabin}`:
//!   one series per route, dates and cabin, so a series is one `Query`.
//! - Sort key `sk` = the observation time (RFC 3339, UTC, microseconds; it
//!   sorts as text) then `#` and a random suffix, so two observations in
//!   the same microsecond do not overwrite each other.
//! - `ttl`: epoch seconds 400 days after the observation (DynamoDB's TTL
//!   deletes it): a year of history for "same time last year", then gone.
//! - Comparable history for a departure is the `Query` of each of the seven
//!   partitions of its week (±3 days), run concurrently.
//! - Attributes: `price` (N), `currency`, `provider`, `max_stops` (N, when set).

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rust_decimal::Decimal;

use super::{FareObservation, HistoryError, PriceHistory, RouteKey};
use crate::aws::{self, AwsSettings, LazyClient};
use crate::domain::{Currency, Money};

/// How long DynamoDB keeps an observation: 400 days, a year plus the
/// booking horizon's slack.
const TTL_DAYS: i64 = 400;

/// Observations in one DynamoDB table (on-demand; see `template.yaml`).
pub struct DynamoPriceHistory {
    client: LazyClient<aws_sdk_dynamodb::Client>,
    table: String,
}

impl DynamoPriceHistory {
    /// A history in `table`, reached with `client`.
    pub fn new(client: aws_sdk_dynamodb::Client, table: &str) -> Self {
        Self {
            client: aws::ready(client),
            table: table.to_owned(),
        }
    }

    /// A history in `table` with credentials, region and endpoint from the
    /// environment (`AWS_ENDPOINT_URL` points it at a local server). The SDK client is built on
    /// the first read or write.
    pub fn from_env(table: &str) -> Self {
        Self {
            client: aws::lazy(AwsSettings::from_env(), AwsSettings::dynamodb),
            table: table.to_owned(),
        }
    }

    async fn query(
        &self,
        route: &RouteKey,
        from: &str,
        to: &str,
    ) -> Result<Vec<FareObservation>, HistoryError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
                .expression_attribute_values(":pk", AttributeValue::S(partition(route)))
                .expression_attribute_values(":from", AttributeValue::S(from.to_owned()))
                .expression_attribute_values(":to", AttributeValue::S(to.to_owned()))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(unavailable)?;
            out.extend(page.items().iter().filter_map(|item| read(route, item)));
            match page.last_evaluated_key() {
                Some(key) => start = Some(key.clone()),
                None => return Ok(out),
            }
        }
    }
}

fn unavailable<E: std::error::Error + 'static>(e: E) -> HistoryError {
    HistoryError::Unavailable(aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string())
}

/// The partition key of a series.
fn partition(r: &RouteKey) -> String {
    let dates = match r.return_date {
        Some(back) => format!("{}~{back}", r.departure),
        None => r.departure.to_string(),
    };
    format!(
        "ROUTE#{}-{}#{dates}#{}",
        r.origin,
        r.destination,
        r.cabin.as_str()
    )
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn read(route: &RouteKey, item: &HashMap<String, AttributeValue>) -> Option<FareObservation> {
    let s = |k: &str| item.get(k).and_then(|v| v.as_s().ok());
    let n = |k: &str| item.get(k).and_then(|v| v.as_n().ok());
    let sk = s("sk")?;
    let at = DateTime::parse_from_rfc3339(sk.split('#').next()?)
        .ok()?
        .with_timezone(&Utc);
    let currency = Currency::parse(s("currency")?).ok()?;
    Some(FareObservation {
        route: *route,
        max_stops: n("max_stops").and_then(|t| t.parse().ok()),
        price_per_traveller: Money::new(n("price")?.parse::<Decimal>().ok()?, currency),
        provider: s("provider")?.clone(),
        observed_at: at,
    })
}

#[async_trait]
impl PriceHistory for DynamoPriceHistory {
    fn name(&self) -> &'static str {
        "dynamodb"
    }

    async fn record(&self, o: &FareObservation) -> Result<(), HistoryError> {
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let expires = (o.observed_at + Duration::days(TTL_DAYS)).timestamp();
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", AttributeValue::S(partition(&o.route)))
            .item(
                "sk",
                AttributeValue::S(format!("{}#{}", instant(o.observed_at), &suffix[..8])),
            )
            .item(
                "price",
                AttributeValue::N(o.price_per_traveller.amount.to_string()),
            )
            .item(
                "currency",
                AttributeValue::S(o.price_per_traveller.currency.code().to_owned()),
            )
            .item("provider", AttributeValue::S(o.provider.clone()))
            .item("ttl", AttributeValue::N(expires.to_string()));
        if let Some(stops) = o.max_stops {
            put = put.item("max_stops", AttributeValue::N(stops.to_string()));
        }
        put.send().await.map_err(unavailable)?;
        Ok(())
    }

    async fn series(
        &self,
        route: &RouteKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<FareObservation>, HistoryError> {
        // `~` sorts after `#`, so the bound includes every suffix of `to`.
        self.query(route, &instant(from), &format!("{}~", instant(to)))
            .await
    }

    async fn comparable(
        &self,
        route: &RouteKey,
        days: i64,
        since: DateTime<Utc>,
    ) -> Result<Vec<FareObservation>, HistoryError> {
        let from = instant(since);
        let queries = (-days..=days).map(|d| {
            let key = route.on(route.departure + Duration::days(d));
            let from = from.clone();
            async move { self.query(&key, &from, "~").await }
        });
        let mut out: Vec<FareObservation> = futures::future::try_join_all(queries)
            .await?
            .into_iter()
            .flatten()
            .collect();
        out.sort_by_key(|o| o.observed_at);
        Ok(out)
    }
}
