//! Places: every run of words that names a place in the whole table, and
//! the role the words around it give it (from, to).

use crate::domain::IataCode;
use crate::places::{
    MAX_NAME_WORDS, Place, is_chosen_name, is_major, lookup, may_start_name, metro_of,
};

use super::text::Words;
use super::{Clarification, TripRequest};

/// Origin and destination of one message.
#[derive(Debug, Default)]
pub(super) struct Places {
    pub origin: Option<Place>,
    pub destination: Option<Place>,
    pub clarify: Option<Clarification>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    From,
    To,
}

/// A place named in the message.
#[derive(Debug)]
struct Mention {
    start: usize,
    end: usize,
    place: Place,
    role: Option<Role>,
    /// Whether a state or country named after it chose the namesake
    /// ("San José, Costa Rica"): then no other rule changes it.
    qualified: bool,
}

/// Words that are never a place on their own, even after "de"/"to".
const NEVER: &[&str] = &[
    "brl",
    "usd",
    "eur",
    "reais",
    "real",
    "dolares",
    "dollars",
    "euros",
    "mil",
    "k",
    "a",
    "o",
    "as",
    "os",
    "um",
    "uma",
    "the",
    "e",
    "and",
    "de",
    "do",
    "da",
    "dos",
    "das",
    "em",
    "no",
    "na",
    "in",
    "on",
    "at",
    "to",
    "para",
    "pra",
    "pro",
    "por",
    "for",
    "com",
    "with",
    "sem",
    "ir",
    "go",
    "get",
    "fly",
    "voar",
    "viajar",
    "dia",
    "day",
    "semana",
    "week",
    "mes",
    "month",
    "ano",
    "year",
    "ida",
    "volta",
    "back",
    "return",
    "me",
    "eu",
    "mim",
    "my",
    "meu",
    "minha",
    "nos",
    "us",
    "we",
    "classe",
    "class",
    "executiva",
    "business",
    "economica",
    "economy",
    "manha",
    "tarde",
    "noite",
    "madrugada",
    "morning",
    "afternoon",
    "evening",
    "night",
    "hoje",
    "today",
    "agora",
    "now",
    "la",
    "ca",
    "lo",
    "ai",
    "i",
    "you",
    "voce",
    "vc",
    "tem",
    "ter",
    "have",
    "is",
    "it",
    "la",
    "ate",
    "until",
    "mais",
    "more",
    "barato",
    "cheap",
    "cheapest",
    "voo",
    "voos",
    "flight",
    "flights",
    "passagem",
    "passagens",
    "ticket",
    "casa",
    "home",
    "aqui",
    "here",
    "onde",
    "where",
    "lugar",
    "place",
    "praia",
    "beach",
    "ferias",
    "holiday",
    "vacation",
    "trabalho",
    "work",
    "mar",
    "sol",
    "sul",
    "norte",
    "leste",
    "oeste",
    "airlines",
    "airline",
    "companhia",
    "cia",
    "aerea",
    "ou",
    "or",
    "se",
    "if",
    "sim",
    "yes",
    "nao",
    "not",
    "ok",
    "oi",
    "hi",
    "hello",
    "ola",
    "quero",
    "want",
    "preciso",
    "need",
    "gostaria",
    "like",
    "bom",
    "good",
    "boa",
    "best",
    "novo",
    "feriado",
    "feriadao",
    "all",
    "todos",
    "todas",
    "an",
    "adultos",
    "adults",
    "criancas",
    "kids",
    "pessoas",
    "people",
    "familia",
    "family",
    "amigos",
    "friends",
    "esposa",
    "wife",
    "marido",
    "husband",
    "much",
    "quanto",
    "how",
    "custa",
    "cost",
    "direto",
    "direct",
    "nonstop",
    "escala",
    "stop",
    "lua",
    "mel",
    "nas",
    "pela",
    "pelo",
    "pelas",
    "pelos",
    "num",
    "numa",
];

/// Reads the origin and destination of a message.
pub(super) fn read(words: &Words, previous: &TripRequest) -> Places {
    let trip_known = previous.origin.is_some() || previous.destination.is_some();
    let out = read_with(words, previous, trip_known, false);
    let open = out.origin.or(previous.origin).is_none()
        || out.destination.or(previous.destination).is_none();
    if !open {
        return out;
    }
    // A route still open: codes typed in lower case count too ("gru x
    // rec", "sdu cgh amanhã"), when they are no ordinary word.
    let loose = read_with(words, previous, trip_known, true);
    let more = |p: &Places| usize::from(p.origin.is_some()) + usize::from(p.destination.is_some());
    if more(&loose) > more(&out) {
        loose
    } else {
        out
    }
}

/// [`read`] with or without lower-case codes.
fn read_with(words: &Words, previous: &TripRequest, trip_known: bool, loose: bool) -> Places {
    let mut mentions = mentions(words, trip_known, loose);
    // "valores para Cuiabá → Sinop": an arrow between two places is the
    // route, whatever word came before the first.
    for k in 1..mentions.len() {
        let (a, b) = (&mentions[k - 1], &mentions[k]);
        if words.at(a.end) == "->" && b.start == a.end + 1 && a.role == Some(Role::To) {
            mentions[k - 1].role = Some(Role::From);
            mentions[k].role = Some(Role::To);
        }
    }
    for k in 0..mentions.len() {
        if mentions[k].role.is_none() {
            mentions[k].role = infix_role(words, &mentions, k);
        }
    }
    // "Brasília pra Goiânia... não pera, Brasília pra Palmas": what follows
    // a correction wins; what it leaves out stays as said before.
    let corrected = correction_at(words).filter(|c| mentions.iter().any(|m| m.start > *c));
    if let Some(c) = corrected {
        correct_role(&mut mentions, c);
    }
    instead_of(words, &mut mentions, previous);
    hometown_aside(words, &mut mentions);
    let (earlier, later) = match corrected {
        Some(c) => mentions.split_at(mentions.iter().take_while(|m| m.start < c).count()),
        None => (&[][..], &mentions[..]),
    };
    let mut out = marked(words, later);
    let before = marked(words, earlier);
    out.origin = out.origin.or(before.origin);
    out.destination = out.destination.or(before.destination);
    let unmarked: Vec<Place> = later
        .iter()
        .filter(|m| m.role.is_none())
        .map(|m| m.place)
        .collect();
    fill_unmarked(&mut out, &unmarked, previous);
    prefer_same_country(words, &mentions, &mut out);
    named_airports(words, &mentions, &mut out);
    out.clarify = mentions.iter().find_map(|m| ambiguity(words, m));
    undecided(words, &mentions, &mut out);
    if out.origin.is_none() || out.destination.is_none() {
        out.clarify = out.clarify.or_else(|| country_question(words));
    }
    out
}

/// Whether two places serve one city: airports of one metro, or a metro
/// and one of its airports.
fn same_city(a: Place, b: Place) -> bool {
    let metro = |p: Place| match p {
        Place::Metro(m) => Some(m.code),
        Place::Airport(a) => metro_of(a.code).map(|m| m.code),
    };
    metro(a).is_some() && metro(a) == metro(b)
}

/// "pra BH ... chegando em Confins", "Buenos Aires ..., Aeroparque", "rio
/// pra sp, santos dumont pra congonhas": an airport of the origin's or the
/// destination's metro named anywhere in the message, with no role or
/// that end's, says which of its airports; not one said not to ("pra guarulhos não"), nor two named
/// together ("Ezeiza or Aeroparque doesn't matter").
fn named_airports(words: &Words, mentions: &[Mention], out: &mut Places) {
    for (end, role) in [
        (&mut out.origin, Role::From),
        (&mut out.destination, Role::To),
    ] {
        let Some(Place::Metro(metro)) = *end else {
            continue;
        };
        let refused = |m: &Mention| {
            matches!(words.at(m.end), "nao" | "not")
                || matches!(words.before(m.start), "nao" | "not")
        };
        let mut named: Vec<Place> = mentions
            .iter()
            .filter(|m| matches!(m.place, Place::Airport(a) if metro.airports.contains(&a.code)))
            .filter(|m| !refused(m) && m.role.is_none_or(|r| r == role))
            .map(|m| m.place)
            .collect();
        named.dedup();
        if let [airport] = named[..] {
            *end = Some(airport);
        }
    }
}

/// "Fortaleza ou Natal, ainda não decidi", "Lisbon or Porto": of two
/// destinations to choose between, the first is searched and the answer
/// names the other, which one word then switches to.
fn undecided(words: &Words, mentions: &[Mention], out: &mut Places) {
    let pair = mentions.windows(2).find(|w| {
        let (a, b) = (&w[0], &w[1]);
        let between = words.words.get(a.end..b.start).unwrap_or_default();
        let either = matches!(between, [or] if or == "ou" || or == "or")
            || matches!(between, [or, to] if (or == "ou" || or == "or")
                && matches!(to.as_str(), "pra" | "para" | "to"));
        // Two places said with nothing else, filled in as from and to
        // ("fortaleza ou natal em janeiro"), are the same choice.
        let both_unmarked = a.role.is_none() && b.role.is_none();
        let taken_as_route = out.origin == Some(a.place) && out.destination == Some(b.place);
        either
            && b.place != a.place
            && b.role != Some(Role::From)
            && (out.destination == Some(a.place) && Some(b.place) != out.origin
                || both_unmarked && taken_as_route)
    });
    if let Some([a, b]) = pair {
        if out.origin == Some(a.place) {
            out.origin = None;
        }
        out.destination = Some(a.place);
        out.clarify = Some(Clarification::WhichPlace {
            name: words.words[a.start..b.end].join(" "),
            options: vec![a.place, b.place],
        });
    }
}

/// The origin and destination the marked mentions give: the first of each
/// role, except that an origin right before the destination ("Need Buenos
/// Aires to Florianópolis", after "a couple from Melbourne") is the trip's
/// over one said in passing.
fn marked(words: &Words, mentions: &[Mention]) -> Places {
    let mut out = Places::default();
    let paired = |k: usize| {
        let m = &mentions[k];
        mentions
            .get(k + 1)
            .is_some_and(|n| n.role == Some(Role::To) && n.start <= m.end + 2)
    };
    let from = (0..mentions.len()).filter(|k| mentions[*k].role == Some(Role::From));
    let origin = from.clone().find(|k| paired(*k)).or_else(|| from.min());
    out.origin = origin.map(|k| mentions[k].place);
    // "a week in Paris, then a flight to Rome": where a stay is said gives
    // way to where a flight goes.
    let stay = |m: &&Mention| {
        let two = format!(
            "{} {}",
            words.at(m.start.saturating_sub(2)),
            words.before(m.start)
        );
        STAYS.contains(&two.as_str())
    };
    let to = mentions.iter().filter(|m| m.role == Some(Role::To));
    out.destination = to
        .clone()
        .find(|m| !stay(m))
        .or_else(|| to.clone().next())
        .map(|m| m.place);
    out
}

/// "pra Recife, quer dizer, Natal": the place right after a correction,
/// with no word of its own, takes the role of the place it corrects.
fn correct_role(mentions: &mut [Mention], c: usize) {
    let corrected = mentions
        .iter()
        .rev()
        .find(|m| m.start < c && m.role.is_some());
    let Some(role) = corrected.and_then(|m| m.role) else {
        return;
    };
    if let Some(m) = mentions
        .iter_mut()
        .find(|m| m.start >= c && m.start <= c + 2 && m.role.is_none())
    {
        m.role = Some(role);
    }
}

/// "Porto not Lisbon", "Milan instead of Rome", "Natal e não Recife": the
/// first place takes the role of the one put aside, said in this message
/// or earlier in the conversation, and the one put aside is dropped.
fn instead_of(words: &Words, mentions: &mut Vec<Mention>, previous: &TripRequest) {
    let Some(k) = (1..mentions.len()).find(|&k| {
        let s = mentions[k].start;
        matches!(words.before(s), "not" | "nao")
            || words.phrase_at(s.saturating_sub(2), "instead of")
            || words.phrase_at(s.saturating_sub(3), "em vez de")
            || words.phrase_at(s.saturating_sub(3), "ao inves de")
    }) else {
        return;
    };
    let (aside, aside_at) = (mentions[k].place, mentions[k].start);
    let role = mentions[..k]
        .iter()
        .find(|m| m.place == aside && m.role.is_some())
        .and_then(|m| m.role)
        .or((previous.destination.is_some_and(|p| p.overlaps(&aside))).then_some(Role::To))
        .or((previous.origin.is_some_and(|p| p.overlaps(&aside))).then_some(Role::From))
        .or(mentions[k].role);
    // The place right before the words that put the other aside; with
    // none found, the other stays.
    let Some(chosen) = mentions
        .iter()
        .rposition(|m| m.end < aside_at && m.end + 3 >= aside_at)
    else {
        return;
    };
    mentions[chosen].role = role.or(mentions[chosen].role);
    mentions.retain(|m| m.place != aside);
}

/// "sou de Fortaleza mas moro em SP", "I'm from Lisbon but live in Boston":
/// where the traveller comes from is no origin when another is said.
fn hometown_aside(words: &Words, mentions: &mut Vec<Mention>) {
    let home = |m: &Mention| {
        let s = m.start;
        words.phrase_at(s.saturating_sub(2), "sou de")
            || words.phrase_at(s.saturating_sub(2), "im from")
            || words.phrase_at(s.saturating_sub(3), "i am from")
    };
    let other = mentions
        .iter()
        .any(|m| m.role == Some(Role::From) && !home(m));
    if other {
        mentions.retain(|m| !(m.role == Some(Role::From) && home(m)));
    }
}

/// Where the traveller corrects what they said ("não pera", "na verdade",
/// "ou melhor", "actually", "I mean"): the word after the last such phrase.
fn correction_at(words: &Words) -> Option<usize> {
    (0..words.len()).rev().find_map(|i| {
        CORRECTIONS
            .iter()
            .find(|p| words.phrase_at(i, p))
            .map(|p| i + p.split(' ').count())
    })
}

/// Phrases after which what follows corrects what came before.
const CORRECTIONS: &[&str] = &[
    "nao pera",
    "nao ,",
    "pera ,",
    "na verdade",
    "ou melhor",
    "quer dizer",
    "actually",
    "i mean",
    "sorry ,",
    "make it",
    "no wait",
    "wait ,",
    "digo",
    "alias",
];

/// Whether the words before `i` (a comma aside) end a correction: "quer
/// dizer, Natal", "no wait, Porto".
pub(super) fn after_correction(words: &Words, i: usize) -> bool {
    // A phrase may end in its own comma ("não ,") or be followed by one.
    let ends = [Some(i), (words.before(i) == ",").then(|| i - 1)];
    ends.into_iter().flatten().any(|end| {
        CORRECTIONS.iter().any(|p| {
            let n = Words::count_of(p);
            end >= n && words.phrase_at(end - n, p)
        })
    })
}

/// Countries by their Portuguese and English names (folded), with their
/// ISO code: "quero ir pra Portugal" asks which city.
const COUNTRIES: &[(&str, &str)] = &[
    ("portugal", "PT"),
    ("espanha", "ES"),
    ("spain", "ES"),
    ("franca", "FR"),
    ("france", "FR"),
    ("italia", "IT"),
    ("italy", "IT"),
    ("alemanha", "DE"),
    ("germany", "DE"),
    ("inglaterra", "GB"),
    ("england", "GB"),
    ("reino unido", "GB"),
    ("uk", "GB"),
    ("irlanda", "IE"),
    ("ireland", "IE"),
    ("holanda", "NL"),
    ("netherlands", "NL"),
    ("suica", "CH"),
    ("switzerland", "CH"),
    ("grecia", "GR"),
    ("greece", "GR"),
    ("eua", "US"),
    ("usa", "US"),
    ("estados unidos", "US"),
    ("united states", "US"),
    ("canada", "CA"),
    ("mexico", "MX"),
    ("argentina", "AR"),
    ("chile", "CL"),
    ("peru", "PE"),
    ("colombia", "CO"),
    ("uruguai", "UY"),
    ("uruguay", "UY"),
    ("japao", "JP"),
    ("japan", "JP"),
    ("china", "CN"),
    ("australia", "AU"),
    ("africa do sul", "ZA"),
    ("south africa", "ZA"),
    ("egito", "EG"),
    ("egypt", "EG"),
    ("marrocos", "MA"),
    ("morocco", "MA"),
    ("turquia", "TR"),
    ("turkey", "TR"),
    ("tailandia", "TH"),
    ("thailand", "TH"),
    ("india", "IN"),
    ("brasil", "BR"),
    ("brazil", "BR"),
    ("costa rica", "CR"),
    ("venezuela", "VE"),
    ("bolivia", "BO"),
    ("paraguai", "PY"),
    ("paraguay", "PY"),
    ("equador", "EC"),
    ("ecuador", "EC"),
];

/// A country named where a city was expected: which of its busiest airports?
fn country_question(words: &Words) -> Option<Clarification> {
    let (name, country) = COUNTRIES.iter().find(|(name, _)| {
        (0..words.len()).any(|i| {
            !words.taken[i] && words.phrase_at(i, name) && role_at(words, i, &[], false).is_some()
        })
    })?;
    let mut airports: Vec<_> = crate::places::all_airports()
        .iter()
        .filter(|a| a.country() == *country && a.service() >= 2)
        .collect();
    // Metros first (the country's biggest cities), each once.
    airports.sort_by_key(|a| {
        std::cmp::Reverse((a.service(), metro_of(a.code).is_some(), is_major(a.code)))
    });
    let mut options: Vec<Place> = Vec::new();
    for a in airports {
        let place = metro_of(a.code).map_or(Place::Airport(a), Place::Metro);
        if !options.contains(&place) {
            options.push(place);
        }
    }
    options.truncate(3);
    Some(Clarification::WhichPlace {
        name: (*name).to_owned(),
        options,
    })
}

/// Unmarked places fill what is missing, in order: two of them with
/// nothing marked are from and to ("sp lisboa", "GRU LIS"); one is the
/// origin when the destination is known, in this message or the
/// conversation ("Rio de Janeiro para Lisboa"; "rio" answering "from
/// where?"), else the destination.
fn fill_unmarked(out: &mut Places, unmarked: &[Place], previous: &TripRequest) {
    let fresh: Vec<Place> = unmarked
        .iter()
        .copied()
        .filter(|p| out.origin != Some(*p) && out.destination != Some(*p))
        .collect();
    // "pode ser pampulha ou confins, tanto faz": airports of one city named
    // together are no route and change no end.
    if fresh.len() >= 2
        && fresh
            .windows(2)
            .all(|w| w[0] != w[1] && same_city(w[0], w[1]))
    {
        return;
    }
    if let ([from, to, ..], None, None) = (fresh.as_slice(), out.origin, out.destination) {
        out.origin = Some(*from);
        out.destination = Some(*to);
        return;
    }
    for place in fresh {
        // "actually make it Gatwick" after Heathrow: another airport of an
        // end's city replaces that end.
        let sibling = |end: Option<Place>| end.is_some_and(|e| e != place && same_city(e, place));
        if out.origin.is_none() && sibling(previous.origin) {
            out.origin = Some(place);
            continue;
        }
        if out.destination.is_none() && sibling(previous.destination) {
            out.destination = Some(place);
            continue;
        }
        let has_origin = out.origin.or(previous.origin).is_some();
        let has_destination = out.destination.or(previous.destination).is_some();
        if !has_origin && has_destination && out.origin.is_none() {
            out.origin = Some(place);
        } else if out.destination.is_none() {
            out.destination = Some(place);
        }
    }
}

/// Every place mention, longest name first at each word, with the role the
/// words before it give.
fn mentions(words: &Words, trip_known: bool, loose: bool) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words.at(i);
        let marked = || role_before(words, i, &out, trip_known).is_some();
        if words.taken[i]
            || !(w.len() == 3
                || may_start_name(w)
                || marked()
                || opens_route(words, i)
                || words.before(i) == "->")
        {
            i += code_pair(words, i, &mut out);
            continue;
        }
        let role = role_before(words, i, &out, trip_known);
        match mention_at(words, i, role, loose) {
            Some((place, len)) if narrows(out.last(), i, place) => {
                // "Belo Horizonte (Confins)": the airport named says which of the metro's.
                if let Some(last) = out.last_mut() {
                    last.place = place;
                    last.end = i + len;
                }
                i += len;
            }
            Some((place, len)) => {
                let (place, region) = in_region(words, i, len).unwrap_or((place, 0));
                out.push(Mention {
                    start: i,
                    end: i + len,
                    place,
                    role,
                    qualified: region > 0,
                });
                i += len + region;
            }
            None => i += code_pair(words, i, &mut out),
        }
    }
    out
}

/// "Birmingham, Alabama", "Portland Oregon": the namesake in the state or
/// province named right after the city, and how many words name it.
fn in_region(words: &Words, i: usize, len: usize) -> Option<(Place, usize)> {
    let at = i + len + usize::from(words.at(i + len) == ",");
    let key = words.words[i..i + len].join(" ");
    let places = lookup(&key);
    in_country(words, at, &places)
        .map(|(p, end)| (p, end - i - len))
        .or_else(|| in_state(words, i, len, at, &places))
}

/// "San José da Costa Rica", "Valencia, Venezuela", "Porto, Portugal":
/// the namesake in the country named right after the city, and where
/// its words end.
fn in_country(words: &Words, at: usize, places: &[Place]) -> Option<(Place, usize)> {
    let at = at
        + usize::from(matches!(
            words.at(at),
            "da" | "de" | "do" | "in" | "em" | "na" | "no"
        ));
    let (name, country) = COUNTRIES
        .iter()
        .find(|(name, _)| words.phrase_at(at, name))?;
    // The busiest of the namesakes there (Juan Santamaría over Pavas).
    let service = |p: &Place| match p {
        Place::Airport(a) => a.service(),
        _ => u8::MAX,
    };
    let place = places
        .iter()
        .filter(|p| p.country() == *country && service(p) > 0)
        .min_by_key(|p| std::cmp::Reverse(service(p)))?;
    Some((*place, at + Words::count_of(name)))
}

/// "Birmingham, Alabama": the namesake in the state named after the city.
fn in_state(
    words: &Words,
    i: usize,
    len: usize,
    at: usize,
    places: &[Place],
) -> Option<(Place, usize)> {
    (1..=3).rev().find_map(|n| {
        let region = (at..at + n)
            .map(|k| words.at(k))
            .collect::<Vec<_>>()
            .join(" ");
        places
            .iter()
            .find(|p| {
                matches!(p, Place::Airport(a) if a.service() >= 1
                    && crate::places::fold(a.subdivision()) == region)
            })
            .map(|p| (*p, at + n - i - len))
    })
}

/// Whether `place`, right after the mention `last`, is one of its metro's airports.
fn narrows(last: Option<&Mention>, i: usize, place: Place) -> bool {
    last.is_some_and(|m| {
        m.end == i
            && matches!(m.place, Place::Metro(_))
            && matches!(place, Place::Airport(_))
            && m.place.overlaps(&place)
    })
}

/// "GRU-LIS", "sp-rio", "SP/Rio" written as one word: from and to; the
/// second may run on into the next words ("sp/buenos aires").
fn code_pair(words: &Words, i: usize, out: &mut Vec<Mention>) -> usize {
    let w = words.at(i);
    // A side may be misspelt too ("uberlandai-sp").
    let side = |s: &str| {
        by_code(s)
            .or_else(|| lookup(s).first().copied().filter(|p| notable(*p)))
            .or_else(|| {
                (s.len() >= 5)
                    .then(|| crate::places::lookup_typo(s))
                    .flatten()
            })
    };
    // "sp/salvador/sp": a round trip, from the first to the second.
    let mut sides = w.split(['-', '/']);
    let (from, to, back) = match (sides.next(), sides.next(), sides.next(), sides.next()) {
        (Some(a), Some(b), back, None) if back.is_none_or(|c| c == a) => (a, b, back),
        _ => return 1,
    };
    // The second place and how many words it took.
    let run_on = || {
        (1..MAX_NAME_WORDS).rev().find_map(|n| {
            let rest = words.words.get(i + 1..i + 1 + n)?;
            if words.taken[i + 1..i + 1 + n].iter().any(|t| *t) {
                return None;
            }
            side(&format!("{to} {}", rest.join(" "))).map(|p| (p, 1 + n))
        })
    };
    let second = side(to)
        .map(|p| (p, 1))
        .or_else(|| if back.is_none() { run_on() } else { None });
    let (Some(a), Some((b, used))) = (side(from), second) else {
        return 1;
    };
    if words.taken[i] {
        return 1;
    }
    for (place, role) in [(a, Role::From), (b, Role::To)] {
        out.push(Mention {
            start: i,
            end: i + used,
            place,
            role: Some(role),
            qualified: false,
        });
    }
    used
}

fn by_code(text: &str) -> Option<Place> {
    IataCode::parse(text).ok().and_then(Place::by_code)
}

/// Words that never start a place name of several words.
const FUNCTION: &[&str] = &[
    "de", "do", "da", "para", "pra", "pro", "to", "from", "em", "in", "the", "e", "and", "a", "o",
    "com", "with", "ate", "por", "for", "no", "na", "on", "at", "dia", "ou", "or", "um", "uma",
    "eu", "i", "me", "quero", "want",
];

/// Names that are places alone only after a place word: "para Natal", "do
/// Porto", but not "no natal" or "porto" in passing.
const WEAK: &[&str] = &[
    "natal", "porto", "sao", "santa", "santo", "san", "new", "nova", "la",
];

/// The place named by the longest run of words from `i`, and its length.
/// After a place word any name counts; elsewhere only a metro, an airport
/// with a real scheduled service, or a code written in capitals.
fn mention_at(words: &Words, i: usize, role: Option<Role>, loose: bool) -> Option<(Place, usize)> {
    let first = words.at(i);
    if words.taken[i] {
        return None;
    }
    let longest = longest_start(words, i);
    for len in (1..=longest).rev() {
        if (i..i + len).any(|k| words.taken[k] || matches!(words.at(k), "," | "->")) {
            continue;
        }
        let routed = len == 1 && in_route(words, i);
        // "nyc to la": in English "la" is Los Angeles, not Portuguese "lá".
        let english_la = len == 1
            && first == "la"
            && matches!(words.before(i), "to" | "from" | "in")
            && super::language::language_of(words) == Some(super::Lang::En);
        let blocked = if len == 1 {
            (NEVER.contains(&first) || WEAK.contains(&first) && role.is_none() && !routed)
                && !words.capitals[i]
                && !english_la
        } else {
            FUNCTION.contains(&first)
        };
        if blocked {
            continue;
        }
        let key = words.words[i..i + len].join(" ");
        // A single word that only names airstrips without scheduled service
        // ("de carro", "pra curtir") is an ordinary word: no fare to search there.
        // A name chosen by hand ("pampulha") is a place whatever its service.
        let chosen = is_chosen_name(&key);
        let unserved = |p: &Place| matches!(p, Place::Airport(a) if a.service() == 0);
        let named = role.is_some() || len > 1 || words.capitals[i] || routed;
        let word_only = |p: &Place| len == 1 && unserved(p) && !words.capitals[i] && !chosen;
        if let Some(place) = lookup(&key).first().copied()
            && (named || notable(place) || chosen)
            && !word_only(&place)
        {
            return Some((place, len));
        }
    }
    code_at(words, i, role, loose).or_else(|| {
        (role.is_some() || opens_route(words, i) || words.before(i) == "->")
            .then(|| typo_at(words, i))
            .flatten()
    })
}

/// Whether the words at `i` open a message or clause and lead to "pra",
/// "to" or an arrow ("florianoplis pra porto alegre"): a place, even
/// misspelt.
fn opens_route(words: &Words, i: usize) -> bool {
    let start = i == 0 || matches!(words.before(i), "," | "->");
    // ... and a place after the marker, not a date ("muda pra dia 15").
    let placeish = |w: &str| {
        w.chars().all(char::is_alphabetic)
            && !matches!(
                w,
                "" | "dia" | "o" | "a" | "the" | "amanha" | "hoje" | "tomorrow"
            )
            && super::calendar::month_named(w).is_none()
            && super::calendar::weekday_named(w).is_none()
    };
    start
        && (i + 1..i + 4).any(|k| {
            matches!(words.at(k), "pra" | "para" | "pro" | "to" | "->" | "x")
                && placeish(words.at(k + 1))
        })
}

/// Brazilian states' abbreviations, written after a city ("natal rn",
/// "bonito ms"): the word before is the city.
const STATES: &[&str] = &[
    "ac", "al", "am", "ap", "ba", "ce", "df", "es", "go", "ma", "mg", "ms", "mt", "pa", "pb", "pe",
    "pi", "pr", "rn", "ro", "rr", "rs", "sc", "se", "to",
];

/// Whether the word at `i` stands where only a place can: before a state's
/// abbreviation, before "to"/"pra"/"-"/"x" and another word, or after a
/// route's "-"/"x" ("natal rn - recife", "Porto to Recife", "gatwick - porto").
fn in_route(words: &Words, i: usize) -> bool {
    let next = words.at(i + 1);
    let joins = |w: &str| matches!(w, "-" | "->" | "x" | "to" | "pra" | "para");
    // "Fortaleza ou Natal": an alternative to a place.
    let alternative = i >= 2
        && matches!(words.before(i), "ou" | "or")
        && lookup(words.at(i - 2)).first().is_some_and(|p| notable(*p));
    STATES.contains(&next) && !words.taken[i + 1]
        || joins(next) && !words.at(i + 2).is_empty()
        || i >= 2 && matches!(words.before(i), "-" | "->" | "x")
        || alternative
        || after_correction(words, i)
}

/// How many words from `i` some name may span: runs that begin no name are
/// not looked up.
fn longest_start(words: &Words, i: usize) -> usize {
    let mut key = words.at(i).to_owned();
    let mut longest = 1;
    while i + longest < words.len() && longest < MAX_NAME_WORDS {
        let next = format!("{key} {}", words.at(i + longest));
        if !may_start_name(&next) {
            break;
        }
        key = next;
        longest += 1;
    }
    longest
}

/// A misspelt name after a place word ("pra salvadr", "to new yrok"): the
/// longest run of up to three plain words, not ordinary words, that is
/// close to a well-served place's name.
fn typo_at(words: &Words, i: usize) -> Option<(Place, usize)> {
    let plain = |k: usize| {
        let w = words.at(k);
        k < words.len()
            && !words.taken[k]
            && w.chars().all(char::is_alphabetic)
            && !NEVER.contains(&w)
            && !FUNCTION.contains(&w)
    };
    let run = (i..i + 3).take_while(|k| plain(*k)).count();
    (1..=run).rev().find_map(|len| {
        let key = words.words[i..i + len].join(" ");
        // A country is no misspelt city ("brazil" is not Brazzaville).
        let country = COUNTRIES.iter().any(|(name, _)| *name == key);
        let ordinary = country || len == 1 && (key.len() < 5 || super::language::is_word(&key));
        if ordinary {
            return None;
        }
        crate::places::lookup_typo(&key).map(|p| (p, len))
    })
}

/// A three-letter airport code: written in capitals, or after a place word,
/// or (`loose`) any code of a well-served place that is no ordinary word.
fn code_at(words: &Words, i: usize, role: Option<Role>, loose: bool) -> Option<(Place, usize)> {
    let w = words.at(i);
    // "pro são joão": "são" before a name is a saint's, not São Paulo's code.
    let next = words.at(i + 1);
    let saint = w == "sao"
        && !next.is_empty()
        && next.chars().all(char::is_alphabetic)
        && !FUNCTION.contains(&next);
    let ordinary = NEVER.contains(&w) || super::language::is_word(w) || saint;
    if w.len() != 3 || !(words.capitals[i] || (role.is_some() || loose) && !ordinary) {
        return None;
    }
    let place = by_code(w)?;
    (words.capitals[i] || role.is_some() || notable(place)).then_some((place, 1))
}

/// Whether a place is one a traveller names without "de"/"para" before it.
fn notable(place: Place) -> bool {
    match place {
        Place::Metro(_) => true,
        Place::Airport(a) => a.service() >= 2,
    }
}

/// The role the words just before word `i` give a place there, looking
/// past articles and "a cidade de" / "the city of" when needed.
fn role_before(words: &Words, i: usize, earlier: &[Mention], trip_known: bool) -> Option<Role> {
    let mut j = i;
    loop {
        let named = matches!(
            words.at(j.saturating_sub(2)),
            "cidade" | "city" | "aeroporto" | "airport"
        );
        if named && j >= 3 && matches!(words.before(j), "de" | "do" | "of") {
            j -= 2;
            continue;
        }
        if let Some(role) = role_at(words, j, earlier, trip_known) {
            return Some(role);
        }
        if j < 2 || !matches!(words.before(j), "o" | "a" | "os" | "as" | "the") {
            return None;
        }
        j -= 1;
    }
}

/// The role the marker right before word `j` gives, turned around after a
/// return word once the trip is known: "ida pra Lisboa, voltando para SP"
/// and "back to NYC" name the origin.
fn role_at(words: &Words, j: usize, earlier: &[Mention], trip_known: bool) -> Option<Role> {
    let marker = words.before(j);
    let two = format!("{} {}", words.at(j.saturating_sub(2)), marker);
    let role = marker_role(marker, &two, words, j, earlier)?;
    let back = j.saturating_sub(2);
    let ida_e_volta = words.at(back) == "volta"
        && words.before(back) == "e"
        && words.at(back.saturating_sub(2)) == "ida";
    // Only a return added to a trip already named turns around: a message
    // that is all about the way back ("voo de volta de Lisboa para SP")
    // names its own from and to.
    // ("to em Milão e preciso voltar pra SP": where the traveller is, then
    // home, is a trip home.)
    let returning = !ida_e_volta
        && (trip_known || earlier.iter().any(|m| m.role != Some(Role::From)))
        && matches!(
            words.at(back),
            "voltando" | "volta" | "voltar" | "returning" | "back" | "retorno" | "coming"
        );
    Some(match (returning, role) {
        (true, Role::To) => Role::From,
        (true, Role::From) => Role::To,
        (false, r) => r,
    })
}

/// Words after which a place is the origin.
const FROM: &[&str] = &[
    "de",
    "do",
    "da",
    "desde",
    "from",
    "leave",
    "leaving",
    "depart",
    "departing",
    "saindo",
    "partindo",
    "sair",
    "partir",
    "origem",
];

/// Words after which a place is the destination.
const TO: &[&str] = &[
    "para", "pra", "pro", "to", "destino", "rumo", "visitar", "visit", "conhecer", "ate", "into",
    "towards", "till", "for",
];

/// Two-word phrases after which a place is the origin.
const FROM_TWO: &[&str] = &[
    "out of",
    "estou em",
    "to em",
    "tou em",
    // "to no Porto", "moro no Rio": with the article some cities take.
    "estou no",
    "estou na",
    "to no",
    "to na",
    "tou no",
    "moro no",
    "moro na",
    "moro em",
    "mora em",
    "moramos em",
    "moram em",
    "vive em",
    "vivem em",
    "lives in",
    "living in",
    "morando em",
    "vivo em",
    "i'm in",
    "im in",
    "live in",
    "based in",
    "embarcando em",
    "saindo em",
];

/// People whose home a traveller visits.
const RELATIVES: &[&str] = &[
    "filha",
    "filho",
    "mae",
    "pai",
    "irma",
    "irmao",
    "avo",
    "tia",
    "tio",
    "namorada",
    "namorado",
    "amiga",
    "amigo",
    "prima",
    "primo",
    "ela",
    "ele",
    "daughter",
    "son",
    "mother",
    "mom",
    "mum",
    "father",
    "dad",
    "sister",
    "brother",
    "grandma",
    "aunt",
    "uncle",
    "girlfriend",
    "boyfriend",
    "friend",
    "she",
    "he",
    "parents",
    "pais",
];

/// "a long weekend in Porto", "uma semana em Salvador": where a stay is,
/// the destination unless a flight goes elsewhere.
const STAYS: &[&str] = &[
    "weekend in",
    "week in",
    "days in",
    "nights in",
    "holiday in",
    "vacation in",
    "semana em",
    "dias em",
    "noites em",
    "ferias em",
];

/// Two-word phrases after which a place is the destination.
const TO_TWO: &[&str] = &[
    "chegar em",
    "chegar a",
    "chegando em",
    "chegando a",
    "arrive in",
    "arrive at",
    "arriving in",
    "arriving at",
    "land in",
    "landing in",
    "ir a",
    "ir em",
    "ficar em",
    "go to",
    "destino a",
    "destino ao",
    "vou a",
    "indo a",
];

/// The role of a place after "mora em", "I'm in", "living in": where
/// someone lives or is is the origin, except someone else's home the
/// traveller visits, or the traveller's home on a trip home.
fn home_role(words: &Words, two: &str, j: usize) -> Role {
    // "minha filha mora em Porto Alegre", "my daughter lives in Lisbon":
    // someone else's home is where the traveller goes.
    // (Not "ela mora em Londrina" about the traveller: a visit is said.)
    // ... unless they are the ones coming ("vão vir me visitar").
    let visited_me = [
        "me visitar",
        "visit me",
        "me ver",
        "see me",
        "visitar a gente",
        "nos visitar",
        "visit us",
        "vir visitar",
        "come visit",
    ]
    .iter()
    .any(|p| words.has(p));
    let visit = !visited_me
        && ["visitar", "visit", "ver", "see", "rever"]
            .iter()
            .any(|w| words.has(w));
    let third_person = visit
        && matches!(
            two,
            "mora em"
                | "vive em"
                | "moram em"
                | "vivem em"
                | "morando em"
                | "lives in"
                | "live in"
                | "living in"
        )
        && (j.saturating_sub(6)..j.saturating_sub(2)).any(|k| RELATIVES.contains(&words.at(k)));
    // "passagem de volta pra casa, to em Lisboa e moro em BH": the
    // home of a traveller who says where they are now is where a trip
    // home goes ("moro em SP, família em Teresina" stays the origin).
    let going_home = [
        "pra casa",
        "para casa",
        "flying home",
        "fly home",
        "going home",
        "back home",
    ]
    .iter()
    .any(|p| words.has(p));
    let away = ["to em", "estou em", "tou em", "im in", "i'm in"]
        .iter()
        .any(|p| words.has(p));
    let home = going_home && away && matches!(two, "moro em" | "moro no" | "moro na" | "live in");
    if third_person || home {
        Role::To
    } else {
        Role::From
    }
}

/// The role one marker word (or two-word marker) gives.
fn marker_role(
    marker: &str,
    two: &str,
    words: &Words,
    j: usize,
    earlier: &[Mention],
) -> Option<Role> {
    // "looking for SF to LaGuardia", "the price for LAX to Cancun": the
    // start of a route said next, not where to.
    let route_next = (j + 1..j + 5).any(|k| matches!(words.at(k), "to" | "->" | "pra" | "para"));
    if marker == "for" && route_next {
        return None;
    }
    if FROM_TWO.contains(&two) {
        return Some(home_role(words, two, j));
    }
    // "want to do Orlando", "let's do Lisbon": English "do" is no "from".
    if TO_TWO.contains(&two)
        || STAYS.contains(&two)
        || matches!(two, "to do" | "lets do" | "we do" | "i do")
        || matches!(marker, "em" | "in" | "a" if words.before(j.saturating_sub(1)) == "arrive")
    {
        return Some(Role::To);
    }
    if matches!(marker, "e" | "and") {
        // "entre X e Y", "between X and Y"
        let after_between = earlier.last().is_some_and(|m| {
            m.end + 1 == j && matches!(words.before(m.start), "entre" | "between")
        });
        return after_between.then_some(Role::To);
    }
    // "carnaval de Salvador", "réveillon do Rio": where the holiday is spent.
    let holiday_of = matches!(marker, "de" | "do" | "da" | "in" | "em")
        && matches!(
            words.at(j.saturating_sub(2)),
            "carnaval" | "carnival" | "reveillon" | "natal" | "christmas" | "pascoa" | "easter"
        );
    // ... unless the message says where to elsewhere ("viagem de natal de
    // sp pra salvador").
    let to_later = (j..words.len()).any(|k| TO.contains(&words.at(k)));
    if holiday_of && !to_later {
        return Some(Role::To);
    }
    if matches!(marker, "entre" | "between") || FROM.contains(&marker) {
        return Some(Role::From);
    }
    TO.contains(&marker).then_some(Role::To)
}

/// A role from the shape "X -> Y", "X - Y", "X x Y", "X to Y" when the
/// words before said none; in a chain "X - Y - X" the middle is the
/// destination.
fn infix_role(words: &Words, mentions: &[Mention], k: usize) -> Option<Role> {
    let m = &mentions[k];
    let arrow_after = words.at(m.end) == "->";
    let arrow_before = m.start > 0 && words.at(m.start - 1) == "->";
    if arrow_before && k > 0 && mentions[k - 1].end + 1 == m.start {
        return Some(Role::To);
    }
    let next = mentions.get(k + 1);
    if arrow_after && next.is_some_and(|n| n.start == m.end + 1) {
        return Some(Role::From);
    }
    // "de Campinas ou São Paulo para Lisboa": an alternative, not the route's start.
    let listed = m.start > 0 && matches!(words.at(m.start - 1), "ou" | "or" | "e" | "and");
    let to_marker = !listed && matches!(words.at(m.end), "to" | "pra" | "para" | "pro");
    let to_next = next.is_some_and(|n| n.start == m.end + 1 && n.role == Some(Role::To));
    (to_marker && to_next).then_some(Role::From)
}

/// A namesake in the country of the trip's other end wins over a busier one
/// abroad that is no major gateway: "Birmingham to Atlanta" is Alabama,
/// "Birmingham to Dublin" England, "Manchester to Orlando" England.
fn prefer_same_country(words: &Words, mentions: &[Mention], out: &mut Places) {
    let (Some(origin), Some(destination)) = (out.origin, out.destination) else {
        return;
    };
    for m in mentions {
        let other = if m.place == origin {
            destination
        } else if m.place == destination {
            origin
        } else {
            continue;
        };
        let key = words.words[m.start..m.end].join(" ");
        let home = other.country();
        // ... but a major gateway stays: "Manchester to Orlando" is MAN.
        let gateway = match m.place {
            Place::Airport(a) => is_major(a.code),
            Place::Metro(_) => true,
        };
        if m.place.country() == home || m.qualified || gateway {
            continue;
        }
        let namesake = lookup(&key)
            .iter()
            .copied()
            .find(|p| p.country() == home && matches!(p, Place::Airport(a) if a.service() >= 2));
        if let Some(better) = namesake {
            if out.origin == Some(m.place) {
                out.origin = Some(better);
            } else {
                out.destination = Some(better);
            }
        }
    }
}

/// A question to ask when the name means places in different countries that
/// are equally busy and equally hubs (the rule prefers the busiest, then the
/// hub; here neither decides).
fn ambiguity(words: &Words, m: &Mention) -> Option<Clarification> {
    let key = words.words[m.start..m.end].join(" ");
    let options = lookup(&key);
    let (Some(Place::Airport(a)), Some(Place::Airport(b))) = (options.first(), options.get(1))
    else {
        return None;
    };
    let tie = a.service() == b.service() && is_major(a.code) == is_major(b.code);
    (tie && a.country() != b.country() && a.service() >= 2).then(|| Clarification::WhichPlace {
        name: key.clone(),
        options: options.iter().take(3).copied().collect(),
    })
}
