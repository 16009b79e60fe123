//! The offline assistant's words for a flexible-date or several-origin
//! search: the cheapest days with their prices and where each figure
//! comes from, in the traveller's language.

use std::fmt::Write as _;

use chrono::{Datelike, Weekday};

use super::Lang;
use super::reply::{date, money};
use crate::fares::{CheapestDay, DaySource, FlexibleSummary};

/// The cheapest days, one line each ("sex, 5 de março → 12 de março: R$
/// 4.041,90 por adulto (modelo demo); ao vivo R$ 4.041,90"), after a line
/// saying how the days were chosen; the origins when there were several.
/// Empty when the search had neither.
pub fn cheapest_days(summary: &FlexibleSummary, lang: Lang) -> String {
    let mut out = String::new();
    if summary.origins.len() > 1 {
        let codes: Vec<String> = summary.origins.iter().map(ToString::to_string).collect();
        let _ = match lang {
            Lang::Pt => writeln!(out, "Busquei saindo de {}.", codes.join(", ")),
            Lang::En => writeln!(out, "I searched from {}.", codes.join(", ")),
        };
    }
    if summary.cheapest_days.is_empty() {
        return out;
    }
    let _ = match lang {
        Lang::Pt => writeln!(
            out,
            "Os dias mais baratos no calendário de preços ({} consultas ao calendário, {} buscas ao vivo):",
            summary.calendar_requests, summary.live_searches
        ),
        Lang::En => writeln!(
            out,
            "The cheapest days in the price calendar ({} calendar requests, {} live searches):",
            summary.calendar_requests, summary.live_searches
        ),
    };
    let several = summary.origins.len() > 1;
    for day in &summary.cheapest_days {
        let _ = writeln!(out, "- {}", day_line(day, several, lang));
    }
    out
}

/// One day: when, the calendar's price and source, and the live price.
fn day_line(day: &CheapestDay, several: bool, lang: Lang) -> String {
    let d = &day.calendar;
    let mut line = format!(
        "{}, {}",
        weekday(d.date.weekday(), lang),
        date(d.date, lang)
    );
    if let Some(back) = d.return_date {
        let _ = write!(line, " → {}", date(back, lang));
    }
    if several {
        let _ = write!(line, " ({})", day.origin);
    }
    let source = match (d.source, lang) {
        (DaySource::DemoModel, Lang::Pt) => "modelo de tarifas demo".to_owned(),
        (DaySource::DemoModel, Lang::En) => "demo fare model".to_owned(),
        (DaySource::Cached, Lang::Pt) => format!("preço em cache, {}", d.provider),
        (DaySource::Cached, Lang::En) => format!("cached price, {}", d.provider),
    };
    let price = money(&d.price, lang);
    let _ = match lang {
        Lang::Pt => write!(line, ": {price} por adulto ({source})"),
        Lang::En => write!(line, ": {price} per adult ({source})"),
    };
    match (day.live_price, day.searched, lang) {
        (Some(p), _, Lang::Pt) => {
            let _ = write!(line, "; ao vivo {}", money(&p, lang));
        }
        (Some(p), _, Lang::En) => {
            let _ = write!(line, "; live {}", money(&p, lang));
        }
        (None, true, Lang::Pt) => line.push_str("; ao vivo, nada encontrado"),
        (None, true, Lang::En) => line.push_str("; live, nothing found"),
        (None, false, _) => {}
    }
    line
}

fn weekday(w: Weekday, lang: Lang) -> &'static str {
    const PT: [&str; 7] = ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = w.num_days_from_monday() as usize;
    match lang {
        Lang::Pt => PT[i],
        Lang::En => EN[i],
    }
}
