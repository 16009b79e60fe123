//! The scheduled fare refresh: the tick claims due watches and sends one
//! message per distinct query to the refresh queue; the worker searches
//! once per message, adds the price to every watch of that query,
//! decides their notifications and e-mails the new ones (the
//! [`Mailer`](crate::email::Mailer) port).
//!
//! # Layout
//! - `queue`: the [`RefreshQueue`] port, its message, the in-memory adapter.
//! - `tick`: claim, group, send ([`tick`]).
//! - `worker`: search, record, notify, mail ([`Worker`]).
//! - `sqs`: the SQS adapter ([`SqsQueue`]).
//! - [`lambda`]: the `fare-refresh` and `refresh-worker` functions.
//! - [`local`]: the tick and worker in-process (`serve`, `chatpassagens refresh`).

pub mod lambda;
pub mod local;
mod queue;
mod sqs;
mod tick;
mod worker;

pub use queue::{MemoryQueue, QueueError, RefreshMessage, RefreshQueue, WatchRef};
pub use sqs::SqsQueue;
pub use tick::{TickError, TickReport, TickSettings, tick};
pub use worker::{Delivery, Worker, WorkerError, WorkerReport};
