//! The price calendar port: the cheapest known price per departure day for
//! a route, which flexible-date searches read to pick the days worth a live
//! search (never searching every day live).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ProviderError;
use crate::domain::{Cabin, Currency, Money};
use crate::places::Place;

/// Most days one calendar request may cover (two months).
pub const MAX_CALENDAR_DAYS: u16 = 62;

/// What a calendar is asked: a route, a span of departure days and, for a
/// round trip, how many days later the traveller comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarQuery {
    /// Where from (airport or metropolitan area).
    pub origin: Place,
    /// Where to.
    pub destination: Place,
    /// First departure day, local to the origin.
    pub first_day: NaiveDate,
    /// Departure days covered, 1 to [`MAX_CALENDAR_DAYS`].
    pub days: u16,
    /// Trip length in days for a round trip; `None` for one way.
    pub trip_days: Option<u16>,
    /// Cabin priced.
    pub cabin: Cabin,
    /// Currency of the answer.
    pub currency: Currency,
}

/// Where a day's figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DaySource {
    /// The demo provider's fare model (offline, synthetic).
    DemoModel,
    /// A price travellers found earlier, as cached by a provider.
    Cached,
}

/// The cheapest known price for departing on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPrice {
    /// Departure day.
    pub date: NaiveDate,
    /// Return day, for a round trip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_date: Option<NaiveDate>,
    /// Cheapest price for one adult, in the asked currency.
    pub price: Money,
    /// Which provider gave it (`demo`, `travelpayouts`).
    pub provider: String,
    /// How the figure was obtained.
    pub source: DaySource,
    /// When a cached price was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_at: Option<DateTime<Utc>>,
}

/// A source of cheapest-per-day prices (the demo model, Travelpayouts).
#[async_trait]
pub trait FareCalendar: Send + Sync {
    /// Short, stable name (`demo`, `travelpayouts`).
    fn name(&self) -> &str;

    /// The cheapest price per departure day in `query`'s span; days with no
    /// known price are absent.
    ///
    /// # Errors
    /// A [`ProviderError`] saying whether retrying could help.
    async fn days(
        &self,
        query: &CalendarQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<DayPrice>, ProviderError>;
}
