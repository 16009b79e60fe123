//! Fares: the `FareProvider` port, the `FareCalendar` port (cheapest price
//! per day), the demo provider and calendar, the Duffel and Travelpayouts
//! adapters, aggregation across providers (deadline shares, circuit
//! breakers, conversion, merging), ranking, and the cached search service.

mod aggregate;
pub mod calendar;
pub mod demo;
pub mod duffel;
mod flexible;
mod rank;
mod service;
pub mod travelpayouts;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub(crate) use aggregate::warning as provider_warning;
pub use aggregate::{FareSearch, Warning, WarningCode};
pub use calendar::{CalendarQuery, DayPrice, DaySource, FareCalendar, MAX_CALENDAR_DAYS};
pub use demo::{DemoCalendar, DemoProvider};
pub use duffel::DuffelProvider;
pub use flexible::{CheapestDay, DAYS_SEARCHED, DAYS_SHOWN, FlexibleSummary};
pub use rank::{cheapest, refine};
pub use service::{SearchResults, SearchService};
pub use travelpayouts::Travelpayouts;

use crate::domain::Offer;
use crate::search::SearchQuery;

/// A source of priced itineraries (demo, Duffel, Travelpayouts, ...).
#[async_trait]
pub trait FareProvider: Send + Sync {
    /// Short, stable name shown on offers and warnings (`demo`, `duffel`).
    fn name(&self) -> &str;

    /// Offers for every leg of `query`, priced as of `now`, in the query's currency.
    ///
    /// # Errors
    /// A [`ProviderError`] saying whether retrying could help.
    async fn search(
        &self,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<Offer>, ProviderError>;
}

/// Why a provider gave no offers.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider refused our credentials.
    #[error("credentials refused")]
    Unauthorized,
    /// The provider asked us to slow down.
    #[error("rate limited")]
    RateLimited,
    /// The provider refused this query.
    #[error("query refused: {0}")]
    Rejected(String),
    /// The provider could not be reached or failed.
    #[error("unavailable: {0}")]
    Unavailable(String),
}
