//! Domain values, parsed once at the edge ("parse, don't validate").

mod account;
mod cabin;
mod error;
mod history;
mod iata;
mod ids;
mod money;
mod offer;
mod passengers;

pub use account::{Email, Password};
pub use cabin::Cabin;
pub use error::FieldError;
pub use history::{
    Conversation, ConversationDetail, Cursor, IdempotencyKey, JsonText, MAX_CONTENT_CHARS, Message,
    NewMessage, Role, Title, UserMessage, decode_cursor, encode_cursor,
};
pub use iata::{CarrierCode, IataCode};
pub use ids::{ConversationId, MessageId, NotificationId, UserId, WatchId};
pub use money::{Currency, Money};
pub use offer::{Bags, Offer, PriceKind, Segment, Seller, Slice};
pub use passengers::Passengers;
