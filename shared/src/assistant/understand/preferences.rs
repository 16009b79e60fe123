//! Preferences beyond the route: sort order, airlines, time of day.

use chrono::NaiveTime;

use super::text::Words;
use crate::domain::CarrierCode;
use crate::search::Sort;

/// "o mais barato", "cheapest" → by price; "o mais rápido", "fastest" → by duration.
pub(super) fn sort(words: &Words) -> Option<Sort> {
    const CHEAPEST: &[&str] = &[
        "mais barato",
        "mais barata",
        "mais baratos",
        "mais baratas",
        "mais em conta",
        "menor preco",
        "menor valor",
        "cheapest",
        "lowest price",
        "lowest fare",
        "cheaper",
        "bem barato",
        "barato",
        "barata",
        "baratos",
        "baratas",
        "baratinha",
        "baratinho",
        "cheap",
    ];
    const FASTEST: &[&str] = &[
        "mais rapido",
        "mais rapida",
        "menor duracao",
        "mais curto",
        "fastest",
        "quickest",
        "shortest",
    ];
    if CHEAPEST.iter().any(|p| words.has(p)) {
        Some(Sort::Cheapest)
    } else if FASTEST.iter().any(|p| words.has(p)) {
        Some(Sort::Fastest)
    } else {
        None
    }
}

/// Airlines by name with their IATA codes. Names that are also ordinary
/// words ("gol", "azul", "united", "delta", "copa") need a word before them
/// that makes them an airline ("pela Azul", "with United").
const AIRLINES: &[(&str, &[u8; 2], bool)] = &[
    ("latam", b"LA", false),
    ("gol", b"G3", true),
    ("azul", b"AD", true),
    ("tap", b"TP", false),
    ("american", b"AA", true),
    ("united", b"UA", true),
    ("delta", b"DL", true),
    ("emirates", b"EK", false),
    ("air france", b"AF", false),
    ("klm", b"KL", false),
    ("iberia", b"IB", false),
    ("lufthansa", b"LH", false),
    ("british airways", b"BA", false),
    ("british", b"BA", true),
    ("copa", b"CM", true),
    ("avianca", b"AV", false),
    ("aerolineas", b"AR", false),
    ("qatar", b"QR", false),
    ("turkish", b"TK", false),
    ("air europa", b"UX", false),
    ("jetsmart", b"JA", false),
    ("ita", b"AZ", true),
    ("swiss", b"LX", true),
    ("air canada", b"AC", false),
    ("ethiopian", b"ET", false),
    ("sky", b"H2", true),
    ("taag", b"DT", false),
    ("air china", b"CA", false),
    ("aeromexico", b"AM", false),
    ("voepass", b"2Z", false),
    ("alitalia", b"AZ", false),
    ("virgin atlantic", b"VS", false),
    ("air portugal", b"TP", false),
    ("ana", b"NH", true),
    ("all nippon", b"NH", false),
    ("jal", b"JL", false),
    ("japan airlines", b"JL", false),
    ("qantas", b"QF", false),
    ("ba", b"BA", true),
    ("royal air maroc", b"AT", false),
    ("south african", b"SA", false),
    ("singapore airlines", b"SQ", false),
    ("etihad", b"EY", false),
    ("korean air", b"KE", false),
    ("condor", b"DE", false),
    ("easyjet", b"U2", false),
    ("ryanair", b"FR", false),
    ("jetblue", b"B6", false),
    ("southwest", b"WN", true),
    ("aa", b"AA", true),
    ("aer lingus", b"EI", false),
    ("alaska airlines", b"AS", false),
    ("alaska", b"AS", true),
    ("westjet", b"WS", false),
    ("air india", b"AI", false),
    ("indigo", b"6E", false),
    ("aegean", b"A3", false),
    ("air transat", b"TS", false),
    ("transat", b"TS", false),
    ("air new zealand", b"NZ", false),
    ("porter", b"PD", true),
    ("virgin", b"VS", true),
];

/// Whether an airline name that is also a word stands where only an
/// airline can: "United only", "sky ou latam", or last in a message after
/// a comma, a date or a cabin ("..., azul", "18/03 azul", "executiva
/// american", "direto gol"), or preferred ("prefiro american", "gol se
/// tiver").
fn airline_by_place(words: &Words, i: usize, len: usize) -> bool {
    let next = words.at(i + len);
    let is_airline = |k: usize| AIRLINES.iter().any(|(name, ..)| words.phrase_at(k, name));
    // "Air France or Delta": an airline of any length ending right before.
    let airline_ends_at = |end: usize| {
        AIRLINES.iter().any(|(name, ..)| {
            let n = Words::count_of(name);
            end >= n && words.phrase_at(end - n, name)
        })
    };
    let listed = matches!(next, "ou" | "or" | "e" | "and" | ",") && is_airline(i + len + 1)
        || i >= 2 && matches!(words.before(i), "ou" | "or" | "e" | "and") && airline_ends_at(i - 1);
    let last = i + len == words.len() || matches!(next, "." | "|");
    // "... volta 18/03 azul", "amanhã à tarde azul": after a date or a time
    // of day too; "american executiva": before a cabin.
    let detail = |w: &str| {
        matches!(
            w,
            "," | "direto"
                | "direct"
                | "nonstop"
                | "executiva"
                | "economica"
                | "business"
                | "economy"
                | "tarde"
                | "manha"
                | "noite"
                | "cedo"
                | "morning"
                | "afternoon"
                | "evening"
        ) || w.contains(|c: char| c.is_ascii_digit())
    };
    let after_detail = detail(words.before(i));
    let before_cabin = after_detail
        && matches!(
            next,
            "executiva" | "economica" | "business" | "economy" | "primeira"
        );
    // ", Delta, Jan 6": a name alone between commas; "Gol de preferência",
    // "Swiss please": a name the traveller prefers.
    let alone = words.before(i) == "," && next == ",";
    let preferred = ["de preferencia", "se possivel", "if possible", "is my preference"]
        .iter()
        .any(|p| words.phrase_at(i + len, p))
        // "gol se tiver", "Azul if available"
        || next == "se" && matches!(words.at(i + len + 1), "tiver" | "der" | "puder" | "houver")
        || next == "if" && matches!(words.at(i + len + 1), "available" | "possible")
        || matches!(next, "please" | "preferably" | "preferred" | "pls")
        || matches!(
            words.before(i),
            "preferencia" | "preferably" | "prefer" | "prefiro" | "preferencialmente"
        );
    // "AA" in capitals is American's code, not a word ("BA" is Bahia's).
    let code = len == 1 && words.at(i) == "aa" && words.capitals[i];
    matches!(next, "only" | "apenas" | "somente")
        || listed
        || last && after_detail
        || before_cabin
        || alone
        || preferred
        || code
}

/// The airlines the traveller asked for, marking their words as read so no
/// later step takes "Azul" or "Delta" for something else.
pub(super) fn carriers(words: &mut Words) -> Vec<CarrierCode> {
    const CUE: &[&str] = &[
        "pela",
        "pelo",
        "da",
        "com",
        "na",
        "de",
        "voando",
        "via",
        "by",
        "with",
        "on",
        "fly",
        "flying",
        "only",
        "so",
        "companhia",
        "cia",
        "a",
    ];
    let mut out = Vec::new();
    for i in 0..words.len() {
        for (name, code, needs_cue) in AIRLINES {
            if words.taken[i] || !words.phrase_at(i, name) {
                continue;
            }
            let len = Words::count_of(name);
            let cued = CUE.contains(&words.before(i))
                || matches!(
                    words.at(i + len),
                    "airlines" | "airline" | "airways" | "air" | "linhas"
                );
            if *needs_cue && !cued && !airline_by_place(words, i, len) {
                continue;
            }
            let code = CarrierCode::parse(std::str::from_utf8(*code).unwrap_or_default());
            if let Ok(code) = code
                && !out.contains(&code)
            {
                out.push(code);
            }
            let extra = usize::from(matches!(
                words.at(i + len),
                "airlines" | "airline" | "airways"
            ));
            words.take(i, i + len + extra);
        }
    }
    out
}

/// When in the day to leave: (after, before).
pub(super) fn time_of_day(words: &Words) -> (Option<NaiveTime>, Option<NaiveTime>) {
    let hm = |h: u32| NaiveTime::from_hms_opt(h, 0, 0);
    // The outbound's time: "sexta à noite, volto segunda cedo" leaves at night.
    // ("ida e volta" and "voo de volta" name the trip, not its return.)
    let cut = (0..words.len())
        .find(|k| {
            let naming = words.before(*k) == "de"
                || words.before(*k) == "e" && words.at(k.saturating_sub(2)) == "ida";
            RETURNING.contains(&words.at(*k)) && !naming
        })
        .unwrap_or(words.len());
    let any = |ps: &[&str]| ps.iter().any(|p| (0..cut).any(|k| words.phrase_at(k, p)));
    if let Some(window) = clock_limit(words) {
        return window;
    }
    if any(&["de madrugada", "red eye", "red-eye", "overnight"]) {
        (hm(0), hm(6))
    } else if any(&[
        "de manha",
        "da manha",
        "pela manha",
        "na manha",
        "in the morning",
        "morning",
        "mornings",
        "cedo",
    ]) || early_in_the_day(words)
        || morning_after_a_date(words)
    {
        (hm(6), hm(12))
    } else if any(&[
        "a tarde",
        "de tarde",
        "da tarde",
        "pela tarde",
        "afternoon",
        "afternoons",
        "arvo",
    ]) {
        (hm(12), hm(18))
    } else if any(&[
        "a noite",
        "de noite",
        "da noite",
        "pela noite",
        "evening",
        "at night",
        "night",
        "tonight",
        "noturno",
    ]) {
        (hm(18), None)
    } else {
        (None, None)
    }
}

/// Words after which a time of day is the return's.
const RETURNING: &[&str] = &[
    "volta",
    "volto",
    "voltando",
    "retorno",
    "return",
    "returning",
    "back",
];

/// "vcp cnf 30/10 manha": "manhã" alone right after the departure's date
/// (not after a return's: "volta 2/11 manha").
fn morning_after_a_date(words: &Words) -> bool {
    (1..words.len()).any(|i| {
        words.at(i) == "manha"
            && words.taken[i - 1]
            && !(0..i).any(|k| RETURNING.contains(&words.at(k)))
    })
}

/// "early" of the day ("an early flight"), not of a month ("early May").
fn early_in_the_day(words: &Words) -> bool {
    (0..words.len()).any(|i| {
        let next = words.at(i + 1);
        words.at(i) == "early"
            && super::calendar::month_short(next).is_none()
            && !matches!(next, "next" | "this")
    })
}

/// "depois das 18h", "after 6pm", "antes das 10", "before 9am".
fn clock_limit(words: &Words) -> Option<(Option<NaiveTime>, Option<NaiveTime>)> {
    // "6 pm or later", "das 18h em diante": from then on.
    for i in 0..words.len() {
        let Some(t) = clock(words.at(i), words.at(i + 1)) else {
            continue;
        };
        let k = i + 1 + usize::from(matches!(words.at(i + 1), "am" | "pm"));
        let onwards = [
            "or later",
            "onwards",
            "or after",
            "em diante",
            "ou depois",
            "pra frente",
        ]
        .iter()
        .any(|p| words.phrase_at(k, p));
        if onwards && !words.taken.get(i).copied().unwrap_or(false) {
            return Some((Some(t), None));
        }
    }
    for i in 0..words.len() {
        // "a partir das 14h": from then on.
        let from_then = words.phrase_at(i.saturating_sub(1), "a partir");
        let after = matches!(words.at(i), "depois" | "after" | "apos") || from_then && i > 0;
        let before = matches!(words.at(i), "antes" | "before");
        if !(after || before) {
            continue;
        }
        let k = i
            + 1
            + usize::from(matches!(
                words.at(i + 1),
                "das" | "da" | "de" | "do" | "o" | "as" | "the"
            ));
        // A number that is part of a date is no hour ("a partir de 20 de
        // dezembro"); after "a partir" an hour says so ("das 14", "14h").
        let hour_form = matches!(words.at(i + 1), "das" | "as")
            || words.at(k).ends_with(['h', 'm'])
            || words.at(k).contains(':')
            || matches!(words.at(k + 1), "am" | "pm");
        if words.taken.get(k).copied().unwrap_or(false) || from_then && !hour_form {
            continue;
        }
        let Some(t) = clock(words.at(k), words.at(k + 1)) else {
            continue;
        };
        return Some(if after {
            (Some(t), None)
        } else {
            (None, Some(t))
        });
    }
    None
}

/// "18h", "18:30", "6pm", "6 pm", "10am", "noon", "meio-dia", "midnight".
fn clock(word: &str, next: &str) -> Option<NaiveTime> {
    match word {
        "noon" | "midday" | "meio-dia" => return NaiveTime::from_hms_opt(12, 0, 0),
        "meio" if next == "dia" => return NaiveTime::from_hms_opt(12, 0, 0),
        "midnight" | "meia-noite" => return NaiveTime::from_hms_opt(0, 0, 0),
        _ => {}
    }
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    let rest = &word[digits.len()..];
    let h: u32 = digits.parse().ok()?;
    let (h, m) = match (rest, next) {
        ("h" | "hs" | "", "pm") | ("pm", _) if h < 12 => (h + 12, 0),
        ("h" | "hs" | "am" | "", _) => (h, 0),
        (r, _) if r.starts_with(':') => (h, r[1..].parse().ok()?),
        _ => return None,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}
