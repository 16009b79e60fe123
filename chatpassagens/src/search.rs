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
    /// Departure date, YYYY-MM-DD.
    departure: String,
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
}

impl Args {
    /// The search these arguments describe, still unchecked.
    pub fn raw(&self) -> RawSearch {
        let mut raw = RawSearch::trip(
            &self.origin,
            &self.destination,
            &self.departure,
            self.return_date.as_deref(),
        );
        raw.adults.clone_from(&self.adults);
        raw.children.clone_from(&self.children);
        raw.infants.clone_from(&self.infants);
        raw.cabin.clone_from(&self.cabin);
        raw.max_stops.clone_from(&self.max_stops);
        raw.currency.clone_from(&self.currency);
        raw.sort.clone_from(&self.sort);
        raw.carriers = self
            .carriers
            .as_deref()
            .map(|c| c.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        raw.max_price.clone_from(&self.max_price);
        raw.depart_after.clone_from(&self.depart_after);
        raw.depart_before.clone_from(&self.depart_before);
        raw.limit.clone_from(&self.limit);
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
