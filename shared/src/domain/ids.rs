//! Identifiers, one type per thing they name, so a message id can never be
//! passed where a conversation id is expected. On the wire and in the
//! database each is a plain UUID.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::FieldError;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new random id.
            pub fn random() -> Self {
                Self(Uuid::new_v4())
            }

            /// The id a UUID stands for.
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// The UUID.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }

            /// Parses an id from a path, query or body.
            ///
            /// # Errors
            /// A [`FieldError`] on `field` quoting the input.
            pub fn parse(field: &str, text: &str) -> Result<Self, FieldError> {
                Uuid::parse_str(text.trim())
                    .map(Self)
                    .map_err(|_| FieldError::new(field, format!("expected a UUID, got '{text}'")))
            }
        }

        impl std::str::FromStr for $name {
            type Err = FieldError;
            fn from_str(text: &str) -> Result<Self, FieldError> {
                Self::parse("id", text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// An account's id (the JWT's `sub`).
    UserId
);
id!(
    /// A conversation's id.
    ConversationId
);
id!(
    /// A stored message's id.
    MessageId
);
id!(
    /// A watch's id (a saved query whose price is followed).
    WatchId
);
id!(
    /// A notification's id.
    NotificationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_and_print_as_plain_uuids() {
        let id = ConversationId::random();
        assert_eq!(
            ConversationId::parse("conversation_id", &id.to_string()).unwrap(),
            id
        );
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            format!("\"{}\"", id.as_uuid())
        );
        let err = MessageId::parse("id", "42").unwrap_err();
        assert_eq!(err.field, "id");
        assert!(err.reason.contains("'42'"));
    }
}
