//! What a streaming client sees of a turn, in order: `tool` and `offers`
//! while searching, `delta` for the answer's text, `fallback` when the model
//! failed and the offline assistant answers instead, `title` for a new
//! conversation, then `done`, or `error` with the same body an HTTP error has.

use serde::Serialize;
use serde_json::Value;

use super::tools::SearchRecord;
use crate::domain::{ConversationId, MessageId};

/// One event of a streamed turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TurnEvent {
    /// A piece of the answer's text.
    Delta {
        /// The text.
        text: String,
    },
    /// A tool the assistant is running.
    Tool {
        /// Its name.
        name: String,
        /// Its arguments, as the model or the offline assistant gave them.
        arguments: Value,
    },
    /// A search's results.
    Offers(SearchRecord),
    /// The model failed mid-answer: the text streamed so far is void, and
    /// the offline assistant's answer follows as new deltas.
    Fallback {
        /// Why, for people.
        reason: String,
    },
    /// The title of a new conversation.
    Title {
        /// The title.
        title: String,
    },
    /// The turn is stored.
    Done {
        /// The conversation.
        conversation_id: ConversationId,
        /// The answer message.
        message_id: MessageId,
    },
    /// The turn failed; nothing was stored.
    Error {
        /// Machine-readable code, as in the HTTP error body.
        code: String,
        /// For people.
        message: String,
        /// The request field at fault, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
}

impl TurnEvent {
    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Delta { .. } => "delta",
            Self::Tool { .. } => "tool",
            Self::Offers(_) => "offers",
            Self::Fallback { .. } => "fallback",
            Self::Title { .. } => "title",
            Self::Done { .. } => "done",
            Self::Error { .. } => "error",
        }
    }
}

/// The sending end of a turn's event stream.
pub type Events = tokio::sync::mpsc::UnboundedSender<TurnEvent>;

/// Emits events when a client is listening; a gone client changes nothing.
#[derive(Clone, Default)]
pub(super) struct Sink(Option<Events>);

impl Sink {
    /// A sink into `events`, or nowhere.
    pub(super) fn new(events: Option<Events>) -> Self {
        Self(events)
    }

    /// Whether a client is listening.
    pub(super) fn is_streaming(&self) -> bool {
        self.0.is_some()
    }

    /// Sends `event` if anyone listens.
    pub(super) fn emit(&self, event: TurnEvent) {
        if let Some(tx) = &self.0 {
            let _ = tx.send(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_carry_their_fields_without_a_wrapper() {
        let e = TurnEvent::Delta {
            text: "oi".to_owned(),
        };
        assert_eq!(e.name(), "delta");
        assert_eq!(serde_json::to_value(&e).unwrap(), json!({"text": "oi"}));
        let e = TurnEvent::Error {
            code: "invalid_field".to_owned(),
            message: "must not be empty".to_owned(),
            field: Some("message".to_owned()),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"code": "invalid_field", "message": "must not be empty", "field": "message"})
        );
    }
}
