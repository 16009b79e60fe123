//! The search request: one domain type ([`SearchQuery`]) and the one parser
//! ([`RawSearch::parse`]) that GET and POST `/search`, the model's tool, the
//! offline assistant and the CLI all build it through.

mod flex;
mod parse;
mod query;

pub use flex::{
    DayShape, DepartureWindow, Flexibility, MAX_ORIGINS, MAX_RADIUS_KM, MAX_TRIP_DAYS,
    MAX_TRIP_LENGTHS, MAX_WINDOW_DAYS, TripDays, airports_near, distinct_origins,
};
pub use parse::{MAX_CARRIERS, MAX_STOPS, RawLeg, RawSearch, Surface};
pub use query::{
    Filters, Leg, MAX_DAYS_AHEAD, MAX_LEGS, SearchOptions, SearchQuery, Sort, TripKind, parse_date,
};
