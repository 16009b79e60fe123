//! Local replay servers for the fare providers: their documented request
//! checks, answers and errors, for the adapters' tests and for running the
//! product against them (`chatpassagens replay <provider>`).

pub mod duffel;
mod duffel_offers;

pub use duffel_offers::{Asked, OfferSet, SliceAsked, Traveller, offers as duffel_offers};

/// The provider to replay.
#[derive(Debug, clap::Subcommand)]
pub enum Provider {
    /// Duffel's Flights API (v2): offer requests and offers.
    Duffel(duffel::Args),
}

/// Runs the chosen replay server until interrupted.
///
/// # Errors
/// When its address cannot be bound.
pub async fn run(provider: Provider) -> anyhow::Result<()> {
    shared::telemetry::init(shared::config::LogFormat::Text);
    match provider {
        Provider::Duffel(args) => duffel::run(args).await,
    }
}
