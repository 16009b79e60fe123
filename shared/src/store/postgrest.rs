use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    Account, AccountStore, Caller, HistoryStore, MAX_PAGE_SIZE, Rotation, Session, StoreError,
};
use crate::domain::{
    Conversation, ConversationDetail, ConversationId, Cursor, Email, IdempotencyKey, Message,
    NewMessage, Title, UserId,
};

/// Supabase (or the local bridge) over PostgREST RPC: `POST
/// {url}/rest/v1/rpc/<fn>` with the project's `apikey` and, in
/// `Authorization`, the user's own token (history) or the service role's
/// (accounts and sessions). Each call is one round trip and one transaction.
pub struct PostgrestStore {
    http: reqwest::Client,
    /// `{SUPABASE_URL}/rest/v1`.
    rpc_base: String,
    /// The anon key Supabase's gateway expects in `apikey`.
    anon_key: String,
    /// The service-role JWT, for account administration only (the auth
    /// function's); `None` in functions that never administer accounts.
    service_key: Option<String>,
}

impl std::fmt::Debug for PostgrestStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgrestStore")
            .field("rpc_base", &self.rpc_base)
            .finish_non_exhaustive()
    }
}

impl PostgrestStore {
    /// A store for the Supabase project at `url` (no trailing `/rest/v1`).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the HTTP client cannot be built.
    pub fn new(
        url: &str,
        anon_key: &str,
        service_key: Option<&str>,
        timeout: Duration,
    ) -> Result<Self, StoreError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Self {
            http,
            rpc_base: format!("{}/rest/v1", url.trim_end_matches('/')),
            anon_key: anon_key.to_owned(),
            service_key: service_key.map(str::to_owned),
        })
    }

    /// Calls `function` with named `args` under `token`; `null` for 204.
    pub(super) async fn rpc(
        &self,
        function: &str,
        token: &str,
        args: Value,
    ) -> Result<Value, StoreError> {
        let response = self
            .http
            .post(format!("{}/rpc/{function}", self.rpc_base))
            .header("apikey", &self.anon_key)
            .bearer_auth(token)
            .json(&args)
            .send()
            .await
            .map_err(|e| {
                StoreError::Unavailable(if e.is_timeout() {
                    "timed out".to_owned()
                } else {
                    e.without_url().to_string()
                })
            })?;
        let status = response.status();
        if status == StatusCode::NO_CONTENT {
            return Ok(Value::Null);
        }
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            return Ok(body);
        }
        Err(classify(function, status, &body))
    }

    /// The service key, or why account administration is impossible here.
    pub(super) fn service(&self) -> Result<&str, StoreError> {
        self.service_key.as_deref().ok_or_else(|| {
            StoreError::Unavailable(
                "SUPABASE_SERVICE_ROLE_KEY is not set for this function".to_owned(),
            )
        })
    }

    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        function: &str,
        token: &str,
        args: Value,
    ) -> Result<T, StoreError> {
        let value = self.rpc(function, token, args).await?;
        serde_json::from_value(value).map_err(|e| {
            StoreError::Unavailable(format!("{function} answered an unexpected shape: {e}"))
        })
    }
}

#[async_trait]
impl AccountStore for PostgrestStore {
    async fn create_account(
        &self,
        email: &Email,
        password_hash: &str,
    ) -> Result<Account, StoreError> {
        self.call(
            "create_account",
            self.service()?,
            json!({ "email": email.as_str(), "password_hash": password_hash }),
        )
        .await
    }

    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>, StoreError> {
        let found: Vec<Account> = self
            .call(
                "account_by_email",
                self.service()?,
                json!({ "email": email.as_str() }),
            )
            .await?;
        Ok(found.into_iter().next())
    }

    async fn create_session(
        &self,
        account_id: UserId,
        family_id: Uuid,
        refresh_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<Session, StoreError> {
        self.call(
            "create_session",
            self.service()?,
            json!({ "account_id": account_id, "family_id": family_id, "refresh_hash": refresh_hash, "expires_at": expires_at }),
        )
        .await
    }

    async fn rotate_session(
        &self,
        refresh_hash: &str,
        new_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<Rotation, StoreError> {
        let answer = self
            .rpc(
                "rotate_session",
                self.service()?,
                json!({ "refresh_hash": refresh_hash, "new_refresh_hash": new_hash, "expires_at": expires_at }),
            )
            .await?;
        Ok(match answer.get("status").and_then(Value::as_str) {
            Some("rotated") => Rotation::Rotated {
                session: serde_json::from_value(answer["session"].clone()).map_err(|e| {
                    StoreError::Unavailable(format!(
                        "rotate_session answered an unexpected shape: {e}"
                    ))
                })?,
                email: answer["email"].as_str().unwrap_or_default().to_owned(),
            },
            Some("reused") => Rotation::Reused {
                family: answer["family_id"]
                    .as_str()
                    .and_then(|f| Uuid::parse_str(f).ok())
                    .unwrap_or_default(),
            },
            Some("revoked") => Rotation::Revoked,
            Some("expired") => Rotation::Expired,
            _ => Rotation::Unknown,
        })
    }

    async fn revoke_family(&self, family_id: Uuid) -> Result<bool, StoreError> {
        self.call(
            "revoke_family",
            self.service()?,
            json!({ "family_id": family_id }),
        )
        .await
    }

    async fn session_active(&self, session_id: Uuid) -> Result<bool, StoreError> {
        self.call(
            "session_active",
            self.service()?,
            json!({ "id": session_id }),
        )
        .await
    }
}

#[async_trait]
impl HistoryStore for PostgrestStore {
    async fn turn_by_key(
        &self,
        caller: &Caller,
        key: &IdempotencyKey,
    ) -> Result<Option<ConversationDetail>, StoreError> {
        self.call(
            "turn_by_idempotency_key",
            &caller.token,
            json!({ "idempotency_key": key }),
        )
        .await
    }

    async fn start_conversation(
        &self,
        caller: &Caller,
        title: Option<&Title>,
        messages: &[NewMessage],
        idempotency_key: Option<&IdempotencyKey>,
    ) -> Result<ConversationDetail, StoreError> {
        let args = json!({
            "title": title.map(Title::as_str),
            "messages": messages,
            "idempotency_key": idempotency_key,
        });
        self.call("start_conversation", &caller.token, args).await
    }

    async fn create_conversation(
        &self,
        caller: &Caller,
        title: Option<&Title>,
    ) -> Result<Conversation, StoreError> {
        let args = title.map_or_else(|| json!({}), |t| json!({ "title": t.as_str() }));
        self.call("create_conversation", &caller.token, args).await
    }

    async fn append_turn(
        &self,
        caller: &Caller,
        conversation_id: ConversationId,
        messages: &[NewMessage],
        idempotency_key: Option<&IdempotencyKey>,
    ) -> Result<Vec<Message>, StoreError> {
        let mut args = json!({ "conversation_id": conversation_id, "messages": messages });
        if let Some(key) = idempotency_key {
            args["idempotency_key"] = json!(key);
        }
        self.call("append_turn", &caller.token, args).await
    }

    async fn list_conversations(
        &self,
        caller: &Caller,
        page_size: u32,
        after: Option<Cursor>,
    ) -> Result<Vec<Conversation>, StoreError> {
        let mut args = json!({ "page_size": page_size.clamp(1, MAX_PAGE_SIZE) });
        if let Some(c) = after {
            args["before_updated_at"] = json!(c.updated_at);
            args["before_id"] = json!(c.id);
        }
        self.call("list_conversations", &caller.token, args).await
    }

    async fn conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
    ) -> Result<ConversationDetail, StoreError> {
        self.call("get_conversation", &caller.token, json!({ "id": id }))
            .await
    }

    async fn rename_conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
        title: &Title,
    ) -> Result<Conversation, StoreError> {
        self.call(
            "rename_conversation",
            &caller.token,
            json!({ "id": id, "title": title.as_str() }),
        )
        .await
    }

    async fn delete_conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
    ) -> Result<(), StoreError> {
        self.rpc("delete_conversation", &caller.token, json!({ "id": id }))
            .await
            .map(|_| ())
    }
}

/// A PostgREST error (`{code, message, details, hint}`) as a store error.
/// Only messages our own SQL functions raise (`P0001`, `PTxxx`) are kept;
/// PostgreSQL's own texts name tables, constraints and internals, so each
/// SQLSTATE class gets our words instead.
fn classify(function: &str, status: StatusCode, body: &Value) -> StoreError {
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    let (code, message) = (text("code"), text("message"));
    let ours = code == "P0001" || code.starts_with("PT");
    match (status, code) {
        // PGRST202: the function is missing, a deployment fault rather than the caller's.
        (StatusCode::NOT_FOUND, "PGRST202") => {
            StoreError::Unavailable(format!("{function}: {message}"))
        }
        (StatusCode::UNAUTHORIZED, _) => StoreError::Unauthorized,
        (StatusCode::FORBIDDEN, _) => StoreError::Forbidden,
        // A row pointing at an account that no longer exists: signed out.
        (_, "23503") if text("details").contains("accounts") => StoreError::Unauthorized,
        (_, "23503") | (StatusCode::NOT_FOUND, _) => StoreError::NotFound,
        (_, "23505") => StoreError::Conflict("it exists already".to_owned()),
        (StatusCode::CONFLICT, _) if ours => StoreError::Conflict(message.to_owned()),
        (StatusCode::CONFLICT, _) => {
            StoreError::Conflict("it conflicts with stored data".to_owned())
        }
        (s, _) if s.is_client_error() && ours => StoreError::Invalid(message.to_owned()),
        (s, c) if s.is_client_error() && (c.starts_with("22") || c.starts_with("23")) => {
            StoreError::Invalid("a value is malformed, too long or out of range".to_owned())
        }
        (s, _) if s.is_client_error() => StoreError::Invalid("the request was refused".to_owned()),
        // Logged where handled; never shown to the client.
        (s, _) => StoreError::Unavailable(format!("HTTP {s} {code}: {message}")),
    }
}
