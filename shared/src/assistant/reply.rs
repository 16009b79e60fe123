//! The offline assistant's words: questions for missing slots and a
//! readable summary of the best offers, in the traveller's language.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::tools::SearchRecord;
use super::{Clarification, DateSpec, Lang, Slot};
use crate::domain::{Money, Offer};
use crate::places::Place;

/// One question for everything still missing.
pub fn question(missing: &[Slot], lang: Lang) -> String {
    let has = |slot| missing.contains(&slot);
    let (o, d, when) = (
        has(Slot::Origin),
        has(Slot::Destination),
        has(Slot::Departure),
    );
    let text = match (lang, o, d, when) {
        (Lang::Pt, true, true, true) => "Para onde você quer ir, de onde sai e em que data?",
        (Lang::Pt, true, true, false) => "De onde você sai e para onde quer ir?",
        (Lang::Pt, true, false, true) => "De qual cidade ou aeroporto você sai, e em que data?",
        (Lang::Pt, true, false, false) => "De qual cidade ou aeroporto você sai?",
        (Lang::Pt, false, true, true) => "Para onde você quer ir, e em que data?",
        (Lang::Pt, false, true, false) => "Para onde você quer ir?",
        (Lang::Pt, false, false, _) => {
            "Em que data você quer ir? (por exemplo, 10 de março ou próxima sexta)"
        }
        (Lang::En, true, true, true) => "Where would you like to go, from where, and when?",
        (Lang::En, true, true, false) => "Where are you flying from, and where to?",
        (Lang::En, true, false, true) => "Which city or airport are you flying from, and when?",
        (Lang::En, true, false, false) => "Which city or airport are you flying from?",
        (Lang::En, false, true, true) => "Where would you like to go, and when?",
        (Lang::En, false, true, false) => "Where would you like to go?",
        (Lang::En, false, false, _) => {
            "When would you like to leave? (for example, March 10 or next Friday)"
        }
    };
    text.to_owned()
}

/// Appended to a question for the departure when the trip is a round trip.
pub fn and_the_return(lang: Lang) -> &'static str {
    match lang {
        Lang::Pt => " E a volta, em que data?",
        Lang::En => " And when do you come back?",
    }
}

/// Appended to a question for a place: the places the traveller named or
/// may mean, " Fortaleza (FOR) ou Natal (NAT)?"; empty for fewer than two.
pub fn one_of(options: &[Place], lang: Lang) -> String {
    let names: Vec<String> = options
        .iter()
        .map(|p| format!("{} ({})", p.city_in(lang), p.code()))
        .collect();
    let Some((last, rest)) = names.split_last().filter(|(_, rest)| !rest.is_empty()) else {
        return String::new();
    };
    let or = match lang {
        Lang::Pt => "ou",
        Lang::En => "or",
    };
    format!(" {} {or} {last}?", rest.join(", "))
}

/// Money as travellers read it: `R$ 2.431,90`, `US$ 512.30`, `€ 480,00`.
pub fn money(m: &Money, lang: Lang) -> String {
    let symbol = match m.currency.code() {
        "BRL" => "R$",
        "USD" => "US$",
        "EUR" => "€",
        "GBP" => "£",
        other => other,
    };
    let text = format!("{:.2}", m.amount);
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let (thousands, decimal) = if lang == Lang::Pt {
        ('.', ',')
    } else {
        (',', '.')
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && c.is_ascii_digit() {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    format!("{symbol} {grouped}{decimal}{frac}")
}

fn duration(minutes: u32) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

/// A day as travellers read it: "10 de março" / "March 10".
pub fn date(d: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    const PT: [&str; 12] = [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = d.month0() as usize;
    match lang {
        Lang::Pt => format!("{} de {}", d.day(), PT[m]),
        Lang::En => format!("{} {}", EN[m], d.day()),
    }
}

/// The question to ask before searching, for an ambiguity no rule can
/// settle: "Natal" alone, or a round trip without its return.
pub fn must_ask(c: &Clarification, lang: Lang) -> Option<String> {
    let text = match (c, lang) {
        (Clarification::NatalCityOrChristmas, Lang::Pt) => {
            "Você quer ir para Natal, a cidade no Rio Grande do Norte, ou viajar no Natal (24 de dezembro)?"
        }
        (Clarification::NatalCityOrChristmas, Lang::En) => {
            "Do you mean Natal, the city in Brazil, or travelling at Christmas (December 24)?"
        }
        (Clarification::ReturnDate, Lang::Pt) => "É ida e volta: em que data você quer voltar?",
        (Clarification::ReturnDate, Lang::En) => {
            "It's a round trip: when would you like to come back?"
        }
        _ => return None,
    };
    Some(text.to_owned())
}

/// The note after an answer that took one reading of an ambiguous
/// request, naming the other so the traveller can switch.
pub fn reading_taken(c: &Clarification, lang: Lang) -> Option<String> {
    let pt = lang == Lang::Pt;
    let spec = |d: &DateSpec| match d {
        DateSpec::Day(day) => date(*day, lang),
        DateSpec::Month { year, month } => NaiveDate::from_ymd_opt(*year, *month, 1)
            .map(|d| month_name(d, lang))
            .unwrap_or_default(),
    };
    let (taken, other) = match c {
        Clarification::DayOrMonth { first, second } => (date(*first, lang), date(*second, lang)),
        Clarification::EitherDate { first, second } => (spec(first), spec(second)),
        Clarification::EitherDay { first, second } => {
            let day = |n: u32| {
                if pt {
                    format!("o dia {n}")
                } else {
                    format!("the {n}th")
                }
            };
            (day(*first), day(*second))
        }
        Clarification::WhichPlace { options, .. } if options.len() > 1 => {
            let name = |p: &Place| format!("{} ({})", p.city_in(lang), p.code());
            (name(&options[0]), name(&options[1]))
        }
        _ => return None,
    };
    Some(if pt {
        format!("Considerei {taken}; se você quis dizer {other}, é só me dizer.")
    } else {
        format!("I went with {taken}; if you meant {other}, just tell me.")
    })
}

/// "março de 2027" / "March 2027".
fn month_name(d: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let day = date(d, lang);
    match lang {
        Lang::Pt => format!("{} de {}", day.trim_start_matches("1 de "), d.year()),
        Lang::En => format!("{} {}", day.trim_end_matches(" 1"), d.year()),
    }
}

/// What the traveller might say next: answers to what is still `missing`,
/// or refinements of the last search that the offline assistant
/// understands and that find something (another date, nonstop only when
/// nonstops exist, business class), never a dead end.
pub fn follow_ups(
    search: Option<&SearchRecord>,
    missing: &[Slot],
    choices: &[Place],
    lang: Lang,
) -> Vec<String> {
    let pt = lang == Lang::Pt;
    let named = |p: &Place, pt_word: &str, en_word: &str| {
        let word = if pt { pt_word } else { en_word };
        format!("{word} {}", p.city_in(lang))
    };
    // The places the traveller is choosing between ("Portugal": Faro,
    // Lisboa, Porto; "Fortaleza ou Natal" searched: the other one).
    match (missing.first(), search) {
        (Some(Slot::Destination), _) if choices.len() >= 2 => {
            return choices.iter().map(|p| named(p, "Para", "To")).collect();
        }
        (None, Some(record)) if choices.len() >= 2 => {
            let others = choices[1..].iter().map(|p| {
                if pt {
                    format!("E para {}?", p.city_in(lang))
                } else {
                    format!("What about {}?", p.city_in(lang))
                }
            });
            let mut list: Vec<String> = others.collect();
            list.extend(refinements(record, lang));
            list.truncate(3);
            return list;
        }
        _ => {}
    }
    let list: Vec<&str> = match (missing.first(), search) {
        (Some(Slot::Origin), _) if pt => vec!["De São Paulo", "Do Rio de Janeiro", "De Brasília"],
        (Some(Slot::Origin), _) => vec!["From New York", "From London", "From São Paulo"],
        (Some(Slot::Destination), _) if pt => {
            vec!["Para Lisboa", "Para Buenos Aires", "Para Miami"]
        }
        (Some(Slot::Destination), _) => vec!["To Lisbon", "To London", "To Miami"],
        (Some(_), _) if pt => vec!["Amanhã", "Próxima sexta", "Em março"],
        (Some(_), _) => vec!["Tomorrow", "Next Friday", "In March"],
        (None, Some(record)) => return refinements(record, lang),
        (None, None) => return Vec::new(),
    };
    list.into_iter().map(str::to_owned).collect()
}

fn refinements(record: &SearchRecord, lang: Lang) -> Vec<String> {
    let pt = lang == Lang::Pt;
    let options = record.query.options();
    let mut out = vec![if pt {
        "E se for uma semana depois?"
    } else {
        "What about a week later?"
    }];
    let nonstops = record.offers.iter().any(|o| o.max_stops() == 0);
    if nonstops && options.max_stops != Some(0) {
        out.push(if pt {
            "Só voos diretos"
        } else {
            "Nonstop only"
        });
    }
    if options.cabin == crate::domain::Cabin::Economy && !record.offers.is_empty() {
        out.push(if pt {
            "Em executiva"
        } else {
            "In business class"
        });
    }
    out.into_iter().map(str::to_owned).collect()
}

/// What the answer to a search needs to say: where, when, for whom, and
/// what the traveller asked to spend.
pub struct SearchSummary<'a> {
    /// "São Paulo (SAO) → Lisboa (LIS)".
    pub route: String,
    /// The departure day the traveller meant (a month's 15th, said so).
    pub when: NaiveDate,
    /// The return day, for a round trip.
    pub back: Option<NaiveDate>,
    /// The departure window of a flexible search, said instead of one day.
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// Seats paid for (lap infants ride free of a seat, not of a fare).
    pub travellers: u8,
    /// The best offers, in the order to show.
    pub offers: &'a [Offer],
    /// How many offers matched in all.
    pub count: usize,
    /// The budget the traveller gave, when the cheapest fare is over it.
    pub over_budget: Option<&'a Money>,
}

/// The answer after a search: how many offers, then the best three, each
/// slice with its own date, times, duration and stops, the airlines by
/// name, and the price per person and for the party. Over budget, it says
/// by how much the cheapest fare exceeds it instead of finding nothing.
pub fn summary(s: &SearchSummary<'_>, lang: Lang) -> String {
    let mut out = headline(s, lang);
    for (i, o) in s.offers.iter().take(3).enumerate() {
        let _ = write!(out, "\n{}. {}", i + 1, offer_line(o, s.travellers, lang));
    }
    out
}

fn headline(s: &SearchSummary<'_>, lang: Lang) -> String {
    let (route, when) = (&s.route, date(s.when, lang));
    let back = s.back.map(|b| date(b, lang));
    if s.offers.is_empty() {
        return match lang {
            Lang::Pt => format!(
                "Não encontrei voos {route} em {when}. Quer tentar outra data ou aeroporto?"
            ),
            Lang::En => format!(
                "I found no flights {route} on {when}. Shall I try another date or airport?"
            ),
        };
    }
    let dates = match (lang, &back, s.window) {
        (Lang::Pt, _, Some((a, b))) => {
            format!("saindo entre {} e {}", date(a, lang), date(b, lang))
        }
        (Lang::En, _, Some((a, b))) => {
            format!("leaving between {} and {}", date(a, lang), date(b, lang))
        }
        (Lang::Pt, Some(b), _) => format!("ida em {when} e volta em {b}"),
        (Lang::Pt, None, _) => format!("em {when}"),
        (Lang::En, Some(b), _) => format!("out on {when}, back on {b}"),
        (Lang::En, None, _) => format!("on {when}"),
    };
    if let (Some(budget), Some(cheapest)) = (s.over_budget, s.offers.first()) {
        let over = Money::new(cheapest.price.amount - budget.amount, budget.currency);
        return match lang {
            Lang::Pt => format!(
                "Nada {route} {dates} cabe em {}: o mais barato custa {}, {} acima do seu orçamento. As opções mais baratas:",
                money(budget, lang),
                money(&cheapest.price, lang),
                money(&over, lang)
            ),
            Lang::En => format!(
                "Nothing {route} {dates} fits {}: the cheapest is {}, {} over your budget. The cheapest options:",
                money(budget, lang),
                money(&cheapest.price, lang),
                money(&over, lang)
            ),
        };
    }
    let n = s.count;
    match lang {
        Lang::Pt => format!("Encontrei {n} opções {route}, {dates}. As melhores:"),
        Lang::En => format!("I found {n} options {route}, {dates}. The best ones:"),
    }
}

/// One offer: airlines, price for the party and per person, then a line per slice.
fn offer_line(o: &Offer, travellers: u8, lang: Lang) -> String {
    let mut airlines: Vec<&str> = Vec::new();
    for seg in o.slices.iter().flat_map(|s| &s.segments) {
        if !airlines.contains(&seg.carrier_name.as_str()) {
            airlines.push(&seg.carrier_name);
        }
    }
    let mut line = format!("{} · {}", airlines.join(" + "), price(o, travellers, lang));
    let legs = o.slices.len();
    for (i, slice) in o.slices.iter().enumerate() {
        let label = match (lang, legs, i) {
            (_, 1, _) => String::new(),
            (Lang::Pt, 2, 0) => "Ida: ".to_owned(),
            (Lang::Pt, 2, _) => "Volta: ".to_owned(),
            (Lang::En, 2, 0) => "Out: ".to_owned(),
            (Lang::En, 2, _) => "Back: ".to_owned(),
            (Lang::Pt, _, i) => format!("Trecho {}: ", i + 1),
            (Lang::En, _, i) => format!("Leg {}: ", i + 1),
        };
        let _ = write!(line, "\n   {label}{}", slice_line(slice, lang));
    }
    line
}

/// "R$ 9.000,00 no total (R$ 4.500,00 por pessoa)", or the one price for one traveller.
fn price(o: &Offer, travellers: u8, lang: Lang) -> String {
    let total = money(&o.price, lang);
    if travellers <= 1 {
        return match lang {
            Lang::Pt => format!("{total} por pessoa"),
            Lang::En => format!("{total} per person"),
        };
    }
    let each = Money::new(
        o.price.amount / rust_decimal::Decimal::from(travellers),
        o.price.currency,
    );
    let each = money(&each, lang);
    match lang {
        Lang::Pt => format!("{total} no total ({each} por pessoa)"),
        Lang::En => format!("{total} in total ({each} per person)"),
    }
}

/// "10 de março, 22:05 GRU → 12:10 LIS (+1), 10h05, direto".
fn slice_line(slice: &crate::domain::Slice, lang: Lang) -> String {
    let (dep, arr) = (slice.departure_local, slice.arrival_local);
    let days = (arr.date() - dep.date()).num_days();
    let next_day = if days > 0 {
        format!(" (+{days})")
    } else {
        String::new()
    };
    let stops = match (slice.stops, lang) {
        (0, Lang::Pt) => "direto".to_owned(),
        (0, Lang::En) => "nonstop".to_owned(),
        (n, _) => {
            let via: Vec<&str> = slice
                .segments
                .iter()
                .skip(1)
                .map(|s| s.origin.as_str())
                .collect();
            match lang {
                Lang::Pt if n == 1 => format!("1 escala em {}", via.join(", ")),
                Lang::Pt => format!("{n} escalas ({})", via.join(", ")),
                Lang::En if n == 1 => format!("1 stop in {}", via.join(", ")),
                Lang::En => format!("{n} stops ({})", via.join(", ")),
            }
        }
    };
    format!(
        "{}, {} {} → {} {}{next_day}, {}, {stops}",
        date(dep.date(), lang),
        dep.format("%H:%M"),
        slice.origin,
        arr.format("%H:%M"),
        slice.destination,
        duration(slice.duration_minutes),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use rust_decimal::Decimal;

    #[test]
    fn money_reads_as_each_language_writes_it() {
        let m = Money::new(Decimal::new(243_190, 2), Currency::BRL);
        assert_eq!(money(&m, Lang::Pt), "R$ 2.431,90");
        assert_eq!(
            money(
                &Money::new(Decimal::new(1_234_567, 2), Currency::USD),
                Lang::En
            ),
            "US$ 12,345.67"
        );
        assert_eq!(
            money(&Money::new(Decimal::new(4800, 1), Currency::EUR), Lang::Pt),
            "€ 480,00"
        );
    }

    #[test]
    fn questions_follow_the_language() {
        assert!(question(&[Slot::Departure], Lang::Pt).starts_with("Em que data"));
        assert_eq!(
            question(&[Slot::Origin], Lang::En),
            "Which city or airport are you flying from?"
        );
        assert_eq!(
            question(&[Slot::Origin, Slot::Departure], Lang::Pt),
            "De qual cidade ou aeroporto você sai, e em que data?"
        );
    }
}
