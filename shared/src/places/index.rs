//! Every name a place goes by, folded, mapped to the places it may mean,
//! best first: built once so the understanding can look up each run of
//! words of a message instead of scanning the table.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::metros::{ALIASES, METROS, is_major, metro_of};
use super::names::{NICKNAMES, PT_CITY};
use super::{Airport, Place, airports, fold};

/// Longest name in words ("santiago de compostela", "aeroporto internacional de ...").
pub const MAX_NAME_WORDS: usize = 6;

type Index = HashMap<Box<str>, Vec<Place>>;

static INDEX: OnceLock<Index> = OnceLock::new();

/// The places `folded` (lower case, no accents) may name, best first; empty
/// when it names none. Nicknames and metro names come first, then the
/// airports of a city by scheduled service, then airports by name.
pub fn lookup(folded: &str) -> &'static [Place] {
    INDEX
        .get_or_init(build)
        .get(folded)
        .map_or(&[], Vec::as_slice)
}

fn build() -> Index {
    let mut by_city: HashMap<Box<str>, Vec<CityMatch>> = HashMap::new();
    let mut index = Index::new();
    for a in airports::all() {
        let served = a.folded_served().split(['/', ',']).map(str::trim);
        // "Arnavutköy, Istanbul": each part is a name of the city.
        let city = a.folded_city().split(['/', ',']).map(str::trim);
        let names = city.map(|c| (c, true)).chain(served.map(|s| (s, false)));
        for (key, in_city) in names {
            if key.is_empty() {
                continue;
            }
            let list = by_city.entry(key.into()).or_default();
            let seen = list.iter().position(|m| m.airport.code == a.code);
            let m = match seen {
                Some(i) => &mut list[i],
                None => {
                    list.push(CityMatch {
                        airport: a,
                        city: false,
                        served: false,
                    });
                    list.last_mut().expect("just pushed")
                }
            };
            if in_city {
                m.city = true
            } else {
                m.served = true
            }
        }
        for name in airport_names(a.folded_name()) {
            index
                .entry(name.into())
                .or_default()
                .push(Place::Airport(a));
        }
    }
    for (key, list) in by_city {
        index.insert(key, city_places(list));
    }
    for m in METROS {
        for name in [fold(m.name), fold(m.name_pt)]
            .into_iter()
            .chain(m.aliases.iter().map(|a| (*a).to_owned()))
        {
            put_first(&mut index, &name, Place::Metro(m));
        }
    }
    let named = PT_CITY.iter().map(|(code, name)| (fold(name), *code));
    let nicknames = ALIASES
        .iter()
        .chain(NICKNAMES)
        .map(|(n, code)| ((*n).to_owned(), *code));
    for (name, code) in named.chain(nicknames) {
        if let Some(place) = Place::by_code(code) {
            put_first(&mut index, &name, place);
        }
    }
    index
}

/// An airport's name, and the name without "airport" or "international
/// airport" ("london heathrow").
fn airport_names(name: &str) -> impl Iterator<Item = &str> {
    let short = name
        .strip_suffix(" international airport")
        .or_else(|| name.strip_suffix(" airport"))
        .filter(|s| s.contains(' '));
    std::iter::once(name).chain(short)
}

fn put_first(index: &mut Index, key: &str, place: Place) {
    let list = index.entry(key.into()).or_default();
    list.retain(|p| *p != place);
    list.insert(0, place);
}

/// An airport a city's name matched, and how: as its city in the airport
/// table, as a city OurAirports says it serves, or both.
struct CityMatch {
    airport: &'static Airport,
    city: bool,
    served: bool,
}

/// What a city's name means: its airports with scheduled service, led by
/// those in the city itself with a real service (medium or large), then
/// busiest first, then those both tables place there, then hubs (every
/// airport when none has any service); led by the metro when two or more of
/// them belong to one ("sao paulo" → SAO, but "campinas" → VCP). So
/// "richmond" is Richmond, Virginia, not Vancouver's airport in Richmond,
/// British Columbia, while "cincinnati" is CVG, which serves Cincinnati from
/// Kentucky.
fn city_places(mut list: Vec<CityMatch>) -> Vec<Place> {
    if list.iter().any(|m| m.airport.service() > 0) {
        list.retain(|m| m.airport.service() > 0);
    }
    list.sort_by_key(|m| {
        let a = m.airport;
        let rank = (
            m.city && a.service() >= 2,
            a.service(),
            m.city && m.served,
            is_major(a.code),
        );
        std::cmp::Reverse(rank)
    });
    let airports: Vec<&'static Airport> = list.into_iter().map(|m| m.airport).collect();
    let metro = airports.first().and_then(|a| metro_of(a.code)).filter(|m| {
        airports
            .iter()
            .filter(|a| m.airports.contains(&a.code))
            .count()
            >= 2
    });
    metro
        .map(Place::Metro)
        .into_iter()
        .chain(airports.into_iter().map(Place::Airport))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(name: &str) -> String {
        lookup(name)
            .first()
            .map_or("-".to_owned(), |p| p.code().to_string())
    }

    #[test]
    fn a_city_means_its_busiest_scheduled_airport() {
        assert_eq!(first("cincinnati"), "CVG");
        assert_eq!(first("frankfurt"), "FRA");
        assert_eq!(first("birmingham"), "BHX");
        assert_eq!(first("belem"), "BEL");
        assert_eq!(first("richmond"), "RIC");
    }

    #[test]
    fn a_city_with_several_airports_of_one_metro_means_the_metro() {
        assert_eq!(first("sao paulo"), "SAO");
        assert_eq!(first("london"), "LON");
        assert_eq!(first("londres"), "LON");
        assert_eq!(first("guarulhos"), "GRU");
        assert_eq!(first("campinas"), "VCP");
        assert_eq!(first("viracopos"), "VCP");
    }

    #[test]
    fn nicknames_and_portuguese_names_are_found() {
        for (name, code) in [
            ("sampa", "SAO"),
            ("rj", "RIO"),
            ("floripa", "FLN"),
            ("noronha", "FEN"),
            ("big apple", "NYC"),
            ("nova york", "NYC"),
            ("lisboa", "LIS"),
        ] {
            assert_eq!(first(name), code, "{name}");
        }
        assert!(lookup("atlantis").is_empty());
    }
}
