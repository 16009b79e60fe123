//! Domain values, parsed once at the edge ("parse, don't validate").

mod account;
mod cabin;
mod error;
mod history;
mod iata;
mod money;
mod offer;
mod passengers;
mod query;

pub use account::{Email, Password};
pub use cabin::Cabin;
pub use error::FieldError;
pub use history::{
    Conversation, ConversationDetail, Cursor, MAX_MESSAGE_CHARS, Message, NewMessage, Role, Title,
    UserId, parse_id,
};
pub use iata::{CarrierCode, IataCode};
pub use money::{Currency, Money};
pub use offer::{Bags, Offer, Segment, Slice};
pub use passengers::Passengers;
pub use query::{
    Filters, Leg, MAX_DAYS_AHEAD, MAX_LEGS, SearchOptions, SearchQuery, Sort, TripKind,
};
