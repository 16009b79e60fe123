//! Name lookups: exact resolution and ranked autocomplete.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use super::metros::{ALIASES, METROS, is_major};
use super::{Place, airports, fold};
use crate::domain::IataCode;

/// How well a place matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Code,
    Exact,
    Prefix,
    Word,
    Fuzzy,
}

/// Lowest Jaro–Winkler similarity counted as a typo of a city name: high
/// enough that "lisbao" finds Lisbon but "paris" does not find "parintins".
const FUZZY_THRESHOLD: f64 = 0.9;

/// Ranks one place among others of the same tier: metros first, then hubs,
/// then international airports, then the rest.
fn importance(place: &Place) -> u8 {
    match place {
        Place::Metro(_) => 3,
        Place::Airport(a) if is_major(a.code) => 2,
        Place::Airport(a) if a.folded_name().contains("international") => 1,
        Place::Airport(_) => 0,
    }
}

fn alias_place(code: IataCode) -> Option<Place> {
    Place::by_code(code)
}

/// The one place `folded` names exactly: a nickname, a metro name, a city
/// (its busiest scheduled airport, or the metro holding its airports) or an
/// airport name.
pub(super) fn exact(folded: &str) -> Option<Place> {
    super::index::lookup(folded).first().copied()
}

/// Places matching what a traveller typed, best first: exact code, then exact
/// city or alias, then city prefix, then airport-name word prefix, then typos.
/// A metro is followed by its airports. Case and accents are ignored.
pub fn suggest(query: &str, limit: usize) -> Vec<Place> {
    let q = fold(query);
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    if q.chars().count() == 1 {
        return one_letter(&q, limit);
    }
    ranked(&q, limit)
}

/// Answers to one-letter queries, computed once: a single letter matches
/// thousands of airports, so it would cost several times a longer query
/// on every keystroke; there are only a few dozen of them.
fn one_letter(q: &str, limit: usize) -> Vec<Place> {
    type Memo = HashMap<(String, usize), Vec<Place>>;
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    let memo = MEMO.get_or_init(Mutex::default);
    let lock = || {
        memo.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let key = (q.to_owned(), limit);
    if let Some(found) = lock().get(&key) {
        return found.clone();
    }
    let found = ranked(q, limit);
    let mut map = lock();
    // Letters, digits and a few limits: a bound that is never reached in use.
    if map.len() >= 1024 {
        map.clear();
    }
    map.insert(key, found.clone());
    found
}

/// [`suggest`] for a folded, non-empty query.
fn ranked(q: &str, limit: usize) -> Vec<Place> {
    let q = q.to_owned();
    let mut hits = by_code(&q);
    hits.extend(by_name(&q));
    // Typos are looked for only when nothing matched by code, name or prefix:
    // a Jaro–Winkler pass over every city is the costly part of a lookup.
    if hits.is_empty() && q.len() >= 4 {
        hits.extend(by_typo(&q));
    }
    with_members(best(hits, limit), limit)
}

/// The hits `limit` answers can come from, ranked: by tier, then importance,
/// then code. One letter matches thousands of airports, so the ranking key
/// is computed once per hit and only the best `2 × limit + 1` are sorted
/// (each hit adds a place or repeats one of at most `limit` already taken).
fn best(hits: Vec<(Tier, Place)>, limit: usize) -> Vec<(Tier, Place)> {
    let mut keyed: Vec<_> = hits
        .into_iter()
        .map(|(tier, p)| ((tier, std::cmp::Reverse(importance(&p)), p.code()), p))
        .collect();
    let keep = limit.saturating_mul(2).saturating_add(1);
    if keyed.len() > keep {
        keyed.select_nth_unstable_by_key(keep - 1, |k| k.0);
        keyed.truncate(keep);
    }
    keyed.sort_unstable_by_key(|k| k.0);
    keyed.into_iter().map(|((tier, ..), p)| (tier, p)).collect()
}

/// The metro and the airport whose code `q` is.
fn by_code(q: &str) -> Vec<(Tier, Place)> {
    let Ok(code) = IataCode::parse(q) else {
        return Vec::new();
    };
    let metro = super::metro(code).map(Place::Metro);
    let airport = super::airport(code).map(Place::Airport);
    metro
        .into_iter()
        .chain(airport)
        .map(|p| (Tier::Code, p))
        .collect()
}

/// Metros, aliases and airports whose names match `q` exactly or by prefix.
fn by_name(q: &str) -> Vec<(Tier, Place)> {
    let mut hits = Vec::new();
    for m in METROS {
        let names = [fold(m.name), fold(m.name_pt)];
        let names = names
            .iter()
            .map(String::as_str)
            .chain(m.aliases.iter().copied());
        if let Some(tier) = names.filter_map(|n| text_tier(n, q)).min() {
            hits.push((tier, Place::Metro(m)));
        }
    }
    for (alias, code) in ALIASES {
        if let (Some(tier), Some(place)) = (text_tier(alias, q), alias_place(*code)) {
            hits.push((tier, place));
        }
    }
    let word = format!(" {q}");
    for a in airports::all() {
        let tier = text_tier(a.folded_city(), q).or_else(|| {
            (a.folded_name().starts_with(q) || a.folded_name().contains(&word))
                .then_some(Tier::Word)
        });
        if let Some(tier) = tier {
            hits.push((tier, Place::Airport(a)));
        }
    }
    hits
}

/// Airports whose city is a near spelling of `q`.
fn by_typo(q: &str) -> Vec<(Tier, Place)> {
    airports::all()
        .iter()
        .filter(|a| {
            !a.folded_city().is_empty()
                && strsim::jaro_winkler(a.folded_city(), q) >= FUZZY_THRESHOLD
        })
        .map(|a| (Tier::Fuzzy, Place::Airport(a)))
        .collect()
}

/// The ranked places, each metro followed by its airports, at most `limit`.
fn with_members(hits: Vec<(Tier, Place)>, limit: usize) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::with_capacity(limit);
    for (_, place) in hits {
        let members = match place {
            Place::Metro(m) => m
                .airports
                .iter()
                .filter_map(|c| super::airport(*c))
                .map(Place::Airport)
                .collect(),
            Place::Airport(_) => Vec::new(),
        };
        for p in std::iter::once(place).chain(members) {
            if out.len() < limit && !out.contains(&p) {
                out.push(p);
            }
        }
        if out.len() == limit {
            break;
        }
    }
    out
}

/// Exact or prefix match of a folded name.
fn text_tier(name: &str, q: &str) -> Option<Tier> {
    if name == q {
        Some(Tier::Exact)
    } else if name.starts_with(q) {
        Some(Tier::Prefix)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(q: &str, limit: usize) -> Vec<String> {
        suggest(q, limit)
            .iter()
            .map(|p| p.code().to_string())
            .collect()
    }

    #[test]
    fn one_letter_answers_like_a_longer_query_and_leads_with_a_metro() {
        let first = suggest("L", 6);
        assert_eq!(first.len(), 6);
        // Remembered, and the same answer the ranking gives.
        assert_eq!(suggest("l", 6), first);
        assert_eq!(ranked("l", 6), first);
        assert!(matches!(first[0], Place::Metro(_)), "{:?}", first[0].code());
    }

    #[test]
    fn exact_code_comes_first() {
        assert_eq!(codes("gru", 3)[0], "GRU");
        assert_eq!(codes("LIS", 1), ["LIS"]);
    }

    #[test]
    fn city_names_in_portuguese_find_the_metro_then_its_airports() {
        assert_eq!(codes("são paulo", 4), ["SAO", "GRU", "CGH", "VCP"]);
        assert_eq!(codes("nova york", 4), ["NYC", "JFK", "EWR", "LGA"]);
        assert_eq!(codes("Londres", 1), ["LON"]);
    }

    #[test]
    fn prefixes_and_airport_names_autocomplete() {
        assert!(codes("lisb", 5).contains(&"LIS".to_owned()));
        assert!(codes("guarulhos", 3).contains(&"GRU".to_owned()));
        assert!(codes("heath", 3).contains(&"LHR".to_owned()));
    }

    #[test]
    fn typos_still_find_the_city() {
        assert!(
            codes("lisbn", 5).contains(&"LIS".to_owned()),
            "{:?}",
            codes("lisbn", 5)
        );
    }

    #[test]
    fn nothing_for_nonsense_or_empty() {
        assert!(suggest("zzzzqqq", 10).is_empty());
        assert!(suggest("   ", 10).is_empty());
    }
}
