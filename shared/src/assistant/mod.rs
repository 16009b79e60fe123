//! The assistant and the chat turn.
//!
//! # Layout
//! - [`turn`](ChatService): one turn orchestrated — the message rule, the
//!   rate limit, idempotent replay, model or offline answer, one atomic write.
//! - `events`: the typed events a streaming client receives.
//! - [`tools`]: the `search_flights` tool — its schema, its arguments through
//!   the one search parser, and the typed records a turn stores.
//! - `model_turn`: the model with tools for a bounded number of rounds.
//! - [`model`]: the assistant-model port and its OpenAI-compatible adapter.
//! - [`offline`]: the built-in assistant's plan and answer; `understand`
//!   reads requests, [`reply`] words answers, [`flexible_reply`] the
//!   cheapest days of a flexible search.
//! - [`watch_turn`]: creating and listing watches from the chat, offline.
//! - [`watch_tool`]: the model's `watch_route` tool, through the watch parser.

mod events;
pub mod flexible_reply;
pub mod model;
mod model_turn;
pub mod offline;
pub mod reply;
pub mod tools;
mod turn;
mod understand;
pub mod watch_tool;
pub mod watch_turn;

pub use events::{Events, TurnEvent};
pub use tools::SearchRecord;
pub use turn::{ChatService, TurnError, TurnInput, TurnLimits, TurnOutput, suggestions};
pub use understand::{
    Clarification, DateSpec, Lang, Slot, TripRequest, detect_language, understand,
    understand_conversation,
};
