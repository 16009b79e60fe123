//! Domain values, parsed once at the edge ("parse, don't validate").

mod cabin;
mod error;
mod iata;
mod money;
mod offer;
mod passengers;
mod query;

pub use cabin::Cabin;
pub use error::FieldError;
pub use iata::{CarrierCode, IataCode};
pub use money::{Currency, Money};
pub use offer::{Bags, Offer, Segment, Slice};
pub use passengers::Passengers;
pub use query::{
    Filters, Leg, MAX_DAYS_AHEAD, MAX_LEGS, SearchOptions, SearchQuery, Sort, TripKind,
};
