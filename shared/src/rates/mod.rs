//! Currency conversion: the `Rates` port and its adapters — fixed,
//! documented rates offline ([`FixedRates`]) and the European Central Bank's
//! daily reference rates in production ([`EcbRates`]).

mod ecb;
mod fixed;
mod table;

use std::sync::Arc;

use async_trait::async_trait;

pub use ecb::{ECB_DAILY_URL, EcbRates};
pub use fixed::FixedRates;
pub use table::RateTable;

/// A source of exchange rates, asked once per search for a whole table.
#[async_trait]
pub trait Rates: Send + Sync {
    /// Short name for logs and `/health` (`fixed`, `ecb`).
    fn name(&self) -> &'static str;

    /// The current rates.
    ///
    /// # Errors
    /// A [`RatesError`] when the source cannot be reached or read.
    async fn table(&self) -> Result<Arc<RateTable>, RatesError>;
}

/// Why no rates are available.
#[derive(Debug, thiserror::Error)]
pub enum RatesError {
    /// The source could not be reached or failed.
    #[error("rates unavailable: {0}")]
    Unavailable(String),
    /// The source answered something we cannot read.
    #[error("rates unreadable: {0}")]
    Malformed(String),
}
