//! Library half of the dev CLI: the local bridges, importable by tests.

pub mod upstash_bridge;
