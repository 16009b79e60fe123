//! Library half of the dev CLI: the local bridges, the providers' replay
//! servers, the migration runner and the `search` command's arguments,
//! importable by tests.

// A CLI's output is its interface.
#![allow(clippy::print_stdout)]

pub mod migrate;
pub mod postgrest_bridge;
pub mod replay;
pub mod search;
pub mod upstash_bridge;
