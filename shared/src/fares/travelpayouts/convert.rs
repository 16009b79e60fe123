//! Prices in the traveller's currency. The Data API answers in the
//! currency asked (we ask `brl`, Brazil's market); any other currency is
//! converted at the fixed rates of the demo fare model (rounded from
//! late-2026 markets, listed in `fares::demo::pricing`), and the offer keeps
//! the provider's own price in `converted_from`. A `Rates` port with daily
//! reference rates replaces this one function.

use rust_decimal::Decimal;

use crate::domain::{Currency, Money};
use crate::fares::demo::usd_rate;

/// `price` in `to`, and the original when it had to be converted.
pub fn to_currency(price: Money, to: Currency) -> (Money, Option<Money>) {
    if price.currency == to {
        return (price, None);
    }
    let factor = usd_rate(to) / usd_rate(price.currency);
    let factor = Decimal::try_from(factor).unwrap_or(Decimal::ONE);
    (Money::new(price.amount * factor, to), Some(price))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brl_is_converted_at_the_fixed_rate_and_keeps_the_original() {
        let brl = Money::new(Decimal::from(530), Currency::BRL);
        let (usd, from) = to_currency(brl, Currency::USD);
        assert_eq!(usd, Money::new(Decimal::from(100), Currency::USD));
        assert_eq!(from, Some(brl));
        assert_eq!(to_currency(brl, Currency::BRL), (brl, None));
    }
}
