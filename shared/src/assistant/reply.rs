//! The offline assistant's words: questions for missing slots and a
//! readable summary of the best offers, in the traveller's language.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Lang, Slot};
use crate::domain::{Money, Offer};

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

/// The answer after a search: how many offers matched (`count`), then the
/// best three of `offers` with carrier, stops, time and price.
pub fn summary(route: &str, when: &str, offers: &[Offer], count: usize, lang: Lang) -> String {
    let mut out = String::new();
    if offers.is_empty() {
        return match lang {
            Lang::Pt => format!(
                "Não encontrei voos de {route} para {when}. Quer tentar outra data ou aeroporto?"
            ),
            Lang::En => format!(
                "I found no flights {route} on {when}. Shall I try another date or airport?"
            ),
        };
    }
    let _ = match lang {
        Lang::Pt => writeln!(
            out,
            "Encontrei {count} opções de {route} para {when}. As melhores:"
        ),
        Lang::En => writeln!(
            out,
            "I found {count} options {route} for {when}. The best ones:"
        ),
    };
    for (i, o) in offers.iter().take(3).enumerate() {
        let carriers: Vec<String> = o.carriers().iter().map(ToString::to_string).collect();
        let stops = o.max_stops();
        let stops = match (stops, lang) {
            (0, Lang::Pt) => "direto".to_owned(),
            (0, Lang::En) => "nonstop".to_owned(),
            (1, Lang::Pt) => "1 escala".to_owned(),
            (1, Lang::En) => "1 stop".to_owned(),
            (n, Lang::Pt) => format!("{n} escalas"),
            (n, Lang::En) => format!("{n} stops"),
        };
        let first = &o.slices[0];
        let _ = writeln!(
            out,
            "{}. {} {} · {} · {} · {}",
            i + 1,
            carriers.join("/"),
            first.departure_local.format("%H:%M"),
            stops,
            duration(o.total_minutes()),
            money(&o.price, lang)
        );
    }
    out.trim_end().to_owned()
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
