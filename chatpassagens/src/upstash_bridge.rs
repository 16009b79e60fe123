//! An Upstash-compatible REST bridge in front of a real Redis, so the
//! production `UpstashCache` adapter (and Upstash's own clients) run
//! unchanged on a developer's machine and in tests.
//!
//! Implements the documented REST protocol: a JSON command array POSTed to
//! `/`, `/pipeline` (each command answered in order), `/multi-exec` (one
//! transaction), path-style commands (`GET /get/foo`), the Bearer token (or
//! `_token` parameter), `Upstash-Encoding: base64`, `upstash-sync-token`, and
//! the documented statuses: 200, 400 with `{"error"}`, 401, 405.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use redis::aio::ConnectionManager;
use serde_json::{Value as Json_, json};

struct Bridge {
    redis: ConnectionManager,
    token: String,
    /// Stands in for Upstash's replication offset: it grows with every
    /// request, so a client sending it back always reads its own writes.
    sync: AtomicU64,
}

/// Connects to Redis and serves the bridge on `listener` until the process stops.
///
/// # Errors
/// When Redis cannot be reached at start, or the server fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    redis_url: &str,
    token: String,
) -> anyhow::Result<()> {
    axum::serve(listener, router(redis_url, token).await?).await?;
    Ok(())
}

/// The bridge's routes, connected to Redis at `redis_url`.
///
/// # Errors
/// When Redis cannot be reached.
pub async fn router(redis_url: &str, token: String) -> anyhow::Result<Router> {
    let client = redis::Client::open(redis_url)?;
    let redis = ConnectionManager::new(client).await?;
    let bridge = Arc::new(Bridge {
        redis,
        token,
        sync: AtomicU64::new(1),
    });
    Ok(Router::new()
        .route("/", post(single))
        .route("/pipeline", post(pipeline))
        .route("/multi-exec", post(multi_exec))
        .route("/{*command}", any(path_style))
        .with_state(bridge))
}

/// How a request wants strings back.
#[derive(Clone, Copy)]
struct Encoding {
    base64: bool,
}

type Reply = Result<(Encoding, Json_), Refusal>;

/// An answer other than 200: the status and Upstash's `{"error": ...}` body.
struct Refusal(StatusCode, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

fn error(status: StatusCode, message: &str) -> Refusal {
    Refusal(status, message.to_owned())
}

/// Checks the token and reads the encoding header.
fn admit(
    bridge: &Bridge,
    headers: &HeaderMap,
    query_token: Option<&str>,
) -> Result<Encoding, Refusal> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer.or(query_token) != Some(bridge.token.as_str()) {
        return Err(error(StatusCode::UNAUTHORIZED, "Unauthorized"));
    }
    let base64 = headers
        .get("upstash-encoding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("base64"));
    Ok(Encoding { base64 })
}

fn respond(bridge: &Bridge, reply: Reply) -> Response {
    match reply {
        Ok((_, body)) => {
            let mut response = Json(body).into_response();
            let token = bridge.sync.fetch_add(1, Ordering::Relaxed).to_string();
            if let Ok(v) = HeaderValue::from_str(&token) {
                response.headers_mut().insert("upstash-sync-token", v);
            }
            response
        }
        Err(refusal) => refusal.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct TokenParam {
    _token: Option<String>,
}

async fn single(
    State(b): State<Arc<Bridge>>,
    headers: HeaderMap,
    Query(q): Query<TokenParam>,
    body: Bytes,
) -> Response {
    let reply = async {
        let enc = admit(&b, &headers, q._token.as_deref())?;
        let command = parse_command(&body)?;
        match run(&b, &command).await {
            Ok(v) => Ok((enc, json!({ "result": to_json(v, enc) }))),
            Err(e) => Err(error(StatusCode::BAD_REQUEST, &e)),
        }
    }
    .await;
    respond(&b, reply)
}

async fn pipeline(
    State(b): State<Arc<Bridge>>,
    headers: HeaderMap,
    Query(q): Query<TokenParam>,
    body: Bytes,
) -> Response {
    let reply = async {
        let enc = admit(&b, &headers, q._token.as_deref())?;
        let commands = parse_commands(&body)?;
        let mut out = Vec::with_capacity(commands.len());
        // Executed in order on one connection; other clients may interleave,
        // as Upstash documents for pipelines.
        for command in &commands {
            out.push(match run(&b, command).await {
                Ok(v) => json!({ "result": to_json(v, enc) }),
                Err(e) => json!({ "error": e }),
            });
        }
        Ok((enc, Json_::Array(out)))
    }
    .await;
    respond(&b, reply)
}

async fn multi_exec(
    State(b): State<Arc<Bridge>>,
    headers: HeaderMap,
    Query(q): Query<TokenParam>,
    body: Bytes,
) -> Response {
    let reply = async {
        let enc = admit(&b, &headers, q._token.as_deref())?;
        let commands = parse_commands(&body)?;
        let mut pipe = redis::pipe();
        pipe.atomic();
        for command in &commands {
            pipe.add_command(to_cmd(command));
        }
        let mut conn = b.redis.clone();
        let results: redis::RedisResult<Vec<redis::Value>> = pipe.query_async(&mut conn).await;
        match results {
            Ok(values) => Ok((
                enc,
                Json_::Array(values.into_iter().map(|v| item(v, enc)).collect()),
            )),
            // Discarded as a whole: one error, as Upstash answers.
            Err(e) => Err(error(StatusCode::BAD_REQUEST, &redis_error(&e))),
        }
    }
    .await;
    respond(&b, reply)
}

/// `GET /set/foo/bar?EX=100`, or `POST /set/foo` with the value as the body.
async fn path_style(
    State(b): State<Arc<Bridge>>,
    method: Method,
    headers: HeaderMap,
    Path(path): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
    body: Bytes,
) -> Response {
    let reply = async {
        if !matches!(
            method,
            Method::GET | Method::POST | Method::PUT | Method::HEAD
        ) {
            return Err(error(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed"));
        }
        let token = params
            .iter()
            .find(|(k, _)| k == "_token")
            .map(|(_, v)| v.as_str());
        let enc = admit(&b, &headers, token)?;
        let mut command: Vec<Vec<u8>> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| s.as_bytes().to_vec())
            .collect();
        if method == Method::POST && !body.is_empty() {
            command.push(body.to_vec());
        }
        for (k, v) in params.into_iter().filter(|(k, _)| k != "_token") {
            command.push(k.into_bytes());
            if !v.is_empty() {
                command.push(v.into_bytes());
            }
        }
        if command.is_empty() {
            return Err(error(StatusCode::BAD_REQUEST, "ERR empty command"));
        }
        match run(&b, &command).await {
            Ok(v) => Ok((enc, json!({ "result": to_json(v, enc) }))),
            Err(e) => Err(error(StatusCode::BAD_REQUEST, &e)),
        }
    }
    .await;
    respond(&b, reply)
}

/// One command from a JSON array of strings, numbers and booleans.
fn parse_command(body: &[u8]) -> Result<Vec<Vec<u8>>, Refusal> {
    let value: Json_ = serde_json::from_slice(body)
        .map_err(|e| error(StatusCode::BAD_REQUEST, &format!("ERR invalid JSON: {e}")))?;
    command_of(&value)
}

fn parse_commands(body: &[u8]) -> Result<Vec<Vec<Vec<u8>>>, Refusal> {
    let value: Json_ = serde_json::from_slice(body)
        .map_err(|e| error(StatusCode::BAD_REQUEST, &format!("ERR invalid JSON: {e}")))?;
    match value {
        Json_::Array(items) if !items.is_empty() => items.iter().map(command_of).collect(),
        _ => Err(error(
            StatusCode::BAD_REQUEST,
            "ERR expected a two-dimensional JSON array of commands",
        )),
    }
}

fn command_of(value: &Json_) -> Result<Vec<Vec<u8>>, Refusal> {
    let Json_::Array(parts) = value else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "ERR expected a JSON array command",
        ));
    };
    if parts.is_empty() {
        return Err(error(StatusCode::BAD_REQUEST, "ERR empty command"));
    }
    parts
        .iter()
        .map(|p| match p {
            Json_::String(s) => Ok(s.as_bytes().to_vec()),
            Json_::Number(n) => Ok(n.to_string().into_bytes()),
            Json_::Bool(b) => Ok(if *b { b"1".to_vec() } else { b"0".to_vec() }),
            _ => Err(error(
                StatusCode::BAD_REQUEST,
                "ERR command arguments must be strings, numbers or booleans",
            )),
        })
        .collect()
}

fn to_cmd(command: &[Vec<u8>]) -> redis::Cmd {
    let mut cmd = redis::cmd(&String::from_utf8_lossy(&command[0]).to_uppercase());
    for arg in &command[1..] {
        cmd.arg(arg.as_slice());
    }
    cmd
}

/// Commands that would hold or break the shared connection.
const REFUSED: &[&str] = &[
    "SUBSCRIBE",
    "PSUBSCRIBE",
    "MONITOR",
    "MULTI",
    "EXEC",
    "WATCH",
    "SELECT",
    "QUIT",
];

async fn run(b: &Bridge, command: &[Vec<u8>]) -> Result<redis::Value, String> {
    let name = String::from_utf8_lossy(&command[0]).to_uppercase();
    if REFUSED.contains(&name.as_str()) {
        return Err(format!(
            "ERR Command is not available: '{}'",
            name.to_lowercase()
        ));
    }
    let mut conn = b.redis.clone();
    to_cmd(command)
        .query_async(&mut conn)
        .await
        .map_err(|e| redis_error(&e))
}

/// Redis's own error text (`ERR wrong number of arguments for 'get' command`).
fn redis_error(e: &redis::RedisError) -> String {
    match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        _ => e.to_string(),
    }
}

/// One element of a pipeline or transaction answer.
fn item(v: redis::Value, enc: Encoding) -> Json_ {
    match v {
        redis::Value::ServerError(e) => {
            let text = match e.details() {
                Some(d) => format!("{} {d}", e.code()),
                None => e.code().to_owned(),
            };
            json!({ "error": text })
        }
        other => json!({ "result": to_json(other, enc) }),
    }
}

/// Redis reply → JSON as Upstash answers it; with base64 encoding every
/// string except the status `OK` is encoded.
fn to_json(v: redis::Value, enc: Encoding) -> Json_ {
    let text = |bytes: Vec<u8>| {
        if enc.base64 {
            Json_::String(BASE64.encode(bytes))
        } else {
            Json_::String(String::from_utf8_lossy(&bytes).into_owned())
        }
    };
    match v {
        redis::Value::Nil => Json_::Null,
        redis::Value::Int(n) => json!(n),
        redis::Value::Okay => json!("OK"),
        redis::Value::SimpleString(s) if s == "OK" => json!("OK"),
        redis::Value::SimpleString(s) => text(s.into_bytes()),
        redis::Value::BulkString(bytes) => text(bytes),
        redis::Value::Array(items) | redis::Value::Set(items) => {
            Json_::Array(items.into_iter().map(|i| to_json(i, enc)).collect())
        }
        redis::Value::Double(d) => text(d.to_string().into_bytes()),
        redis::Value::Boolean(b) => json!(i64::from(b)),
        redis::Value::ServerError(e) => text(e.code().as_bytes().to_vec()),
        other => text(format!("{other:?}").into_bytes()),
    }
}
