use std::sync::Arc;

use async_trait::async_trait;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::{RateTable, Rates, RatesError};
use crate::domain::Currency;
use crate::fares::demo::usd_rate;

/// Fixed rates, the same the demo fare model prices with (rounded from
/// late-2026 markets, see `fares/demo/pricing.rs`): offline, and good enough
/// to compare offers, not to quote a bank's rate.
#[derive(Debug, Clone)]
pub struct FixedRates {
    table: Arc<RateTable>,
}

impl Default for FixedRates {
    fn default() -> Self {
        let rates = Currency::all().filter_map(|c| {
            // Six decimals: the table's rates have at most four significant digits.
            Decimal::from_f64(usd_rate(c)).map(|rate| (c, rate.round_dp(6)))
        });
        Self {
            table: Arc::new(RateTable::new("fixed", rates)),
        }
    }
}

#[async_trait]
impl Rates for FixedRates {
    fn name(&self) -> &'static str {
        "fixed"
    }

    async fn table(&self) -> Result<Arc<RateTable>, RatesError> {
        Ok(self.table.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;
    use std::str::FromStr;

    #[tokio::test]
    async fn fixed_rates_price_every_supported_currency_like_the_demo_model() {
        let table = FixedRates::default().table().await.unwrap();
        assert_eq!(table.len(), Currency::all().count());
        let usd = Money::new(Decimal::from(100), Currency::USD);
        let brl = table.convert(usd, Currency::BRL).unwrap();
        assert_eq!(brl.amount, Decimal::from_str("530.00").unwrap());
    }
}
