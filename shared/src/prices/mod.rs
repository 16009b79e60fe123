//! Price history and insight: every fresh search records the cheapest fare
//! it found ([`FareObservation`]) through the [`PriceHistory`] port; a
//! search answer then says whether today's price is low, typical or high
//! against comparable observations ([`Insight`]).
//!
//! # Layout
//! - `history`: the port, its observation and route key, and [`Recorder`]
//!   (record without slowing the answer).
//! - `memory`: the in-memory adapter (the embedded default).
//! - `dynamodb`: the DynamoDB adapter and its key design.
//! - `insight`: quartiles, verdict, difference and trend.
//! - `modelled`: what the demo provider would have quoted on past days.
//! - `service`: [`Insights`], the two joined for the search service.

mod dynamodb;
mod history;
mod insight;
mod memory;
mod modelled;
mod service;

pub use dynamodb::DynamoPriceHistory;
pub use history::{
    FareObservation, HistoryError, PriceHistory, RECORD_TIMEOUT, Recorder, RouteKey,
};
pub use insight::{Basis, Insight, MIN_OBSERVATIONS, Trend, Verdict, insight};
pub use memory::MemoryPriceHistory;
pub use modelled::demo_history;
pub use service::Insights;
