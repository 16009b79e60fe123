//! The assistant. So far: the offline understanding of Portuguese and
//! English travel requests (places, dates, passengers, cabin, budget, stops)
//! that the built-in assistant and the model fallback rest on.

mod understand;

pub use understand::{DateSpec, Lang, Slot, TripRequest, detect_language, understand};
