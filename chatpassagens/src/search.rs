//! `chatpassagens search`: offers for a query, as a table in the terminal.

use std::fmt::Write as _;

use anyhow::Context as _;
use shared::domain::{
    Cabin, Currency, Leg, Offer, Passengers, SearchOptions, SearchQuery, Slice, Sort,
};
use shared::{App, Config};

#[derive(clap::Args)]
pub struct Args {
    /// From: IATA code or city name ("SAO", "são paulo").
    origin: String,
    /// To: IATA code or city name ("LIS", "lisboa").
    destination: String,
    /// Departure date, YYYY-MM-DD.
    departure: String,
    /// Return date, YYYY-MM-DD, for a round trip.
    #[arg(long = "return")]
    return_date: Option<String>,
    /// Adults (12+).
    #[arg(long, default_value_t = 1)]
    adults: u32,
    /// Children (2–11).
    #[arg(long, default_value_t = 0)]
    children: u32,
    /// Lap infants (under 2).
    #[arg(long, default_value_t = 0)]
    infants: u32,
    /// economy, premium_economy, business or first.
    #[arg(long, default_value = "economy")]
    cabin: String,
    /// Most stops per direction.
    #[arg(long)]
    max_stops: Option<u8>,
    /// Currency of prices.
    #[arg(long, default_value = "BRL")]
    currency: String,
    /// best, cheapest or fastest.
    #[arg(long, default_value = "best")]
    sort: String,
    /// How many offers to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let app = App::from_config(&config)?;
    let now = (app.clock)();
    let mut legs = vec![Leg::parse(
        "outbound",
        &args.origin,
        &args.destination,
        &args.departure,
    )?];
    if let Some(back) = &args.return_date {
        legs.push(Leg::parse("return", &args.destination, &args.origin, back)?);
    }
    let options = SearchOptions {
        passengers: Passengers::new(args.adults, args.children, args.infants)?,
        cabin: Cabin::parse(&args.cabin)
            .map_err(anyhow::Error::msg)
            .context("--cabin")?,
        max_stops: args.max_stops,
        currency: Currency::parse(&args.currency)
            .map_err(anyhow::Error::msg)
            .context("--currency")?,
        sort: Sort::parse(&args.sort)
            .map_err(anyhow::Error::msg)
            .context("--sort")?,
        limit: args.limit.clamp(1, SearchOptions::MAX_LIMIT),
        ..SearchOptions::default()
    };
    let query = SearchQuery::new(legs, options, now)?;
    let results = app.search.search(&query, now).await;
    for w in &results.warnings {
        println!("warning: {}", w.message);
    }
    if results.offers.is_empty() {
        println!("no offers for this search");
        return Ok(());
    }
    print!("{}", table(&results.offers, query.options().currency));
    Ok(())
}

/// One row per slice; the price on the offer's first row.
fn table(offers: &[Offer], currency: Currency) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>3}  {:>12}  {:<8} {:<17} {:<17} {:>6}  {:<5}  via",
        "#",
        format!("price {currency}"),
        "flight",
        "departs",
        "arrives",
        "time",
        "stops",
    );
    for (i, offer) in offers.iter().enumerate() {
        for (j, slice) in offer.slices.iter().enumerate() {
            let (n, price) = if j == 0 {
                ((i + 1).to_string(), offer.price.amount.to_string())
            } else {
                (String::new(), String::new())
            };
            let _ = writeln!(
                out,
                "{n:>3}  {price:>12}  {:<8} {:<17} {:<17} {:>6}  {:<5}  {}",
                slice
                    .segments
                    .first()
                    .map_or("", |s| s.flight_number.as_str()),
                format!(
                    "{} {}",
                    slice.origin,
                    slice.departure_local.format("%d %b %H:%M")
                ),
                format!(
                    "{} {}",
                    slice.destination,
                    slice.arrival_local.format("%d %b %H:%M")
                ),
                hours(slice.duration_minutes),
                if slice.stops == 0 {
                    "direct".to_owned()
                } else {
                    slice.stops.to_string()
                },
                via(slice),
            );
        }
    }
    out
}

fn hours(minutes: u32) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

fn via(slice: &Slice) -> String {
    let hubs: Vec<&str> = slice
        .segments
        .iter()
        .skip(1)
        .map(|s| s.origin.as_str())
        .collect();
    hubs.join(", ")
}
