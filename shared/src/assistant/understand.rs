//! Reads a travel request in Portuguese or English into slots: what the
//! traveller said in this message, nothing guessed. Slots from later
//! messages override earlier ones ([`TripRequest::merge`]), so "e se for em
//! abril?" changes only the dates.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use rust_decimal::Decimal;

use crate::domain::{Cabin, Currency};
use crate::places::{Place, fold};

/// The language a message is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Portuguese (Brazilian).
    Pt,
    /// English.
    En,
}

/// A departure the traveller named: a day, or a whole month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    /// A calendar day.
    Day(NaiveDate),
    /// Any day of a month ("em março").
    Month {
        /// Year.
        year: i32,
        /// Month, 1–12.
        month: u32,
    },
}

/// Something the assistant must know before searching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Where from.
    Origin,
    /// Where to.
    Destination,
    /// When.
    Departure,
}

/// What a traveller asked for; `None` where they said nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TripRequest {
    /// From.
    pub origin: Option<Place>,
    /// To.
    pub destination: Option<Place>,
    /// Departure day or month.
    pub departure: Option<DateSpec>,
    /// Return day, for a round trip.
    pub return_date: Option<NaiveDate>,
    /// `Some(true)` for "só ida", `Some(false)` for "ida e volta".
    pub one_way: Option<bool>,
    /// Adults.
    pub adults: Option<u8>,
    /// Children.
    pub children: Option<u8>,
    /// Lap infants.
    pub infants: Option<u8>,
    /// Cabin.
    pub cabin: Option<Cabin>,
    /// Most the traveller will pay, in all.
    pub budget: Option<(Decimal, Currency)>,
    /// Most stops per direction (`Some(0)`: nonstop only).
    pub max_stops: Option<u8>,
}

impl TripRequest {
    /// This request with every slot `newer` has replaced.
    #[must_use]
    pub fn merge(self, newer: Self) -> Self {
        // A new departure without a return makes an old return meaningless.
        let return_date = match (newer.return_date, newer.departure) {
            (Some(r), _) => Some(r),
            (None, Some(_)) => None,
            (None, None) => self.return_date,
        };
        Self {
            origin: newer.origin.or(self.origin),
            destination: newer.destination.or(self.destination),
            departure: newer.departure.or(self.departure),
            return_date,
            one_way: newer.one_way.or(self.one_way),
            adults: newer.adults.or(self.adults),
            children: newer.children.or(self.children),
            infants: newer.infants.or(self.infants),
            cabin: newer.cabin.or(self.cabin),
            budget: newer.budget.or(self.budget),
            max_stops: newer.max_stops.or(self.max_stops),
        }
    }

    /// What is still needed before a search, in the order to ask.
    pub fn missing(&self) -> Vec<Slot> {
        let mut out = Vec::new();
        if self.origin.is_none() {
            out.push(Slot::Origin);
        }
        if self.destination.is_none() {
            out.push(Slot::Destination);
        }
        if self.departure.is_none() {
            out.push(Slot::Departure);
        }
        out
    }
}

/// Portuguese when the message has Portuguese markers, else English.
pub fn detect_language(text: &str) -> Lang {
    const PT: &[&str] = &[
        "quero",
        "para",
        "pra",
        "de ",
        "em ",
        "ida",
        "volta",
        "voo",
        "passagem",
        "adulto",
        "crianca",
        "amanha",
        "proxima",
        "semana",
        "ate ",
        "reais",
        "eu e",
        "dia ",
        "executiva",
        "sexta",
        "sabado",
        "domingo",
        "marco",
        "abril",
        "e se",
        "e ",
        "com ",
        "no ",
        "na ",
        "que ",
        "se ",
        "voltando",
    ];
    const EN: &[&str] = &[
        "want",
        "from ",
        "to ",
        "flight",
        "tomorrow",
        "next ",
        "adult",
        "return",
        "under ",
        "one way",
        "round trip",
        "i ",
        "what",
        "about",
        "how ",
        "the ",
        "please",
        "on ",
        "in ",
        "and ",
        "budget",
        "dollars",
        "of ",
        "need",
        "week",
    ];
    let t = format!(" {} ", fold(text));
    let pt = PT.iter().filter(|w| t.contains(*w)).count();
    let en = EN.iter().filter(|w| t.contains(*w)).count();
    if pt >= en { Lang::Pt } else { Lang::En }
}

/// The slots `text` states, with dates resolved against `today`.
pub fn understand(text: &str, today: NaiveDate) -> TripRequest {
    let lang = detect_language(text);
    let norm = normalise(text);
    let words: Vec<&str> = norm.split_whitespace().collect();
    let mut req = TripRequest::default();
    places(&words, &mut req);
    dates(&words, lang, today, &mut req);
    passengers(&norm, &words, &mut req);
    req.cabin = cabin(&norm);
    req.budget = budget(&words, lang);
    req.max_stops = stops(&norm, &words);
    if [
        " so ida",
        "somente ida",
        "apenas ida",
        "one way",
        "one-way",
        "oneway",
    ]
    .iter()
    .any(|p| format!(" {norm}").contains(p))
    {
        req.one_way = Some(true);
    }
    if ["ida e volta", "round trip", "round-trip", "return flight"]
        .iter()
        .any(|p| norm.contains(p))
        || req.return_date.is_some()
    {
        req.one_way = Some(false);
    }
    req
}

/// Lower case, no accents, punctuation apart from what numbers, dates and
/// money use turned into spaces; `R$` kept as one token.
fn normalise(text: &str) -> String {
    let folded = fold(
        &text
            .replace("R$", " brl ")
            .replace("r$", " brl ")
            .replace('€', " eur ")
            .replace('$', " usd "),
    );
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | ',' | ':') {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    // Sentence punctuation stuck to a word ("lisboa," / "abril?") is not part of it.
    out.split_whitespace()
        .map(|w| {
            w.trim_end_matches([',', '.', ':'])
                .trim_start_matches(['-'])
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Month names, Portuguese and English, then abbreviations. Abbreviations
/// (and "may") are ordinary words too ("out", "set", "mar", "I may"), so
/// they count only next to a day number.
const MONTHS: [(&[&str], &[&str]); 12] = [
    (&["janeiro", "january"], &["jan"]),
    (&["fevereiro", "february"], &["fev", "feb"]),
    (&["marco", "march"], &["mar"]),
    (&["abril", "april"], &["abr", "apr"]),
    (&["maio"], &["mai", "may"]),
    (&["junho", "june"], &["jun"]),
    (&["julho", "july"], &["jul"]),
    (&["agosto", "august"], &["ago", "aug"]),
    (&["setembro", "september"], &["set", "sep", "sept"]),
    (&["outubro", "october"], &["out", "oct"]),
    (&["novembro", "november"], &["nov"]),
    (&["dezembro", "december"], &["dez", "dec"]),
];

/// A month written out in full.
fn month_of(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|(full, _)| full.contains(&word))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A month written out or abbreviated (only beside a day number).
fn month_near_day(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    month_of(w).or_else(|| {
        MONTHS
            .iter()
            .position(|(_, short)| short.contains(&w))
            .and_then(|i| u32::try_from(i + 1).ok())
    })
}

/// Words that never start a place name, so "de 10 de março" or "to go" are not tried.
const NOT_PLACES: &[&str] = &[
    "a",
    "o",
    "as",
    "os",
    "um",
    "uma",
    "the",
    "go",
    "get",
    "fly",
    "viajar",
    "ir",
    "voar",
    "dia",
    "day",
    "semana",
    "week",
    "amanha",
    "tomorrow",
    "hoje",
    "today",
    "proxima",
    "proximo",
    "next",
    "this",
    "essa",
    "esta",
    "ate",
    "up",
    "no",
    "na",
    "em",
    "in",
    "on",
    "at",
    "voltar",
    "volta",
    "back",
    "return",
    "me",
    "eu",
    "mim",
    "um",
    "minha",
    "meu",
    "my",
    "por",
    "for",
    "with",
    "com",
    "sem",
    "classe",
    "class",
    "executiva",
    "business",
];

/// Origin after "de/from/saindo de", destination after "para/pra/to": the
/// longest run of 1–4 words (stopping at a marker) that names a place.
fn places(words: &[&str], req: &mut TripRequest) {
    const ORIGIN: &[&str] = &[
        "de",
        "do",
        "da",
        "from",
        "desde",
        "saindo",
        "partindo",
        "leaving",
        "departing",
    ];
    const DEST: &[&str] = &[
        "para", "pra", "pro", "to", "p/", "destino", "rumo", "visitar", "visit", "conhecer",
    ];
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let mut start = i + 1;
        // "saindo de X", "partindo de X", "leaving from X"
        if matches!(w, "saindo" | "partindo" | "leaving" | "departing")
            && words
                .get(start)
                .is_some_and(|n| matches!(*n, "de" | "do" | "da" | "from"))
        {
            start += 1;
        }
        // Articles after a marker: "para o Rio", "to the Big Apple".
        while words
            .get(start)
            .is_some_and(|a| matches!(*a, "o" | "a" | "os" | "as" | "the"))
        {
            start += 1;
        }
        let is_origin = ORIGIN.contains(&w);
        let is_dest = DEST.contains(&w);
        // "Rio de Janeiro para Lisboa": an unmarked origin right before the destination marker.
        if is_dest && req.origin.is_none() {
            for len in (1..=4.min(i)).rev() {
                if let Ok(place) = Place::resolve(&words[i - len..i].join(" "))
                    && !NOT_PLACES.contains(&words[i - len])
                {
                    req.origin = Some(place);
                    break;
                }
            }
        }
        if (is_origin || is_dest)
            && let Some((place, used)) = place_at(words, start)
        {
            if is_origin && req.origin.is_none() {
                req.origin = Some(place);
            } else if is_dest && req.destination.is_none() {
                req.destination = Some(place);
            }
            i = start + used;
            continue;
        }
        // "GRU-LIS", "SAO LIS" as codes.
        if let Some((a, b)) = w
            .split_once('-')
            .filter(|(a, b)| a.len() == 3 && b.len() == 3)
            && let (Ok(a), Ok(b)) = (Place::resolve(a), Place::resolve(b))
        {
            req.origin.get_or_insert(a);
            req.destination.get_or_insert(b);
        }
        i += 1;
    }
}

fn place_at(words: &[&str], start: usize) -> Option<(Place, usize)> {
    const STOP: &[&str] = &[
        "para",
        "pra",
        "to",
        "de",
        "from",
        "em",
        "in",
        "no",
        "na",
        "dia",
        "on",
        "e",
        "and",
        "ate",
        "com",
        "with",
        "por",
        "for",
        "voltando",
        "returning",
        "saindo",
    ];
    let first = words.get(start)?;
    if NOT_PLACES.contains(first)
        || first.chars().next().is_some_and(|c| c.is_ascii_digit())
        || month_of(first).is_some()
    {
        return None;
    }
    for len in (1..=4).rev() {
        let end = start + len;
        if end > words.len() || words[start..end].iter().skip(1).any(|w| STOP.contains(w)) {
            continue;
        }
        let candidate = words[start..end].join(" ");
        if let Ok(place) = Place::resolve(&candidate) {
            // Three-letter words only count as codes when they are not ordinary words.
            if len == 1
                && candidate.len() <= 3
                && ["sao", "rio", "bh"].iter().all(|c| *c != candidate)
                && NOT_PLACES.contains(&candidate.as_str())
            {
                continue;
            }
            return Some((place, len));
        }
    }
    None
}

fn number_word(word: &str) -> Option<u32> {
    let n = match word {
        "um" | "uma" | "one" | "a" | "an" => 1,
        "dois" | "duas" | "two" => 2,
        "tres" | "three" => 3,
        "quatro" | "four" => 4,
        "cinco" | "five" => 5,
        "seis" | "six" => 6,
        "sete" | "seven" => 7,
        "oito" | "eight" => 8,
        "nove" | "nine" => 9,
        _ => return word.parse().ok(),
    };
    Some(n)
}

/// A day of the month: "10", "10th", "1o", "1º".
fn day_number(word: &str) -> Option<u32> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    let rest = &word[digits.len()..];
    if digits.is_empty() || !["", "st", "nd", "rd", "th", "o", "a"].contains(&rest) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn weekday_of(word: &str) -> Option<Weekday> {
    Some(match word.trim_end_matches("-feira") {
        "segunda" | "monday" => Weekday::Mon,
        "terca" | "tuesday" => Weekday::Tue,
        "quarta" | "wednesday" => Weekday::Wed,
        "quinta" | "thursday" => Weekday::Thu,
        "sexta" | "friday" => Weekday::Fri,
        "sabado" | "saturday" => Weekday::Sat,
        "domingo" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The next `day` strictly after `today`.
fn next_weekday(today: NaiveDate, day: Weekday) -> NaiveDate {
    let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today + Days::new(u64::from(if ahead == 0 { 7 } else { ahead }))
}

/// `day`/`month` in the first year that puts it today or later.
fn upcoming(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this >= today {
        Some(this)
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, month, day)
    }
}

/// Every date-like phrase in order of appearance: the first is the
/// departure, a later one (or one after "volta/returning") the return.
fn dates(words: &[&str], lang: Lang, today: NaiveDate, req: &mut TripRequest) {
    let mut found: Vec<(usize, DateSpec)> = Vec::new();
    let mut return_marker: Option<usize> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let next = words.get(i + 1).copied().unwrap_or("");
        let after = words.get(i + 2).copied().unwrap_or("");
        // "ida e volta" names the trip type, not the return date.
        let trip_type = w == "volta" && i >= 2 && words[i - 2] == "ida" && words[i - 1] == "e";
        if matches!(
            w,
            "volta"
                | "voltando"
                | "retorno"
                | "retornando"
                | "returning"
                | "return"
                | "back"
                | "regresso"
        ) && !trip_type
        {
            return_marker.get_or_insert(i);
        }
        // 2027-03-10
        if let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d") {
            found.push((i, DateSpec::Day(d)));
        } else if let Some(d) = slash_date(w, lang, today) {
            found.push((i, DateSpec::Day(d)));
        } else if let Some(day) = day_number(w) {
            // "10 de março", "10 março", "10 march", "10 to 20 march", "dia 20" (month from context)
            let (month_word, used) = if next == "de" || next == "of" {
                (after, 3)
            } else {
                (next, 2)
            };
            if let Some(m) = month_near_day(month_word) {
                if let Some(d) = upcoming(today, m, day) {
                    found.push((i, DateSpec::Day(d)));
                }
                i += used;
                continue;
            }
            // "de 10 a 20 de março": the first day takes the month that follows the second.
            if matches!(next, "a" | "ate" | "to" | "-" | "e" | "and")
                && let Some(day2) = day_number(after)
            {
                let (m_word, skip) = match words.get(i + 3).copied() {
                    Some("de" | "of") => (words.get(i + 4).copied().unwrap_or(""), 5),
                    other => (other.unwrap_or(""), 4),
                };
                if let Some(m) = month_near_day(m_word) {
                    if let (Some(a), Some(b)) = (upcoming(today, m, day), upcoming(today, m, day2))
                    {
                        found.push((i, DateSpec::Day(a)));
                        found.push((
                            i + 2,
                            DateSpec::Day(if b < a { b + Months::new(12) } else { b }),
                        ));
                    }
                    i += skip;
                    continue;
                }
            }
            if i > 0 && matches!(words[i - 1], "dia" | "the" | "on") {
                found.push((i, DateSpec::Day(NaiveDate::MIN))); // month filled in below
            }
        } else if let Some(m) = month_of(w).or_else(|| {
            month_near_day(w)
                .filter(|_| day_number(next).is_some() || (i > 0 && words[i - 1] == "in"))
        }) {
            // "March 10", "march 10th", "March 10 to 20"
            if let Some(day) = day_number(next) {
                if let Some(d) = upcoming(today, m, day) {
                    found.push((i, DateSpec::Day(d)));
                    if matches!(after, "to" | "a" | "-" | "ate" | "and")
                        && let Some(day2) = words.get(i + 3).and_then(|w| day_number(w))
                        && let Some(b) = upcoming(d, m, day2)
                    {
                        found.push((i + 3, DateSpec::Day(b)));
                        i += 4;
                        continue;
                    }
                }
                i += 2;
                continue;
            }
            // "em março", "in March", "março" alone: the whole month.
            let year = if m >= today.month() {
                today.year()
            } else {
                today.year() + 1
            };
            found.push((i, DateSpec::Month { year, month: m }));
        } else if matches!(w, "amanha" | "tomorrow") {
            let before_depois = i > 1 && words[i - 2] == "depois" && words[i - 1] == "de";
            let day_after =
                before_depois || (i > 2 && words[i - 3] == "day" && words[i - 2] == "after");
            found.push((
                i,
                DateSpec::Day(today + Days::new(if day_after { 2 } else { 1 })),
            ));
        } else if matches!(w, "hoje" | "today") {
            found.push((i, DateSpec::Day(today)));
        } else if let Some(day) = weekday_of(w) {
            // "próxima sexta", "sexta que vem", "next Friday", "this Friday", "na sexta"
            let explicit_next = i > 0 && matches!(words[i - 1], "proxima" | "proximo" | "next");
            let d = next_weekday(today, day);
            let d = if explicit_next && lang == Lang::En && d - today < chrono::Duration::days(2) {
                d + Days::new(7)
            } else {
                d
            };
            found.push((i, DateSpec::Day(d)));
        } else if (matches!(w, "semana" | "week")
            && (matches!(next, "que") && after == "vem"
                || i > 0 && matches!(words[i - 1], "proxima" | "next")))
            || (w == "week" && i > 0 && words[i - 1] == "next")
        {
            found.push((i, DateSpec::Day(next_weekday(today, Weekday::Mon))));
        } else if matches!(w, "mes" | "month")
            && (next == "que" && after == "vem"
                || i > 0 && matches!(words[i - 1], "proximo" | "next"))
        {
            let first =
                NaiveDate::from_ymd_opt(today.year(), today.month(), 1).map(|d| d + Months::new(1));
            if let Some(d) = first {
                found.push((
                    i,
                    DateSpec::Month {
                        year: d.year(),
                        month: d.month(),
                    },
                ));
            }
        } else if matches!(w, "daqui" | "in")
            && let Some(n) = number_word(if w == "daqui" && next == "a" {
                after
            } else {
                next
            })
        {
            // "daqui a 2 semanas", "in 3 days"
            let unit_at = if w == "daqui" && next == "a" {
                i + 3
            } else {
                i + 2
            };
            let unit = words.get(unit_at).copied().unwrap_or("");
            let days = match unit {
                "dias" | "dia" | "days" | "day" => Some(u64::from(n)),
                "semanas" | "semana" | "weeks" | "week" => Some(u64::from(n) * 7),
                _ => None,
            };
            // A date past the calendar's end is no date: the assistant asks.
            if let Some(day) = days.and_then(|d| today.checked_add_days(Days::new(d))) {
                found.push((i, DateSpec::Day(day)));
                i = unit_at + 1;
                continue;
            }
        }
        i += 1;
    }
    // "dia 20" takes its month from the departure (or the next month that has that day).
    let mut resolved: Vec<(usize, DateSpec)> = Vec::new();
    for (at, spec) in found {
        let spec = match spec {
            DateSpec::Day(d) if d == NaiveDate::MIN => {
                let day = day_number(words[at]).unwrap_or(1);
                let base = resolved.first().map_or(today, |(_, s)| match s {
                    DateSpec::Day(d) => *d,
                    DateSpec::Month { year, month } => {
                        NaiveDate::from_ymd_opt(*year, *month, 1).unwrap_or(today)
                    }
                });
                let mut candidate = NaiveDate::from_ymd_opt(base.year(), base.month(), day);
                if candidate.is_none_or(|c| c < base) {
                    candidate = NaiveDate::from_ymd_opt(base.year(), base.month(), 1)
                        .map(|d| d + Months::new(1))
                        .and_then(|d| NaiveDate::from_ymd_opt(d.year(), d.month(), day));
                }
                match candidate {
                    Some(c) => DateSpec::Day(c),
                    None => continue,
                }
            }
            other => other,
        };
        resolved.push((at, spec));
    }
    let (departures, returns): (Vec<_>, Vec<_>) = resolved
        .into_iter()
        .partition(|(at, _)| return_marker.is_none_or(|r| *at < r));
    let mut departures = departures.into_iter().map(|(_, s)| s);
    let mut returns = returns.into_iter().map(|(_, s)| s);
    req.departure = departures.next();
    let ret = returns.next().or_else(|| departures.next());
    req.return_date = match ret {
        Some(DateSpec::Day(d)) => Some(d),
        Some(DateSpec::Month { .. }) | None => None,
    };
}

/// `10/03`, `10/03/2027`, `10/3/27`: day first in Portuguese, month first in English.
fn slash_date(word: &str, lang: Lang, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = word.split('/').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (a, b): (u32, u32) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
    let (day, month) = if lang == Lang::En { (b, a) } else { (a, b) };
    match parts.get(2) {
        Some(y) => {
            let y: i32 = y.parse().ok()?;
            NaiveDate::from_ymd_opt(if y < 100 { 2000 + y } else { y }, month, day)
        }
        None => upcoming(today, month, day),
    }
}

fn passengers(norm: &str, words: &[&str], req: &mut TripRequest) {
    let padded = format!(" {norm} ");
    for (i, w) in words.iter().enumerate() {
        let Some(n) = i.checked_sub(1).and_then(|j| number_word(words[j])) else {
            continue;
        };
        let n = u8::try_from(n).unwrap_or(u8::MAX);
        match *w {
            "adulto" | "adultos" | "adult" | "adults" | "pessoas" | "pessoa" | "people"
            | "passageiros" | "passengers" | "travellers" | "travelers" => {
                req.adults = Some(n);
            }
            "crianca" | "criancas" | "child" | "children" | "kid" | "kids" | "filho" | "filhos"
            | "filha" | "filhas" => {
                req.children = Some(n);
            }
            "bebe" | "bebes" | "infant" | "infants" | "baby" | "babies" => req.infants = Some(n),
            _ => {}
        }
    }
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
    ];
    let with_one = COMPANION.iter().any(|c| {
        [
            " eu e minha ",
            " eu e meu ",
            " eu e a minha ",
            " eu e o meu ",
            " me and my ",
            " my ",
        ]
        .iter()
        .any(|p| padded.contains(&format!("{p}{c} ")))
            && (padded.contains(" eu e ")
                || padded.contains(" me and my ")
                || padded.contains(&format!(" my {c} and i "))
                || padded.contains(&format!(" and my {c} ")))
    });
    if req.adults.is_none()
        && (with_one
            || padded.contains(" casal ")
            || padded.contains(" a couple ")
            || padded.contains(" nos dois ")
            || padded.contains(" we two ")
            || padded.contains(" the two of us "))
    {
        req.adults = Some(2);
    }
    if req.adults.is_none()
        && (padded.contains(" sozinho ")
            || padded.contains(" sozinha ")
            || padded.contains(" just me ")
            || padded.contains(" alone ")
            || padded.contains(" only me "))
    {
        req.adults = Some(1);
    }
    // "eu e meus 2 filhos": me plus the children.
    if req.adults.is_none()
        && req.children.is_some()
        && (padded.contains(" eu e ") || padded.contains(" me and "))
    {
        req.adults = Some(1);
    }
    if req.infants.is_none()
        && (padded.contains(" bebe de colo")
            || padded.contains(" um bebe ")
            || padded.contains(" a baby ")
            || padded.contains(" an infant "))
    {
        req.infants = Some(1);
    }
}

fn cabin(norm: &str) -> Option<Cabin> {
    let t = format!(" {norm} ");
    if t.contains(" primeira classe ") || t.contains(" first class ") {
        Some(Cabin::First)
    } else if t.contains(" premium economy ")
        || t.contains(" economica premium ")
        || t.contains(" premium ")
    {
        Some(Cabin::PremiumEconomy)
    } else if t.contains(" executiva ") || t.contains(" business ") {
        Some(Cabin::Business)
    } else if t.contains(" economica ")
        || t.contains(" economy ")
        || t.contains(" classe economica ")
    {
        Some(Cabin::Economy)
    } else {
        None
    }
}

/// An amount as written: `4.000`, `4.000,50`, `4,000.50`, `4000`, `4k`, `4 mil`.
fn amount(word: &str, next: &str, lang: Lang) -> Option<(Decimal, bool)> {
    let (body, k) = match word.strip_suffix('k') {
        Some(b) => (b, true),
        None => (word, false),
    };
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        || !body.as_bytes()[0].is_ascii_digit()
    {
        return None;
    }
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
    Some((value, mil))
}

fn budget(words: &[&str], lang: Lang) -> Option<(Decimal, Currency)> {
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
    ];
    for (i, w) in words.iter().enumerate() {
        let cued = words[i.saturating_sub(3)..i]
            .iter()
            .any(|c| CUE.contains(c) || *c == "up");
        let currency_before = i
            .checked_sub(1)
            .map(|j| words[j])
            .filter(|c| matches!(*c, "brl" | "usd" | "eur"));
        if !(cued || currency_before.is_some()) {
            continue;
        }
        let next = words.get(i + 1).copied().unwrap_or("");
        let Some((value, mil)) = amount(w, next, lang) else {
            continue;
        };
        let after = words
            .get(i + if mil { 2 } else { 1 })
            .copied()
            .unwrap_or("");
        let currency = match currency_before.unwrap_or(after) {
            "brl" | "reais" | "real" => Currency::BRL,
            "usd" | "dolares" | "dollars" | "dollar" | "bucks" => Currency::USD,
            "eur" | "euros" | "euro" => Currency::EUR,
            _ if cued => match lang {
                Lang::Pt => Currency::BRL,
                Lang::En => Currency::USD,
            },
            _ => continue,
        };
        // A bare number after "até" could be a day ("até dia 20") or a count: need money size or a currency.
        if currency_before.is_none()
            && !matches!(
                after,
                "reais"
                    | "real"
                    | "dolares"
                    | "dollars"
                    | "dollar"
                    | "euros"
                    | "euro"
                    | "brl"
                    | "usd"
                    | "eur"
            )
            && value < Decimal::from(100)
        {
            continue;
        }
        return Some((value, currency));
    }
    None
}

fn stops(norm: &str, words: &[&str]) -> Option<u8> {
    let t = format!(" {norm} ");
    if [
        "voo direto",
        "voos diretos",
        " direto ",
        "sem escala",
        "sem conex",
        "nonstop",
        "non-stop",
        "direct flight",
        "no layover",
        "no stops",
    ]
    .iter()
    .any(|p| t.contains(p))
    {
        return Some(0);
    }
    for (i, w) in words.iter().enumerate() {
        if matches!(
            *w,
            "escala"
                | "escalas"
                | "stop"
                | "stops"
                | "conexao"
                | "conexoes"
                | "layover"
                | "layovers"
        ) && let Some(n) = i.checked_sub(1).and_then(|j| number_word(words[j]))
            && i >= 2
            && matches!(
                words[i - 2],
                "ate" | "max" | "maximo" | "most" | "only" | "apenas" | "so" | "uma" | "up"
            )
        {
            return u8::try_from(n).ok();
        }
        if matches!(*w, "escala" | "stop" | "conexao" | "layover")
            && i >= 1
            && matches!(words[i - 1], "uma" | "one" | "1")
        {
            return Some(1);
        }
    }
    None
}

#[cfg(test)]
mod tests;
