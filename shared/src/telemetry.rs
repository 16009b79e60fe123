//! Logging: JSON lines with the request id in Lambda, readable lines locally.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::config::LogFormat;

/// Installs the global subscriber. `RUST_LOG` filters by level and target
/// (`info`, `warn,shared=debug`); the default and any unreadable value mean `info`.
/// Calling it twice is harmless (the second call is ignored).
///
/// The filter is `Targets` rather than `EnvFilter`: the same syntax for
/// levels and targets without a regex engine, which would add about a
/// megabyte to every Lambda binary.
pub fn init(format: LogFormat) {
    let filter: Targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let registry = tracing_subscriber::registry().with(filter);
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let _ = match format {
        // Span fields (the request id) are flattened into every line, and the
        // timestamp is left to CloudWatch, which records its own.
        LogFormat::Json => registry
            .with(
                fmt.json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .without_time()
                    .with_ansi(false),
            )
            .try_init(),
        LogFormat::Text => registry.with(fmt.compact()).try_init(),
    };
    if cfg!(panic = "abort") {
        log_panics();
    }
}

/// In a build that aborts on panic (the release profile: the Lambda
/// functions), the panic becomes one error line in the log format, with the
/// request's span, before the process ends; the default hook would write
/// plain text without the request id.
fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(%location, %message, "panic: the process ends (panic = abort)");
    }));
}
