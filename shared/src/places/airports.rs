use std::sync::LazyLock;

use crate::domain::IataCode;

/// An airport from the `airportsdata` set (MIT licence, see the README).
#[derive(Debug)]
pub struct Airport {
    /// IATA code.
    pub code: IataCode,
    /// Official name, in English.
    pub name: &'static str,
    /// City served, in English (may be empty for remote strips).
    pub city: &'static str,
    /// State, province or region.
    pub subdivision: &'static str,
    /// ISO 3166-1 alpha-2 country code.
    pub country: &'static str,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// IANA time zone name.
    pub tz: &'static str,
    /// `city`, lower case without accents, precomputed for lookups.
    pub(crate) folded_city: &'static str,
    /// `name`, lower case without accents, precomputed for lookups.
    pub(crate) folded_name: &'static str,
}

/// A string of the table: offset and length in [`BLOB`].
#[derive(Clone, Copy)]
struct Span(u32, u16);

/// One airport as compiled in: offsets, no pointers (see `build.rs`).
struct Row {
    code: [u8; 3],
    lat: f32,
    lon: f32,
    name: Span,
    city: Span,
    subdivision: Span,
    country: Span,
    tz: Span,
    folded_city: Span,
    folded_name: Span,
}

static BLOB: &str = include_str!(concat!(env!("OUT_DIR"), "/airports.txt"));
include!(concat!(env!("OUT_DIR"), "/airports.rs"));

fn text(span: Span) -> &'static str {
    let start = span.0 as usize;
    BLOB.get(start..start + usize::from(span.1)).unwrap_or("")
}

impl Row {
    fn airport(&self) -> Airport {
        Airport {
            code: IataCode::from_static(&self.code),
            name: text(self.name),
            city: text(self.city),
            subdivision: text(self.subdivision),
            country: text(self.country),
            lat: f64::from(self.lat),
            lon: f64::from(self.lon),
            tz: text(self.tz),
            folded_city: text(self.folded_city),
            folded_name: text(self.folded_name),
        }
    }
}

/// The table with `&str` fields, built on first use (about 0.1 ms for 7,900
/// rows: slicing, no parsing), so neither the binary nor the cold start pays
/// for 60,000 string pointers.
static AIRPORTS: LazyLock<Vec<Airport>> = LazyLock::new(|| ROWS.iter().map(Row::airport).collect());

/// The airport with this code, by binary search over the sorted table.
pub fn airport(code: IataCode) -> Option<&'static Airport> {
    let table: &'static [Airport] = &AIRPORTS;
    table
        .binary_search_by(|a| a.code.cmp(&code))
        .ok()
        .map(|i| &table[i])
}

/// Every airport, sorted by code.
pub fn all() -> &'static [Airport] {
    &AIRPORTS
}

/// Great-circle distance between two airports in kilometres (haversine,
/// mean Earth radius 6,371 km).
pub fn distance_km(a: &Airport, b: &Airport) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.lat.to_radians(),
        a.lon.to_radians(),
        b.lat.to_radians(),
        b.lon.to_radians(),
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
        assert_eq!(lis.country, "PT");
        assert_eq!(lis.tz, "Europe/Lisbon");
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
