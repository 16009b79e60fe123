//! The assistant-model port and its OpenAI-compatible adapter (OpenAI,
//! Gemini's OpenAI-compatible endpoint, Ollama, vLLM, Groq, OpenRouter):
//! chat completions with tools, streamed.

use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt as _;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A message in the model's conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// `system`, `user`, `assistant` or `tool`.
    pub role: String,
    /// Text (absent on an assistant message that only calls tools).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Tool calls an assistant message made.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tool_calls: Vec<ToolCall>,
    /// The call a tool message answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
}

impl ChatMessage {
    /// A message with text only.
    pub fn text(role: &str, content: impl Into<String>) -> Self {
        Self {
            role: role.to_owned(),
            content: Some(content.into()),
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }
}

/// One tool call, assembled from the stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    /// The model's id for the call (ours when the model gives none).
    pub id: String,
    /// The tool.
    pub name: String,
    /// JSON arguments, as text.
    pub arguments: String,
}

/// A tool the model may call.
#[derive(Debug, Clone, Serialize)]
pub struct ToolSpec {
    /// Name.
    pub name: &'static str,
    /// What it does, for the model.
    pub description: &'static str,
    /// JSON Schema of its arguments.
    pub parameters: Value,
}

/// What the model answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// Text.
    pub content: String,
    /// Tool calls (non-empty means: run them and ask again).
    pub tool_calls: Vec<ToolCall>,
}

/// Why the model gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The key was refused (401/403).
    #[error("model credentials refused")]
    Unauthorized,
    /// Still rate limited after retries (429).
    #[error("model rate limited")]
    RateLimited,
    /// Unreachable, 5xx after retries, or a broken stream.
    #[error("model unavailable: {0}")]
    Unavailable(String),
    /// No answer in time.
    #[error("model timed out")]
    Timeout,
    /// The request was refused (400) or the answer unreadable.
    #[error("model refused the request: {0}")]
    Rejected(String),
}

/// Where streamed text deltas go.
pub type Deltas = tokio::sync::mpsc::UnboundedSender<String>;

/// A chat model with tools.
#[async_trait]
pub trait AssistantModel: Send + Sync {
    /// Name for logs (`openai:gpt-4o-mini`).
    fn name(&self) -> String;

    /// One completion; text deltas go to `deltas` as they arrive (for streaming).
    ///
    /// # Errors
    /// A [`ModelError`]; callers fall back to the offline assistant.
    async fn complete(
        &self,
        messages: &[ChatMessage],
        tools: &[ToolSpec],
        deltas: Option<&Deltas>,
    ) -> Result<Completion, ModelError>;
}

/// An OpenAI-compatible `/chat/completions` endpoint.
pub struct OpenAiCompatible {
    http: reqwest::Client,
    /// Base URL up to `/v1` (`https://api.openai.com/v1`, a local server in tests).
    base_url: String,
    api_key: String,
    model: String,
    /// Attempts after the first, on 429 and 5xx.
    retries: u32,
    /// First backoff; doubles each retry (a `Retry-After` header wins, capped).
    backoff: Duration,
}

impl std::fmt::Debug for OpenAiCompatible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiCompatible")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

/// Longest wait a `Retry-After` may impose inside one chat turn.
const MAX_BACKOFF: Duration = Duration::from_secs(4);

impl OpenAiCompatible {
    /// A client for `model` at `base_url`, giving up on a call after `timeout`.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(
        base_url: &str,
        api_key: &str,
        model: &str,
        timeout: Duration,
    ) -> Result<Self, ModelError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .build()
            .map_err(|e| ModelError::Unavailable(e.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
            model: model.to_owned(),
            retries: 2,
            backoff: Duration::from_millis(250),
        })
    }

    /// The same client with another retry policy (tests use short backoffs).
    #[must_use]
    pub fn with_retries(mut self, retries: u32, backoff: Duration) -> Self {
        self.retries = retries;
        self.backoff = backoff;
        self
    }

    async fn send(&self, body: &Value) -> Result<reqwest::Response, ModelError> {
        let mut attempt = 0;
        loop {
            let result = self
                .http
                .post(format!("{}/chat/completions", self.base_url))
                .bearer_auth(&self.api_key)
                .header("accept", "text/event-stream")
                .json(body)
                .send()
                .await;
            let retry_after = match result {
                Ok(r) if r.status().is_success() => return Ok(r),
                Ok(r) if matches!(r.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => {
                    return Err(ModelError::Unauthorized);
                }
                Ok(r)
                    if r.status() == StatusCode::TOO_MANY_REQUESTS
                        || r.status().is_server_error() =>
                {
                    if attempt >= self.retries {
                        return Err(if r.status() == StatusCode::TOO_MANY_REQUESTS {
                            ModelError::RateLimited
                        } else {
                            ModelError::Unavailable(format!("HTTP {}", r.status()))
                        });
                    }
                    r.headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.parse::<u64>().ok())
                        .map(Duration::from_secs)
                }
                Ok(r) => {
                    let status = r.status();
                    let text = r.text().await.unwrap_or_default();
                    let message = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
                        .unwrap_or_else(|| format!("HTTP {status}"));
                    return Err(ModelError::Rejected(message));
                }
                Err(e) if e.is_timeout() => return Err(ModelError::Timeout),
                Err(e) => {
                    if attempt >= self.retries {
                        return Err(ModelError::Unavailable(e.without_url().to_string()));
                    }
                    None
                }
            };
            let wait = retry_after
                .unwrap_or(self.backoff * 2u32.pow(attempt))
                .min(MAX_BACKOFF);
            tracing::warn!(model = %self.model, attempt, wait_ms = wait.as_millis() as u64, "model call failed; retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

#[async_trait]
impl AssistantModel for OpenAiCompatible {
    fn name(&self) -> String {
        format!("openai-compatible:{}", self.model)
    }

    async fn complete(
        &self,
        messages: &[ChatMessage],
        tools: &[ToolSpec],
        deltas: Option<&Deltas>,
    ) -> Result<Completion, ModelError> {
        let tools: Vec<Value> = tools
            .iter()
            .map(|t| json!({ "type": "function", "function": { "name": t.name, "description": t.description, "parameters": t.parameters } }))
            .collect();
        let messages: Vec<Value> = messages.iter().map(wire_message).collect();
        let mut body = json!({ "model": self.model, "messages": messages, "stream": true });
        if !tools.is_empty() {
            body["tools"] = Value::Array(tools);
        }
        let response = self.send(&body).await?;
        let mut stream = response.bytes_stream();
        let mut decoder = StreamDecoder::default();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| {
                if e.is_timeout() {
                    ModelError::Timeout
                } else {
                    ModelError::Unavailable(e.without_url().to_string())
                }
            })?;
            if decoder.feed(&chunk, deltas)? {
                return Ok(decoder.done());
            }
        }
        decoder.end(deltas)
    }
}

/// Reads a streamed completion from the bytes as they arrive, in whatever
/// pieces the network cut them: a piece may end mid-line or mid-character,
/// so bytes wait for their line's end before being read as text.
#[derive(Default)]
pub(crate) struct StreamDecoder {
    /// The bytes of a line not yet ended.
    pending: Vec<u8>,
    assembler: Assembler,
}

impl StreamDecoder {
    /// Reads the lines `chunk` completes; `true` once `[DONE]` arrived
    /// (the answer is then [`StreamDecoder::done`]).
    ///
    /// # Errors
    /// An unreadable chunk or an error the model streamed.
    pub(crate) fn feed(
        &mut self,
        chunk: &[u8],
        deltas: Option<&Deltas>,
    ) -> Result<bool, ModelError> {
        self.pending.extend_from_slice(chunk);
        let mut start = 0;
        let mut done = false;
        while let Some(end) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let line = String::from_utf8_lossy(&self.pending[start..start + end]);
            start += end + 1;
            if self.assembler.line(line.trim_end_matches('\r'), deltas)? {
                done = true;
                break;
            }
        }
        self.pending.drain(..start);
        Ok(done)
    }

    /// The answer after `[DONE]`.
    pub(crate) fn done(self) -> Completion {
        self.assembler.finish()
    }

    /// The answer when the stream closed without `[DONE]`: whole only if a
    /// `finish_reason` arrived.
    ///
    /// # Errors
    /// As [`StreamDecoder::feed`], and [`ModelError::Unavailable`] for a
    /// stream cut before the answer was complete.
    pub(crate) fn end(mut self, deltas: Option<&Deltas>) -> Result<Completion, ModelError> {
        let rest = String::from_utf8_lossy(&self.pending).trim().to_owned();
        if !rest.is_empty() && self.assembler.line(&rest, deltas)? {
            return Ok(self.assembler.finish());
        }
        // A stream cut before `[DONE]` and before any `finish_reason` is a
        // broken answer, not a short one.
        if !self.assembler.finished {
            return Err(ModelError::Unavailable(
                "the stream ended before the answer was complete".to_owned(),
            ));
        }
        Ok(self.assembler.finish())
    }
}

/// The OpenAI wire shape of a message.
fn wire_message(m: &ChatMessage) -> Value {
    let mut v = json!({ "role": m.role, "content": m.content });
    if !m.tool_calls.is_empty() {
        v["tool_calls"] = m
            .tool_calls
            .iter()
            .map(|c| json!({ "id": c.id, "type": "function", "function": { "name": c.name, "arguments": c.arguments } }))
            .collect();
    }
    if let Some(id) = &m.tool_call_id {
        v["tool_call_id"] = json!(id);
    }
    v
}

/// Builds a completion from streamed chunks, tolerating the known
/// deviations: tool calls without `index` (Gemini), one `index` reused for
/// parallel calls that each carry their own `id` (Ollama), and
/// `finish_reason: "stop"` after tool calls (both).
#[derive(Default)]
struct Assembler {
    content: String,
    calls: Vec<ToolCall>,
    /// Stream index → position in `calls`, for the providers that send one.
    by_index: Vec<(u64, usize)>,
    /// Whether a `finish_reason` arrived: the answer is whole even if the
    /// connection then closes without `[DONE]`.
    finished: bool,
}

impl Assembler {
    /// Reads one SSE line; `true` at the end of the stream.
    fn line(&mut self, line: &str, deltas: Option<&Deltas>) -> Result<bool, ModelError> {
        let Some(data) = line.strip_prefix("data:") else {
            return Ok(false);
        };
        let data = data.trim();
        if data == "[DONE]" {
            return Ok(true);
        }
        if data.is_empty() {
            return Ok(false);
        }
        let chunk: Value = serde_json::from_str(data)
            .map_err(|e| ModelError::Rejected(format!("unreadable stream chunk: {e}")))?;
        if let Some(message) = chunk["error"]["message"].as_str() {
            return Err(ModelError::Unavailable(message.to_owned()));
        }
        if !chunk["choices"][0]["finish_reason"].is_null() {
            self.finished = true;
        }
        let delta = &chunk["choices"][0]["delta"];
        if let Some(text) = delta["content"].as_str().filter(|t| !t.is_empty()) {
            self.content.push_str(text);
            if let Some(tx) = deltas {
                // A gone receiver (client disconnected) must not stop the turn.
                let _ = tx.send(text.to_owned());
            }
        }
        for call in delta["tool_calls"].as_array().into_iter().flatten() {
            self.tool_call(call);
        }
        Ok(false)
    }

    fn tool_call(&mut self, call: &Value) {
        let id = call["id"].as_str().filter(|s| !s.is_empty());
        let name = call["function"]["name"].as_str().filter(|s| !s.is_empty());
        let args = call["function"]["arguments"].as_str().unwrap_or_default();
        let known = |this: &Self, id: &str| this.calls.iter().position(|c| c.id == id);
        let slot = match (call["index"].as_u64(), id) {
            // A new id always means a new call, whatever the index says (Ollama).
            (_, Some(id)) if known(self, id).is_none() => None,
            (_, Some(id)) => known(self, id),
            (Some(index), None) => self
                .by_index
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, at)| *at),
            // No index, no id (Gemini continuation): the call being streamed.
            (None, None) => self.calls.len().checked_sub(1),
        };
        let at = slot.unwrap_or_else(|| {
            let n = self.calls.len();
            self.calls.push(ToolCall {
                id: id.map_or_else(|| format!("call_{n}"), str::to_owned),
                name: String::new(),
                arguments: String::new(),
            });
            n
        });
        if let Some(index) = call["index"].as_u64() {
            self.by_index.retain(|(i, _)| *i != index);
            self.by_index.push((index, at));
        }
        if let Some(name) = name {
            self.calls[at].name = name.to_owned();
        }
        self.calls[at].arguments.push_str(args);
    }

    fn finish(self) -> Completion {
        Completion {
            content: self.content,
            tool_calls: self
                .calls
                .into_iter()
                .filter(|c| !c.name.is_empty())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "São Paulo → Lisboa ✈️";

    fn stream() -> String {
        let chunk =
            json!({ "choices": [{ "delta": { "content": ANSWER }, "finish_reason": "stop" }] });
        format!("data: {chunk}\r\n\r\ndata: [DONE]\r\n\r\n")
    }

    #[test]
    fn a_character_cut_between_two_network_reads_arrives_whole() {
        let stream = stream();
        // Every cut, those inside the two- to four-byte characters included.
        for cut in 1..stream.len() {
            let (head, tail) = stream.as_bytes().split_at(cut);
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let mut decoder = StreamDecoder::default();
            let done =
                decoder.feed(head, Some(&tx)).unwrap() || decoder.feed(tail, Some(&tx)).unwrap();
            assert!(done, "cut at {cut}");
            assert_eq!(decoder.done().content, ANSWER, "cut at {cut}");
            assert_eq!(rx.try_recv().unwrap(), ANSWER, "cut at {cut}");
        }
    }

    #[test]
    fn a_last_line_without_its_line_break_still_ends_the_answer() {
        let stream = stream();
        let unterminated = stream.trim_end();
        let mut decoder = StreamDecoder::default();
        assert!(!decoder.feed(unterminated.as_bytes(), None).unwrap());
        assert_eq!(decoder.end(None).unwrap().content, ANSWER);
    }
}
