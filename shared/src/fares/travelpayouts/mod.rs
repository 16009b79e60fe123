//! Travelpayouts' Data API: cached prices other travellers found on the
//! Aviasales sites, offered as indicative prices (`price_kind: cached`,
//! with `found_at` and a booking link), never as live ones; and the month
//! matrix as a price calendar.
//!
//! Requests carry the token in `X-Access-Token`, `market=br` (the cache of
//! searches made on the Brazilian site) and `currency=brl`.
//!
//! # Layout
//! - `wire`: the documented answers, as read.
//! - `offers`: an entry of `prices_for_dates` as an [`Offer`].
//! - `calendar`: the month matrix as [`DayPrice`]s.
//! - `convert`: prices in the traveller's currency.

mod calendar;
mod offers;
mod wire;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

pub use offers::{BOOKING_SITE, OfferContext, booking_url, to_offer};
pub use wire::{MatrixEntry, PriceEntry};

use super::calendar::{CalendarQuery, DayPrice, FareCalendar};
use super::{FareProvider, ProviderError};
use crate::domain::{Cabin, Currency, Offer};
use crate::rates::Rates;
use crate::search::{Leg, SearchQuery, TripKind};

/// The provider's name on offers, days and warnings.
pub const NAME: &str = "travelpayouts";
/// Path of the prices for given dates.
pub const PRICES_PATH: &str = "/aviasales/v3/prices_for_dates";
/// Path of the month matrix.
pub const MATRIX_PATH: &str = "/v2/prices/month-matrix";
/// Whose searches the cache holds: the Brazilian site's.
pub const MARKET: &str = "br";
/// Currency asked for: our travellers' default.
pub const CURRENCY: &str = "brl";
/// Entries asked per search: more cached itineraries than a screen shows,
/// well under the documented maximum of 1000.
const LIMIT: u32 = 100;

/// The Data API adapter, a fare provider and a price calendar.
pub struct Travelpayouts {
    http: reqwest::Client,
    /// API base without a trailing slash; a replay server's in tests.
    base_url: String,
    token: String,
    marker: Option<String>,
    /// Converts the calendar's prices (offers are converted by the search).
    rates: Arc<dyn Rates>,
}

impl std::fmt::Debug for Travelpayouts {
    // Never print the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Travelpayouts")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Travelpayouts {
    /// A client for the API at `base_url`, giving up on a call after
    /// `timeout`; calendar prices are converted with `rates`.
    ///
    /// # Errors
    /// [`ProviderError::Unavailable`] when the HTTP client cannot be built (TLS set-up).
    pub fn new(
        base_url: &str,
        token: &str,
        marker: Option<&str>,
        timeout: Duration,
        rates: Arc<dyn Rates>,
    ) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            marker: marker.map(str::to_owned),
            rates,
        })
    }

    /// GETs `path` with `params` and reads the entries and their currency.
    async fn entries<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(&str, String)],
    ) -> Result<(Vec<T>, Currency), ProviderError> {
        let started = std::time::Instant::now();
        let answer = self
            .http
            .get(format!("{}{path}", self.base_url))
            .header("X-Access-Token", &self.token)
            .query(params)
            .send()
            .await
            .map_err(|e| unreachable(&e))?;
        let status = answer.status();
        let body = answer.bytes().await.map_err(|e| unreachable(&e))?;
        // Failures are logged once, where the search or calendar handles them.
        tracing::debug!(
            provider.name = NAME,
            http.path = path,
            http.status = status.as_u16(),
            duration_ms = started.elapsed().as_millis() as u64,
            "provider answered"
        );
        if !status.is_success() {
            return Err(classify(status, &body));
        }
        read_entries(&body)
    }
}

/// Reads a 200 answer: its entries and the currency they are in (BRL, as
/// asked, when the answer does not say).
///
/// # Errors
/// [`ProviderError::Rejected`] for a `success: false` body, with its
/// `error`; [`ProviderError::Unavailable`] for a body that is not the
/// documented shape.
pub fn read_entries<T: DeserializeOwned>(body: &[u8]) -> Result<(Vec<T>, Currency), ProviderError> {
    match serde_json::from_slice::<wire::Envelope<T>>(body) {
        Ok(envelope) if envelope.success => {
            let currency = envelope
                .currency
                .as_deref()
                .map_or(Ok(Currency::BRL), Currency::parse)
                .map_err(|e| ProviderError::Unavailable(e.reason))?;
            Ok((envelope.data, currency))
        }
        _ => Err(match serde_json::from_slice::<wire::Failure>(body) {
            Ok(wire::Failure { error: Some(error) }) => ProviderError::Rejected(error),
            _ => ProviderError::Unavailable("unreadable answer".to_owned()),
        }),
    }
}

/// The one place an HTTP status becomes an error a caller can act on.
fn classify(status: StatusCode, body: &[u8]) -> ProviderError {
    match status.as_u16() {
        401 | 403 => ProviderError::Unauthorized,
        429 => ProviderError::RateLimited,
        500..=599 => ProviderError::Unavailable(format!("HTTP {}", status.as_u16())),
        code => ProviderError::Rejected(
            serde_json::from_slice::<wire::Failure>(body)
                .ok()
                .and_then(|f| f.error)
                .unwrap_or_else(|| format!("HTTP {code}")),
        ),
    }
}

fn unreachable(e: &reqwest::Error) -> ProviderError {
    ProviderError::Unavailable(if e.is_timeout() {
        "timed out".to_owned()
    } else {
        "could not be reached".to_owned()
    })
}

/// What a search asks `prices_for_dates`: the first leg and, for a round
/// trip, the return day. Multi-city trips, cabins above economy and lap
/// infants are not in the Data API's cache (economy prices for one adult).
fn asked(query: &SearchQuery) -> Option<(&Leg, Option<NaiveDate>)> {
    let options = query.options();
    if options.cabin != Cabin::Economy || options.passengers.infants() > 0 {
        return None;
    }
    let legs = query.legs();
    match query.trip() {
        TripKind::OneWay => Some((&legs[0], None)),
        TripKind::RoundTrip => Some((&legs[0], Some(legs[1].date))),
        TripKind::MultiCity => None,
    }
}

fn price_params(
    query: &SearchQuery,
    leg: &Leg,
    back: Option<NaiveDate>,
) -> Vec<(&'static str, String)> {
    let mut params = vec![
        ("origin", leg.origin.code().to_string()),
        ("destination", leg.destination.code().to_string()),
        ("departure_at", leg.date.to_string()),
        ("one_way", back.is_none().to_string()),
        ("direct", (query.options().max_stops == Some(0)).to_string()),
        ("sorting", "price".to_owned()),
        ("limit", LIMIT.to_string()),
        ("page", "1".to_owned()),
        ("market", MARKET.to_owned()),
        ("currency", CURRENCY.to_owned()),
    ];
    params.extend(back.map(|b| ("return_at", b.to_string())));
    params
}

/// Keeps the entries that are the trip asked: its days and at most its stops.
fn fits(entry: &PriceEntry, leg: &Leg, back: Option<NaiveDate>, max_stops: Option<u8>) -> bool {
    let stops_ok = max_stops.is_none_or(|m| entry.transfers <= m && entry.return_transfers <= m);
    let back_day = entry.return_at.map(|t| t.date_naive());
    stops_ok && entry.departure_at.date_naive() == leg.date && back_day == back
}

#[async_trait]
impl FareProvider for Travelpayouts {
    fn name(&self) -> &str {
        NAME
    }

    async fn search(
        &self,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<Offer>, ProviderError> {
        let Some((leg, back)) = asked(query) else {
            return Ok(Vec::new());
        };
        let params = price_params(query, leg, back);
        let (entries, source) = self.entries::<PriceEntry>(PRICES_PATH, &params).await?;
        let options = query.options();
        let ctx = OfferContext {
            seats: options.passengers.seats(),
            source,
            marker: self.marker.as_deref(),
            now,
        };
        Ok(entries
            .iter()
            .filter(|e| fits(e, leg, back, options.max_stops))
            .filter_map(|e| to_offer(e, &ctx))
            .collect())
    }
}

#[async_trait]
impl FareCalendar for Travelpayouts {
    fn name(&self) -> &str {
        NAME
    }

    async fn days(
        &self,
        query: &CalendarQuery,
        _now: DateTime<Utc>,
    ) -> Result<Vec<DayPrice>, ProviderError> {
        if query.cabin != Cabin::Economy {
            return Ok(Vec::new());
        }
        let asks = calendar::months(query).into_iter().map(|month| {
            let params = [
                ("origin", query.origin.code().to_string()),
                ("destination", query.destination.code().to_string()),
                ("month", month.to_string()),
                ("one_way", query.trip_days.is_none().to_string()),
                ("market", MARKET.to_owned()),
                ("currency", CURRENCY.to_owned()),
            ];
            async move { self.entries::<MatrixEntry>(MATRIX_PATH, &params).await }
        });
        let answers = futures::future::try_join_all(asks).await?;
        let source = answers.first().map_or(Currency::BRL, |(_, c)| *c);
        let entries: Vec<MatrixEntry> = answers.into_iter().flat_map(|(e, _)| e).collect();
        let rates = if source == query.currency {
            None
        } else {
            let table = self.rates.table().await;
            Some(table.map_err(|e| ProviderError::Unavailable(e.to_string()))?)
        };
        Ok(calendar::day_prices(
            &entries,
            query,
            source,
            rates.as_deref(),
        ))
    }
}

#[cfg(test)]
mod tests;
