//! Reads a travel request in Portuguese or English into slots: what the
//! traveller said, nothing guessed. The pipeline, one module a step:
//!
//! 1. [`text`]: folded words (accents, case, common typos), punctuation kept
//!    as a boundary;
//! 2. [`language`]: Portuguese or English, else the conversation's;
//! 3. [`preferences`]: airlines first (so "Azul" is not read as anything
//!    else), sort order, time of day;
//! 4. [`dates`]: dates, ranges, trip lengths and holidays (marking their
//!    words, so "Natal" the holiday is not the city);
//! 5. [`places`]: every name in the place table, with the role the words
//!    around it give (from, to);
//! 6. [`details`]: passengers, cabin, budget, stops.
//!
//! Each message is read against the conversation so far ([`Context`]): a
//! bare "dia 12" takes the month already asked for, and a short reply
//! follows the conversation's language. Later messages override earlier
//! ones slot by slot ([`TripRequest::merge`]).

mod calendar;
mod dates;
mod details;
mod flexible;
mod language;
mod members;
mod numbers;
mod places;
mod preferences;
mod text;

use chrono::{Days, NaiveDate, NaiveTime};
use rust_decimal::Decimal;

use crate::domain::{Cabin, CarrierCode, Currency};
pub use crate::places::Lang;
use crate::places::Place;
use crate::search::Sort;

use text::Words;

/// A departure or return the traveller named: a day, or a whole month.
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

impl DateSpec {
    /// The day to search: the day itself, or a month's 15th (a week from
    /// `today` when the 15th has passed).
    pub fn day(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Day(d) => Some(d),
            Self::Month { year, month } => Some(
                NaiveDate::from_ymd_opt(year, month, 15)
                    .filter(|d| *d > today)
                    .unwrap_or(today + Days::new(7)),
            ),
        }
    }
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

/// An ambiguity the assistant should ask about; the slots hold the reading
/// the stated rule chose meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clarification {
    /// "Natal" alone: the city in Rio Grande do Norte, or Christmas?
    NatalCityOrChristmas,
    /// An English numeric date that reads both ways ("10/03"): taken month
    /// first (`first`), or is it `second`?
    DayOrMonth {
        /// The reading taken (month first).
        first: NaiveDate,
        /// The other reading (day first).
        second: NaiveDate,
    },
    /// "dia 10 ou 12", "March or April": the first is taken.
    EitherDate {
        /// The date taken.
        first: DateSpec,
        /// The alternative.
        second: DateSpec,
    },
    /// "dia 10 ou 12" without a month yet: the first is taken.
    EitherDay {
        /// The day taken.
        first: u32,
        /// The alternative.
        second: u32,
    },
    /// A name equally busy places in different countries share; the first is taken.
    WhichPlace {
        /// The name as folded.
        name: String,
        /// The places it may mean, the one taken first.
        options: Vec<Place>,
    },
    /// A round trip without a return date or length.
    ReturnDate,
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
    /// Return day or month, for a round trip.
    pub return_date: Option<DateSpec>,
    /// Length of the stay in days ("por 10 dias"), when no return day was named.
    pub trip_length_days: Option<u16>,
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
    /// Order of results asked for ("o mais barato").
    pub sort: Option<Sort>,
    /// Airlines asked for ("pela LATAM"); empty when any will do.
    pub carriers: Vec<CarrierCode>,
    /// Earliest local departure time ("de tarde" → 12:00).
    pub depart_after: Option<NaiveTime>,
    /// Latest local departure time ("de manhã" → 12:00).
    pub depart_before: Option<NaiveTime>,
    /// The language of the conversation, for replies.
    pub lang: Option<Lang>,
    /// What to ask the traveller before (or while) searching.
    pub clarify: Option<Clarification>,
    /// Days either side of the departure day that will do ("±3 dias").
    pub days_either_side: Option<u16>,
    /// Any departure day from the first to the last ("qualquer dia entre
    /// 10 e 20 de abril"): a flexible search.
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// Only weekend trips, Fri/Sat to Sun/Mon ("qualquer fim de semana de abril").
    pub weekend: bool,
    /// More places to leave from ("saindo de Campinas ou São Paulo").
    pub other_origins: Vec<Place>,
}

impl TripRequest {
    /// This request with every slot `newer` has replaced.
    #[must_use]
    pub fn merge(self, newer: Self) -> Self {
        // A new departure without a return keeps the old return only while
        // it is still after it ("Nov 20 to 30 | what if we leave on the 21st?").
        let keep_return = match (newer.departure, self.return_date) {
            (None, _) => true,
            (Some(DateSpec::Day(dep)), Some(DateSpec::Day(ret))) => dep < ret,
            _ => false,
        };
        Self {
            origin: newer.origin.or(self.origin),
            destination: newer.destination.or(self.destination),
            departure: newer.departure.or(self.departure),
            return_date: newer
                .return_date
                .or(self.return_date.filter(|_| keep_return)),
            trip_length_days: newer.trip_length_days.or(self.trip_length_days),
            one_way: newer.one_way.or(self.one_way),
            adults: newer.adults.or(self.adults),
            children: newer.children.or(self.children),
            infants: newer.infants.or(self.infants),
            cabin: newer.cabin.or(self.cabin),
            budget: newer.budget.or(self.budget),
            max_stops: newer.max_stops.or(self.max_stops),
            sort: newer.sort.or(self.sort),
            carriers: if newer.carriers.is_empty() {
                self.carriers
            } else {
                newer.carriers
            },
            depart_after: newer.depart_after.or(self.depart_after),
            depart_before: newer.depart_before.or(self.depart_before),
            lang: newer.lang.or(self.lang),
            // Only the latest message's ambiguity is still open.
            clarify: newer.clarify,
            // New dates replace the old dates' flexibility.
            days_either_side: newer
                .days_either_side
                .or(self.days_either_side.filter(|_| keep_return)),
            window: newer.window.or(self.window.filter(|_| keep_return)),
            weekend: newer.weekend || (self.weekend && keep_return),
            other_origins: if newer.origin.is_some() || !newer.other_origins.is_empty() {
                newer.other_origins
            } else {
                self.other_origins
            },
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

    /// The day to search from: see [`DateSpec::day`].
    pub fn departure_day(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.departure.and_then(|d| d.day(today))
    }

    /// The return day to search, for a round trip: the day named, a month's
    /// 15th, or the departure plus the trip's length.
    pub fn return_day(&self, today: NaiveDate) -> Option<NaiveDate> {
        if self.one_way == Some(true) {
            return None;
        }
        let departure = self.departure_day(today);
        match (self.return_date, self.trip_length_days) {
            (Some(DateSpec::Day(d)), _) => Some(d),
            (Some(month), _) => month
                .day(today)
                .map(|d| departure.map_or(d, |dep| d.max(dep))),
            (None, Some(n)) => departure.map(|d| d + Days::new(u64::from(n))),
            (None, None) => None,
        }
    }
}

/// The conversation so far, against which a message is read.
pub(crate) struct Context<'a> {
    /// Today, in the traveller's time zone.
    pub today: NaiveDate,
    /// The language to read numbers and dates in.
    pub lang: Lang,
    /// What earlier messages said.
    pub previous: &'a TripRequest,
}

/// The language of a message: Portuguese when it has more Portuguese words
/// than English ones ("oi" included), English when it has more English
/// ones, Portuguese when neither.
pub fn detect_language(text: &str) -> Lang {
    language::language_of(&Words::new(text)).unwrap_or(Lang::Pt)
}

/// The slots one message states, read on its own, with dates resolved against `today`.
pub fn understand(text: &str, today: NaiveDate) -> TripRequest {
    let words = message_words(text);
    let lang = language::language_of(&words).unwrap_or(Lang::Pt);
    let previous = TripRequest::default();
    read(
        words,
        &Context {
            today,
            lang,
            previous: &previous,
        },
    )
}

/// What the traveller asked for over a conversation: `user_messages` in
/// order, the last the current one. Each is read against what came before,
/// in the conversation's language (a message without clear language words
/// follows the one before).
pub fn understand_conversation<'a>(
    user_messages: impl IntoIterator<Item = &'a str>,
    today: NaiveDate,
) -> TripRequest {
    let mut sofar = TripRequest::default();
    for text in user_messages {
        let words = message_words(text);
        let lang = language::language_of(&words)
            .or(sofar.lang)
            .unwrap_or(Lang::Pt);
        let newer = read(
            words,
            &Context {
                today,
                lang,
                previous: &sofar,
            },
        );
        sofar = sofar.merge(newer);
    }
    fill_return(&mut sofar);
    if sofar.clarify.is_none() {
        sofar.clarify = round_trip_without_return(&sofar);
    }
    sofar
}

/// A message's words, its plus-minus signs spelt out.
fn message_words(text: &str) -> Words {
    Words::new(&flexible::spell_signs(text))
}

/// Asks for the return when the traveller said "ida e volta" and nothing more.
fn round_trip_without_return(req: &TripRequest) -> Option<Clarification> {
    let open =
        req.one_way == Some(false) && req.return_date.is_none() && req.trip_length_days.is_none();
    open.then_some(Clarification::ReturnDate)
}

/// One message, step by step.
fn read(mut words: Words, cx: &Context<'_>) -> TripRequest {
    let carriers = preferences::carriers(&mut words);
    let flex = flexible::read(&mut words);
    let dates = dates::read(&mut words, cx);
    let found = places::read(&words, cx.previous);
    let party = details::party(&words);
    let (depart_after, depart_before) = preferences::time_of_day(&words);
    let mut req = TripRequest {
        origin: found.origin,
        destination: found.destination,
        departure: dates.departure,
        return_date: dates.return_date,
        trip_length_days: dates.trip_days,
        adults: party.adults,
        children: party.children,
        infants: party.infants,
        cabin: details::cabin(&words),
        budget: details::budget(&words, cx.lang),
        max_stops: details::stops(&words),
        sort: preferences::sort(&words),
        carriers,
        depart_after,
        depart_before,
        lang: Some(cx.lang),
        clarify: dates.clarify.or(found.clarify),
        one_way: None,
        days_either_side: flex.days_either_side,
        window: None,
        weekend: flex.weekend,
        other_origins: flexible::other_origins(&words, found.origin),
    };
    window_of_range(&words, &flex, &mut req);
    next_week_window(&words, cx.today, &mut req);
    req.one_way = trip_shape(&words, &req);
    fill_return(&mut req);
    answer_natal(&words, cx, &mut req);
    answer_which_place(&words, cx, &mut req);
    req
}

/// "qualquer dia entre 10 e 20 de abril", "cheapest day between April 10
/// and 20": a range that is a departure window, not a departure and a
/// return (which "entre 10 e 20" alone stays, as the request tables read
/// it), when any day will do or the trip is one way.
fn window_of_range(words: &Words, flex: &flexible::Flex, req: &mut TripRequest) {
    let range = words.has("entre") || words.has("between");
    // "ida entre 10 e 20 de abril": the outbound's window, when nothing
    // says when the traveller comes back.
    let back = ["volta", "volto", "voltar", "return", "returning", "back"]
        .iter()
        .any(|w| words.has(w));
    let one_way = ["so ida", "one way", "somente ida", "apenas ida"]
        .iter()
        .any(|p| words.has(p))
        || words.has("ida entre") && !back;
    if let (true, Some(DateSpec::Day(a)), Some(DateSpec::Day(b))) = (
        range && (flex.any_day || one_way),
        req.departure,
        req.return_date,
    ) {
        req.window = Some((a, b));
        req.return_date = None;
    }
}

/// The answer to "Natal the city, or Christmas?": "a cidade" / "the city"
/// names the place (the end of the trip still missing), "o feriado" /
/// "Christmas" the date.
fn answer_natal(words: &Words, cx: &Context<'_>, req: &mut TripRequest) {
    if cx.previous.clarify != Some(Clarification::NatalCityOrChristmas) {
        return;
    }
    if words.has("cidade") || words.has("city") {
        let natal = crate::places::lookup("natal").first().copied();
        let prev = cx.previous;
        if prev.destination.is_some() && prev.origin.is_none() {
            req.origin = req.origin.or(natal);
        } else {
            req.destination = req.destination.or(natal);
        }
    } else if ["feriado", "holiday", "christmas", "data", "date"]
        .iter()
        .any(|w| words.has(w))
    {
        req.departure = req
            .departure
            .or_else(|| calendar::Holiday::Natal.next(cx.today).map(DateSpec::Day));
    }
}

/// The answer to "Fortaleza (FOR) ou Natal (NAT)?" or to "I went with
/// Fortaleza; if you meant Natal, just tell me": the one option the reply
/// names, by its name in either language or its code ("natal", "Porto",
/// "let's do Lisbon"), replaces the option taken or fills the end still
/// open.
fn answer_which_place(words: &Words, cx: &Context<'_>, req: &mut TripRequest) {
    let Some(Clarification::WhichPlace { options, .. }) = &cx.previous.clarify else {
        return;
    };
    // A code counts in capitals or as the whole reply: "for" and "são" are
    // words before they are Fortaleza and São Paulo.
    let by_code = |p: &Place| {
        let code = p.code().as_str().to_ascii_lowercase();
        (0..words.len()).any(|k| words.at(k) == code && (words.capitals[k] || words.len() == 1))
    };
    let named = |p: &&Place| {
        [p.city_in(Lang::Pt), p.city_in(Lang::En)]
            .iter()
            .any(|n| words.has(&crate::places::fold(n)))
            || by_code(p)
    };
    let chosen: Vec<&Place> = options.iter().filter(named).collect();
    let [place] = chosen[..] else {
        return;
    };
    // The option fills the end still open; the other end read from the
    // same words ("let's do Lisbon" read as from) is dropped.
    let taken = options.first().copied();
    let (open, other) = match (cx.previous.origin, cx.previous.destination) {
        (o, _) if o.is_some() && o == taken => (&mut req.origin, &mut req.destination),
        (_, d) if d.is_some() && d == taken => (&mut req.destination, &mut req.origin),
        (_, None) => (&mut req.destination, &mut req.origin),
        (None, Some(_)) => (&mut req.origin, &mut req.destination),
        _ => return,
    };
    *open = Some(*place);
    if *other == Some(*place) {
        *other = None;
    }
    req.clarify = None;
}

/// "semana que vem", "next week" with no day said: the whole week is the
/// departure's window (its cheapest day is searched), from its Monday.
fn next_week_window(words: &Words, today: NaiveDate, req: &mut TripRequest) {
    let said = ["semana que vem", "proxima semana", "next week"]
        .iter()
        .any(|p| words.has(p));
    let monday = calendar::next_weekday(today, chrono::Weekday::Mon);
    let weekday_said = words
        .words
        .iter()
        .any(|w| calendar::weekday_named(w).is_some());
    if said
        && !weekday_said
        && req.departure == Some(DateSpec::Day(monday))
        && req.return_date.is_none()
        && req.window.is_none()
    {
        req.window = Some((monday, monday + Days::new(6)));
    }
}

/// "só ida"/"one way" → one way; "ida e volta", "round trip", a return or a
/// length of stay → round trip.
fn trip_shape(words: &Words, req: &TripRequest) -> Option<bool> {
    const ONE_WAY: &[&str] = &[
        "so ida",
        "only go",
        "not return",
        "sem retorno",
        "somente ida",
        "apenas ida",
        "ida apenas",
        "sem volta",
        "one way",
        "one-way",
        "oneway",
        "1 way",
        "1-way",
        "so de ida",
        "no return",
    ];
    const ROUND: &[&str] = &[
        "ida e volta",
        "ir e voltar",
        "and back",
        "round trip",
        "round-trip",
        "roundtrip",
        "return flight",
        "return ticket",
        "return trip",
    ];
    // "uma passagem de ida", "bilhete de ida" (not "de ida e volta").
    let ticket_out = (1..words.len()).any(|i| {
        matches!(
            words.before(i),
            "passagem" | "passagens" | "bilhete" | "bilhetes"
        ) && words.phrase_at(i, "de ida")
            && words.at(i + 2) != "e"
    });
    // "ir pra SP dia 15 e voltar", the message ending on the return.
    let back_unsaid = words.at(words.len().saturating_sub(1)) == "voltar"
        || words.phrase_at(words.len().saturating_sub(2), "e voltar")
        || (1..words.len()).any(|i| words.phrase_at(i, "e voltar ,"));
    if ONE_WAY.iter().any(|p| words.has(p)) || ticket_out {
        Some(true)
    } else if ROUND.iter().any(|p| words.has(p))
        || back_unsaid
        || req.return_date.is_some()
        || req.trip_length_days.is_some()
    {
        Some(false)
    } else {
        None
    }
}

/// A stay of so many days after a departure day is a return day.
fn fill_return(req: &mut TripRequest) {
    if let (None, Some(DateSpec::Day(d)), Some(n)) =
        (req.return_date, req.departure, req.trip_length_days)
    {
        req.return_date = Some(DateSpec::Day(d + Days::new(u64::from(n))));
    }
}

#[cfg(test)]
mod tests;
