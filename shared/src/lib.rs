//! ChatPassagens: conversational flight search, one library shared by every
//! Lambda function and the local dev server, so both run the very same code.
//!
//! # Layout
//! - [`domain`]: values parsed at the edge (`IataCode`, `Money`, `Passengers`,
//!   `Email`, ids) and the normalised `Offer`; depends on nothing else here.
//! - [`search`]: the one search request (`SearchQuery`, with its flexible
//!   departure window and other origins) and the one parser every entry
//!   point goes through (`RawSearch`).
//! - [`places`]: the offline airport table (from `airportsdata`), metropolitan
//!   areas, Portuguese and English names, ranked autocomplete.
//! - [`fares`]: the `FareProvider` and `FareCalendar` ports, the demo provider
//!   and its fare model, the Duffel (live offers) and Travelpayouts (cached
//!   prices, month matrix) adapters, aggregation under one deadline, ranking,
//!   the cached search service, and flexible searches (calendar first,
//!   cheapest days live).
//! - [`circuit`]: the circuit breaker the remote cache and the fare
//!   providers sit behind.
//! - [`rates`]: the `Rates` port converting prices into the traveller's
//!   currency (fixed offline rates, the ECB's daily reference rates).
//! - [`cache`]: the `Cache` port with its in-memory and Upstash REST adapters.
//! - [`store`]: the account and history ports with their in-memory and
//!   PostgREST (Supabase) adapters.
//! - [`prices`]: fare observations per route, date and cabin (the
//!   `PriceHistory` port and its adapters) and price insight.
//! - [`watches`]: saved queries whose price is followed, their price points,
//!   and the notifications a drop produces.
//! - [`email`]: the e-mail port (`Mailer`) with its log and Amazon SES adapters.
//! - [`refresh`]: the scheduled fare refresh — the tick, the refresh
//!   queue port and the worker.
//! - [`assistant`]: understanding Portuguese and English travel requests offline.
//! - [`auth`]: sign-up, login, refresh rotation, logout; argon2id and JWTs.
//! - [`config`]: environment variables parsed once into a typed `Config`.
//! - [`app`]: adapters built once from the config and shared by handlers.
//! - [`api`]: HTTP handlers (one module per endpoint), the JSON error body,
//!   and the layers every function shares.
//! - [`lambda`]: running a router on the Lambda runtime.
//! - [`telemetry`]: JSON logs in Lambda, readable logs locally.
//! - [`metrics`]: metrics as CloudWatch Embedded Metric Format lines on
//!   standard output (on in Lambda, off locally unless `METRICS=emf`).
//! - `fuzzing` (the `fuzzing` feature only): the private parsers and decoders
//!   the `cargo fuzz` targets under `fuzz/` drive.

pub mod api;
pub mod app;
pub mod assistant;
pub mod auth;
pub mod aws;
pub mod cache;
pub mod circuit;
pub mod config;
pub mod domain;
pub mod email;
pub mod fares;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod lambda;
pub mod metrics;
pub mod places;
pub mod prices;
pub mod rates;
pub mod refresh;
pub mod search;
pub mod store;
pub mod telemetry;
pub mod watches;

pub use app::{Adapters, App};
pub use config::Config;
