use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::FareObservation;
use crate::assistant::{Lang, reply};
use crate::domain::Money;

/// Fewest comparable observations for a verdict: with fewer, quartiles say
/// more about chance than about the market.
pub const MIN_OBSERVATIONS: usize = 8;

/// How close a past lead time must be to today's to compare: fares climb
/// in the last two weeks before departure (see the demo fare model), so a
/// week either way keeps like with like.
const LEAD_TOLERANCE_DAYS: i64 = 7;

/// A move of the median under this many percent is "steady": the demo
/// model's own noise is ±8% per fare, far less on a median.
const STEADY_PERCENT: i64 = 3;

/// Where today's price sits against comparable history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Under the lower quartile.
    Low,
    /// Within the middle half (the interquartile range).
    Typical,
    /// Over the upper quartile.
    High,
}

/// What the comparison is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Prices searches actually observed.
    Observed,
    /// What the demo provider's fare model quoted on past days.
    Modelled,
    /// Nothing to compare with.
    None,
}

/// How the median moved over the last weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// `rising`, `falling` or `steady`.
    pub direction: &'static str,
    /// Change of the last two weeks' median against the weeks before, in percent.
    pub percent: Decimal,
}

/// Today's price against comparable history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Insight {
    /// Low, typical or high; `None` without enough history.
    pub verdict: Option<Verdict>,
    /// Today's cheapest price per traveller.
    pub price: Money,
    /// Lower end of the typical range (first quartile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typical_low: Option<Money>,
    /// Upper end of the typical range (third quartile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typical_high: Option<Money>,
    /// How far under the typical range (low) or over it (high); zero when typical.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Money>,
    /// How prices moved over the last weeks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
    /// Observed or modelled history, or none.
    pub basis: Basis,
    /// How many comparable prices the verdict rests on.
    pub observations: usize,
    /// The oldest of them, by observation date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    /// What the comparison rests on, in words (English).
    pub based_on: String,
}

/// Compares `price` (per traveller, observed `now` for a departure `lead`
/// days ahead) with `history`, keeping observations in the same currency
/// and with a lead time within a week of it.
pub fn insight(
    price: Money,
    now: DateTime<Utc>,
    lead: i64,
    history: &[FareObservation],
    basis: Basis,
) -> Insight {
    let comparable: Vec<&FareObservation> = history
        .iter()
        .filter(|o| o.price_in(price.currency).is_some())
        .filter(|o| (o.lead_days() - lead).abs() <= LEAD_TOLERANCE_DAYS)
        .collect();
    let mut values: Vec<Decimal> = comparable
        .iter()
        .map(|o| o.price_per_traveller.amount)
        .collect();
    values.sort();
    let since = comparable.iter().map(|o| o.observed_at.date_naive()).min();
    if values.len() < MIN_OBSERVATIONS || basis == Basis::None {
        return Insight {
            verdict: None,
            price,
            typical_low: None,
            typical_high: None,
            difference: None,
            trend: None,
            basis: Basis::None,
            observations: values.len(),
            since,
            based_on: format!(
                "not enough price history for this route yet ({} comparable prices; {MIN_OBSERVATIONS} needed)",
                values.len()
            ),
        };
    }
    let (q1, q3) = (quantile(&values, 1, 4), quantile(&values, 3, 4));
    let (verdict, difference) = if price.amount < q1 {
        (Verdict::Low, q1 - price.amount)
    } else if price.amount > q3 {
        (Verdict::High, price.amount - q3)
    } else {
        (Verdict::Typical, Decimal::ZERO)
    };
    let money = |amount| Money::new(amount, price.currency);
    Insight {
        verdict: Some(verdict),
        price,
        typical_low: Some(money(q1)),
        typical_high: Some(money(q3)),
        difference: Some(money(difference)),
        trend: trend(&comparable, now),
        basis,
        observations: values.len(),
        since,
        based_on: based_on(basis, values.len(), since),
    }
}

fn based_on(basis: Basis, n: usize, since: Option<NaiveDate>) -> String {
    let since = since.map(|d| d.to_string()).unwrap_or_default();
    match basis {
        Basis::Modelled => format!(
            "based on {n} modelled demo prices for the same lead time since {since} (the demo provider's fare model, not observed fares)"
        ),
        _ => format!("based on {n} prices observed since {since} for similar dates and lead times"),
    }
}

/// The `num/den` quantile of sorted `values`, interpolated linearly
/// between ranks (the "type 7" definition of R and NumPy).
fn quantile(values: &[Decimal], num: usize, den: usize) -> Decimal {
    let last = values.len() - 1;
    let pos = Decimal::from(last * num) / Decimal::from(den);
    let lower = (last * num) / den;
    let frac = pos - Decimal::from(lower);
    let upper = (lower + 1).min(last);
    values[lower] + (values[upper] - values[lower]) * frac
}

fn median(mut values: Vec<Decimal>) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    values.sort();
    Some(quantile(&values, 1, 2))
}

/// The last two weeks' median against the six weeks before.
fn trend(history: &[&FareObservation], now: DateTime<Utc>) -> Option<Trend> {
    let recent_from = now - Duration::days(14);
    let earlier_from = now - Duration::days(56);
    let pick = |keep: &dyn Fn(DateTime<Utc>) -> bool| {
        history
            .iter()
            .filter(|o| keep(o.observed_at))
            .map(|o| o.price_per_traveller.amount)
            .collect::<Vec<_>>()
    };
    let recent = median(pick(&|t| t >= recent_from))?;
    let earlier = median(pick(&|t| t >= earlier_from && t < recent_from))?;
    if earlier.is_zero() {
        return None;
    }
    let percent = ((recent - earlier) / earlier * Decimal::from(100)).round_dp(1);
    let direction = if percent.abs() < Decimal::from(STEADY_PERCENT) {
        "steady"
    } else if percent.is_sign_positive() {
        "rising"
    } else {
        "falling"
    };
    Some(Trend { direction, percent })
}

impl Insight {
    /// One sentence for the assistant's reply, in `lang`.
    pub fn sentence(&self, lang: Lang) -> String {
        let m = |x: &Money| reply::money(x, lang);
        let Some(verdict) = self.verdict else {
            return match lang {
                Lang::Pt => "Ainda não tenho histórico de preços desta rota para dizer se o preço está bom.".to_owned(),
                Lang::En => "I have no price history for this route yet, so I can't say whether this price is good.".to_owned(),
            };
        };
        let (low, high) = (
            self.typical_low.as_ref().map(m).unwrap_or_default(),
            self.typical_high.as_ref().map(m).unwrap_or_default(),
        );
        let diff = self.difference.as_ref().map(m).unwrap_or_default();
        let basis = match (self.basis, lang) {
            (Basis::Modelled, Lang::Pt) => {
                format!("{} preços modelados pelo provedor demo", self.observations)
            }
            (Basis::Modelled, Lang::En) => format!("{} modelled demo prices", self.observations),
            (_, Lang::Pt) => format!("{} preços observados", self.observations),
            (_, Lang::En) => format!("{} observed prices", self.observations),
        };
        let price = m(&self.price);
        match (verdict, lang) {
            (Verdict::Low, Lang::Pt) => format!(
                "O mais barato, {price} por pessoa, está baixo: {diff} abaixo do habitual ({low}–{high}, com base em {basis})."
            ),
            (Verdict::Low, Lang::En) => format!(
                "The cheapest, {price} per person, is low: {diff} under the usual {low}–{high} (based on {basis})."
            ),
            (Verdict::Typical, Lang::Pt) => format!(
                "O mais barato, {price} por pessoa, está na faixa habitual de {low}–{high} (com base em {basis})."
            ),
            (Verdict::Typical, Lang::En) => format!(
                "The cheapest, {price} per person, is typical, within the usual {low}–{high} (based on {basis})."
            ),
            (Verdict::High, Lang::Pt) => format!(
                "O mais barato, {price} por pessoa, está alto: {diff} acima do habitual ({low}–{high}, com base em {basis})."
            ),
            (Verdict::High, Lang::En) => format!(
                "The cheapest, {price} per person, is high: {diff} over the usual {low}–{high} (based on {basis})."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Cabin, Currency, IataCode};
    use crate::prices::RouteKey;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
    }

    /// Observations `days_ago` days back for departures 40 days after each.
    fn history(prices: &[i64]) -> Vec<FareObservation> {
        prices
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let at = now() - Duration::days(i as i64 + 1);
                FareObservation {
                    route: RouteKey {
                        origin: IataCode::parse("GRU").unwrap(),
                        destination: IataCode::parse("LIS").unwrap(),
                        departure: at.date_naive() + Duration::days(40),
                        return_date: None,
                        cabin: Cabin::Economy,
                    },
                    max_stops: None,
                    price_per_traveller: Money::new(Decimal::from(*p), Currency::BRL),
                    provider: "demo".to_owned(),
                    observed_at: at,
                }
            })
            .collect()
    }

    fn brl(n: i64) -> Money {
        Money::new(Decimal::from(n), Currency::BRL)
    }

    #[test]
    fn a_price_under_the_lower_quartile_is_low_by_the_difference() {
        // Sorted 1000..=1700 step 100: q1 = 1175, q3 = 1525.
        let h = history(&[1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700]);
        let i = insight(brl(1100), now(), 40, &h, Basis::Observed);
        assert_eq!(i.verdict, Some(Verdict::Low));
        assert_eq!(i.typical_low, Some(brl(1175)));
        assert_eq!(i.typical_high, Some(brl(1525)));
        assert_eq!(i.difference, Some(brl(75)));
        assert!(
            i.based_on.starts_with("based on 8 prices observed"),
            "{}",
            i.based_on
        );
        assert!(i.sentence(Lang::Pt).contains("R$ 75,00 abaixo do habitual"));
        assert_eq!(
            insight(brl(1300), now(), 40, &h, Basis::Observed).verdict,
            Some(Verdict::Typical)
        );
        let high = insight(brl(1600), now(), 40, &h, Basis::Observed);
        assert_eq!(
            (high.verdict, high.difference),
            (Some(Verdict::High), Some(brl(75)))
        );
    }

    #[test]
    fn without_history_there_is_no_verdict_and_the_answer_says_so() {
        let i = insight(
            brl(1100),
            now(),
            40,
            &history(&[1000, 1200]),
            Basis::Observed,
        );
        assert_eq!(i.verdict, None);
        assert_eq!(i.basis, Basis::None);
        assert!(
            i.based_on.contains("not enough price history"),
            "{}",
            i.based_on
        );
        assert!(i.sentence(Lang::En).contains("no price history"));
        // Observations at another lead time do not count.
        let far = insight(
            brl(1100),
            now(),
            200,
            &history(&[1000; 10]),
            Basis::Observed,
        );
        assert_eq!((far.verdict, far.observations), (None, 0));
    }

    #[test]
    fn the_trend_compares_the_last_two_weeks_with_the_weeks_before() {
        let mut prices = vec![1000; 14];
        prices.extend([1200; 20]);
        let i = insight(brl(1000), now(), 40, &history(&prices), Basis::Observed);
        let t = i.trend.unwrap();
        assert_eq!(t.direction, "falling");
        assert!(t.percent < Decimal::from(-10), "{t:?}");
    }
}
