//! Logging: JSON lines with the request id in Lambda, readable lines locally.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber; `RUST_LOG` filters (default `info`).
/// Calling it twice is harmless (the second call is ignored).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        // Span fields (the request id) are flattened into every line, and the
        // timestamp is left to CloudWatch, which records its own.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .without_time()
            .with_ansi(false)
            .try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
}
