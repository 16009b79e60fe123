use chrono::{DateTime, Datelike as _, Timelike as _, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use super::{ConversationId, FieldError, MessageId, UserId};

/// A conversation title: 1 to 200 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Title(String);

impl From<Title> for String {
    fn from(t: Title) -> Self {
        t.0
    }
}

impl TryFrom<String> for Title {
    type Error = FieldError;
    fn try_from(text: String) -> Result<Self, FieldError> {
        Self::parse(&text)
    }
}

/// What a traveller writes in one turn: trimmed, 1 to
/// [`UserMessage::MAX_CHARS`] characters. The one rule for a message's
/// length; the store's own bound ([`MAX_CONTENT_CHARS`]) is wider because
/// answers and tool records are stored too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserMessage(String);

impl UserMessage {
    /// Longest message a traveller may send: a long request with every
    /// detail is under 1,000 characters; 4,000 leaves room without letting
    /// one message fill the model's context.
    pub const MAX_CHARS: usize = 4000;

    /// Trims and checks a message.
    ///
    /// # Errors
    /// A [`FieldError`] on `message` when empty or too long.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(FieldError::new("message", "must not be empty"));
        }
        let chars = t.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(FieldError::new(
                "message",
                format!(
                    "must have at most {} characters, got {chars}",
                    Self::MAX_CHARS
                ),
            ));
        }
        Ok(Self(t.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A client's `Idempotency-Key`: 1 to [`IdempotencyKey::MAX_CHARS`]
/// visible ASCII characters, as payment APIs accept them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Longest key kept (a UUID is 36; Stripe allows 255).
    pub const MAX_CHARS: usize = 200;

    /// Checks a key as sent.
    ///
    /// # Errors
    /// A [`FieldError`] on `Idempotency-Key` for an empty, long or
    /// non-printable key.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let t = text.trim();
        if t.is_empty() || t.len() > Self::MAX_CHARS || !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(FieldError::new(
                "Idempotency-Key",
                format!("expected 1 to {} visible ASCII characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(t.to_owned()))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<IdempotencyKey> for String {
    fn from(k: IdempotencyKey) -> Self {
        k.0
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = FieldError;
    fn try_from(text: String) -> Result<Self, FieldError> {
        Self::parse(&text)
    }
}

impl Title {
    /// Longest title kept (the list shows one line).
    pub const MAX_CHARS: usize = 200;

    /// Trims and checks a title.
    ///
    /// # Errors
    /// A [`FieldError`] on `title` when empty or too long.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(FieldError::new("title", "must not be empty"));
        }
        if t.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                "title",
                format!("must have at most {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(t.to_owned()))
    }

    /// The title.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The traveller.
    User,
    /// The assistant's answer.
    Assistant,
    /// A tool's result.
    Tool,
}

/// Longest content stored in one message, answers and tool records
/// included (the database checks the same bound).
pub const MAX_CONTENT_CHARS: usize = 16_000;

/// A message's tool calls or tool results as JSON text: serialised once,
/// where the turn makes them, then stored, copied and sent as they are;
/// read back typed with [`JsonText::read`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonText(Box<RawValue>);

impl JsonText {
    /// The JSON of `value`.
    ///
    /// # Errors
    /// What `value`'s serialisation fails with (a map with non-string keys).
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Self)
    }

    /// The text itself.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The text read as `T`.
    ///
    /// # Errors
    /// When the text is not a `T`.
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl From<&Value> for JsonText {
    fn from(value: &Value) -> Self {
        // A `Value` always serialises: its map keys are strings.
        Self::of(value).unwrap_or_else(|_| Self(RawValue::NULL.to_owned()))
    }
}

/// The same JSON, whatever its spacing and key order (a database may
/// reformat what it stores).
impl PartialEq for JsonText {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get() || self.read::<Value>().ok() == other.read::<Value>().ok()
    }
}

/// A message to append.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMessage {
    /// Author.
    pub role: Role,
    /// Text.
    pub content: String,
    /// Tool calls the assistant made, as the model sent them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<JsonText>,
    /// Tool results, as the tools answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_results: Option<JsonText>,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Id.
    pub id: MessageId,
    /// Its conversation.
    pub conversation_id: ConversationId,
    /// Position from 1, without gaps.
    pub seq: i32,
    /// Author.
    pub role: Role,
    /// Text.
    pub content: String,
    /// Tool calls, if any.
    pub tool_calls: Option<JsonText>,
    /// Tool results, if any.
    pub tool_results: Option<JsonText>,
    /// The `Idempotency-Key` of the turn it belongs to, if the client sent one.
    #[serde(default)]
    pub idempotency_key: Option<IdempotencyKey>,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
}

/// A conversation's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// Id.
    pub id: ConversationId,
    /// Owner.
    pub user_id: UserId,
    /// Title, once it has one.
    pub title: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change (new turn or rename); the list's order.
    pub updated_at: DateTime<Utc>,
    /// Messages so far.
    pub message_count: i32,
}

/// A conversation with its messages in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationDetail {
    /// The summary.
    pub conversation: Conversation,
    /// Every message, by `seq`.
    pub messages: Vec<Message>,
}

/// Where the next page of the list starts: after this (updated_at, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// `updated_at` of the last conversation seen.
    pub updated_at: DateTime<Utc>,
    /// `id` of the last conversation seen.
    pub id: ConversationId,
}

impl Cursor {
    /// The opaque text clients pass back (`base64url(updated_at|id)`).
    pub fn encode(&self) -> String {
        encode_cursor(self.updated_at, &self.id)
    }

    /// Reads a cursor a client passed back.
    ///
    /// # Errors
    /// A [`FieldError`] on `cursor` when it is not one we issued.
    pub fn decode(text: &str) -> Result<Self, FieldError> {
        let (updated_at, id) = decode_cursor(text)?;
        Ok(Self { updated_at, id })
    }
}

/// A page boundary as clients carry it: `base64url(time|id)`.
pub fn encode_cursor(at: DateTime<Utc>, id: &impl std::fmt::Display) -> String {
    use base64::Engine as _;
    let raw = format!(
        "{}|{id}",
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    );
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// Reads a page boundary a client passed back.
///
/// # Errors
/// A [`FieldError`] on `cursor` when it is not one we issued: not ours to
/// decode, a time outside the years rows are written in (PostgreSQL
/// would refuse a year such as 0000), or finer than the microseconds rows
/// keep (the memory store would page by a boundary PostgreSQL cannot hold).
pub fn decode_cursor<Id: std::str::FromStr>(text: &str) -> Result<(DateTime<Utc>, Id), FieldError> {
    use base64::Engine as _;
    let bad = || FieldError::new("cursor", format!("not a cursor from this API: '{text}'"));
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim())
        .map_err(|_| bad())?;
    let raw = String::from_utf8(bytes).map_err(|_| bad())?;
    let (at, id) = raw.split_once('|').ok_or_else(bad)?;
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| bad())?
        .with_timezone(&Utc);
    if !(2000..=9999).contains(&at.year()) || at.nanosecond() % 1000 != 0 {
        return Err(bad());
    }
    Ok((at, id.parse().map_err(|_| bad())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor {
            updated_at: Utc::now(),
            id: ConversationId::random(),
        };
        let back = Cursor::decode(&c.encode()).unwrap();
        assert_eq!(back.id, c.id);
        assert_eq!(
            back.updated_at.timestamp_micros(),
            c.updated_at.timestamp_micros()
        );
        for bad in [
            "",
            "abc",
            "!!!",
            &base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, "x|y"),
        ] {
            assert_eq!(Cursor::decode(bad).unwrap_err().field, "cursor");
        }
    }

    #[test]
    fn a_cursor_finer_than_microseconds_is_refused() {
        // Found by the `cursor` fuzz target: issued again, this cursor
        // named another boundary (microseconds are all we issue and store).
        let id = "0b7c2a64-6f3e-4e4a-9a51-1f0c8e2d9b11";
        let cursor = |time: &str| {
            base64::Engine::encode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                format!("{time}|{id}"),
            )
        };
        let err = Cursor::decode(&cursor("2026-11-22T12:00:00.1123456Z")).unwrap_err();
        assert_eq!(err.field, "cursor");
        let ours = Cursor::decode(&cursor("2026-11-22T12:00:00.112345Z")).unwrap();
        assert_eq!(Cursor::decode(&ours.encode()).unwrap(), ours);
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(Title::parse("  Lisboa  ").unwrap().as_str(), "Lisboa");
        assert!(Title::parse("   ").is_err());
        assert!(Title::parse(&"x".repeat(201)).is_err());
    }
}
