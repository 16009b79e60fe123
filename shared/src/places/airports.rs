use crate::domain::IataCode;

/// A string of the table in [`BLOB`]: its offset in the high 20 bits, its
/// length in the low 12 (packed by `build.rs`: four bytes a string keep the
/// table, in every binary that resolves places, 0.3 MB smaller).
#[derive(Clone, Copy)]
struct Span(u32);

static BLOB: &str = include_str!(concat!(env!("OUT_DIR"), "/airports.txt"));

fn text(span: Span) -> &'static str {
    let start = (span.0 >> 12) as usize;
    let len = (span.0 & 0xfff) as usize;
    BLOB.get(start..start + len).unwrap_or("")
}

/// An airport from the `airportsdata` set (MIT licence), with its scheduled
/// service from OurAirports (public domain); see the README's credits.
///
/// Compiled in by `build.rs` as offsets into one string blob rather than
/// `&str` fields: 7,900 airports would otherwise need 55,000 pointers, each
/// a relocation the loader applies at every cold start (about 1.5 MB of
/// binary), or a table built on first use (about 0.6 ms of the first request).
pub struct Airport {
    /// IATA code.
    pub code: IataCode,
    lat: f32,
    lon: f32,
    /// Scheduled passenger service from OurAirports: 3 large airport, 2
    /// medium, 1 small, 0 none. Picks the airport a city name means.
    service: u8,
    name: Span,
    city: Span,
    subdivision: Span,
    country: Span,
    tz: Span,
    folded_city: Span,
    folded_name: Span,
}

impl Airport {
    /// Official name, in English.
    pub fn name(&self) -> &'static str {
        text(self.name)
    }
    /// City served, in English (may be empty for remote strips).
    pub fn city(&self) -> &'static str {
        text(self.city)
    }
    /// State, province or region.
    pub fn subdivision(&self) -> &'static str {
        text(self.subdivision)
    }
    /// ISO 3166-1 alpha-2 country code.
    pub fn country(&self) -> &'static str {
        text(self.country)
    }
    /// IANA time zone name.
    pub fn tz(&self) -> &'static str {
        text(self.tz)
    }
    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        f64::from(self.lat)
    }
    /// Longitude in degrees.
    pub fn lon(&self) -> f64 {
        f64::from(self.lon)
    }
    /// The city, lower case without accents (precomputed for lookups).
    pub(crate) fn folded_city(&self) -> &'static str {
        text(self.folded_city)
    }
    /// The name, lower case without accents (precomputed for lookups).
    pub(crate) fn folded_name(&self) -> &'static str {
        text(self.folded_name)
    }
    /// How much scheduled passenger service the airport has, from OurAirports:
    /// 3 a large airport, 2 medium, 1 small, 0 none (no airline flies there).
    pub fn service(&self) -> u8 {
        self.service
    }
}

impl std::fmt::Debug for Airport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code, self.name())
    }
}

/// One airport a name of the table may mean, and how it matched.
#[derive(Clone, Copy)]
pub(crate) struct NameEntry {
    /// The airport.
    pub code: IataCode,
    /// How the name matched: 1 the airport's city, 2 a city it serves
    /// (OurAirports), 4 its own name.
    pub how: u8,
}

include!(concat!(env!("OUT_DIR"), "/airports.rs"));

/// Every name of the table with the airports it may mean.
pub(crate) fn all_names() -> impl Iterator<Item = (&'static str, &'static [NameEntry])> {
    NAMES.iter().map(|(span, at, len)| {
        let at = *at as usize;
        (
            text(*span),
            NAME_ENTRIES.get(at..at + usize::from(*len)).unwrap_or(&[]),
        )
    })
}

/// The table's names from the first one not before `folded`, in order.
pub(crate) fn names_from(folded: &str) -> impl Iterator<Item = &'static str> {
    let at = NAMES.partition_point(|(span, _, _)| text(*span) < folded);
    NAMES[at..].iter().map(|(span, _, _)| text(*span))
}

/// The airports whose city, served city or name is exactly `folded`, by
/// binary search over the table `build.rs` sorted.
pub(crate) fn named(folded: &str) -> &'static [NameEntry] {
    NAMES
        .binary_search_by(|(span, _, _)| text(*span).cmp(folded))
        .ok()
        .and_then(|i| {
            let (_, at, len) = NAMES[i];
            let at = at as usize;
            NAME_ENTRIES.get(at..at + usize::from(len))
        })
        .unwrap_or(&[])
}

/// The airport with this code, by binary search over the sorted table.
pub fn airport(code: IataCode) -> Option<&'static Airport> {
    AIRPORTS
        .binary_search_by(|a| a.code.cmp(&code))
        .ok()
        .map(|i| &AIRPORTS[i])
}

/// Every airport, sorted by code.
pub fn all() -> &'static [Airport] {
    AIRPORTS
}

/// Great-circle distance between two airports in kilometres (haversine,
/// mean Earth radius 6,371 km).
pub fn distance_km(a: &Airport, b: &Airport) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.lat().to_radians(),
        a.lon().to_radians(),
        b.lat().to_radians(),
        b.lon().to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_loaded_and_sorted() {
        assert!(all().len() > 7000);
        assert!(all().windows(2).all(|w| w[0].code < w[1].code));
        let lis = airport(IataCode::from_static(b"LIS")).unwrap();
        assert_eq!(lis.country(), "PT");
        assert_eq!(lis.tz(), "Europe/Lisbon");
    }

    #[test]
    fn distance_matches_published_great_circle() {
        let gru = airport(IataCode::from_static(b"GRU")).unwrap();
        let lis = airport(IataCode::from_static(b"LIS")).unwrap();
        // Great-circle GRU–LIS is about 7,950 km.
        let d = distance_km(gru, lis);
        assert!((7850.0..8050.0).contains(&d), "{d}");
    }
}
