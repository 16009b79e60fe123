//! The search request: one domain type ([`SearchQuery`]) and the one parser
//! ([`RawSearch::parse`]) that GET and POST `/search`, the model's tool, the
//! offline assistant and the CLI all build it through.

mod parse;
mod query;

pub use parse::{MAX_CARRIERS, MAX_STOPS, RawLeg, RawSearch, Surface};
pub use query::{
    Filters, Leg, MAX_DAYS_AHEAD, MAX_LEGS, SearchOptions, SearchQuery, Sort, TripKind, parse_date,
};
