//! `chatpassagens search`: offers for a query, as a table in the terminal.

use std::fmt::Write as _;

use shared::domain::{Currency, Offer, Slice};
use shared::search::{RawSearch, SearchQuery, Surface};
use shared::{App, Config};

/// `chatpassagens search`: every value stays text until the one search
/// parser reads it, so the CLI accepts and refuses what the API does.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// From: IATA code or city name ("SAO", "são paulo").
    origin: String,
    /// To: IATA code or city name ("LIS", "lisboa").
    destination: String,
    /// Departure date, YYYY-MM-DD (leave it out for a departure window).
    departure: Option<String>,
    /// Return date, YYYY-MM-DD, for a round trip.
    #[arg(long = "return")]
    return_date: Option<String>,
    /// Adults (12+; default 1).
    #[arg(long)]
    adults: Option<String>,
    /// Children (2–11).
    #[arg(long)]
    children: Option<String>,
    /// Lap infants (under 2).
    #[arg(long)]
    infants: Option<String>,
    /// economy, premium_economy, business or first.
    #[arg(long)]
    cabin: Option<String>,
    /// Most stops per direction (0–3).
    #[arg(long)]
    max_stops: Option<String>,
    /// Currency of prices (default BRL).
    #[arg(long)]
    currency: Option<String>,
    /// best, cheapest or fastest.
    #[arg(long)]
    sort: Option<String>,
    /// Airline codes, comma-separated: offers with any of them.
    #[arg(long)]
    carriers: Option<String>,
    /// Highest total price.
    #[arg(long)]
    max_price: Option<String>,
    /// Earliest local departure of every slice, HH:MM.
    #[arg(long)]
    depart_after: Option<String>,
    /// Latest local departure of every slice, HH:MM.
    #[arg(long)]
    depart_before: Option<String>,
    /// How many offers to show (1–100).
    #[arg(long)]
    limit: Option<String>,
    /// First day of a departure window, YYYY-MM-DD: a flexible search.
    #[arg(long)]
    departure_from: Option<String>,
    /// Last day of the departure window (at most 62 days after the first).
    #[arg(long)]
    departure_to: Option<String>,
    /// Days of the window: any or weekend (leave Fri/Sat, back Sun/Mon).
    #[arg(long)]
    departure_days: Option<String>,
    /// Stay in days, for a flexible round trip.
    #[arg(long)]
    trip_days: Option<String>,
    /// Shortest stay (with --trip-days-max).
    #[arg(long)]
    trip_days_min: Option<String>,
    /// Longest stay.
    #[arg(long)]
    trip_days_max: Option<String>,
    /// More places to leave from, comma-separated ("VCP,SAO").
    #[arg(long)]
    other_origins: Option<String>,
    /// Also leave from airports within this many km of the origin.
    #[arg(long)]
    origin_radius_km: Option<String>,
}

impl Args {
    /// The search these arguments describe, still unchecked.
    pub fn raw(&self) -> RawSearch {
        let mut raw = RawSearch::trip(
            &self.origin,
            &self.destination,
            self.departure.as_deref().unwrap_or_default(),
            self.return_date.as_deref(),
        );
        raw.adults.clone_from(&self.adults);
        raw.children.clone_from(&self.children);
        raw.infants.clone_from(&self.infants);
        raw.cabin.clone_from(&self.cabin);
        raw.max_stops.clone_from(&self.max_stops);
        raw.currency.clone_from(&self.currency);
        raw.sort.clone_from(&self.sort);
        raw.carriers = list(self.carriers.as_deref());
        raw.max_price.clone_from(&self.max_price);
        raw.depart_after.clone_from(&self.depart_after);
        raw.depart_before.clone_from(&self.depart_before);
        raw.limit.clone_from(&self.limit);
        raw.departure_from.clone_from(&self.departure_from);
        raw.departure_to.clone_from(&self.departure_to);
        raw.departure_days.clone_from(&self.departure_days);
        raw.trip_days.clone_from(&self.trip_days);
        raw.trip_days_min.clone_from(&self.trip_days_min);
        raw.trip_days_max.clone_from(&self.trip_days_max);
        raw.other_origins = list(self.other_origins.as_deref());
        raw.origin_radius_km.clone_from(&self.origin_radius_km);
        raw
    }

    /// The checked search, as of `now`; errors name the CLI's own arguments.
    ///
    /// # Errors
    /// The first bad argument, as the search parser reports it.
    pub fn query(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<SearchQuery, shared::domain::FieldError> {
        self.raw().parse(now).map_err(|e| Surface::Cli.rename(e))
    }
}

/// A comma-separated argument as its items.
fn list(text: Option<&str>) -> Vec<String> {
    text.map(|t| t.split(',').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Runs the search and prints the offers as a table.
///
/// # Errors
/// Bad arguments or configuration.
pub async fn run(args: Args) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let app = App::from_config(&config)?;
    let now = (app.clock)();
    let query = args.query(now)?;
    let results = app.search.search(&query, now).await;
    for w in &results.warnings {
        println!("warning: {}", w.message);
    }
    if let Some(flexible) = &results.flexible {
        print!("{}", cheapest_days(flexible));
    }
    if results.offers.is_empty() {
        println!("no offers for this search");
        return Ok(());
    }
    print!("{}", table(&results.offers, query.options().currency));
    Ok(())
}

/// The calendar's cheapest days, and what the live search of each found.
fn cheapest_days(summary: &shared::fares::FlexibleSummary) -> String {
    let mut out = String::new();
    for day in &summary.cheapest_days {
        let d = &day.calendar;
        let back = d.return_date.map(|b| format!(" → {b}")).unwrap_or_default();
        let live = day
            .live_price
            .map(|p| format!("; live {}", p.amount))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} {}{back}: {} {} ({}, {:?}){live}",
            day.origin, d.date, d.price.currency, d.price.amount, d.provider, d.source
        );
    }
    let _ = writeln!(
        out,
        "{} calendar request(s), {} live search(es)\n",
        summary.calendar_requests, summary.live_searches
    );
    out
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
