//! The Duffel adapter: live offers from Duffel's Flights API (v2).
//!
//! A search is two calls: `POST /air/offer_requests?return_offers=false`
//! (Duffel asks its airlines, for at most `supplier_timeout`) and then
//! `GET /air/offers?offer_request_id=…&sort=total_amount`. `request` builds
//! the first call's body from our query, `wire` reads Duffel's answers,
//! `mapping` turns Duffel offers into our [`crate::domain::Offer`], `error`
//! classifies every failure once, and `client` makes the calls.

mod client;
mod error;
mod mapping;
mod request;
mod wire;

pub use client::DuffelProvider;
pub use error::DuffelError;
pub use mapping::{MappedOffers, map_offers_page};
pub use request::CHILD_AGE;
