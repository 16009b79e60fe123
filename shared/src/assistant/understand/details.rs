//! Passengers, cabin, budget and stops.

use rust_decimal::Decimal;

use super::Lang;
use super::numbers::count;
use super::text::Words;
use crate::domain::{Cabin, Currency};

/// Who travels.
#[derive(Debug, Default)]
pub(super) struct Party {
    pub adults: Option<u8>,
    pub children: Option<u8>,
    pub infants: Option<u8>,
}

/// Counts by the noun after a number ("2 adultos", "duas crianças", "a
/// baby"), then the ways people say "two of us" or "just me".
pub(super) fn party(words: &Words) -> Party {
    let mut p = counted(words);
    // "2 crianças, uma de 3 e outra de 1 ano e meio": ages decide the fares.
    // "3 kids (4, 7 and 13)": the 13-year-old flies as an adult; "2
    // adultos e 1 adolescente": so do teenagers.
    let mut grown = teenagers(words);
    let by_age = super::members::young_by_age(words);
    if let Some(m) = by_age {
        p.children = Some(m.children).filter(|n| *n > 0);
        p.infants = Some(m.infants).filter(|n| *n > 0).or(p.infants);
        grown = grown.saturating_add(m.adults);
    }
    if let Some(m) = super::members::described(words).or_else(|| super::members::with_me(words)) {
        // The list counted everyone by age already.
        grown = 0;
        // The list names everyone, with ages where given: its counts win
        // over "3 filhos" read alone (a 12-year-old flies as an adult).
        let some = |n: u8| (n > 0).then_some(n);
        p.adults = p.adults.or(some(m.adults));
        // Young ones counted by age outside the list ("eu e minha esposa
        // queremos ir ... com nossos 2 filhos de 6 e 9 anos") still fly.
        let aged_children = by_age.and_then(|b| some(b.children));
        p.children = some(m.children).or(aged_children);
        p.infants = some(m.infants).or(p.infants);
    }
    // "me and my buddies (5 of us)": a total said outright wins over the
    // people a description happened to name.
    let listed = p.adults.unwrap_or(0)
        + p.children.unwrap_or(0)
        + p.infants.unwrap_or(0)
        + u8::try_from(aged_alone(words).len()).unwrap_or(u8::MAX);
    if stated_party(words).is_some_and(|n| n > listed) {
        p.adults = None;
    }
    if p.adults.is_none() {
        p.adults = implied_adults(words, &p);
    }
    if p.adults.is_none() && one_ticket(words) {
        p.adults = Some(1);
    }
    p.adults = p.adults.map(|a| a.saturating_add(grown));
    // "and a 9 month old", "my 2 yr old and my 10 month old baby": young
    // ones by age alone.
    let ages = aged_alone(words);
    let young = |range: std::ops::Range<u32>| {
        let n = ages.iter().filter(|m| range.contains(m)).count();
        u8::try_from(n).ok().filter(|n| *n > 0)
    };
    p.infants = p.infants.or(young(0..24));
    p.children = p.children.or(young(24..144));
    if p.infants.is_none()
        && [
            "bebe de colo",
            "um bebe",
            "a baby",
            "an infant",
            "com bebe",
            "with a baby",
        ]
        .iter()
        .any(|ph| words.has(ph))
    {
        p.infants = Some(1);
    }
    p
}

/// The counts written as a number and a noun: "2 adultos", "duas
/// crianças", "a baby".
fn counted(words: &Words) -> Party {
    let mut p = Party::default();
    for i in 1..words.len() {
        // "2 business class seats", "1 lap infant": the count is before
        // the words that describe the seat.
        let described = |w: &str| {
            matches!(
                w,
                "business"
                    | "economy"
                    | "class"
                    | "first"
                    | "premium"
                    | "executiva"
                    | "economica"
                    | "lap"
            )
        };
        let mut k = i - 1;
        while k > 0 && described(words.at(k)) {
            k -= 1;
        }
        let Some(n) = count(words.at(k)).and_then(|n| u8::try_from(n).ok()) else {
            continue;
        };
        match words.at(i) {
            "adulto" | "adultos" | "adult" | "adults" | "pessoas" | "pessoa" | "people"
            | "persons" | "person" | "passageiros" | "passageiro" | "passengers" | "passenger"
            | "travellers" | "travelers" | "traveller" | "traveler" | "pax" | "ppl"
            | "passagens" | "tickets" | "bilhetes" | "lugares" | "assentos" | "seats"
            | "colaboradores" | "executivos" | "funcionarios" | "viajantes" => {
                p.adults = Some(n);
            }
            // "somos 2 casais": two people each.
            "casais" | "couples" => p.adults = Some(n.saturating_mul(2)),
            // "4 lads": the whole group, unless the traveller is named
            // besides them ("me and 3 mates").
            "lads" | "blokes" | "mates" | "girls" | "guys"
                if !["me and", "eu e", "me +", "and i"]
                    .iter()
                    .any(|ph| words.has(ph)) =>
            {
                p.adults = Some(n);
            }
            // "3 amigos contando comigo": the whole group.
            "amigos" | "amigas" | "friends" if counts_me(words) => p.adults = Some(n),
            "crianca" | "criancas" | "child" | "children" | "kid" | "kids" | "toddler"
            | "toddlers" | "filho" | "filhos" | "filha" | "filhas" => p.children = Some(n),
            "bebe" | "bebes" | "infant" | "infants" | "baby" | "babies" => p.infants = Some(n),
            _ => {}
        }
    }
    p
}

/// "contando comigo", "including me": a count that names the traveller too.
fn counts_me(words: &Words) -> bool {
    [
        "contando comigo",
        "comigo incluso",
        "incluindo eu",
        "including me",
        "me included",
    ]
    .iter()
    .any(|p| words.has(p))
}

/// "e 1 adolescente", "and 2 teenagers" after a count of adults.
fn teenagers(words: &Words) -> u8 {
    (1..words.len())
        .filter(|&i| {
            matches!(
                words.at(i),
                "adolescente" | "adolescentes" | "teen" | "teens" | "teenager" | "teenagers"
            ) && matches!(
                words.at(i.saturating_sub(2)),
                "e" | "and" | "+" | "," | "adults" | "adultos"
            )
        })
        .filter_map(|i| count(words.before(i)).and_then(|n| u8::try_from(n).ok()))
        .fold(0, u8::saturating_add)
}

/// One ticket with nobody else named: "uma passagem", "pra mim", "a ticket
/// for me", "pasagem pra 1".
fn one_ticket(words: &Words) -> bool {
    const ONE: &[&str] = &[
        "uma passagem",
        "1 passagem",
        "um bilhete",
        "1 bilhete",
        "pra mim",
        "para mim",
        "for me",
        "pra 1",
        "para 1",
        "for 1",
        "for one",
        "so ela",
        "so ele",
        "so pra ela",
        "so pra ele",
        "so para ela",
        "so para ele",
        "just for her",
        "just for him",
        "just her",
        "just him",
        "o colaborador",
        "a colaboradora",
        "o sr",
        "a sra",
        "our ceo",
    ];
    // "a one way ticket", "a return ticket": one ticket of any kind.
    let a_ticket = (0..words.len()).any(|i| {
        matches!(words.at(i), "a" | "one" | "1")
            && (i + 1..i + 5).any(|k| matches!(words.at(k), "ticket" | "seat"))
    });
    ONE.iter().any(|p| words.has(p)) || a_ticket
}

/// "a 9 month old", "our 10 year old": the age, in months, of someone
/// named by age alone.
fn aged_alone(words: &Words) -> Vec<u32> {
    (1..words.len())
        .filter_map(|i| {
            let n = words.before(i).parse::<u32>().ok()?;
            let per = match words.at(i) {
                "month" | "months" | "mo" => 1,
                "year" | "years" | "yr" | "yrs" => 12,
                _ => return None,
            };
            (words.at(i + 1) == "old").then_some(n * per)
        })
        .collect()
}

/// People a traveller goes with, counted as one more adult.
const COMPANION: &[&str] = &[
    "esposa",
    "esposo",
    "marido",
    "mulher",
    "namorada",
    "namorado",
    "noiva",
    "noivo",
    "mae",
    "pai",
    "amigo",
    "amiga",
    "irma",
    "irmao",
    "wife",
    "husband",
    "partner",
    "girlfriend",
    "boyfriend",
    "mom",
    "mother",
    "dad",
    "father",
    "friend",
    "sister",
    "brother",
    "fiance",
    "fiancee",
    "gf",
    "bf",
    "mate",
    "patroa",
    "acompanhante",
];

/// Phrases that make the party two adults.
const TWO: &[&str] = &[
    "casal",
    "a couple",
    "nos dois",
    "we two",
    "the two of us",
    "two of us",
    "nos 2",
    "eu e ela",
    "eu e ele",
    "so os dois",
    "os dois",
    "both of us",
    "the two of them",
    "pros meus pais",
    "pros dois",
    "pra os dois",
    "para os dois",
    "para os meus pais",
    "para meus pais",
    "pra meus pais",
    "for my parents",
];

/// Phrases that make the party the traveller alone.
const ONE: &[&str] = &[
    "sozinho",
    "sozinha",
    "just me",
    "alone",
    "only me",
    "so eu",
    "apenas eu",
    "myself",
];

/// Adults said without a count: "eu e minha esposa", "a couple", "somos 3",
/// "just me", "eu e meus 2 filhos" (one adult).
fn implied_adults(words: &Words, p: &Party) -> Option<u8> {
    if words.has("um casal") || words.has("a couple") {
        return Some(2);
    }
    if parents_travel(words) {
        return Some(2);
    }
    if let Some(n) = stated_party(words) {
        // "family of 4 (2 kids ...)": the rest are adults.
        let young = p
            .children
            .unwrap_or(0)
            .saturating_add(p.infants.unwrap_or(0));
        return Some(if n > young { n - young } else { n });
    }
    if with_companion(words) || TWO.iter().any(|ph| words.has(ph)) {
        return Some(2);
    }
    if ONE.iter().any(|ph| words.has(ph)) {
        return Some(1);
    }
    let me_and = [
        "eu e",
        "me and",
        "com meus",
        "with my",
        "add my",
        "adding my",
        "plus my",
    ]
    .iter()
    .any(|ph| words.has(ph));
    (p.children.is_some() && me_and).then_some(1)
}

/// "my parents (both in their 60s) want to come visit me": they travel,
/// unless the traveller visits them ("my parents live in Lisbon; I want to
/// visit them").
fn parents_travel(words: &Words) -> bool {
    let visited = ["visit them", "visitar eles", "visita-los", "ver eles"]
        .iter()
        .any(|p| words.has(p));
    (words.phrase_at(0, "my parents") || words.phrase_at(0, "meus pais")) && !visited
}

/// "somos 4", "we are 3", "party of 5".
fn stated_party(words: &Words) -> Option<u8> {
    let tickets = ["passagem", "passagens", "bilhete", "bilhetes"]
        .iter()
        .any(|w| words.has(w));
    (0..words.len()).find_map(|i| {
        // "2 of us", "nós 3", "for two": the whole party.
        let alone = |w: &str| matches!(w, "" | "," | "people" | "pessoas" | "adults" | "adultos");
        let n = count(words.at(i)).filter(|n| *n >= 2);
        let digits = words.at(i).starts_with(|c: char| c.is_ascii_digit());
        // "premium economy for 2", "passagem pra natal pra 2": a small
        // number alone after "for" (not "staying for 5"), or after "pra" in
        // a request for tickets, is people; "muda pra 15" is a day.
        let stay = matches!(words.at(i.saturating_sub(2)), "staying" | "stay" | "stays");
        let for_few = n.is_some_and(|n| n <= 9)
            && (words.before(i) == "for" && !stay
                || tickets && matches!(words.before(i), "pra" | "para"));
        if n.is_some()
            && (words.phrase_at(i + 1, "of us")
                || matches!(words.before(i), "nos" | "for" | "para" | "pra")
                    && alone(words.at(i + 1))
                    && (!digits || for_few))
        {
            return n.and_then(|n| u8::try_from(n).ok());
        }
        let k = match words.at(i) {
            // "somos em 4", "vamos em 2", "seremos 3"
            "somos" | "vamos" | "seremos" | "estamos"
                if words.at(i + 1) == "em" && alone(words.at(i + 3)) =>
            {
                i + 2
            }
            "somos" | "sendo" | "seremos" => i + 1,
            _ if [
                "we are",
                "party of",
                "family of",
                "familia de",
                "group of",
                "grupo de",
            ]
            .iter()
            .any(|p| words.phrase_at(i, p)) =>
            {
                i + 2
            }
            _ => return None,
        };
        // "we are a family of 4": the count is further on.
        let group = ["family of", "familia de", "grupo de", "group of"]
            .iter()
            .any(|p| words.phrase_at(k + 1, p));
        let k = if matches!(words.at(k), "a" | "um" | "uma") && group {
            k + 3
        } else {
            k
        };
        count(words.at(k)).and_then(|n| u8::try_from(n).ok())
    })
}

/// "eu e minha esposa", "with my wife", "my wife and I": the traveller and
/// one companion ("visit my mom" is no companion).
fn with_companion(words: &Words) -> bool {
    let beside = (2..words.len()).any(|i| {
        matches!(words.before(i), "minha" | "meu" | "my" | "a" | "o")
            && COMPANION.contains(&words.at(i))
            && (matches!(words.at(i - 2), "e" | "and" | "com" | "with")
                || words.phrase_at(i + 1, "and i")
                || words.phrase_at(i + 1, "e eu"))
    });
    // "acompanhado de minha esposa", "my wife and me", "com acompanhante".
    let escorted = (1..words.len()).any(|i| {
        matches!(words.at(i), "acompanhado" | "acompanhada")
            && matches!(words.at(i + 1), "de" | "da" | "do" | "pela" | "pelo")
    }) || words.has("com acompanhante")
        || words.has("with a companion");
    let and_me = (1..words.len()).any(|i| {
        matches!(words.before(i), "my") && COMPANION.contains(&words.at(i)) && {
            words.phrase_at(i + 1, "and me") || words.phrase_at(i + 1, "and myself")
        }
    });
    beside
        || escorted
        || and_me
        || COMPANION
            .iter()
            .any(|c| words.phrase_at(0, &format!("my {c} and i")))
}

/// The cabin named, if any.
pub(super) fn cabin(words: &Words) -> Option<Cabin> {
    let any = |phrases: &[&str]| phrases.iter().any(|p| words.has(p));
    if any(&["primeira classe", "first class", "primeira"])
        && !words.has("primeira semana")
        && (words.has("classe") || words.has("class"))
    {
        Some(Cabin::First)
    } else if any(&["premium economy", "economica premium", "premium"]) {
        Some(Cabin::PremiumEconomy)
    } else if any(&["executiva", "business", "classe executiva"]) {
        Some(Cabin::Business)
    } else if any(&["economica", "economy", "coach", "classe economica"]) {
        Some(Cabin::Economy)
    } else {
        None
    }
}

/// Ways of asking for nonstop flights.
const NONSTOP: &[&str] = &[
    "voo direto",
    "voos diretos",
    "direto",
    "direta",
    "diretos",
    "directo",
    "directos",
    "sem escala",
    "sem escalas",
    "sem conexao",
    "sem conexoes",
    "nonstop",
    "nonstops",
    "non-stop",
    "non stop",
    "direct",
    "no layover",
    "no layovers",
    "no stops",
    "without stops",
];

/// Most stops per direction: "direto"/"nonstop" → 0, "até 1 escala" → 1.
pub(super) fn stops(words: &Words) -> Option<u8> {
    if NONSTOP.iter().any(|p| words.has(p)) {
        return Some(0);
    }
    for i in 1..words.len() {
        let stop_word = matches!(
            words.at(i),
            "escala"
                | "escalas"
                | "stop"
                | "stops"
                | "conexao"
                | "conexoes"
                | "layover"
                | "layovers"
        );
        let Some(n) = count(words.before(i)).filter(|_| stop_word) else {
            continue;
        };
        let limited = matches!(
            words.at(i.saturating_sub(2)),
            "ate"
                | "max"
                | "maximo"
                | "most"
                | "only"
                | "apenas"
                | "so"
                | "up"
                | "no"
                | "com"
                | "with"
                | "somente"
        );
        if limited || n == 1 {
            return u8::try_from(n).ok();
        }
    }
    None
}

/// The most the traveller will pay: an amount after a limit word ("até",
/// "under", "budget") or with a currency ("R$ 4.000", "4 mil reais").
pub(super) fn budget(words: &Words, lang: Lang) -> Option<(Decimal, Currency)> {
    const CUE: &[&str] = &[
        "ate",
        "maximo",
        "max",
        "under",
        "below",
        "budget",
        "orcamento",
        "within",
        "menos",
        "limite",
        "teto",
        "than",
        "up",
        "pagar",
        "pay",
        "gastar",
        "spend",
        "around",
        "about",
        "uns",
        "umas",
        "couber",
        "cabe",
    ];
    for i in 0..words.len() {
        let cued = words.words[i.saturating_sub(3)..i]
            .iter()
            .any(|c| CUE.contains(&c.as_str()));
        let before = currency(words.before(i));
        if !(cued || before.is_some()) || words.taken[i] {
            continue;
        }
        let Some((value, mil)) = amount(words.at(i), words.at(i + 1), lang) else {
            continue;
        };
        let after = currency(words.at(i + if mil { 2 } else { 1 }));
        let found = before.or(after);
        // A bare small number after "até" is a day ("até dia 20") or a count.
        if found.is_none() && value < Decimal::from(100) {
            continue;
        }
        let default = match lang {
            Lang::Pt => Currency::BRL,
            Lang::En => Currency::USD,
        };
        return Some((value, found.unwrap_or(default)));
    }
    None
}

fn currency(word: &str) -> Option<Currency> {
    match word {
        "brl" | "reais" | "real" | "conto" | "contos" => Some(Currency::BRL),
        "usd" | "dolares" | "dollars" | "dollar" | "bucks" | "dolar" => Some(Currency::USD),
        "eur" | "euros" | "euro" => Some(Currency::EUR),
        "gbp" | "pounds" | "pound" | "libras" | "quid" => Some(Currency::GBP),
        _ => None,
    }
}

/// An amount as written: `4.000`, `4.000,50`, `4,000.50`, `4000`, `4k`, `4 mil`.
fn amount(word: &str, next: &str, lang: Lang) -> Option<(Decimal, bool)> {
    let (body, k) = match word.strip_suffix('k') {
        Some(b) => (b, true),
        None => (word, false),
    };
    let numeric = |b: u8| b.is_ascii_digit() || b == b'.' || b == b',';
    if body.is_empty() || !body.bytes().all(numeric) || !body.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    // A separator followed by exactly three digits groups thousands in either language.
    let (thousands, decimal) = match lang {
        Lang::Pt => ('.', ','),
        Lang::En => (',', '.'),
    };
    let plain: String = body
        .chars()
        .filter(|c| *c != thousands)
        .map(|c| if c == decimal { '.' } else { c })
        .collect();
    let mut value: Decimal = plain.parse().ok()?;
    let mil = matches!(next, "mil" | "thousand");
    if k || mil {
        // Beyond what a decimal holds, the search parser refuses it as too high.
        value = value
            .checked_mul(Decimal::from(1000))
            .unwrap_or(Decimal::MAX);
    }
    Some((value.normalize(), mil))
}
