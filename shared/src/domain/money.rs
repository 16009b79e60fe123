use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::FieldError;

/// An ISO 4217 currency the product prices in.
///
/// Limited to the currencies travellers in our markets ask for; each has a
/// number of minor units so amounts round the way the currency does.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(&'static str);

/// (code, minor units). Minor units from ISO 4217.
const CURRENCIES: &[(&str, u32)] = &[
    ("BRL", 2),
    ("USD", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("CAD", 2),
    ("MXN", 2),
    ("ARS", 2),
    ("CLP", 0),
    ("COP", 2),
    ("PEN", 2),
    ("UYU", 2),
    ("JPY", 0),
    ("CHF", 2),
    ("AUD", 2),
];

impl Currency {
    /// Brazilian real, the default for our travellers.
    pub const BRL: Self = Self("BRL");
    /// US dollar, the unit the demo fare model computes in.
    pub const USD: Self = Self("USD");
    /// Euro.
    pub const EUR: Self = Self("EUR");
    /// Pound sterling.
    pub const GBP: Self = Self("GBP");

    /// Parses a supported ISO 4217 code, in any case.
    ///
    /// # Errors
    /// A [`FieldError`] on `currency`, listing what is supported, for any other code.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let upper = text.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(code, _)| *code == upper)
            .map(|(code, _)| Self(code))
            .ok_or_else(|| {
                let known: Vec<&str> = CURRENCIES.iter().map(|(c, _)| *c).collect();
                FieldError::new(
                    "currency",
                    format!(
                        "unsupported currency '{text}' (supported: {})",
                        known.join(", ")
                    ),
                )
            })
    }

    /// Every supported currency, in the order of the table above.
    pub fn all() -> impl Iterator<Item = Self> {
        CURRENCIES.iter().map(|(code, _)| Self(code))
    }

    /// The ISO code.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// Digits after the decimal point for this currency.
    pub fn minor_units(self) -> u32 {
        CURRENCIES
            .iter()
            .find(|(code, _)| *code == self.0)
            .map_or(2, |(_, units)| *units)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(|e| serde::de::Error::custom(e.reason))
    }
}

/// An amount of money: a decimal (never a float) and its currency.
///
/// Serialised as `{"amount": "1234.56", "currency": "BRL"}`; the amount is a
/// string so no JSON reader turns it into a binary float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount, rounded to the currency's minor units.
    pub amount: Decimal,
    /// The currency of `amount`.
    pub currency: Currency,
}

impl Money {
    /// `amount` in `currency`, rounded half-even to the currency's minor units.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self {
            amount: amount.round_dp(currency.minor_units()),
            currency,
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_rounds_to_the_currency_and_serialises_as_a_string() {
        let brl = Money::new(Decimal::from_str("1234.565").unwrap(), Currency::BRL);
        assert_eq!(
            serde_json::to_string(&brl).unwrap(),
            r#"{"amount":"1234.56","currency":"BRL"}"#
        );
        let clp = Money::new(
            Decimal::from_str("98765.4").unwrap(),
            Currency::parse("clp").unwrap(),
        );
        assert_eq!(clp.amount.to_string(), "98765");
    }

    #[test]
    fn unknown_currency_is_refused_with_the_list() {
        let err = Currency::parse("XYZ").unwrap_err();
        assert!(
            err.reason.contains("'XYZ'") && err.reason.contains("BRL"),
            "{err}"
        );
    }
}
