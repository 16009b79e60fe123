use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::{Cabin, Currency, IataCode, Money};
use crate::fares::SearchResults;
use crate::search::{SearchQuery, TripKind};

/// Longest a search's observation may take to record before it is dropped:
/// the answer never waits for it (it is spawned), and a stuck history
/// backend must not pile up tasks. DynamoDB writes take ~10 ms in-region.
pub const RECORD_TIMEOUT: Duration = Duration::from_secs(2);

/// What one series of fares is about: a route, a departure date (and the
/// return date of a round trip) and a cabin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RouteKey {
    /// Departure airport or metropolitan area.
    pub origin: IataCode,
    /// Arrival airport or metropolitan area.
    pub destination: IataCode,
    /// Departure date, local to the origin.
    pub departure: NaiveDate,
    /// Return date of a round trip (`None`: one way).
    pub return_date: Option<NaiveDate>,
    /// Cabin.
    pub cabin: Cabin,
}

impl RouteKey {
    /// The key of a one-way or round-trip query; `None` for multi-city trips.
    pub fn of(query: &SearchQuery) -> Option<Self> {
        let first = query.legs().first()?;
        let return_date = match query.trip() {
            TripKind::OneWay => None,
            TripKind::RoundTrip => Some(query.legs()[1].date),
            TripKind::MultiCity => return None,
        };
        Some(Self {
            origin: first.origin.code(),
            destination: first.destination.code(),
            departure: first.date,
            return_date,
            cabin: query.options().cabin,
        })
    }

    /// The same route on another departure date (the stay, if any, kept).
    #[must_use]
    pub fn on(self, departure: NaiveDate) -> Self {
        let shift = departure - self.departure;
        Self {
            departure,
            return_date: self.return_date.map(|r| r + shift),
            ..self
        }
    }

    /// Days between the departure and the return (`None`: one way).
    pub fn stay_days(&self) -> Option<i64> {
        self.return_date.map(|r| (r - self.departure).num_days())
    }
}

/// The cheapest fare one search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FareObservation {
    /// Route, dates and cabin.
    pub route: RouteKey,
    /// Most stops the search allowed (`None`: any).
    pub max_stops: Option<u8>,
    /// Cheapest total divided by the seats: comparable across party sizes.
    pub price_per_traveller: Money,
    /// Who sold it.
    pub provider: String,
    /// When it was observed.
    pub observed_at: DateTime<Utc>,
}

impl FareObservation {
    /// The observation a search answer makes: its cheapest offer per seat;
    /// `None` without offers or for multi-city trips.
    pub fn of(query: &SearchQuery, results: &SearchResults) -> Option<Self> {
        let route = RouteKey::of(query)?;
        let cheapest = results.offers.iter().min_by_key(|o| o.price.amount)?;
        let seats = Decimal::from(query.options().passengers.seats().max(1));
        Some(Self {
            route,
            max_stops: query.options().max_stops,
            price_per_traveller: Money::new(cheapest.price.amount / seats, cheapest.price.currency),
            provider: cheapest.provider.clone(),
            observed_at: results.searched_at,
        })
    }

    /// Days between observation and departure.
    pub fn lead_days(&self) -> i64 {
        (self.route.departure - self.observed_at.date_naive()).num_days()
    }

    /// The price in a currency, when it is that currency.
    pub fn price_in(&self, currency: Currency) -> Option<Decimal> {
        (self.price_per_traveller.currency == currency).then_some(self.price_per_traveller.amount)
    }
}

/// Why the history could not answer.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The backend could not be reached or failed.
    #[error("price history unavailable: {0}")]
    Unavailable(String),
}

/// Fare observations per route, date and cabin.
#[async_trait]
pub trait PriceHistory: Send + Sync {
    /// The adapter's name, for start-up logs.
    fn name(&self) -> &'static str;
    /// Stores one observation.
    ///
    /// # Errors
    /// [`HistoryError::Unavailable`] when the backend fails.
    async fn record(&self, observation: &FareObservation) -> Result<(), HistoryError>;
    /// Every observation of one route key between two instants, oldest first.
    ///
    /// # Errors
    /// [`HistoryError::Unavailable`] when the backend fails.
    async fn series(
        &self,
        route: &RouteKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<FareObservation>, HistoryError>;
    /// Observations comparable with `route`: the same route, stay and cabin
    /// departing within `days` days of it, observed since `since`.
    ///
    /// # Errors
    /// [`HistoryError::Unavailable`] when the backend fails.
    async fn comparable(
        &self,
        route: &RouteKey,
        days: i64,
        since: DateTime<Utc>,
    ) -> Result<Vec<FareObservation>, HistoryError>;
}

/// Records observations in the background: the search that made one never
/// waits, a slow backend is cut off after [`RECORD_TIMEOUT`], and a failure
/// is logged once, here, where it is handled.
#[derive(Clone)]
pub struct Recorder {
    history: Arc<dyn PriceHistory>,
}

impl Recorder {
    /// A recorder writing to `history`.
    pub fn new(history: Arc<dyn PriceHistory>) -> Self {
        Self { history }
    }

    /// The history it writes to.
    pub fn history(&self) -> &Arc<dyn PriceHistory> {
        &self.history
    }

    /// Spawns the write of `observation` and returns at once.
    pub fn spawn(&self, observation: FareObservation) -> tokio::task::JoinHandle<()> {
        let history = self.history.clone();
        tokio::spawn(async move {
            match tokio::time::timeout(RECORD_TIMEOUT, history.record(&observation)).await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => {
                    tracing::warn!(history.name = history.name(), error = %err, "fare observation not recorded");
                }
                Err(_) => tracing::warn!(
                    history.name = history.name(),
                    timeout_ms = RECORD_TIMEOUT.as_millis() as u64,
                    "fare observation not recorded: timed out"
                ),
            }
        })
    }
}
