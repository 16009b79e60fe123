//! Places: the offline airport table, metropolitan areas, Portuguese and
//! English names, and ranked autocomplete.
//!
//! `airports` is the table `build.rs` compiles in (with a sorted index of
//! every city, served-city and airport name); `metros` and `names` hold what
//! is chosen by hand (metro codes, Portuguese names, nicknames); `index`
//! answers what a name may mean, best first; `suggest` ranks autocomplete.

mod airports;
mod index;
mod metros;
mod names;
mod suggest;
mod tz;

use std::fmt;

use serde::{Serialize, Serializer};

pub use airports::{Airport, airport, all as all_airports, distance_km};
pub use index::{MAX_NAME_WORDS, is_chosen_name, lookup, lookup_typo, may_start_name};
pub use metros::{METROS, Metro, is_major, metro, metro_of};
pub use names::Lang;
pub use suggest::suggest;
pub use tz::Zone;

use crate::domain::IataCode;

/// Lower case without accents: how names are compared (`São Paulo` → `sao paulo`).
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text.trim()).to_lowercase()
}

/// Somewhere a traveller can fly from or to: one airport, or a metropolitan
/// area standing for all of its airports.
#[derive(Clone, Copy)]
pub enum Place {
    /// A single airport.
    Airport(&'static Airport),
    /// A metropolitan area (SAO = GRU + CGH + VCP).
    Metro(&'static Metro),
}

impl Place {
    /// Finds a place by IATA code (metro codes first), alias, city or airport name,
    /// ignoring case and accents.
    ///
    /// # Errors
    /// The reason, quoting the input, when nothing matches exactly.
    pub fn resolve(text: &str) -> Result<Self, String> {
        let folded = fold(text);
        if folded.is_empty() {
            return Err("must not be empty".to_owned());
        }
        if let Ok(code) = IataCode::parse(&folded)
            && let Some(place) = Self::by_code(code)
        {
            return Ok(place);
        }
        suggest::exact(&folded).ok_or_else(|| format!("unknown airport or city '{}'", text.trim()))
    }

    /// The metro or airport with exactly this code.
    pub fn by_code(code: IataCode) -> Option<Self> {
        metro(code)
            .map(Self::Metro)
            .or_else(|| airport(code).map(Self::Airport))
    }

    /// The place's IATA code.
    pub fn code(&self) -> IataCode {
        match self {
            Self::Airport(a) => a.code,
            Self::Metro(m) => m.code,
        }
    }

    /// The airports the place stands for, main gateway first.
    pub fn airports(&self) -> Vec<&'static Airport> {
        match self {
            Self::Airport(a) => vec![*a],
            Self::Metro(m) => m.airports.iter().filter_map(|c| airport(*c)).collect(),
        }
    }

    /// The main airport: the airport itself, or a metro's gateway.
    pub fn main_airport(&self) -> &'static Airport {
        match self {
            Self::Airport(a) => a,
            // Every metro lists real airports (checked by a test in `metros`).
            Self::Metro(m) => m
                .airports
                .first()
                .and_then(|c| airport(*c))
                .unwrap_or(&all_airports()[0]),
        }
    }

    /// The local time zone (a metro's is its gateway's).
    pub fn time_zone(&self) -> Zone {
        Zone::named(self.main_airport().tz())
    }

    /// Whether two places share an airport (SAO and GRU do).
    pub fn overlaps(&self, other: &Self) -> bool {
        let mine = self.airports();
        other
            .airports()
            .iter()
            .any(|a| mine.iter().any(|b| a.code == b.code))
    }

    /// Display name in English: the metro or airport name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Airport(a) => a.name(),
            Self::Metro(m) => m.name,
        }
    }

    /// City name in English.
    pub fn city(&self) -> &'static str {
        match self {
            Self::Airport(a) => a.city(),
            Self::Metro(m) => m.name,
        }
    }

    /// City name as a traveller writing in `lang` knows it: "Lisboa" or
    /// "Lisbon", "Nova York" or "New York", "São Paulo" either way.
    pub fn city_in(&self, lang: Lang) -> &'static str {
        let pt = || match self {
            Self::Metro(m) => Some(m.name_pt),
            Self::Airport(a) => names::PT_CITY
                .iter()
                .find(|(code, _)| *code == a.code)
                .map(|(_, name)| *name),
        };
        match (lang, self) {
            (Lang::Pt, _) => pt().unwrap_or_else(|| self.city()),
            (Lang::En, Self::Metro(m)) if m.code.as_str() == "SAO" => m.name_pt,
            (Lang::En, _) => self.city(),
        }
    }

    /// ISO 3166-1 alpha-2 country.
    pub fn country(&self) -> &'static str {
        match self {
            Self::Airport(a) => a.country(),
            Self::Metro(m) => m.country,
        }
    }
}

impl PartialEq for Place {
    fn eq(&self, other: &Self) -> bool {
        matches!(
            (self, other),
            (Self::Airport(_), Self::Airport(_)) | (Self::Metro(_), Self::Metro(_))
        ) && self.code() == other.code()
    }
}

impl Eq for Place {}

impl fmt::Debug for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl Serialize for Place {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(place: Place) -> Vec<&'static str> {
        place.airports().iter().map(|a| a.code.as_str()).collect()
    }

    #[test]
    fn lisbon_by_portuguese_name_code_and_english_name() {
        for q in ["lisboa", "LIS", "Lisbon", "  LISBOA "] {
            assert_eq!(Place::resolve(q).unwrap().code().as_str(), "LIS", "{q}");
        }
    }

    #[test]
    fn sao_paulo_with_or_without_accent_and_sampa_is_the_metro() {
        for q in ["são paulo", "sao paulo", "SÃO PAULO", "sampa", "sao"] {
            let place = Place::resolve(q).unwrap();
            assert_eq!(place.code().as_str(), "SAO", "{q}");
            assert_eq!(codes(place), ["GRU", "CGH", "VCP"]);
        }
    }

    #[test]
    fn nova_york_includes_newark() {
        let nyc = Place::resolve("Nova York").unwrap();
        assert_eq!(nyc.code().as_str(), "NYC");
        assert!(codes(nyc).contains(&"EWR"));
        assert!(codes(Place::resolve("londres").unwrap()).contains(&"SEN"));
    }

    #[test]
    fn city_names_follow_the_language() {
        let city = |q: &str, lang| Place::resolve(q).unwrap().city_in(lang);
        assert_eq!(city("LIS", Lang::Pt), "Lisboa");
        assert_eq!(city("LIS", Lang::En), "Lisbon");
        assert_eq!(city("NYC", Lang::Pt), "Nova York");
        assert_eq!(city("london", Lang::Pt), "Londres");
        assert_eq!(city("sampa", Lang::En), "São Paulo");
        assert_eq!(city("BEL", Lang::Pt), "Belém");
    }

    #[test]
    fn unknown_place_is_quoted() {
        assert_eq!(
            Place::resolve("Atlantis").unwrap_err(),
            "unknown airport or city 'Atlantis'"
        );
        assert_eq!(
            Place::resolve("QQQ").unwrap_err(),
            "unknown airport or city 'QQQ'"
        );
    }
}
