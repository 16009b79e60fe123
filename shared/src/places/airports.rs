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

include!(concat!(env!("OUT_DIR"), "/airports.rs"));

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
