use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Cache, CacheError, RateDecision, ttl_seconds, window_keys};

/// The sliding-window script, the same algorithm as `@upstash/ratelimit`'s:
/// KEYS = current and previous fixed-window counters; ARGV = limit, now (ms),
/// window (ms). Answers the attempts left, or -1 when the limit is reached.
const SLIDING_WINDOW: &str = r#"
local current = tonumber(redis.call("GET", KEYS[1]) or "0")
local previous = tonumber(redis.call("GET", KEYS[2]) or "0")
local limit = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local weighted = math.floor((1 - (now % window) / window) * previous)
if weighted + current >= limit then
  return -1
end
local updated = redis.call("INCR", KEYS[1])
if updated == 1 then
  redis.call("PEXPIRE", KEYS[1], window * 2 + 1000)
end
return limit - (updated + weighted)
"#;

/// Header that asks Upstash to base64-encode every string in the answer, so
/// any byte sequence survives JSON.
const ENCODING_HEADER: &str = "upstash-encoding";
/// Read-your-writes: Upstash returns a sync token and expects the last one
/// back, so a read after a write never sees an older replica.
const SYNC_TOKEN_HEADER: &str = "upstash-sync-token";

/// Upstash Redis over its REST API: JSON command arrays POSTed to `/` and
/// `/pipeline`, Bearer token, base64-encoded answers.
pub struct UpstashCache {
    http: reqwest::Client,
    /// REST URL without a trailing slash; a local bridge's URL in tests.
    base_url: String,
    token: String,
    sync_token: Mutex<Option<String>>,
    /// SHA-1 of [`SLIDING_WINDOW`] once loaded, for EVALSHA.
    script_sha: Mutex<Option<String>>,
}

impl std::fmt::Debug for UpstashCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("UpstashCache")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl UpstashCache {
    /// A client for the database at `base_url`, giving up on any call after `timeout`.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`] when the HTTP client cannot be built (TLS set-up).
    pub fn new(base_url: &str, token: &str, timeout: Duration) -> Result<Self, CacheError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| CacheError::Unavailable(e.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            sync_token: Mutex::new(None),
            script_sha: Mutex::new(None),
        })
    }

    /// Runs one command (`["SET", "k", "v", "EX", 60]`) and returns its decoded result.
    ///
    /// # Errors
    /// The command's error as [`CacheError::Rejected`], or a transport failure.
    pub async fn command(&self, command: &[Value]) -> Result<Value, CacheError> {
        let body = self.post("", &json!(command)).await?;
        result_of(body)
    }

    /// Runs commands in one round trip (not atomically); one result per command.
    ///
    /// # Errors
    /// A transport failure fails the whole call; a failing command fails only its slot.
    pub async fn pipeline(
        &self,
        commands: &[Vec<Value>],
    ) -> Result<Vec<Result<Value, CacheError>>, CacheError> {
        pipeline_results(self.post("/pipeline", &json!(commands)).await?)
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Value, CacheError> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base_url))
            .bearer_auth(&self.token)
            .header(ENCODING_HEADER, "base64")
            .json(body);
        if let Some(token) = self.sync_token.lock().ok().and_then(|t| t.clone()) {
            request = request.header(SYNC_TOKEN_HEADER, token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| CacheError::Unavailable(transport(e)))?;
        if let Some(token) = response
            .headers()
            .get(SYNC_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            && let Ok(mut slot) = self.sync_token.lock()
        {
            *slot = Some(token.to_owned());
        }
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        match status {
            s if s.is_success() => Ok(body),
            StatusCode::UNAUTHORIZED => Err(CacheError::Unauthorized),
            s if s.is_client_error() => Err(CacheError::Rejected(error_text(&body, s))),
            s => Err(CacheError::Unavailable(error_text(&body, s))),
        }
    }
}

/// The reason without the URL (which may carry a `_token`).
fn transport(e: reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "connection failed".to_owned()
    } else {
        e.without_url().to_string()
    }
}

fn error_text(body: &Value, status: StatusCode) -> String {
    body.get("error")
        .and_then(Value::as_str)
        .map_or_else(|| format!("HTTP {status}"), str::to_owned)
}

/// A `/pipeline` answer: one `{"result"}` or `{"error"}` per command.
pub(crate) fn pipeline_results(body: Value) -> Result<Vec<Result<Value, CacheError>>, CacheError> {
    match body {
        Value::Array(items) => Ok(items.into_iter().map(result_of).collect()),
        other => Err(CacheError::Protocol(format!("pipeline answered {other}"))),
    }
}

/// `{"result": ...}` → the decoded result; `{"error": ...}` → [`CacheError::Rejected`].
pub(crate) fn result_of(item: Value) -> Result<Value, CacheError> {
    if let Some(err) = item.get("error").and_then(Value::as_str) {
        return Err(CacheError::Rejected(err.to_owned()));
    }
    match item {
        Value::Object(mut map) if map.contains_key("result") => {
            decode(map.remove("result").unwrap_or(Value::Null))
        }
        other => Err(CacheError::Protocol(format!("no result in {other}"))),
    }
}

/// Undoes `Upstash-Encoding: base64`: every string but the status `OK` is
/// base64 of the stored bytes, at any depth of nested arrays.
fn decode(value: Value) -> Result<Value, CacheError> {
    match value {
        Value::String(s) if s == "OK" => Ok(Value::String(s)),
        Value::String(s) => {
            let bytes = BASE64
                .decode(&s)
                .map_err(|e| CacheError::Protocol(format!("bad base64: {e}")))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| CacheError::Protocol("value is not UTF-8".to_owned()))
        }
        Value::Array(items) => items
            .into_iter()
            .map(decode)
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other),
    }
}

#[async_trait]
impl Cache for UpstashCache {
    fn name(&self) -> &'static str {
        "upstash"
    }

    async fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        match self.command(&[json!("GET"), json!(key)]).await? {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            other => Err(CacheError::Protocol(format!("GET answered {other}"))),
        }
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError> {
        let answer = self
            .command(&[
                json!("SET"),
                json!(key),
                json!(value),
                json!("EX"),
                json!(ttl_seconds(ttl)),
            ])
            .await?;
        match answer {
            Value::String(s) if s == "OK" => Ok(()),
            other => Err(CacheError::Protocol(format!("SET answered {other}"))),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.command(&[json!("DEL"), json!(key)]).await.map(|_| ())
    }

    async fn rate_limit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now_ms: i64,
    ) -> Result<RateDecision, CacheError> {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1);
        let (current, previous, reset_after_ms) = window_keys(key, window_ms, now_ms);
        let args = [
            json!(2),
            json!(current),
            json!(previous),
            json!(limit),
            json!(now_ms),
            json!(window_ms),
        ];
        let left = self.eval_cached(&args).await?;
        let left = left
            .as_i64()
            .ok_or_else(|| CacheError::Protocol(format!("rate limit script answered {left}")))?;
        Ok(RateDecision {
            allowed: left >= 0,
            remaining: u32::try_from(left.max(0)).unwrap_or(0),
            reset_after_ms,
        })
    }
}

impl UpstashCache {
    /// EVALSHA with the loaded script, loading it first if needed; on
    /// NOSCRIPT (the server lost it) EVAL sends the source once.
    async fn eval_cached(&self, args: &[Value]) -> Result<Value, CacheError> {
        let known = self.script_sha.lock().ok().and_then(|s| s.clone());
        let sha = match known {
            Some(sha) => sha,
            None => {
                let loaded = self
                    .command(&[json!("SCRIPT"), json!("LOAD"), json!(SLIDING_WINDOW)])
                    .await?;
                let sha = loaded.as_str().map(str::to_owned).ok_or_else(|| {
                    CacheError::Protocol(format!("SCRIPT LOAD answered {loaded}"))
                })?;
                if let Ok(mut slot) = self.script_sha.lock() {
                    *slot = Some(sha.clone());
                }
                sha
            }
        };
        let mut evalsha = vec![json!("EVALSHA"), json!(sha)];
        evalsha.extend_from_slice(args);
        match self.command(&evalsha).await {
            Err(CacheError::Rejected(m)) if m.starts_with("NOSCRIPT") => {
                let mut eval = vec![json!("EVAL"), json!(SLIDING_WINDOW)];
                eval.extend_from_slice(args);
                self.command(&eval).await
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_answers_are_decoded_at_any_depth_and_ok_is_kept() {
        let v = decode(json!(["YmFy", null, 3, ["w6k="], "OK"])).unwrap();
        assert_eq!(v, json!(["bar", null, 3, ["é"], "OK"]));
        assert!(
            matches!(result_of(json!({"error": "ERR syntax error"})), Err(CacheError::Rejected(m)) if m == "ERR syntax error")
        );
    }
}
