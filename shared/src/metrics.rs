//! Metrics as CloudWatch Embedded Metric Format (EMF) lines: one JSON
//! object per line on standard output, which Lambda ships to CloudWatch
//! Logs, where each line becomes metric values in the `ChatPassagens`
//! namespace. Every metric has the `Stage` dimension; a provider's also
//! has `Provider`. The names and units are the ones `template.yaml`'s
//! alarms and dashboard read: change them there too.
//!
//! A line looks like this (one line, wrapped here):
//!
//! ```text
//! {"_aws":{"Timestamp":1764547200000,"CloudWatchMetrics":[{"Namespace":"ChatPassagens",
//! "Dimensions":[["Stage"]],"Metrics":[{"Name":"TurnLatency","Unit":"Milliseconds"}]}]},
//! "Stage":"prod","TurnLatency":0.412}
//! ```
//!
//! The sink is a value ([`Metrics`]) built once from the configuration and
//! handed to what emits, like every other adapter, rather than a global:
//! tests then read what their own app emitted (the capture sink) while
//! other tests run beside them, and a test can build an app with metrics
//! off. It is an `Option<Arc<_>>`, so off costs a branch and cloning it a
//! reference count.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;

use crate::assistant::model::ToolSpec;
use crate::assistant::model::{AssistantModel, ChatMessage, Completion, Deltas, ModelError};

/// The CloudWatch namespace every metric is published in.
pub const NAMESPACE: &str = "ChatPassagens";

/// A metric the code emits, with its CloudWatch name and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// A chat turn's server time, whoever answered (ms, once per turn,
    /// a refused or failed turn included).
    TurnLatency,
    /// One call to the language model (ms).
    ModelLatency,
    /// A turn the offline assistant answered because the model failed or
    /// ran out of time.
    ModelFallbacks,
    /// One provider's call in a search (ms; `Provider` dimension).
    ProviderLatency,
    /// A provider call that failed or timed out (`Provider` dimension; a
    /// query the provider refused is not its failure, as for its circuit).
    ProviderErrors,
    /// A search answered from the offers cache.
    CacheHits,
    /// A search that asked the providers.
    CacheMisses,
    /// Messages one fare-refresh tick sent to the queue.
    RefreshMessagesQueued,
    /// Searches the refresh worker ran for one batch of messages.
    RefreshSearches,
    /// Notifications the refresh worker created for one batch (each is
    /// shown in the app and e-mailed when its owner has an address).
    NotificationsSent,
    /// Refresh messages that failed their last allowed delivery, which the
    /// queue now moves to its dead-letter queue.
    MessagesDeadLettered,
}

impl Metric {
    /// The metric's name in CloudWatch.
    pub fn name(self) -> &'static str {
        match self {
            Self::TurnLatency => "TurnLatency",
            Self::ModelLatency => "ModelLatency",
            Self::ModelFallbacks => "ModelFallbacks",
            Self::ProviderLatency => "ProviderLatency",
            Self::ProviderErrors => "ProviderErrors",
            Self::CacheHits => "CacheHits",
            Self::CacheMisses => "CacheMisses",
            Self::RefreshMessagesQueued => "RefreshMessagesQueued",
            Self::RefreshSearches => "RefreshSearches",
            Self::NotificationsSent => "NotificationsSent",
            Self::MessagesDeadLettered => "MessagesDeadLettered",
        }
    }

    /// The metric's CloudWatch unit: `Milliseconds` or `Count`.
    pub fn unit(self) -> &'static str {
        match self {
            Self::TurnLatency | Self::ModelLatency | Self::ProviderLatency => "Milliseconds",
            _ => "Count",
        }
    }
}

/// Where metric lines go: nowhere (off), standard output, or a buffer a
/// test reads. Cheap to clone; every clone writes to the same place.
#[derive(Clone, Default)]
pub struct Metrics {
    /// `None` when metrics are off.
    inner: Option<Arc<Inner>>,
}

struct Inner {
    /// The `Stage` dimension's value, already a JSON string (quoted).
    stage: String,
    sink: Sink,
}

enum Sink {
    Stdout,
    /// Lines kept in order, without their newline.
    Capture(Mutex<Vec<String>>),
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Metrics {
    /// No metrics: every call returns at once and nothing is written.
    pub fn off() -> Self {
        Self::default()
    }

    /// EMF lines on standard output, with `stage` as the `Stage` dimension.
    pub fn emf(stage: &str) -> Self {
        Self::with_sink(stage, Sink::Stdout)
    }

    /// EMF lines kept in memory, for [`Self::captured`] (tests).
    pub fn capture(stage: &str) -> Self {
        Self::with_sink(stage, Sink::Capture(Mutex::new(Vec::new())))
    }

    fn with_sink(stage: &str, sink: Sink) -> Self {
        let stage = serde_json::to_string(stage).unwrap_or_else(|_| "\"local\"".to_owned());
        Self {
            inner: Some(Arc::new(Inner { stage, sink })),
        }
    }

    /// The sink `config` asks for: EMF on standard output, or off.
    pub fn from_config(config: &crate::config::MetricsConfig) -> Self {
        if config.emf {
            Self::emf(&config.stage)
        } else {
            Self::off()
        }
    }

    /// Whether anything is recorded.
    pub fn is_on(&self) -> bool {
        self.inner.is_some()
    }

    /// `off`, `emf` or `capture`, for start-up logs.
    pub fn name(&self) -> &'static str {
        match self.inner.as_deref().map(|i| &i.sink) {
            None => "off",
            Some(Sink::Stdout) => "emf",
            Some(Sink::Capture(_)) => "capture",
        }
    }

    /// The lines a capture sink has kept, oldest first (empty for the others).
    pub fn captured(&self) -> Vec<String> {
        match self.inner.as_deref().map(|i| &i.sink) {
            Some(Sink::Capture(lines)) => lines
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone(),
            _ => Vec::new(),
        }
    }

    /// Records `values` in one line, with the `Stage` dimension only.
    pub fn record(&self, values: &[(Metric, f64)]) {
        self.emit(None, values);
    }

    /// Records `values` in one line with the `Stage` and `Provider` dimensions.
    pub fn record_for(&self, provider: &str, values: &[(Metric, f64)]) {
        self.emit(Some(provider), values);
    }

    /// Records a count.
    pub fn count(&self, metric: Metric, n: usize) {
        self.emit(None, &[(metric, n as f64)]);
    }

    /// Records the time since `started` (a latency metric).
    pub fn elapsed(&self, metric: Metric, started: Instant) {
        if self.is_on() {
            self.emit(None, &[(metric, millis(started.elapsed()))]);
        }
    }

    /// Times `metric` until the returned guard is dropped: at the end of
    /// the scope it lives in, however that scope is left (a `?`, an early
    /// return, a future dropped on a deadline).
    pub fn timer(&self, metric: Metric) -> Timer<'_> {
        Timer {
            metrics: self,
            metric,
            started: self.is_on().then(Instant::now),
        }
    }

    fn emit(&self, provider: Option<&str>, values: &[(Metric, f64)]) {
        let Some(inner) = self.inner.as_deref() else {
            return;
        };
        if values.is_empty() {
            return;
        }
        let line = line(&inner.stage, provider, values, epoch_millis());
        match &inner.sink {
            // One `write_all` of the whole line, newline included, on the
            // locked handle: no other writer's bytes land inside it. A
            // failed write costs the metric, never the request.
            Sink::Stdout => {
                let _ = std::io::stdout().lock().write_all(line.as_bytes());
            }
            Sink::Capture(lines) => lines
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(line.trim_end().to_owned()),
        }
    }
}

/// Times a metric until dropped (see [`Metrics::timer`]).
#[must_use = "the time is recorded when the guard is dropped"]
pub struct Timer<'a> {
    metrics: &'a Metrics,
    metric: Metric,
    /// `None` when metrics are off: nothing to read or write.
    started: Option<Instant>,
}

impl Drop for Timer<'_> {
    fn drop(&mut self) {
        if let Some(started) = self.started {
            self.metrics.elapsed(self.metric, started);
        }
    }
}

/// A duration in milliseconds, to the microsecond.
pub fn millis(d: Duration) -> f64 {
    d.as_micros() as f64 / 1000.0
}

fn epoch_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// One EMF document and its newline: the `_aws` block declaring the
/// namespace, dimensions and each metric's unit, then the dimension values
/// and the metric values as top-level members. Written by hand: the names
/// are fixed ASCII, so only the two dimension values need JSON escaping.
fn line(stage: &str, provider: Option<&str>, values: &[(Metric, f64)], now_ms: u128) -> String {
    let mut s = String::with_capacity(200 + 64 * values.len());
    let dims = if provider.is_some() {
        r#"["Stage","Provider"]"#
    } else {
        r#"["Stage"]"#
    };
    let _ = write!(
        s,
        r#"{{"_aws":{{"Timestamp":{now_ms},"CloudWatchMetrics":[{{"Namespace":"{NAMESPACE}","Dimensions":[{dims}],"Metrics":["#
    );
    for (i, (metric, _)) in values.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(
            s,
            r#"{comma}{{"Name":"{}","Unit":"{}"}}"#,
            metric.name(),
            metric.unit()
        );
    }
    let _ = write!(s, r#"]}}]}},"Stage":{stage}"#);
    if let Some(p) = provider {
        s.push_str(r#","Provider":"#);
        s.push_str(&serde_json::to_string(p).unwrap_or_else(|_| "\"\"".to_owned()));
    }
    for (metric, value) in values {
        // JSON has no NaN or infinity; neither comes from a count or a clock.
        let value = if value.is_finite() { *value } else { 0.0 };
        let _ = write!(s, r#","{}":{value}"#, metric.name());
    }
    s.push_str("}\n");
    s
}

/// The model, each call timed as [`Metric::ModelLatency`] (a call cut off
/// by the turn's deadline included, as it is dropped).
pub struct TimedModel {
    inner: Arc<dyn AssistantModel>,
    metrics: Metrics,
}

impl TimedModel {
    /// `inner`, reporting to `metrics`.
    pub fn new(inner: Arc<dyn AssistantModel>, metrics: Metrics) -> Self {
        Self { inner, metrics }
    }
}

#[async_trait]
impl AssistantModel for TimedModel {
    fn name(&self) -> String {
        self.inner.name()
    }

    async fn complete(
        &self,
        messages: &[ChatMessage],
        tools: &[ToolSpec],
        deltas: Option<&Deltas>,
    ) -> Result<Completion, ModelError> {
        let _timer = self.metrics.timer(Metric::ModelLatency);
        self.inner.complete(messages, tools, deltas).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn parse(line: &str) -> Value {
        serde_json::from_str(line).unwrap()
    }

    #[test]
    fn a_line_declares_its_metrics_and_carries_their_values_and_dimensions() {
        let m = Metrics::capture("prod");
        m.record_for(
            "du\"ffel",
            &[
                (Metric::ProviderLatency, 12.5),
                (Metric::ProviderErrors, 1.0),
            ],
        );
        let lines = m.captured();
        assert_eq!(lines.len(), 1);
        let v = parse(&lines[0]);
        let directive = &v["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "ChatPassagens");
        assert_eq!(
            directive["Dimensions"],
            serde_json::json!([["Stage", "Provider"]])
        );
        assert_eq!(
            directive["Metrics"],
            serde_json::json!([
                { "Name": "ProviderLatency", "Unit": "Milliseconds" },
                { "Name": "ProviderErrors", "Unit": "Count" }
            ])
        );
        assert!(v["_aws"]["Timestamp"].as_u64().unwrap() > 1_700_000_000_000);
        assert_eq!(v["Stage"], "prod");
        assert_eq!(v["Provider"], "du\"ffel", "escaped, and read back whole");
        assert_eq!(v["ProviderLatency"], 12.5);
        assert_eq!(v["ProviderErrors"], 1.0);
    }

    #[test]
    fn a_timer_records_once_when_dropped_and_off_records_nothing() {
        let m = Metrics::capture("local");
        {
            let _t = m.timer(Metric::TurnLatency);
            std::thread::sleep(Duration::from_millis(2));
        }
        let lines = m.captured();
        assert_eq!(lines.len(), 1);
        assert!(parse(&lines[0])["TurnLatency"].as_f64().unwrap() >= 2.0);
        let off = Metrics::off();
        drop(off.timer(Metric::TurnLatency));
        off.count(Metric::CacheHits, 1);
        assert!(!off.is_on());
        assert!(off.captured().is_empty());
    }

    #[test]
    fn a_line_ends_with_one_newline_and_holds_none_inside() {
        let text = line("\"x\"", None, &[(Metric::CacheHits, 1.0)], 1);
        assert!(text.ends_with("}\n"));
        assert_eq!(text.matches('\n').count(), 1);
        assert_eq!(parse(text.trim_end())["CacheHits"], 1.0);
    }
}
