use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::domain::{Currency, Money};

/// Exchange rates against one base currency, as of one day.
#[derive(Debug, Clone, PartialEq)]
pub struct RateTable {
    /// Where the figures come from, for logs (`fixed`, `ecb 2026-11-27`).
    pub source: String,
    /// Units of each currency per unit of the base (the base itself is 1).
    per_base: HashMap<Currency, Decimal>,
}

impl RateTable {
    /// A table from `(currency, units per unit of the base)` pairs; zero or
    /// negative rates are left out.
    pub fn new(
        source: impl Into<String>,
        rates: impl IntoIterator<Item = (Currency, Decimal)>,
    ) -> Self {
        Self {
            source: source.into(),
            per_base: rates
                .into_iter()
                .filter(|(_, rate)| *rate > Decimal::ZERO)
                .collect(),
        }
    }

    /// `money` in `to`, rounded to `to`'s minor units; `None` when either
    /// currency is missing from the table.
    pub fn convert(&self, money: Money, to: Currency) -> Option<Money> {
        if money.currency == to {
            return Some(money);
        }
        let from = self.per_base.get(&money.currency)?;
        let to_rate = self.per_base.get(&to)?;
        let amount = money.amount.checked_div(*from)?.checked_mul(*to_rate)?;
        Some(Money::new(amount, to))
    }

    /// How many currencies the table prices.
    pub fn len(&self) -> usize {
        self.per_base.len()
    }

    /// True when the table prices no currency.
    pub fn is_empty(&self) -> bool {
        self.per_base.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn converts_through_the_base_and_rounds_to_the_target() {
        let d = |s| Decimal::from_str(s).unwrap();
        let table = RateTable::new(
            "test",
            [
                (Currency::EUR, d("1")),
                (Currency::USD, d("1.0565")),
                (Currency::BRL, d("6.1398")),
            ],
        );
        let eur = Money::new(d("100"), Currency::EUR);
        assert_eq!(
            table.convert(eur, Currency::BRL).unwrap().amount,
            d("613.98")
        );
        let usd = Money::new(d("105.65"), Currency::USD);
        assert_eq!(
            table.convert(usd, Currency::EUR).unwrap().amount,
            d("100.00")
        );
        assert_eq!(
            table.convert(eur, Currency::GBP),
            None,
            "GBP is not in the table"
        );
    }
}
