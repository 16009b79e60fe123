//! Flexibility: "±3 dias", "3 dias antes ou depois", "give or take 3
//! days"; "qualquer fim de semana de abril", "any weekend in April";
//! "o dia mais barato", "cheapest day", "qualquer dia entre 10 e 20";
//! and a second origin ("saindo de Campinas ou São Paulo"). Read before
//! the dates, whose words these phrases would otherwise be ("3 dias" as a
//! stay, "weekend" as the coming one).

use std::borrow::Cow;

use crate::places::{Place, lookup};

use super::calendar::month_named;
use super::numbers::count;
use super::text::Words;

/// What a message says about flexibility.
#[derive(Debug, Default)]
pub(super) struct Flex {
    /// Days either side of the departure day ("±3 dias").
    pub days_either_side: Option<u16>,
    /// Only weekend trips.
    pub weekend: bool,
    /// "o dia mais barato", "qualquer dia", "cheapest day": any day of
    /// the dates named will do.
    pub any_day: bool,
}

/// The token "±" and "+/-" become, so the words read them as one.
const PLUS_MINUS: &str = " plusminus ";

/// `text` with its plus-minus signs as words.
pub(super) fn spell_signs(text: &str) -> Cow<'_, str> {
    if !text.contains(['±', '+']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace('±', PLUS_MINUS)
            .replace("+/-", PLUS_MINUS)
            .replace("+-", PLUS_MINUS),
    )
}

/// Phrases around a count of days that make it days either side, with
/// where the count is (`N`).
const EITHER_SIDE: &[&str] = &[
    "plusminus N dias",
    "plusminus N days",
    "plusminus N",
    "mais ou menos N dias",
    "N dias antes ou depois",
    "N dias a mais ou a menos",
    "N dias pra mais ou pra menos",
    "N dias para mais ou para menos",
    "N dias de flexibilidade",
    "give or take N days",
    "plus or minus N days",
    "N days either way",
    "N days before or after",
    "N days either side",
];

/// Phrases of a weekend, any one of them.
const ANY_WEEKEND: &[&str] = &[
    "qualquer fim de semana",
    "qualquer final de semana",
    "algum fim de semana",
    "algum final de semana",
    "um fim de semana",
    "um final de semana",
    "any weekend",
    "a weekend",
    "some weekend",
];

/// Phrases of any day, the cheapest.
const ANY_DAY: &[&str] = &[
    "dia mais barato",
    "data mais barata",
    "qualquer dia",
    "qualquer data",
    "datas flexiveis",
    "data flexivel",
    "cheapest day",
    "cheapest date",
    "any day",
    "flexible dates",
    "dates are flexible",
];

/// Reads (and blanks) the flexibility phrases of a message.
pub(super) fn read(words: &mut Words) -> Flex {
    let mut flex = Flex::default();
    for i in 0..words.len() {
        if let Some((n, used)) = either_side(words, i) {
            flex.days_either_side = Some(n);
            blank(words, i, used);
        }
        if let Some(p) = ANY_WEEKEND.iter().find(|p| words.phrase_at(i, p)) {
            // Only with a month after it ("de abril", "in April"): "um fim
            // de semana no Rio" is the coming weekend.
            let after = i + Words::count_of(p);
            let of = matches!(words.at(after), "de" | "em" | "in" | "of");
            if of && month_named(words.at(after + 1)).is_some() {
                flex.weekend = true;
                blank(words, i, after - i + 1);
            }
        }
    }
    flex.any_day = ANY_DAY.iter().any(|p| words.has(p));
    flex
}

/// A days-either-side phrase at `i`: the count and the words it took.
fn either_side(words: &Words, i: usize) -> Option<(u16, usize)> {
    EITHER_SIDE.iter().find_map(|pattern| {
        let n = counted_phrase_at(words, i, pattern).flatten()?;
        let n = u16::try_from(n).ok().filter(|n| (1..=15).contains(n))?;
        Some((n, Words::count_of(pattern)))
    })
}

/// Whether `pattern` is at word `i`, with the count its `N` stands for.
fn counted_phrase_at(words: &Words, i: usize, pattern: &str) -> Option<Option<u32>> {
    let (part, rest) = match pattern.bytes().position(|b| b == b' ') {
        Some(at) => (&pattern[..at], Some(&pattern[at + 1..])),
        None => (pattern, None),
    };
    let w = words.at(i);
    if part != "N" && w != part {
        return None;
    }
    // The words after first: most patterns fail there, before a count is parsed.
    let later = match rest {
        Some(rest) => counted_phrase_at(words, i + 1, rest)?,
        None => None,
    };
    let here = if part == "N" { Some(count(w)?) } else { None };
    Some(here.or(later))
}

/// Makes words `i..i + n` read as nothing to the later steps.
fn blank(words: &mut Words, i: usize, n: usize) {
    for w in words.words.iter_mut().skip(i).take(n) {
        "~".clone_into(w);
    }
    words.take(i, i + n);
}

/// A second place after the origin with "ou"/"or" ("saindo de Campinas ou
/// São Paulo"): the places named right after an "ou" that follows a name
/// of `origin`.
pub(super) fn other_origins(words: &Words, origin: Option<Place>) -> Vec<Place> {
    let Some(origin) = origin else {
        return Vec::new();
    };
    let names_origin = |from: usize, to: usize| {
        let name = words.words[from..to].join(" ");
        lookup(&name).first() == Some(&origin)
    };
    let mut out = Vec::new();
    for i in 1..words.len() {
        if !matches!(words.at(i), "ou" | "or") {
            continue;
        }
        let before = (1..=3.min(i)).any(|n| names_origin(i - n, i));
        if !before {
            continue;
        }
        let after = (1..=3).rev().filter(|n| i + n < words.len()).find_map(|n| {
            lookup(&words.words[i + 1..=i + n].join(" "))
                .first()
                .copied()
        });
        out.extend(after.filter(|p| *p != origin && !out.contains(p)));
    }
    out
}
