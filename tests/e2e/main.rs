//! Cross-function black-box tests over real services: the migrations and the
//! PostgREST bridge on the real PostgreSQL (row-level security attacked
//! table by table and function by function), the Upstash adapter and bridge on
//! the real Redis, Upstash's official client against the
//! bridge, and the search binary under cargo-lambda's runtime emulator.

mod accounts;
mod email_ses;
mod lambda_watch;
mod moto;
mod postgrest;
mod price_history_dynamo;
mod refresh_pg;
mod refresh_sqs;
mod row_level_security;
mod store_conformance;
mod upstash;
mod watch_conformance;
