//! Dates: absolute and relative, in both languages, ranges, trip lengths
//! and holidays. The first date is the departure; a date after a return
//! word ("volta", "returning") or the second of a range is the return.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::calendar::{
    Holiday, easter, long_weekend_start, month_named, month_short, next_weekday, upcoming,
    weekday_named, year_of_month,
};
use super::numbers::{count, day_at};
use super::text::Words;
use super::{Clarification, Context, DateSpec, Lang};

/// What the dates of one message say.
#[derive(Debug, Default)]
pub(super) struct Dates {
    pub departure: Option<DateSpec>,
    pub return_date: Option<DateSpec>,
    pub trip_days: Option<u16>,
    pub clarify: Option<Clarification>,
}

/// A date as written, before the month of a bare day is known.
#[derive(Debug, Clone, Copy)]
enum When {
    Spec(DateSpec),
    /// "dia 20", "the 20th": the month comes from the rest of the conversation.
    DayOnly(u32),
    /// "sexta", "returning Sunday": the next such day, after the departure
    /// when it is the return.
    Weekday(chrono::Weekday),
    /// "na sexta antes", "the Thursday before": the last such day before
    /// the holiday or event the message names.
    WeekdayBefore(chrono::Weekday),
}

/// One date of a message and how it was written.
#[derive(Debug, Clone, Copy)]
struct Found {
    /// The word it starts at.
    at: usize,
    when: When,
    /// Named by a holiday ("no carnaval"), a week ("semana que vem") or an
    /// event the trip is for ("casamento dia 7"): the season of the trip,
    /// which an explicit day of travel in the same message makes precise.
    holiday: bool,
    /// Right after a word of leaving ("ir dia 16", "leaving Dec 20"):
    /// the departure, whatever else the message dates.
    leaving: bool,
    /// The date of an event the trip is for ("casamento sábado dia 30"),
    /// which starts on that day rather than the day after.
    event: bool,
}

/// Dates found so far in a message, and the other things dates say.
#[derive(Default)]
struct Scan {
    found: Vec<Found>,
    /// Where a return word is: dates after it are the return.
    return_at: Option<usize>,
    trip_days: Option<u16>,
    clarify: Option<Clarification>,
    /// Whether a numeric date of the message could only be day first
    /// ("27/2"): `Some(true)`; only month first ("9/24"): `Some(false)`.
    day_first: Option<bool>,
}

/// Words after which dates are the return.
const RETURN_WORDS: &[&str] = &[
    "volta",
    "volto",
    "voltamos",
    "voltaria",
    "voltando",
    "voltar",
    "retorno",
    "retornando",
    "regresso",
    "return",
    "returning",
    "back",
    "coming",
];

/// Words that follow a count, never a day ("março, 2 adultos").
const COUNTED: &[&str] = &[
    "adulto",
    "adultos",
    "adult",
    "adults",
    "pessoa",
    "pessoas",
    "people",
    "passageiros",
    "passengers",
    "passagens",
    "tickets",
    "seats",
    "lugares",
    "crianca",
    "criancas",
    "kids",
    "children",
    "child",
    "bebe",
    "bebes",
    "dias",
    "days",
    "noites",
    "nights",
    "semanas",
    "weeks",
    "escalas",
    "stops",
];

/// Reads every date of the message, marking their words as read.
pub(super) fn read(words: &mut Words, cx: &Context) -> Dates {
    let mut scan = Scan::default();
    let mut i = 0;
    while i < words.len() {
        let w = words.at(i);
        let trip_type =
            w == "volta" && words.before(i) == "e" && words.at(i.saturating_sub(2)) == "ida";
        // "this coming Wednesday": coming soon, not coming back.
        let soon = w == "coming" && matches!(words.before(i), "this" | "the");
        if RETURN_WORDS.contains(&w) && !trip_type && !soon {
            scan.return_at.get_or_insert(i);
        }
        match recognise(words, i, cx, &mut scan) {
            Some((whens, used)) => {
                let event = event_before(words, i);
                let holiday = (i..i + used.max(1)).any(|k| holiday_named(words, k).is_some())
                    || words.phrase_at(i, "semana que vem")
                    || words.phrase_at(i, "proxima semana")
                    || words.phrase_at(i, "next week")
                    || weekend(words, i, cx.today).is_some()
                    || event;
                let label = words.at(i + used.max(1));
                let leaving = leaving_before(words, i) || label == "ida";
                // "7/12 ida 9/12 volta": a return word after a date, and no
                // date after it, labels that date.
                if RETURN_WORDS.contains(&label)
                    && scan.return_at.is_none()
                    && !dated_after(words, i + used.max(1))
                {
                    scan.return_at = Some(i);
                }
                scan.found.extend(whens.into_iter().map(|when| Found {
                    at: i,
                    when,
                    holiday,
                    leaving,
                    event,
                }));
                words.take(i, i + used.max(1));
                i += used.max(1);
            }
            None => i += 1,
        }
    }
    assign(scan, cx)
}

/// Whether a date follows the word at `k` ("volta dia 20", "back on Jan 5").
fn dated_after(words: &Words, k: usize) -> bool {
    let next = |j: usize| words.at(k + j);
    let word = next(
        1 + usize::from(matches!(
            next(1),
            "no" | "na" | "em" | "on" | "in" | "dia" | "the"
        )),
    );
    word.starts_with(|c: char| c.is_ascii_digit())
        || matches!(word, "dia" | "the")
        || month_short(word).is_some()
        || weekday_named(word).is_some()
        || super::numbers::day_at(words, k + 1).is_some_and(|(d, _)| d > 1)
}

/// Words of leaving: a date right after one is the departure.
const LEAVING: &[&str] = &[
    "ir",
    "ida",
    "vou",
    "vamos",
    "saio",
    "saindo",
    "sair",
    "saimos",
    "partindo",
    "partida",
    "embarco",
    "embarcar",
    "embarque",
    "viajo",
    "leave",
    "leaving",
    "depart",
    "departing",
    "out",
    "fly",
    "flying",
    "go",
    "going",
];

/// Whether the clause of word `i` (back to the last comma) says the
/// traveller leaves then: "ir no sábado dia 12", "quero ir de Curitiba pra
/// Belém dia 18" (not "meu pai faz aniversário dia 20").
fn leaving_before(words: &Words, i: usize) -> bool {
    looking_back(words, i, 12, |w| w == "," || RETURN_WORDS.contains(&w))
        .any(|w| LEAVING.contains(&w))
}

/// The words before `i`, nearest first, at most `span` of them, until one
/// that `ends` the clause.
fn looking_back<'w>(
    words: &'w Words,
    i: usize,
    span: usize,
    ends: impl Fn(&str) -> bool + 'w,
) -> impl Iterator<Item = &'w str> + 'w {
    (i.saturating_sub(span)..i)
        .rev()
        .map(|k| words.at(k))
        .take_while(move |w| !ends(w))
}

/// What a trip is for, when the traveller dates it: "casamento dia 7",
/// "show dia 22", "consulta na terça, dia 13", "wedding on the 12th".
const EVENTS: &[&str] = &[
    "casamento",
    "casar",
    "show",
    "jogo",
    "consulta",
    "exame",
    "concurso",
    "prova",
    "formatura",
    "reuniao",
    "congresso",
    "evento",
    "entrevista",
    "aniversario",
    "festa",
    "wedding",
    "concert",
    "game",
    "match",
    "appointment",
    "meeting",
    "conference",
    "interview",
    "graduation",
    "birthday",
    "party",
];

/// Whether the date at word `i` is an event's, not a day of travel: an
/// event word shortly before it, with no word of leaving or returning in
/// between ("casamento em Recife dia 7, ... ir na sexta dia 6").
fn event_before(words: &Words, i: usize) -> bool {
    looking_back(words, i, 8, |w| {
        LEAVING.contains(&w) || RETURN_WORDS.contains(&w)
    })
    .any(|w| EVENTS.contains(&w))
}

/// "volta 20", "ida 7 volta 14", "regresso a 5", "de 18 de julho até 28":
/// a bare day right after a word of leaving or returning, or after "até"
/// that ends a date.
fn cued_day(words: &Words, i: usize) -> Option<(Vec<When>, usize)> {
    let day = super::numbers::day_digits(words.at(i))?;
    let next = words.at(i + 1);
    if COUNTED.contains(&next)
        || matches!(
            next,
            "mil" | "k" | "reais" | "brl" | "usd" | "eur" | "dolares" | "euros"
        )
        || next.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let mut k = i.checked_sub(1)?;
    // "ida na sexta 4", "volta no domingo 6".
    if weekday_named(words.at(k)).is_some() {
        k = k.checked_sub(1)?;
    }
    if matches!(words.at(k), "a" | "no" | "na" | "em" | "on" | "the") {
        k = k.checked_sub(1)?;
    }
    let cue = words.at(k);
    // "muda pra 12", "change it to the 14th": a new day.
    let verb = |w: &str| {
        matches!(
            w,
            "muda" | "mudar" | "troca" | "trocar" | "passa" | "change" | "move"
        )
    };
    let changed = matches!(cue, "pra" | "para" | "to")
        && k > 0
        && (verb(words.at(k - 1)) || words.at(k - 1) == "it" && verb(words.before(k - 1)));
    if changed {
        return Some((vec![When::DayOnly(day)], 1));
    }
    let after_date = matches!(cue, "ate" | "until" | "till") && k > 0 && words.taken[k - 1];
    let cued = after_date
        || RETURN_WORDS.contains(&cue) && cue != "coming"
        || matches!(cue, "ida" | "vou" | "saio" | "embarco");
    cued.then(|| (vec![When::DayOnly(day)], 1))
}

/// A date after "dia", "the", "on" or "no" at `i`: "dia 10 de março",
/// "on the 5th", "no dia 3".
fn after_day_word(
    words: &Words,
    i: usize,
    cx: &Context,
    scan: &mut Scan,
) -> Option<(Vec<When>, usize)> {
    let mut k = i + 1;
    while matches!(words.at(k), "dia" | "the") {
        k += 1;
    }
    // "just the two of them": people, not the 2nd.
    if words.at(k + 1) == "of" && matches!(words.at(k + 2), "us" | "them" | "you") {
        return None;
    }
    let dated =
        day_first(words, k, cx.today, scan).or_else(|| month_first(words, k, cx.today, scan));
    if let Some((whens, used)) = dated {
        return Some((whens, used + k - i));
    }
    day_only(words, i, scan)
}

/// The date phrase starting at word `i`: what it says and how many words it took.
fn recognise(words: &Words, i: usize, cx: &Context, scan: &mut Scan) -> Option<(Vec<When>, usize)> {
    let w = words.at(i);
    // "volto no dia seguinte", "back the next day": a stay of one day.
    let next_day = ["dia seguinte", "next day", "day after"]
        .iter()
        .find(|p| words.phrase_at(i, p) && words.at(i + 2) != "tomorrow");
    if let Some(p) = next_day {
        scan.trip_days = Some(1);
        return Some((Vec::new(), p.split(' ').count()));
    }
    // "ida de manhã e volta à noite": back the same day.
    if RETURN_WORDS.contains(&words.before(i))
        && [
            "a noite",
            "de noite",
            "a tarde",
            "de tarde",
            "in the evening",
        ]
        .iter()
        .any(|p| words.phrase_at(i, p))
        && !dated_after(words, i + 1)
    {
        scan.trip_days = Some(0);
        return None;
    }
    // "ida e volta no mesmo dia", "back the same day": a stay of no nights.
    if let Some(p) = ["mesmo dia", "same day"]
        .iter()
        .find(|p| words.phrase_at(i, p))
    {
        scan.trip_days = Some(0);
        return Some((Vec::new(), p.split(' ').count()));
    }
    if let Some(found) = numeric_range(words, i, cx, scan) {
        return Some(found);
    }
    if let Some(found) = part_of_month(words, i, cx.today) {
        return Some(found);
    }
    if let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d") {
        return Some((vec![When::Spec(DateSpec::Day(d))], 1));
    }
    if let Some(d) = numeric(w, cx, scan) {
        return Some((vec![When::Spec(DateSpec::Day(d))], 1));
    }
    if matches!(w, "dia" | "the" | "on" | "no") {
        return after_day_word(words, i, cx, scan);
    }
    day_first(words, i, cx.today, scan)
        .or_else(|| month_first(words, i, cx.today, scan))
        .or_else(|| holiday(words, i, cx.today, scan))
        .or_else(|| relative(words, i, cx))
        .or_else(|| duration(words, i, scan))
        .or_else(|| cued_day(words, i))
}

/// `10/03`, `10/03/2027`, `3/10/27`: day first in Portuguese, month first in
/// English. An English date that reads both ways and looks European ("10/03")
/// is taken month first and asked about.
fn numeric(word: &str, cx: &Context, scan: &mut Scan) -> Option<NaiveDate> {
    let mut parts: Vec<&str> = word.split('/').collect();
    // "10.03" and "10.03.2027" as Brazilians also write them; "4.000" is money.
    let dotted: Vec<&str> = word.split('.').collect();
    let dotted_date =
        matches!(dotted.as_slice(), [d, m] | [d, m, _] if d.len() <= 2 && m.len() == 2);
    if parts.len() == 1 && dotted_date && cx.lang == Lang::Pt {
        parts = dotted;
    }
    let digits = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(digits) {
        return None;
    }
    let (a, b): (u32, u32) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
    let on = |day: u32, month: u32| match parts.get(2) {
        Some(y) => {
            let y: i32 = y.parse().ok()?;
            NaiveDate::from_ymd_opt(if y < 100 { 2000 + y } else { y }, month, day)
        }
        None => upcoming(cx.today, month, day),
    };
    // A date that can only be read one way says how the message writes
    // the others: "27/2, back 1/3" is 1 March; "9/24, returning 10/8" 8 October.
    if a > 12 {
        scan.day_first = Some(true);
    } else if b > 12 {
        scan.day_first = Some(false);
    }
    match scan.day_first {
        Some(true) => return on(a, b),
        Some(false) => return on(b, a),
        None => {}
    }
    if cx.lang == Lang::Pt {
        return on(a, b);
    }
    let us = on(b, a);
    let european_looking = parts[0].len() == 2 && parts[1].len() == 2 && b <= 12 && a != b;
    if let (true, Some(first), Some(second)) = (european_looking, us, on(a, b)) {
        scan.clarify = Some(Clarification::DayOrMonth { first, second });
    }
    us.or_else(|| on(a, b))
}

/// "18 a 22/12", "14-21/01": a day, then a numeric date; the first day is
/// in the second date's month (or the month before, "28 a 03/01").
fn numeric_range(
    words: &Words,
    i: usize,
    cx: &Context,
    scan: &mut Scan,
) -> Option<(Vec<When>, usize)> {
    let day = super::numbers::day_digits(words.at(i)).filter(|_| !words.at(i).contains('/'))?;
    if !matches!(words.at(i + 1), "a" | "ao" | "ate" | "-" | "->" | "to") {
        return None;
    }
    let end = numeric(words.at(i + 2), cx, scan)?;
    let start = end
        .with_day(day)
        .filter(|s| *s <= end)
        .or_else(|| end.checked_sub_months(Months::new(1))?.with_day(day))?;
    let whens = [start, end].map(|d| When::Spec(DateSpec::Day(d)));
    Some((whens.to_vec(), 3))
}

/// "10 de março", "10th of March", "primeiro de maio", "10 de outubro de
/// 2027", and ranges "de 10 a 20 de março", "10-20 march".
fn day_first(
    words: &Words,
    i: usize,
    today: NaiveDate,
    scan: &mut Scan,
) -> Option<(Vec<When>, usize)> {
    let (day, n) = day_at(words, i)?;
    let mut j = i + n;
    let mut days = vec![day];
    let mut either = false;
    if let Some((second, m)) = range_end(words, j) {
        either = matches!(words.at(j), "ou" | "or");
        days.push(second);
        j += 1 + m;
    }
    if matches!(words.at(j), "de" | "of") {
        j += 1;
    }
    let month = month_short(words.at(j))?;
    j += 1;
    let (year, used) = year_at(words, j);
    let dates: Vec<NaiveDate> = days
        .iter()
        .filter_map(|d| on_day(today, year, month, *d))
        .collect();
    let first = *dates.first()?;
    let mut whens = vec![When::Spec(DateSpec::Day(first))];
    if let Some(second) = dates.get(1).copied() {
        let second = if second < first {
            second + Months::new(12)
        } else {
            second
        };
        push_second(&mut whens, either, first, second, scan);
    }
    Some((whens, j + used - i))
}

/// "March 10", "march 10th, 2027", "april first", "june twenty fifth",
/// "march 10 to 20"; a month alone ("em março", "in March", "março de 2027").
fn month_first(
    words: &Words,
    i: usize,
    today: NaiveDate,
    scan: &mut Scan,
) -> Option<(Vec<When>, usize)> {
    let w = words.at(i);
    let mut j = i + 1;
    if matches!(words.at(j), "the" | "dia") {
        j += 1;
    }
    let day = day_at(words, j).filter(|(_, n)| !COUNTED.contains(&words.at(j + n)));
    // "Rio de Janeiro" is a city before it is a month.
    if words.before(i) == "de" && words.at(i.saturating_sub(2)) == "rio" {
        return None;
    }
    // "out 14 May", "out the 21st of December": a month after the day
    // says "out" was a word.
    if let Some((_, n)) = day {
        let after = j + n + usize::from(matches!(words.at(j + n), "of" | "de"));
        if month_short(words.at(after)).is_some() {
            return None;
        }
    }
    let month = match day {
        Some(_) => month_short(w),
        None => month_named(w).or_else(|| month_short(w).filter(|_| words.before(i) == "in")),
    }?;
    let Some((day, n)) = day else {
        return month_alone(words, i, month, today, scan);
    };
    j += n;
    let mut days = vec![day];
    let mut either = false;
    if let Some((second, m)) = range_end(words, j) {
        either = matches!(words.at(j), "ou" | "or");
        days.push(second);
        j += 1 + m;
    }
    let (year, used) = year_at(words, j);
    let dates: Vec<NaiveDate> = days
        .iter()
        .filter_map(|d| on_day(today, year, month, *d))
        .collect();
    let first = *dates.first()?;
    let mut whens = vec![When::Spec(DateSpec::Day(first))];
    if let Some(second) = dates.get(1).copied() {
        push_second(&mut whens, either, first, second, scan);
    }
    Some((whens, j + used - i))
}

/// "mid-May", "meados de maio", "middle of May": the 15th. "early May",
/// "fim de maio", "first week of May", "segunda quinzena de maio": the
/// month, to search whole (an abbreviation counts here: "early may").
fn part_of_month(words: &Words, i: usize, today: NaiveDate) -> Option<(Vec<When>, usize)> {
    const MIDDLE: &[&str] = &["mid", "meados de", "metade de", "middle of", "meio de"];
    const PART: &[&str] = &[
        "early",
        "late",
        "inicio de",
        "comeco de",
        "fim de",
        "final de",
        "end of",
        "beginning of",
        "start of",
        "primeira semana de",
        "ultima semana de",
        "first week of",
        "last week of",
        "primeira quinzena de",
        "segunda quinzena de",
        "first half of",
        "second half of",
    ];
    let month_at = |k: usize| {
        let k = k + usize::from(words.at(k) == "the");
        month_short(words.at(k)).map(|m| (m, k + 1))
    };
    let (middle, (month, end)) = if let Some(m) = words.at(i).strip_prefix("mid-") {
        (true, (month_short(m)?, i + 1))
    } else {
        let middle = MIDDLE.iter().find(|p| words.phrase_at(i, p));
        let part = PART.iter().find(|p| words.phrase_at(i, p));
        let phrase = middle.or(part)?;
        (middle.is_some(), month_at(i + Words::count_of(phrase))?)
    };
    let (year, used) = year_at(words, end);
    let spec = match (middle, year) {
        (true, Some(year)) => DateSpec::Day(NaiveDate::from_ymd_opt(year, month, 15)?),
        // "mid-November" on 30 November: next year's.
        (true, None) => DateSpec::Day(upcoming(today, month, 15)?),
        (false, year) => DateSpec::Month {
            year: year.unwrap_or_else(|| year_of_month(today, month)),
            month,
        },
    };
    Some((vec![When::Spec(spec)], end + used - i))
}

/// A whole month, with its year if written ("março de 2027"); "março ou
/// abril" takes the first and asks.
fn month_alone(
    words: &Words,
    i: usize,
    month: u32,
    today: NaiveDate,
    scan: &mut Scan,
) -> Option<(Vec<When>, usize)> {
    let (year, used) = year_at(words, i + 1);
    let spec = DateSpec::Month {
        year: year.unwrap_or_else(|| year_of_month(today, month)),
        month,
    };
    if matches!(words.at(i + 1 + used), "ou" | "or")
        && let Some(other) = month_named(words.at(i + 2 + used))
    {
        let second = DateSpec::Month {
            year: year_of_month(today, other),
            month: other,
        };
        scan.clarify = Some(Clarification::EitherDate {
            first: spec,
            second,
        });
        return Some((vec![When::Spec(spec)], used + 3));
    }
    Some((vec![When::Spec(spec)], 1 + used))
}

/// The second day of a range at `j` ("a 20", "to 20th", "-20", "ou 12").
fn range_end(words: &Words, j: usize) -> Option<(u32, usize)> {
    if !matches!(
        words.at(j),
        "a" | "ao"
            | "ate"
            | "to"
            | "-"
            | "->"
            | "e"
            | "and"
            | "through"
            | "till"
            | "until"
            | "ou"
            | "or"
    ) {
        return None;
    }
    let k = j + 1 + usize::from(words.at(j + 1) == "dia");
    let (d, n) = day_at(words, k)?;
    Some((d, n + k - j - 1))
}

/// The second date of a range: the return, or with "ou"/"or" an alternative to ask about.
fn push_second(
    whens: &mut Vec<When>,
    either: bool,
    first: NaiveDate,
    second: NaiveDate,
    scan: &mut Scan,
) {
    if either {
        scan.clarify = Some(Clarification::EitherDate {
            first: DateSpec::Day(first),
            second: DateSpec::Day(second),
        });
    } else {
        whens.push(When::Spec(DateSpec::Day(second)));
    }
}

/// A year at `j` ("2027", "de 2027", ", 2027"), and how many words it took.
fn year_at(words: &Words, j: usize) -> (Option<i32>, usize) {
    let skip = usize::from(matches!(words.at(j), "de" | "of" | ","));
    match words.at(j + skip).parse::<i32>() {
        Ok(y) if (2020..=2100).contains(&y) => (Some(y), skip + 1),
        _ => (None, 0),
    }
}

/// `day`/`month` in `year`, or the next time it comes.
fn on_day(today: NaiveDate, year: Option<i32>, month: u32, day: u32) -> Option<NaiveDate> {
    match year {
        Some(y) => NaiveDate::from_ymd_opt(y, month, day),
        None => upcoming(today, month, day),
    }
}

/// "dia 20", "the 20th", "dia 10 a 20", "dia 10 ou 12": days whose month
/// the conversation gives.
fn day_only(words: &Words, i: usize, scan: &mut Scan) -> Option<(Vec<When>, usize)> {
    let start = i + 1 + usize::from(words.at(i + 1) == "dia" || words.at(i + 1) == "the");
    let (day, n) = day_at(words, start)?;
    if COUNTED.contains(&words.at(start + n))
        || (words.at(i) == "no" && day_at(words, start).is_none())
    {
        return None;
    }
    let mut whens = vec![When::DayOnly(day)];
    let mut j = start + n;
    if let Some((second, m)) = range_end(words, j) {
        if matches!(words.at(j), "ou" | "or") {
            scan.clarify = Some(Clarification::EitherDay { first: day, second });
        } else {
            whens.push(When::DayOnly(second));
        }
        j += 1 + m;
    }
    Some((whens, j - i))
}

/// Christmas, Carnaval, Easter and the other holidays, with a year if
/// written ("carnaval de 2028"), and "no feriado" (the next one). "Natal" is
/// the holiday after "no"/"o" or a holiday word, the city after a place
/// word, and asked about otherwise.
fn holiday(
    words: &Words,
    i: usize,
    today: NaiveDate,
    scan: &mut Scan,
) -> Option<(Vec<When>, usize)> {
    let at = |d: Option<NaiveDate>| d.map(|d| vec![When::Spec(DateSpec::Day(d))]);
    if let Some((day, used)) = holiday_day(words, i, today) {
        return Some((vec![When::Spec(DateSpec::Day(day))], used));
    }
    if matches!(words.at(i), "feriado" | "feriadao") && holiday_named(words, i + 2).is_none() {
        // "feriado de 15 de novembro": the long weekend that day makes.
        if let Some((whens, used)) = day_first(words, i + 2, today, scan)
            && let Some(When::Spec(DateSpec::Day(d))) = whens.first()
        {
            let start = long_weekend_start(*d).filter(|s| *s >= today).unwrap_or(*d);
            return Some((vec![When::Spec(DateSpec::Day(start))], 2 + used));
        }
        return at(Holiday::soonest(today)).map(|v| (v, 1));
    }
    let (h, used) = holiday_named(words, i)?;
    // "Easter Island", "Ilha de Páscoa": a place.
    if words.at(i + used) == "island"
        || i >= 2 && words.before(i) == "de" && words.at(i - 2) == "ilha"
    {
        return None;
    }
    if h == Holiday::Natal && words.at(i) == "natal" {
        match natal_reading(words, i) {
            Some(true) => {}
            Some(false) => return None,
            None => {
                scan.clarify = Some(Clarification::NatalCityOrChristmas);
                return Some((Vec::new(), 1));
            }
        }
    }
    let (year, year_words) = year_at(words, i + used);
    let day = match year {
        Some(y) => h.in_year(y),
        None => h.next(today),
    };
    at(day).map(|v| (v, used + year_words))
}

/// Phrases that name one day of a holiday rather than the holiday: its eve,
/// its Sunday, the day after it. The day (next on or after `today`) and how
/// many words name it.
fn holiday_day(words: &Words, i: usize, today: NaiveDate) -> Option<(NaiveDate, usize)> {
    use chrono::Weekday::{Mon, Thu};
    /// How a named day falls in a year.
    enum Day {
        /// Month and day.
        Fixed(u32, u32),
        /// Days from Easter Sunday.
        Easter(i64),
        /// The nth weekday of a month (5: the last), moved by some days:
        /// the United States' Monday holidays and their long weekends.
        Nth(u32, chrono::Weekday, u8, i64),
    }
    use Day::{Easter, Fixed, Nth};
    const DAYS: &[(&str, Day)] = &[
        ("vespera de natal", Fixed(12, 24)),
        ("christmas eve", Fixed(12, 24)),
        ("dia de natal", Fixed(12, 25)),
        ("christmas day", Fixed(12, 25)),
        ("depois do natal", Fixed(12, 26)),
        ("after christmas", Fixed(12, 26)),
        ("boxing day", Fixed(12, 26)),
        ("st stephens day", Fixed(12, 26)),
        ("stephens day", Fixed(12, 26)),
        ("domingo de pascoa", Easter(0)),
        ("easter sunday", Easter(0)),
        ("easter monday", Easter(1)),
        ("sexta-feira santa", Easter(-2)),
        ("sexta santa", Easter(-2)),
        ("good friday", Easter(-2)),
        ("quarta-feira de cinzas", Easter(-46)),
        ("quarta de cinzas", Easter(-46)),
        ("ash wednesday", Easter(-46)),
        ("thanksgiving day", Nth(11, Thu, 4, 0)),
        ("labor day weekend", Nth(9, Mon, 1, -3)),
        ("labor day", Nth(9, Mon, 1, 0)),
        ("memorial day weekend", Nth(5, Mon, 5, -3)),
        ("memorial day", Nth(5, Mon, 5, 0)),
    ];
    let (phrase, day) = DAYS.iter().find(|(p, _)| words.phrase_at(i, p))?;
    let in_year = |year: i32| match day {
        Fixed(m, d) => NaiveDate::from_ymd_opt(year, *m, *d),
        Easter(offset) => easter(year)?.checked_add_signed(chrono::Duration::days(*offset)),
        Nth(month, weekday, n, offset) => {
            let nth = |n| NaiveDate::from_weekday_of_month_opt(year, *month, *weekday, n);
            nth(*n)
                .or_else(|| nth(n - 1))?
                .checked_add_signed(chrono::Duration::days(*offset))
        }
    };
    let date = in_year(today.year())
        .filter(|d| *d >= today)
        .or_else(|| in_year(today.year() + 1))?;
    Some((date, phrase.split(' ').count()))
}

/// The holiday named at `i` and how many words name it.
fn holiday_named(words: &Words, i: usize) -> Option<(Holiday, usize)> {
    if words.phrase_at(i, "corpus christi") {
        return Some((Holiday::CorpusChristi, 2));
    }
    if ["ano novo", "new year", "new years"]
        .iter()
        .any(|p| words.phrase_at(i, p))
    {
        return Some((Holiday::Reveillon, 2));
    }
    if words.phrase_at(i, "semana santa") || words.phrase_at(i, "holy week") {
        return Some((Holiday::Pascoa, 2));
    }
    Holiday::named(words.at(i)).map(|h| (h, 1))
}

/// Whether "natal" at `i` is Christmas (`Some(true)`), the city
/// (`Some(false)`) or can't be told (`None`).
fn natal_reading(words: &Words, i: usize) -> Option<bool> {
    const HOLIDAY_BEFORE: &[&str] = &[
        "no", "o", "feriado", "feriadao", "ceia", "ferias", "semana", "epoca", "viagem",
    ];
    const PLACE_BEFORE: &[&str] = &[
        "para", "pra", "pro", "de", "do", "from", "to", "em", "a", "in", "->", "at", "destino",
        "entre", "between",
    ];
    let before = words.before(i);
    // "depois do Natal", "antes do Natal": the holiday.
    if before == "do" && matches!(words.at(i.saturating_sub(2)), "depois" | "antes" | "ate") {
        return Some(true);
    }
    let holiday_word_before_de =
        before == "de" && HOLIDAY_BEFORE.contains(&words.at(i.saturating_sub(2)));
    // "natal em Natal", "Natal com a família em Teresina": a holiday spent
    // somewhere, with someone.
    let when_word = |w: &str| {
        month_named(w).is_some() || w.starts_with(|c: char| c.is_ascii_digit()) || w == "dia"
    };
    let spent = matches!(words.at(i + 1), "em" | "com" | "with")
        && !when_word(words.at(i + 2))
        && (i == 0 || words.before(i) == ",");
    if HOLIDAY_BEFORE.contains(&before)
        || holiday_word_before_de
        || words.at(i + 1) == "e" && words.at(i + 2) == "ano"
        || spent
    {
        return Some(true);
    }
    // "pra Recife, quer dizer, Natal": a correction of a place.
    if PLACE_BEFORE.contains(&before)
        || matches!(words.at(i + 1), "->" | "para" | "pra" | "to" | "rn")
        || super::places::after_correction(words, i)
    {
        return Some(false);
    }
    // "Fortaleza ou Natal": an alternative to a place is a place; "Carnaval
    // ou Natal" a holiday.
    if matches!(before, "ou" | "or") && i >= 2 {
        let other = words.at(i - 2);
        if Holiday::named(other).is_some() {
            return Some(true);
        }
        if !crate::places::lookup(other).is_empty() {
            return Some(false);
        }
    }
    None
}

/// Today, tomorrow, weekdays, "next week", "mês que vem", "daqui a 2
/// semanas", "in 3 days", the weekend.
fn relative(words: &Words, i: usize, cx: &Context) -> Option<(Vec<When>, usize)> {
    let today = cx.today;
    let day = |d: NaiveDate| vec![When::Spec(DateSpec::Day(d))];
    let w = words.at(i);
    if words.phrase_at(i, "depois de amanha") || words.phrase_at(i, "day after tomorrow") {
        return Some((day(today + Days::new(2)), 3));
    }
    match w {
        "hoje" | "today" | "tonight" => return Some((day(today), 1)),
        "amanha" | "tomorrow" => return Some((day(today + Days::new(1)), 1)),
        _ => {}
    }
    if let Some(found) = weekend(words, i, today) {
        return Some(found);
    }
    if let Some(found) = next_period(words, i, today) {
        return Some(found);
    }
    if let Some(wd) = weekday_named(w) {
        return weekday_at(words, i, wd, today);
    }
    ahead(words, i, today)
}

/// A weekday at `i` and what follows it: a date it only labels, "Sat
/// 14th", "the Thursday before", "quinta da semana que vem", "next Friday".
fn weekday_at(
    words: &Words,
    i: usize,
    wd: chrono::Weekday,
    today: NaiveDate,
) -> Option<(Vec<When>, usize)> {
    // "quarta, 7 de abril", "wednesday april 7th", "quarta feira dia
    // 12": the date says it all.
    let next = i + 1 + usize::from(matches!(words.at(i + 1), "," | "feira"));
    let numeric_date = |w: &str| w.contains('/') && w.starts_with(|c: char| c.is_ascii_digit());
    // "Monday, 2 adults", "Tuesday? one way", "Sunday. Two of us": a
    // count, not a date; a day in words comes with "the" or a month.
    let dated_day = super::numbers::day_digits(words.at(next))
        .filter(|_| !COUNTED.contains(&words.at(next + 1)) && words.at(next + 1) != "of");
    let dated = dated_day.is_some()
        || numeric_date(words.at(next))
        || month_short(words.at(next)).is_some()
        || matches!(words.at(next), "dia" | "the");
    // "segunda quinzena", "segunda classe": not Monday.
    let not_a_day = matches!(
        words.at(i + 1),
        "quinzena" | "classe" | "class" | "vez" | "opcao"
    );
    if not_a_day {
        return None;
    }
    // "leaving the Thursday before", "a quinta antes": a day the
    // holiday or event named elsewhere in the message gives.
    if matches!(words.at(i + 1), "before" | "antes") {
        return Some((vec![When::WeekdayBefore(wd)], 2));
    }
    // "Sat 14th", "sexta 26": the next such day that falls on that
    // weekday.
    if let Some(day) = dated_day
        && month_short(words.at(next + 1)).is_none()
        && !(words.at(next + 1) == "de" && month_short(words.at(next + 2)).is_some())
    {
        let when = day_on_weekday(today, day, wd)
            .map_or(When::DayOnly(day), |d| When::Spec(DateSpec::Day(d)));
        return Some((vec![when], next + 1 - i));
    }
    if dated {
        return Some((Vec::new(), 1));
    }
    // "quinta da semana que vem", "Thursday next week": that day of
    // the week that starts next Monday.
    let next_week = ["da semana que vem", "da proxima semana", "next week"]
        .iter()
        .find(|p| words.phrase_at(i + 1, p));
    if let Some(p) = next_week {
        let monday = next_weekday(today, chrono::Weekday::Mon);
        let day = next_weekday(monday - Days::new(1), wd);
        return Some((vec![When::Spec(DateSpec::Day(day))], 1 + Words::count_of(p)));
    }
    // "next Friday", like "sexta": the next one after today (after the
    // departure for the return).
    let used = if words.phrase_at(i + 1, "que vem") {
        3
    } else {
        1
    };
    Some((vec![When::Weekday(wd)], used))
}

/// "fim de semana", "final de semana", "this weekend", "next weekend":
/// Friday to Sunday of the coming weekend.
fn weekend(words: &Words, i: usize, today: NaiveDate) -> Option<(Vec<When>, usize)> {
    let used = if words.phrase_at(i, "fim de semana") || words.phrase_at(i, "final de semana") {
        3
    } else if words.at(i) == "weekend" {
        1
    } else {
        return None;
    };
    // "the weekend of December 12": the date that follows says when;
    // "4th of July weekend": the date before it.
    if matches!(words.at(i + used), "of" | "do" | "de") {
        return Some((Vec::new(), used + 1));
    }
    if i > 0 && words.taken[i - 1] {
        return Some((Vec::new(), used));
    }
    // "for a long weekend, out Friday April 9": the kind of trip, not its
    // date, when the message dates the trip elsewhere (a month written out
    // or a numeric date: "out" or "may" alone are words).
    let indefinite = matches!(words.before(i), "a" | "um" | "long" | "prolongado");
    let dated_elsewhere = (0..words.len()).any(|k| {
        let w = words.at(k);
        month_named(w).is_some() || w.contains('/') && w.starts_with(|c: char| c.is_ascii_digit())
    });
    if indefinite && dated_elsewhere {
        return Some((Vec::new(), used));
    }
    let friday = next_weekday(today - Days::new(1), chrono::Weekday::Fri);
    let whens = vec![
        When::Spec(DateSpec::Day(friday)),
        When::Spec(DateSpec::Day(friday + Days::new(2))),
    ];
    Some((whens, used))
}

/// The first `day` of a month, from `today` on, that falls on `weekday`
/// (the calendar repeats within 28 years; two years are searched).
fn day_on_weekday(today: NaiveDate, day: u32, weekday: chrono::Weekday) -> Option<NaiveDate> {
    let first = today.with_day(1)?;
    (0..24)
        .filter_map(|m| first.checked_add_months(Months::new(m))?.with_day(day))
        .find(|d| *d >= today && d.weekday() == weekday)
}

/// "próxima semana", "semana que vem", "next week" (its Monday); "mês que
/// vem", "próximo mês", "next month" (the whole month).
fn next_period(words: &Words, i: usize, today: NaiveDate) -> Option<(Vec<When>, usize)> {
    let w = words.at(i);
    let (unit, used) = if matches!(w, "proxima" | "proximo" | "next") {
        (words.at(i + 1), 2)
    } else if words.phrase_at(i + 1, "que vem") {
        (w, 3)
    } else {
        return None;
    };
    match unit {
        "semana" | "week" => Some((
            vec![When::Spec(DateSpec::Day(next_weekday(
                today,
                chrono::Weekday::Mon,
            )))],
            used,
        )),
        "mes" | "month" => {
            let d = today.with_day(1)? + Months::new(1);
            let spec = DateSpec::Month {
                year: d.year(),
                month: d.month(),
            };
            Some((vec![When::Spec(spec)], used))
        }
        _ => None,
    }
}

/// "daqui a 2 semanas", "em 10 dias", "in 3 days", "in two weeks".
fn ahead(words: &Words, i: usize, today: NaiveDate) -> Option<(Vec<When>, usize)> {
    // "two weeks from today", "10 days from now"
    let from_now = ["from today", "from now"]
        .iter()
        .any(|p| words.phrase_at(i + 2, p));
    if from_now && count(words.at(i)).is_some() {
        let (whens, _) = ahead_from(words, i, today)?;
        return Some((whens, 4));
    }
    let start = match words.at(i) {
        "daqui" if words.at(i + 1) == "a" => i + 2,
        "in" | "em" | "daqui" => i + 1,
        _ => return None,
    };
    ahead_from(words, start, today).map(|(whens, used)| (whens, start + used - i))
}

/// "2 semanas", "10 days" at `start`: that many days after `today`, and the
/// two words read.
fn ahead_from(words: &Words, start: usize, today: NaiveDate) -> Option<(Vec<When>, usize)> {
    let n = u64::from(count(words.at(start))?);
    let days = match words.at(start + 1) {
        "dias" | "dia" | "days" | "day" => n,
        "semanas" | "semana" | "weeks" | "week" => n * 7,
        _ => return None,
    };
    // A date past the calendar's end is no date: the assistant asks.
    let day = today.checked_add_days(Days::new(days))?;
    Some((vec![When::Spec(DateSpec::Day(day))], 2))
}

/// How long the trip lasts: "por 10 dias", "for a week", "uma semana",
/// "duas semanas", "5 noites".
fn duration(words: &Words, i: usize, scan: &mut Scan) -> Option<(Vec<When>, usize)> {
    let start = i + usize::from(matches!(
        words.at(i),
        "por" | "for" | "durante" | "staying" | "ficar" | "ficando" | "fico"
    ));
    // "primeira semana de maio": which week, not how long.
    if matches!(
        words.at(start),
        "primeira" | "primeiro" | "segunda" | "segundo" | "ultima" | "first" | "second" | "last"
    ) {
        return None;
    }
    let n = u16::try_from(count(words.at(start))?).ok()?;
    // "à noite" folds to "a noite" (tonight), not a one-night stay.
    if words.at(start) == "a" && !matches!(words.at(start + 1), "week" | "semana") {
        return None;
    }
    let days = match words.at(start + 1) {
        "dias" | "days" | "noites" | "nights" | "dia" | "day" | "night" | "noite" => n,
        "semana" | "semanas" | "week" | "weeks" => n * 7,
        _ => return None,
    };
    scan.trip_days = Some(days);
    Some((Vec::new(), start + 2 - i))
}

/// Departure and return from what was found: dates after a return word are
/// the return, otherwise the second date is; a bare day takes its month from
/// the date before it, or the conversation's departure.
fn assign(scan: Scan, cx: &Context) -> Dates {
    let (before, after): (Vec<Found>, Vec<Found>) = scan
        .found
        .into_iter()
        .partition(|f| scan.return_at.is_none_or(|r| f.at < r));
    // "voo de volta ... dia 30", "returning from Paris on Jan 5" with no
    // outbound anywhere: the way back is the trip itself.
    let (before, after) = if before.is_empty() && cx.previous.departure.is_none() {
        (after, Vec::new())
    } else {
        (before, after)
    };
    let (dep, rest) = departure_of(&before);
    let ret_when = after
        .first()
        .map(|f| f.when)
        .or_else(|| rest.map(|f| f.when));
    // The month a bare departure day is in: a holiday's, else any other
    // date's of the message ("4th of July weekend, leaving the 2nd").
    let dated = |f: &&Found| matches!(f.when, When::Spec(_));
    let holiday = before.iter().any(|f| f.holiday);
    let season = (before.iter().find(|f| f.holiday))
        .or_else(|| before.iter().chain(&after).find(dated))
        .map(|f| f.when);
    let context_base = match (dep.map(|f| f.when), season) {
        // "dia 28 e volta dia 3 de fevereiro": the month before the return's.
        (Some(When::DayOnly(d)), Some(When::Spec(DateSpec::Day(r)))) if d > r.day() && !holiday => {
            r.with_day(1)
                .and_then(|r| r.checked_sub_months(Months::new(1)))
                .map(DateSpec::Day)
        }
        // "no réveillon, dia 30", "dia 10 e volta dia 17 de janeiro": a bare
        // day in the month the message dates.
        (Some(When::DayOnly(_)), Some(When::Spec(spec))) => Some(spec),
        _ => cx.previous.departure,
    };
    let dep = dep.map(|f| in_season(f, &before, &after));
    let departure = dep.and_then(|f| resolve(f.when, context_base, cx.today));
    let base = departure.or(context_base);
    let from = base.map_or(cx.today, first_day);
    let return_date = ret_when
        .and_then(|w| resolve(w, base, from))
        .map(|r| after_departure(r, departure));
    Dates {
        departure,
        return_date,
        trip_days: scan.trip_days,
        clarify: scan.clarify,
    }
}

/// A weekday of leaving in the week of the holiday or event the message
/// names: "páscoa … saio na quinta" is the Thursday before Easter, not
/// this week's; "na sexta antes" is the last Friday on or before the day
/// the holiday's trip leaves (before the event's own day).
fn in_season(mut f: Found, before: &[Found], after: &[Found]) -> Found {
    let season = before.iter().chain(after).find_map(|s| match s.when {
        When::Spec(DateSpec::Day(d)) if s.holiday => Some((d, s.event)),
        _ => None,
    });
    // "de 11 e 12 de abril … ida sábado": the date said that falls on it.
    if let When::Weekday(wd) = f.when
        && let Some(d) = before.iter().chain(after).find_map(|s| match s.when {
            When::Spec(DateSpec::Day(d)) if d.weekday() == wd => Some(d),
            _ => None,
        })
    {
        f.when = When::Spec(DateSpec::Day(d));
        return f;
    }
    let Some((day, event)) = season else {
        return f;
    };
    let date = match f.when {
        When::WeekdayBefore(wd) => {
            let anchor = if event { day - Days::new(1) } else { day };
            let back =
                (7 + anchor.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
            anchor - Days::new(u64::from(back))
        }
        // The first such day from three days before.
        When::Weekday(wd) => next_weekday(day - Days::new(4), wd),
        _ => return f,
    };
    f.when = When::Spec(DateSpec::Day(date));
    f
}

/// A return read as an earlier day than the departure is the next year's:
/// "Nov 20 to Nov 30" said on 30 November leaves next November and comes
/// back ten days later, not today.
fn after_departure(ret: DateSpec, departure: Option<DateSpec>) -> DateSpec {
    match (ret, departure) {
        (DateSpec::Day(r), Some(DateSpec::Day(d))) if r < d => r
            .checked_add_months(Months::new(12))
            .filter(|later| *later >= d)
            .map_or(ret, DateSpec::Day),
        _ => ret,
    }
}

/// The departure among the dates before any return word, and the date that
/// may be the return (the next one, as in a range "de 10 a 17"). An
/// explicit day after a word of leaving wins; then any explicit day over a
/// holiday ("around Christmas, leaving Dec 20"); a month followed by a bare
/// day, or a date in it, is that day ("mês que vem, dia 10", "em dezembro
/// ... dia 26/12").
fn departure_of(before: &[Found]) -> (Option<Found>, Option<Found>) {
    let pick = before
        .iter()
        .position(|f| f.leaving && !f.holiday)
        .or_else(|| before.iter().position(|f| !f.holiday))
        .or((!before.is_empty()).then_some(0));
    let Some(k) = pick else {
        return (None, None);
    };
    let mut dep = before[k];
    let mut next = k + 1;
    if let (When::Spec(DateSpec::Month { year, month }), Some(day)) = (dep.when, before.get(next)) {
        // "em dezembro ... dia 26/12": the day in that month says which.
        let date = match day.when {
            When::DayOnly(d) => NaiveDate::from_ymd_opt(year, month, d),
            When::Spec(DateSpec::Day(d))
                if (d.year(), d.month()) == (year, month) && !day.holiday =>
            {
                Some(d)
            }
            _ => None,
        };
        if let Some(date) = date {
            dep.when = When::Spec(DateSpec::Day(date));
            next += 1;
        }
    }
    // A weekend's own Sunday is its return when no other date is.
    let rest = before[next..]
        .iter()
        .find(|f| !f.holiday)
        .or_else(|| before.get(next).filter(|f| f.at == dep.at))
        .copied();
    (Some(dep), rest)
}

/// The first day a date spec covers.
pub(super) fn first_day(spec: DateSpec) -> NaiveDate {
    match spec {
        DateSpec::Day(d) => d,
        DateSpec::Month { year, month } => {
            NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
        }
    }
}

/// A bare day in the month of `base` (or of `not_before`), moved to the next
/// month when that would be before `not_before`.
fn resolve(when: When, base: Option<DateSpec>, not_before: NaiveDate) -> Option<DateSpec> {
    let day = match when {
        When::Spec(spec) => return Some(spec),
        When::Weekday(wd) | When::WeekdayBefore(wd) => {
            return Some(DateSpec::Day(next_weekday(not_before, wd)));
        }
        When::DayOnly(day) => day,
    };
    let month_start = base.map_or(not_before, first_day).with_day(1)?;
    let next_month = (month_start + Months::new(1)).with_day(day);
    // "1 de novembro | e se for dia 31?": November has no 31st, so the
    // 31st nearest the day said, October's.
    if let (None, Some(DateSpec::Day(said))) = (month_start.with_day(day), base) {
        let before = month_start
            .checked_sub_months(Months::new(1))
            .and_then(|m| m.with_day(day))
            .filter(|c| *c >= not_before);
        let distance = |d: &NaiveDate| (*d - said).num_days().abs();
        return [before, next_month]
            .into_iter()
            .flatten()
            .min_by_key(distance)
            .map(DateSpec::Day);
    }
    let candidate = month_start.with_day(day).filter(|c| *c >= not_before);
    candidate.or(next_month).map(DateSpec::Day)
}
