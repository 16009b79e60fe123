//! The demo fare model. Every factor is a documented, round choice meant to
//! reproduce the shape of real fares, not any airline's prices:
//!
//! - **Distance-based yield.** Fares grow sub-linearly with distance (ICAO and
//!   IATA yield data show revenue per km falling with stage length):
//!   `40 + 0.22 · km^0.85` USD one way in economy, which gives about
//!   USD 80 for São Paulo–Rio (360 km) and USD 500 for São Paulo–Lisbon (7,950 km).
//! - **Advance purchase.** Fares are flat from about a month out and climb in
//!   the last two weeks (the pattern of the annual CheapAir and ARC/Expedia
//!   airfare studies): `1 + 0.85 · e^(−days/7)`, so ×1.85 on the day,
//!   ×1.31 a week out, ×1.11 two weeks out, ~×1.01 a month out.
//! - **Day of week.** Tuesday and Wednesday departures are the cheapest,
//!   Friday and Sunday the dearest (same studies): 0.90 Tue/Wed, 0.97 Sat,
//!   1.00 Mon/Thu, 1.10 Sun, 1.12 Fri.
//! - **Season.** Brazilian school holidays and year-end peaks: July ×1.18,
//!   December ×1.22, January ×1.15; May, September ×0.92–0.95.
//! - **Stops.** A nonstop sells at a premium over a connection on the same
//!   market: ×1.20 nonstop, ×1.00 one stop, ×0.90 two stops.
//! - **Cabin.** Premium economy ×1.7, business ×2.2 short-haul and ×3.8
//!   long-haul (over 4,000 km), first ×6.5.
//! - **Carrier.** Low-cost carriers ×0.65; every other carrier a fixed
//!   seeded factor between 0.94 and 1.06.
//! - **Noise.** ±8%, seeded by the flights, the date and a three-day epoch,
//!   so watched routes move every few days and stay put within a day.
//! - **Passengers.** Children (2–11) pay 75% of an adult fare, lap infants 10%.
//! - **Currency.** Computed in USD and converted at fixed demo rates.

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;

use super::seed;
use crate::domain::{Cabin, Currency, Passengers};

/// Everything the model needs to price one slice for one adult.
pub(super) struct FareInputs<'a> {
    /// Great-circle distance of the market (origin to destination), km.
    pub market_km: f64,
    pub stops: usize,
    pub cabin: Cabin,
    pub departure: NaiveDate,
    pub today: NaiveDate,
    /// Low-cost carriers on the slice.
    pub low_cost: bool,
    /// Identifies the flights, for the carrier factor and the noise.
    pub flights: &'a str,
    pub carrier: &'a str,
    /// Index of the three-day noise epoch.
    pub epoch: i64,
}

/// One adult's fare for a slice, in USD.
pub(super) fn adult_fare_usd(f: &FareInputs<'_>) -> f64 {
    let base = 40.0 + 0.22 * f.market_km.powf(0.85);
    let days = (f.departure - f.today).num_days().max(0) as f64;
    let advance = 1.0 + 0.85 * (-days / 7.0).exp();
    let weekday = match f.departure.weekday() {
        Weekday::Tue | Weekday::Wed => 0.90,
        Weekday::Sat => 0.97,
        Weekday::Mon | Weekday::Thu => 1.00,
        Weekday::Sun => 1.10,
        Weekday::Fri => 1.12,
    };
    const SEASON: [f64; 12] = [
        1.15, 1.00, 0.95, 0.95, 0.92, 1.02, 1.18, 1.05, 0.95, 0.97, 1.00, 1.22,
    ];
    let season = SEASON[f.departure.month0() as usize];
    let stops = match f.stops {
        0 => 1.20,
        1 => 1.00,
        _ => 0.90,
    };
    let cabin = match f.cabin {
        Cabin::Economy => 1.0,
        Cabin::PremiumEconomy => 1.7,
        Cabin::Business if f.market_km > 4000.0 => 3.8,
        Cabin::Business => 2.2,
        Cabin::First => 6.5,
    };
    let carrier = if f.low_cost {
        0.65
    } else {
        0.94 + 0.12 * seed::unit(seed::hash(&["carrier", f.carrier]))
    };
    let noise = 0.92
        + 0.16
            * seed::unit(seed::hash(&[
                "noise",
                f.flights,
                &f.departure.to_string(),
                &f.epoch.to_string(),
            ]));
    base * advance * weekday * season * stops * cabin * carrier * noise
}

/// What the party pays relative to one adult.
pub(super) fn party_factor(p: &Passengers) -> f64 {
    f64::from(p.adults()) + 0.75 * f64::from(p.children()) + 0.10 * f64::from(p.infants())
}

/// Units of `currency` per US dollar: fixed demo rates, rounded from late-2026
/// markets. Also the offline `Rates` adapter's table ([`crate::rates::FixedRates`])
/// and the one cached Travelpayouts prices are converted with
/// (`fares::travelpayouts::convert`).
pub(crate) fn usd_rate(currency: Currency) -> f64 {
    match currency.code() {
        "BRL" => 5.30,
        "EUR" => 0.92,
        "GBP" => 0.79,
        "CAD" => 1.37,
        "MXN" => 17.5,
        "ARS" => 950.0,
        "CLP" => 930.0,
        "COP" => 4000.0,
        "PEN" => 3.75,
        "UYU" => 39.0,
        "JPY" => 150.0,
        "CHF" => 0.88,
        "AUD" => 1.52,
        _ => 1.0,
    }
}

/// Converts a USD amount to `currency` as a decimal (cents, not floats, from here on).
pub(super) fn to_currency(usd: f64, currency: Currency) -> Decimal {
    let cents = (usd * usd_rate(currency) * 100.0).round();
    Decimal::from_i128_with_scale(cents as i128, 2)
}
