//! The Upstash adapter's reading of REST answers (`Upstash-Encoding:
//! base64`): a command's `{"result"}` or `{"error"}`, and `/pipeline`'s
//! array of them. Each input is read as a raw body, then as a tree of
//! values Upstash could answer, encoded as Upstash encodes it. Properties:
//! no body panics the adapter; every answer decodes to the values stored,
//! at any depth; an error answer is the command's error, word for word.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use shared::cache::CacheError;
use shared::fuzzing::{upstash_answer, upstash_pipeline};

/// A Redis reply: what a command can answer.
#[derive(Debug, Arbitrary)]
enum Reply {
    Nil,
    Integer(i64),
    Bytes(String),
    Array(Vec<Reply>),
    Error(String),
}

impl Reply {
    /// The value the adapter should hand back.
    fn value(&self) -> Value {
        match self {
            Self::Nil | Self::Error(_) => Value::Null,
            Self::Integer(n) => json!(n),
            Self::Bytes(s) => json!(s),
            Self::Array(items) => items.iter().map(Self::value).collect(),
        }
    }

    /// The value as Upstash sends it: every string base64-encoded.
    fn encoded(&self) -> Value {
        match self {
            Self::Nil | Self::Error(_) => Value::Null,
            Self::Integer(n) => json!(n),
            Self::Bytes(s) => json!(STANDARD.encode(s)),
            Self::Array(items) => items.iter().map(Self::encoded).collect(),
        }
    }

    /// How deeply arrays nest in it.
    fn depth(&self) -> usize {
        match self {
            Self::Array(items) => 1 + items.iter().map(Self::depth).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// The answer body for one command.
    fn answer(&self) -> Value {
        match self {
            Self::Error(message) => json!({ "error": message }),
            other => json!({ "result": other.encoded() }),
        }
    }

    fn check(&self, decoded: Result<Value, CacheError>) {
        match (self, decoded) {
            (Self::Error(message), Err(CacheError::Rejected(m))) => assert_eq!(&m, message),
            (Self::Error(message), other) => panic!("error {message:?} read as {other:?}"),
            (reply, Ok(value)) => assert_eq!(value, reply.value(), "{reply:?}"),
            (reply, Err(e)) => panic!("{reply:?} was not read: {e}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = upstash_answer(data);
    let _ = upstash_pipeline(data);
    let mut u = Unstructured::new(data);
    let Ok(replies) = Vec::<Reply>::arbitrary(&mut u) else {
        return;
    };
    // Redis nests replies a few levels at most; JSON readers stop at 128.
    if replies.iter().any(|r| r.depth() > 64) {
        return;
    }
    if let Some(first) = replies.first() {
        let body = first.answer().to_string();
        first.check(upstash_answer(body.as_bytes()));
    }
    let body = Value::Array(replies.iter().map(Reply::answer).collect()).to_string();
    let slots = upstash_pipeline(body.as_bytes()).expect("a pipeline answer is read");
    assert_eq!(slots.len(), replies.len());
    for (reply, slot) in replies.iter().zip(slots) {
        reply.check(slot);
    }
});
