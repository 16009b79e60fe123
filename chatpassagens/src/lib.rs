//! Library half of the dev CLI: the local bridges and the migration runner,
//! importable by tests.

pub mod migrate;
pub mod postgrest_bridge;
pub mod upstash_bridge;
