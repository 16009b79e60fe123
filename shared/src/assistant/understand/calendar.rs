//! Months, weekdays and Brazilian holidays, and how a day without a year
//! becomes a date.

use chrono::{Datelike, Days, NaiveDate, Weekday};

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
pub(super) fn month_named(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|(full, _)| full.contains(&word))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A month written out or abbreviated (callers check it stands by a day).
pub(super) fn month_short(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    month_named(w).or_else(|| {
        MONTHS
            .iter()
            .position(|(_, short)| short.contains(&w))
            .and_then(|i| u32::try_from(i + 1).ok())
    })
}

/// A weekday in either language ("sexta", "sexta-feira", "friday", "fri").
pub(super) fn weekday_named(word: &str) -> Option<Weekday> {
    Some(match word.trim_end_matches("-feira") {
        "segunda" | "seg" | "monday" | "mon" => Weekday::Mon,
        "terca" | "tuesday" | "tue" | "tues" => Weekday::Tue,
        "quarta" | "qua" | "wednesday" | "wed" => Weekday::Wed,
        "quinta" | "qui" | "thursday" | "thu" | "thurs" => Weekday::Thu,
        "sexta" | "sex" | "friday" | "fri" => Weekday::Fri,
        "sabado" | "sab" | "saturday" | "sat" => Weekday::Sat,
        "domingo" | "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// The next `day` strictly after `today`.
pub(super) fn next_weekday(today: NaiveDate, day: Weekday) -> NaiveDate {
    let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today + Days::new(u64::from(if ahead == 0 { 7 } else { ahead }))
}

/// `day`/`month` in the first year that puts it on or after `from`.
pub(super) fn upcoming(from: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(from.year(), month, day)?;
    if this >= from {
        Some(this)
    } else {
        NaiveDate::from_ymd_opt(from.year() + 1, month, day)
    }
}

/// The year a month named without one means: this year unless the month
/// has passed.
pub(super) fn year_of_month(today: NaiveDate, month: u32) -> i32 {
    if month >= today.month() {
        today.year()
    } else {
        today.year() + 1
    }
}

/// Easter Sunday of `year` by the anonymous Gregorian computus
/// (Meeus/Jones/Butcher).
pub(super) fn easter(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let g = (8 * b + 13) / 25;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 19 * l) / 433;
    let month = (h + l - 7 * m + 90) / 25;
    let day = (h + l - 7 * m + 33 * month + 19) % 32;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The day a traveller leaves for a one-day holiday on `day`: the Friday
/// before when it falls on a Monday or Tuesday (the weekend joins it), else
/// the day before.
pub(super) fn long_weekend_start(day: NaiveDate) -> Option<NaiveDate> {
    let back = match day.weekday() {
        Weekday::Mon => 3,
        Weekday::Tue => 4,
        _ => 1,
    };
    day.checked_sub_days(Days::new(back))
}

/// A holiday travellers plan around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holiday {
    Carnaval,
    Pascoa,
    Tiradentes,
    CorpusChristi,
    Natal,
    Reveillon,
    Thanksgiving,
    /// Nossa Senhora Aparecida, 12 October.
    Aparecida,
    /// Independência, 7 September.
    Independencia,
    /// Finados, 2 November.
    Finados,
    /// Proclamação da República, 15 November.
    Republica,
}

impl Holiday {
    /// The holiday a word names (folded; "natal" is decided by the caller).
    pub fn named(word: &str) -> Option<Self> {
        Some(match word {
            "carnaval" | "carnival" => Self::Carnaval,
            "pascoa" | "easter" => Self::Pascoa,
            "tiradentes" => Self::Tiradentes,
            "natal" | "christmas" | "xmas" => Self::Natal,
            "reveillon" | "reveillion" | "reveion" | "nye" => Self::Reveillon,
            "thanksgiving" => Self::Thanksgiving,
            "aparecida" => Self::Aparecida,
            "independencia" => Self::Independencia,
            "finados" => Self::Finados,
            "proclamacao" => Self::Republica,
            _ => return None,
        })
    }

    /// The day a traveller leaves for it in `year`: the day before the
    /// holiday begins, so the whole of it is spent there, as Brazilian
    /// travel agents book it — Carnaval's Friday (the festivities start on
    /// the Saturday), the Thursday before Good Friday, the eve of
    /// Tiradentes and Corpus Christi (the Friday before when the holiday
    /// falls on a Monday or Tuesday: a long weekend), the 23rd for
    /// Christmas (Brazil celebrates on the 24th), the 30th for New Year's
    /// Eve, and the Wednesday before Thanksgiving.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        let easter = easter(year)?;
        let day_before = |d: NaiveDate| d.checked_sub_days(Days::new(1));
        match self {
            // Carnival Tuesday is 47 days before Easter; its Friday is 51.
            Self::Carnaval => easter.checked_sub_days(Days::new(51)),
            Self::Pascoa => easter.checked_sub_days(Days::new(3)),
            Self::Tiradentes => NaiveDate::from_ymd_opt(year, 4, 21).and_then(long_weekend_start),
            Self::CorpusChristi => easter.checked_add_days(Days::new(59)),
            Self::Natal => NaiveDate::from_ymd_opt(year, 12, 23),
            Self::Reveillon => NaiveDate::from_ymd_opt(year, 12, 30),
            Self::Aparecida => NaiveDate::from_ymd_opt(year, 10, 12).and_then(long_weekend_start),
            Self::Independencia => NaiveDate::from_ymd_opt(year, 9, 7).and_then(long_weekend_start),
            Self::Finados => NaiveDate::from_ymd_opt(year, 11, 2).and_then(long_weekend_start),
            Self::Republica => NaiveDate::from_ymd_opt(year, 11, 15).and_then(long_weekend_start),
            // The fourth Thursday of November (United States), less a day.
            Self::Thanksgiving => {
                NaiveDate::from_weekday_of_month_opt(year, 11, chrono::Weekday::Thu, 4)
                    .and_then(day_before)
            }
        }
    }

    /// The next time it comes, on or after `today`.
    pub fn next(self, today: NaiveDate) -> Option<NaiveDate> {
        self.in_year(today.year())
            .filter(|d| *d >= today)
            .or_else(|| self.in_year(today.year() + 1))
    }

    /// The first holiday on or after `today` ("no feriado").
    pub fn soonest(today: NaiveDate) -> Option<NaiveDate> {
        [
            Self::Carnaval,
            Self::Pascoa,
            Self::Tiradentes,
            Self::CorpusChristi,
            Self::Natal,
            Self::Reveillon,
            Self::Aparecida,
            Self::Independencia,
            Self::Finados,
            Self::Republica,
        ]
        .into_iter()
        .filter_map(|h| h.next(today))
        .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn easter_matches_the_published_dates() {
        assert_eq!(easter(2026), Some(date("2026-04-05")));
        assert_eq!(easter(2027), Some(date("2027-03-28")));
        assert_eq!(easter(2019), Some(date("2019-04-21")));
    }

    #[test]
    fn carnaval_and_corpus_christi_follow_easter() {
        let today = date("2026-11-30");
        // Carnival Tuesday 2027 is 9 February.
        // Carnival Tuesday 2027 is 9 February: travellers leave on Friday the 5th.
        assert_eq!(Holiday::Carnaval.next(today), Some(date("2027-02-05")));
        // Corpus Christi 2027 is Thursday 27 May.
        assert_eq!(Holiday::CorpusChristi.next(today), Some(date("2027-05-26")));
        assert_eq!(Holiday::Natal.next(today), Some(date("2026-12-23")));
        assert_eq!(Holiday::Reveillon.next(today), Some(date("2026-12-30")));
        // Good Friday 2027 is 26 March.
        assert_eq!(Holiday::Pascoa.next(today), Some(date("2027-03-25")));
    }

    #[test]
    fn a_holiday_on_a_monday_or_tuesday_is_left_for_on_the_friday_before() {
        // Tiradentes 2027 is a Wednesday; 15 November 2027 a Monday.
        assert_eq!(Holiday::Tiradentes.in_year(2027), Some(date("2027-04-20")));
        assert_eq!(
            long_weekend_start(date("2027-11-15")),
            Some(date("2027-11-12"))
        );
        assert_eq!(
            long_weekend_start(date("2026-10-13")),
            Some(date("2026-10-09"))
        );
    }
}
