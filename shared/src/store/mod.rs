//! The store ports (accounts and sessions; conversation history; watches
//! and notifications) and their
//! adapters: in memory (the embedded default) and PostgREST (Supabase in
//! production, the local bridge in development and tests).

mod memory;
mod memory_watches;
mod postgrest;
mod postgrest_watches;
mod watches;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use memory::MemoryStore;
pub use memory_watches::MemoryWatchStore;
pub use postgrest::PostgrestStore;
pub use watches::{
    MAX_NOTIFICATION_PAGE, NewNotification, Observation, WatchRefreshStore, WatchStore,
};

use crate::domain::{
    Conversation, ConversationDetail, ConversationId, Cursor, Email, IdempotencyKey, Message,
    NewMessage, Title, UserId,
};

/// The signed-in user a history call acts for.
#[derive(Clone)]
pub struct Caller {
    /// The account (the access token's `sub`).
    pub user_id: UserId,
    /// The access token itself: the PostgREST adapter forwards it, so the
    /// database's row-level security decides what the call may touch.
    pub token: String,
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row, or not the caller's (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// A unique value already exists (an e-mail taken).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The credentials were refused.
    #[error("unauthorized")]
    Unauthorized,
    /// The caller may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The store refused the values.
    #[error("invalid: {0}")]
    Invalid(String),
    /// The store could not be reached or failed.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

/// An account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Id (the `sub` of its tokens).
    pub id: UserId,
    /// Normalised e-mail.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Sign-up time.
    pub created_at: DateTime<Utc>,
}

/// A refresh session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Id (the `sid` of its access tokens).
    pub id: Uuid,
    /// Owner.
    pub account_id: UserId,
    /// Every session descending from one login.
    pub family_id: Uuid,
    /// When the refresh token stops working.
    pub expires_at: DateTime<Utc>,
}

/// What exchanging a refresh token did.
#[derive(Debug, Clone, PartialEq)]
pub enum Rotation {
    /// A new session replaces the old one.
    Rotated {
        /// The new session.
        session: Session,
        /// Its account's e-mail, for the new access token.
        email: String,
    },
    /// The token had already been exchanged: the family is now revoked.
    Reused {
        /// The family (login) that was signed out.
        family: Uuid,
    },
    /// The session was revoked (logout, or an earlier reuse).
    Revoked,
    /// The session expired.
    Expired,
    /// No session has this token.
    Unknown,
}

/// Accounts and sessions: the auth function's port (service role).
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the e-mail is taken.
    async fn create_account(
        &self,
        email: &Email,
        password_hash: &str,
    ) -> Result<Account, StoreError>;
    /// The account with this e-mail.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>, StoreError>;
    /// Starts a session for a refresh token (stored hashed).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn create_session(
        &self,
        account_id: UserId,
        family_id: Uuid,
        refresh_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<Session, StoreError>;
    /// Exchanges a refresh token (by hash) for a new one, detecting reuse.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn rotate_session(
        &self,
        refresh_hash: &str,
        new_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<Rotation, StoreError>;
    /// Revokes every session of a family; whether any was active.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn revoke_family(&self, family_id: Uuid) -> Result<bool, StoreError>;
    /// Whether a session is neither revoked nor expired.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn session_active(&self, session_id: Uuid) -> Result<bool, StoreError>;

    /// Whether the store knows the session as signed out, expired or gone:
    /// what an authenticated call is refused for. By default, any session
    /// not active (a deleted account takes its sessions with it).
    ///
    /// # Errors
    /// A store failure.
    async fn session_revoked(&self, session_id: Uuid) -> Result<bool, StoreError> {
        Ok(!self.session_active(session_id).await?)
    }
}

/// Conversation history, always on behalf of a caller who sees only their own.
#[async_trait]
pub trait HistoryStore: Send + Sync {
    /// Starts a conversation.
    ///
    /// # Errors
    /// [`StoreError::Unauthorized`] for a refused token.
    async fn create_conversation(
        &self,
        caller: &Caller,
        title: Option<&Title>,
    ) -> Result<Conversation, StoreError>;
    /// Creates a conversation together with its first turn, atomically; with
    /// an idempotency key, a retry returns what the first attempt stored.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty turn.
    async fn start_conversation(
        &self,
        caller: &Caller,
        title: Option<&Title>,
        messages: &[NewMessage],
        idempotency_key: Option<&IdempotencyKey>,
    ) -> Result<ConversationDetail, StoreError>;
    /// The turn stored under `key` by this caller, with only its messages.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn turn_by_key(
        &self,
        caller: &Caller,
        key: &IdempotencyKey,
    ) -> Result<Option<ConversationDetail>, StoreError>;
    /// Appends one turn atomically; with an idempotency key, a retry returns the first result.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a conversation that is missing or not the caller's.
    async fn append_turn(
        &self,
        caller: &Caller,
        conversation_id: ConversationId,
        messages: &[NewMessage],
        idempotency_key: Option<&IdempotencyKey>,
    ) -> Result<Vec<Message>, StoreError>;
    /// The caller's conversations, newest first, after `cursor`.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    async fn list_conversations(
        &self,
        caller: &Caller,
        page_size: u32,
        after: Option<Cursor>,
    ) -> Result<Vec<Conversation>, StoreError>;
    /// One conversation and its messages.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a conversation that is missing or not the caller's.
    async fn conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
    ) -> Result<ConversationDetail, StoreError>;
    /// Renames a conversation.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a conversation that is missing or not the caller's.
    async fn rename_conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
        title: &Title,
    ) -> Result<Conversation, StoreError>;
    /// Deletes a conversation and its messages.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a conversation that is missing or not the caller's.
    async fn delete_conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
    ) -> Result<(), StoreError>;
}

/// Most conversations per page of the list.
pub const MAX_PAGE_SIZE: u32 = 100;
