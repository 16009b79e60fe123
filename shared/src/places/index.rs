//! Every name a place goes by, folded, mapped to the places it may mean,
//! best first: built once so the understanding can look up each run of
//! words of a message instead of scanning the table.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::airports::{NameEntry, all_names, named, names_from};
use super::metros::{ALIASES, METROS, is_major, metro_of};
use super::names::{NICKNAMES, PT_CITY};
use super::{Airport, Place, airport, fold};

/// Longest name in words ("santiago de compostela", "aeroporto internacional de ...").
pub const MAX_NAME_WORDS: usize = 6;

/// Metro names, Portuguese names and nicknames: a few hundred, so built on
/// first use in microseconds; the airport table's own names are searched
/// in the sorted table `build.rs` generates.
static CHOSEN: OnceLock<Chosen> = OnceLock::new();

/// Names chosen by hand, and the same names sorted for prefix checks.
struct Chosen {
    places: HashMap<String, Place>,
    sorted: Vec<String>,
}

/// Whether some name is `word` or begins with `word` and a space: the
/// understanding tries longer runs of words only where one may start, so a
/// message costs a handful of look-ups instead of six per word.
pub fn may_start_name(word: &str) -> bool {
    let chosen = CHOSEN.get_or_init(chosen);
    let at = chosen.sorted.partition_point(|k| k.as_str() < word);
    let from_chosen = chosen.sorted[at..].iter().map(String::as_str);
    let starts =
        |name: &str| name == word || name.strip_prefix(word).is_some_and(|r| r.starts_with(' '));
    from_chosen.take(2).any(starts) || names_from(word).take(2).any(starts)
}

/// Whether `folded` is a name chosen by hand (a metro's, a Portuguese
/// name, a nickname such as "pampulha" or "floripa"): travellers use those
/// names for the place, so they count even where the airport is small.
pub fn is_chosen_name(folded: &str) -> bool {
    CHOSEN.get_or_init(chosen).places.contains_key(folded)
}

/// The places `folded` (lower case, no accents) may name, best first; empty
/// when it names none. A nickname, Portuguese name or metro name comes first,
/// then the airports of a city ranked as [`city_places`] says, then
/// airports by name.
pub fn lookup(folded: &str) -> Vec<Place> {
    let mut places = city_places(named(folded));
    if let Some(chosen) = CHOSEN.get_or_init(chosen).places.get(folded) {
        places.retain(|p| p != chosen);
        places.insert(0, *chosen);
    }
    places
}

/// Names a typo is matched against: the hand-chosen ones and the cities of
/// airports with real scheduled service (a few thousand), built on first use.
static TYPO_TARGETS: OnceLock<Vec<(String, Place)>> = OnceLock::new();

/// Lowest Jaro–Winkler similarity taken for a typo of a place name: high
/// enough that "recfe" finds Recife and "bostn" Boston, but "carro" is no city.
const TYPO_SIMILARITY: f64 = 0.9;

/// The place a misspelt name most likely means ("salvadr", "new yrok"):
/// the most similar well-served name with the same first letter, if similar
/// enough. Only for words a caller already expects to be a place.
pub fn lookup_typo(folded: &str) -> Option<Place> {
    let first = folded.chars().next()?;
    let words = folded.split(' ').count();
    let targets = TYPO_TARGETS.get_or_init(typo_targets);
    targets
        .iter()
        .filter(|(name, _)| name.starts_with(first) && name.split(' ').count() == words)
        .map(|(name, place)| (strsim::jaro_winkler(name, folded), *place))
        .filter(|(score, _)| *score >= TYPO_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, place)| place)
}

fn typo_targets() -> Vec<(String, Place)> {
    let chosen = CHOSEN.get_or_init(chosen);
    let mut out: Vec<(String, Place)> = chosen
        .places
        .iter()
        .filter(|(name, _)| name.len() >= 4)
        .map(|(name, place)| (name.clone(), *place))
        .collect();
    for (name, entries) in all_names() {
        let served =
            |e: &NameEntry| e.how & 3 != 0 && airport(e.code).is_some_and(|a| a.service() >= 2);
        let wanted = name.len() >= 4 && entries.iter().any(served);
        if wanted
            && !chosen.places.contains_key(name)
            && let Some(place) = lookup(name).first()
        {
            out.push((name.to_owned(), *place));
        }
    }
    out
}

/// Names with one meaning set by hand: metros' names, then Portuguese city
/// names where no metro has the name ("Xangai" stays Shanghai's), then
/// nicknames and aliases, which win over both.
fn chosen() -> Chosen {
    let mut out = HashMap::new();
    for m in METROS {
        for name in [fold(m.name), fold(m.name_pt)] {
            out.insert(name, Place::Metro(m));
        }
        for alias in m.aliases {
            out.insert((*alias).to_owned(), Place::Metro(m));
        }
    }
    // A metro's name stays the metro's: "Xangai" is Shanghai, not Pudong,
    // though Pudong's Portuguese city name is Xangai.
    for (code, name) in PT_CITY {
        if let Some(place) = Place::by_code(*code) {
            out.entry(fold(name)).or_insert(place);
        }
    }
    let nicknames = ALIASES.iter().chain(NICKNAMES);
    for (name, code) in nicknames {
        if let Some(place) = Place::by_code(*code) {
            out.insert((*name).to_owned(), place);
        }
    }
    let mut sorted: Vec<String> = out.keys().cloned().collect();
    sorted.sort();
    Chosen {
        places: out,
        sorted,
    }
}

/// What a name of the airport table means. For a city: its airports with
/// scheduled service, led by those in the city itself with a real service
/// (medium or large), then busiest first, then those both tables place
/// there, then hubs (every airport when none has any service); led by the
/// metro when two or more of them belong to one ("sao paulo" → SAO, but
/// "campinas" → VCP). So "richmond" is Richmond, Virginia, not Vancouver's
/// airport in Richmond, British Columbia, while "cincinnati" is CVG, which
/// serves Cincinnati from Kentucky. For an airport's own name, that airport.
fn city_places(entries: &[NameEntry]) -> Vec<Place> {
    let city_name = entries.iter().any(|e| e.how & 3 != 0);
    let mut list: Vec<(&'static Airport, u8)> = entries
        .iter()
        .filter(|e| !city_name || e.how & 3 != 0)
        .filter_map(|e| airport(e.code).map(|a| (a, e.how)))
        .collect();
    if list.iter().any(|(a, _)| a.service() > 0) {
        list.retain(|(a, _)| a.service() > 0);
    }
    list.sort_by_key(|(a, how)| {
        let (city, served) = (how & 1 != 0, how & 2 != 0);
        std::cmp::Reverse((
            city && a.service() >= 2,
            a.service(),
            city && served,
            is_major(a.code),
        ))
    });
    let metro = list
        .first()
        .and_then(|(a, _)| metro_of(a.code))
        .filter(|m| {
            list.iter()
                .filter(|(a, _)| m.airports.contains(&a.code))
                .count()
                >= 2
        });
    metro
        .map(Place::Metro)
        .into_iter()
        .chain(list.into_iter().map(|(a, _)| Place::Airport(a)))
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
        // Shanghai by either name, and not its Pudong airport.
        assert_eq!(first("shanghai"), "SHA");
        assert_eq!(first("xangai"), "SHA");
    }

    #[test]
    fn the_corrections_to_the_airport_data_hold() {
        // Sinop, Mato Grosso has scheduled flights, so it is a candidate.
        let has =
            |name: &str, code: &str| lookup(name).iter().any(|p| p.code().to_string() == code);
        assert!(has("sinop", "OPS"));
        // Santa Maria island, Azores, is found by the island's name.
        assert!(has("santa maria", "SMA"));
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
