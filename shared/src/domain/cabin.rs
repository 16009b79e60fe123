use serde::{Deserialize, Serialize};

use super::FieldError;

/// The cabin a traveller flies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Cabin {
    /// Economy (coach).
    #[default]
    Economy,
    /// Premium economy.
    PremiumEconomy,
    /// Business.
    Business,
    /// First.
    First,
}

impl Cabin {
    /// Parses `economy`, `premium_economy`, `business` or `first` (Portuguese names too).
    ///
    /// # Errors
    /// A [`FieldError`] on `cabin`, quoting the input, for anything else.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let folded = deunicode::deunicode(text.trim())
            .to_lowercase()
            .replace(['-', ' '], "_");
        match folded.as_str() {
            "economy" | "economica" | "coach" => Ok(Self::Economy),
            "premium_economy" | "premium" | "economica_premium" => Ok(Self::PremiumEconomy),
            "business" | "executiva" => Ok(Self::Business),
            "first" | "primeira" | "primeira_classe" => Ok(Self::First),
            _ => Err(FieldError::new(
                "cabin",
                format!(
                    "unknown cabin '{text}' (expected economy, premium_economy, business or first)"
                ),
            )),
        }
    }

    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Economy => "economy",
            Self::PremiumEconomy => "premium_economy",
            Self::Business => "business",
            Self::First => "first",
        }
    }
}
