//! Local replay servers for the fare providers: their documented request
//! checks, answers and errors, for the adapters' tests and for running the
//! product against them (`chatpassagens replay <provider>`).

pub mod duffel;
mod duffel_offers;
pub mod travelpayouts;

use std::net::SocketAddr;

pub use duffel_offers::{Asked, OfferSet, SliceAsked, Traveller, offers as duffel_offers};

/// The provider to replay.
#[derive(Debug, clap::Subcommand)]
pub enum Provider {
    /// Duffel's Flights API (v2): offer requests and offers.
    Duffel(duffel::Args),
    /// Travelpayouts' Data API: prices for dates and the month matrix
    /// (point `TRAVELPAYOUTS_BASE_URL` at it).
    Travelpayouts(TravelpayoutsArgs),
}

/// `chatpassagens replay travelpayouts` options.
#[derive(Debug, clap::Args)]
pub struct TravelpayoutsArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub listen: SocketAddr,
    /// Token clients must send (as `TRAVELPAYOUTS_TOKEN`).
    #[arg(
        long,
        env = "TRAVELPAYOUTS_TOKEN",
        default_value = "local-dev-token",
        hide_env_values = true
    )]
    pub token: String,
    /// How every authorised request is answered.
    #[arg(long, value_enum, default_value = "success")]
    pub scenario: travelpayouts::Scenario,
}

/// Runs the chosen replay server until interrupted.
///
/// # Errors
/// When its address cannot be bound.
pub async fn run(provider: Provider) -> anyhow::Result<()> {
    shared::telemetry::init(shared::config::LogFormat::Text);
    match provider {
        Provider::Duffel(args) => duffel::run(args).await,
        Provider::Travelpayouts(args) => {
            let listener = tokio::net::TcpListener::bind(args.listen).await?;
            #[allow(clippy::print_stdout)]
            {
                println!(
                    "travelpayouts replay listening on http://{} ({:?})",
                    listener.local_addr()?,
                    args.scenario
                );
            }
            travelpayouts::serve(listener, &args.token, args.scenario).await
        }
    }
}
