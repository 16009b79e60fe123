//! The assistant: the offline understanding of Portuguese and English travel
//! requests, its replies, and the chat turn that searches and remembers.

pub mod model;
pub mod reply;
mod turn;
mod understand;

pub use turn::{
    ChatService, Events, MAX_MESSAGE_CHARS, SearchRecord, TurnError, TurnEvent, TurnInput,
    TurnOutput, suggestions,
};
pub use understand::{
    Clarification, DateSpec, Lang, Slot, TripRequest, detect_language, understand,
    understand_conversation,
};
