//! Accounts: sign-up and login with argon2id, short-lived access JWTs,
//! rotating refresh tokens with reuse detection, logout, and login rate
//! limits through the cache port.

mod passwords;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

pub use passwords::{hash_password, verify_password};
pub use tokens::{AccessClaims, Tokens, refresh_hash};

use crate::cache::Cache;
use crate::domain::{Email, Password, UserId};
use crate::store::{AccountStore, Rotation, Session, StoreError};

/// Limits and lifetimes, from configuration.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Access token lifetime: short, because a signed token cannot be recalled.
    pub access_ttl: Duration,
    /// Refresh token lifetime: how long a login lasts without activity.
    pub refresh_ttl: Duration,
    /// Sign-up and login attempts per client address per window.
    pub per_ip_limit: u32,
    /// Login attempts per e-mail per window (slows password guessing on one account).
    pub per_email_limit: u32,
    /// The sliding window of both limits.
    pub window: Duration,
}

/// What a successful sign-up, login or refresh hands the client.
#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    /// The account.
    pub user: UserView,
    /// Bearer token for the API (and for PostgREST, which checks it too).
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// One-time token to get the next grant.
    pub refresh_token: String,
}

/// The account as clients see it.
#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    /// Id.
    pub id: UserId,
    /// E-mail.
    pub email: String,
}

/// Why an auth call failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown e-mail or wrong password: one error for both.
    #[error("e-mail or password is incorrect")]
    InvalidCredentials,
    /// Sign-up with an e-mail that has an account.
    #[error("an account with this e-mail cannot be created")]
    EmailTaken,
    /// A missing, malformed, expired or revoked token.
    #[error("{0}")]
    InvalidToken(&'static str),
    /// Too many attempts; retry after this many seconds.
    #[error("too many attempts; retry in {0} s")]
    RateLimited(u64),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing failed (a bug or exhausted memory).
    #[error("password hashing failed")]
    Hashing,
}

/// A login's state in the cache: signed out.
const REVOKED: &str = "revoked";
/// A login's state in the cache: the store said it is signed in.
const ACTIVE: &str = "active";
/// How long "active" is trusted before the store is asked again: bounds
/// how long a login signed out elsewhere (another process with its cache
/// down, an account deleted by an administrator) keeps working.
const ACTIVE_FOR: Duration = Duration::from_secs(60);

/// How much softer the per-e-mail ceiling across all addresses is than the
/// per-e-mail-and-address limit: 10 × 5 a minute still makes guessing a
/// password hopeless, while the owner is locked out only by a distributed attack.
const GLOBAL_EMAIL_FACTOR: u32 = 10;

fn login_key(family: Uuid) -> String {
    format!("auth:login:{family}")
}

/// The auth use cases over the account store and the cache.
pub struct Auth {
    accounts: Arc<dyn AccountStore>,
    cache: Arc<dyn Cache>,
    tokens: Tokens,
    settings: AuthSettings,
}

impl Auth {
    /// The service over its ports.
    pub fn new(
        accounts: Arc<dyn AccountStore>,
        cache: Arc<dyn Cache>,
        tokens: Tokens,
        settings: AuthSettings,
    ) -> Self {
        Self {
            accounts,
            cache,
            tokens,
            settings,
        }
    }

    /// The token verifier, for other functions' handlers.
    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// Creates an account and signs it in.
    ///
    /// # Errors
    /// [`AuthError::RateLimited`], [`AuthError::EmailTaken`], or a store failure.
    pub async fn signup(
        &self,
        email: &Email,
        password: &Password,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<Grant, AuthError> {
        self.attempt(email, client, now).await?;
        let hash = hash_password(password).map_err(|_| AuthError::Hashing)?;
        let account = match self.accounts.create_account(email, &hash).await {
            Ok(a) => a,
            Err(StoreError::Conflict(_)) => return Err(AuthError::EmailTaken),
            Err(e) => return Err(e.into()),
        };
        self.start_session(account.id, &account.email, Uuid::new_v4(), now)
            .await
    }

    /// Signs in with e-mail and password.
    ///
    /// # Errors
    /// [`AuthError::RateLimited`], [`AuthError::InvalidCredentials`] (the
    /// same for an unknown e-mail and a wrong password, after the same
    /// hashing work), or a store failure.
    pub async fn login(
        &self,
        email: &Email,
        password: &Password,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<Grant, AuthError> {
        self.attempt(email, client, now).await?;
        let account = self.accounts.account_by_email(email).await?;
        // Verify against a fixed hash when the e-mail is unknown, so both
        // failures take the same time.
        let hash = account
            .as_ref()
            .map_or(passwords::unknown_account_hash(), |a| {
                a.password_hash.as_str()
            });
        if !verify_password(hash, password) {
            return Err(AuthError::InvalidCredentials);
        }
        match account {
            Some(a) => {
                self.start_session(a.id, &a.email, Uuid::new_v4(), now)
                    .await
            }
            None => Err(AuthError::InvalidCredentials),
        }
    }

    /// Exchanges a refresh token for a new grant. Reusing an exchanged token
    /// signs out every session of that login.
    ///
    /// # Errors
    /// [`AuthError::InvalidToken`] for an unknown, expired, revoked or reused token.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        now: DateTime<Utc>,
    ) -> Result<Grant, AuthError> {
        let (next, next_hash) = tokens::new_refresh_token();
        let expires =
            now + chrono::Duration::from_std(self.settings.refresh_ttl).unwrap_or_default();
        match self
            .accounts
            .rotate_session(&refresh_hash(refresh_token), &next_hash, expires)
            .await?
        {
            Rotation::Rotated { session, email } => Ok(self.grant_for(&session, &email, next, now)),
            Rotation::Reused { family } => {
                tracing::warn!("refresh token reused; session family revoked");
                self.mark(family, REVOKED).await;
                Err(AuthError::InvalidToken(
                    "refresh token already used; every session of this login was signed out",
                ))
            }
            Rotation::Revoked => Err(AuthError::InvalidToken("refresh token revoked")),
            Rotation::Expired => Err(AuthError::InvalidToken("refresh token expired")),
            Rotation::Unknown => Err(AuthError::InvalidToken("refresh token not recognised")),
        }
    }

    /// Signs out the login the access token belongs to (every session of its family).
    ///
    /// # Errors
    /// A store failure.
    pub async fn logout(&self, claims: &AccessClaims) -> Result<(), AuthError> {
        self.accounts.revoke_family(claims.fam).await?;
        self.mark(claims.fam, REVOKED).await;
        Ok(())
    }

    /// Checks an access token and that its login is still signed in: a
    /// signed-out login (logout, refresh-token reuse) or a deleted account
    /// is refused on every call, not only when the token expires.
    ///
    /// The hot path is one cache read: a login's state is kept under
    /// `auth:login:{family}` — pinned as revoked for the token lifetime on
    /// logout, or "active" for [`ACTIVE_FOR`] after the store confirmed it.
    /// Without a mark (or with the cache down) the store decides.
    ///
    /// # Errors
    /// [`AuthError::InvalidToken`] for a bad token or a signed-out login;
    /// the store's failure when it had to be asked and could not answer.
    pub async fn authenticate(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<AccessClaims, AuthError> {
        let claims = self.tokens.verify(token, now)?;
        let mark = self.cache.get(&login_key(claims.fam)).await;
        match mark.as_ref().ok().and_then(|m| m.as_deref()) {
            Some(REVOKED) => return Err(AuthError::InvalidToken("session signed out")),
            Some(ACTIVE) => return Ok(claims),
            _ => {}
        }
        if !self.accounts.session_revoked(claims.session_id).await? {
            if mark.is_ok() {
                let _ = self
                    .cache
                    .set(&login_key(claims.fam), ACTIVE, ACTIVE_FOR)
                    .await;
            }
            Ok(claims)
        } else {
            self.mark(claims.fam, REVOKED).await;
            Err(AuthError::InvalidToken("session signed out"))
        }
    }

    /// Checks an access token and that its session is still active, asking
    /// the store every time (`/auth/me`).
    ///
    /// # Errors
    /// [`AuthError::InvalidToken`] for a bad token or a signed-out session.
    pub async fn me(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AuthError> {
        let claims = self.tokens.verify(token, now)?;
        if !self.accounts.session_active(claims.session_id).await? {
            return Err(AuthError::InvalidToken("session signed out"));
        }
        Ok(claims)
    }

    /// Pins a login's state for as long as its access tokens live; a cache
    /// that is down is logged (the store still has the truth).
    async fn mark(&self, family: Uuid, state: &str) {
        let ttl = self.tokens.access_ttl();
        if let Err(e) = self.cache.set_pinned(&login_key(family), state, ttl).await {
            tracing::warn!(error = %e, "could not mark the login in the cache; the store decides");
        }
    }

    async fn start_session(
        &self,
        account_id: UserId,
        email: &str,
        family: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Grant, AuthError> {
        let (refresh, hash) = tokens::new_refresh_token();
        let expires =
            now + chrono::Duration::from_std(self.settings.refresh_ttl).unwrap_or_default();
        let session = self
            .accounts
            .create_session(account_id, family, &hash, expires)
            .await?;
        Ok(self.grant_for(&session, email, refresh, now))
    }

    fn grant_for(
        &self,
        session: &Session,
        email: &str,
        refresh: String,
        now: DateTime<Utc>,
    ) -> Grant {
        Grant {
            user: UserView {
                id: session.account_id,
                email: email.to_owned(),
            },
            access_token: self.tokens.issue(session, email, now),
            token_type: "bearer",
            expires_in: self.tokens.access_ttl().as_secs(),
            refresh_token: refresh,
        }
    }

    /// Counts a sign-up or login attempt against three limits (the e-mail
    /// is hashed: keys carry no personal data): per address; per e-mail
    /// from that address, the tight one that stops guessing; and per
    /// e-mail from anywhere, a ceiling [`GLOBAL_EMAIL_FACTOR`] times softer,
    /// so a stranger guessing from one address cannot lock the owner out
    /// and one rotating addresses still meets a bound.
    async fn attempt(
        &self,
        email: &Email,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AuthError> {
        let per_email = self.settings.per_email_limit;
        let email_key = &refresh_hash(email.as_str())[..32];
        let limits = [
            (
                format!("ratelimit:auth:ip:{client}"),
                self.settings.per_ip_limit,
            ),
            (
                format!("ratelimit:auth:email:{email_key}:{client}"),
                per_email,
            ),
            (
                format!("ratelimit:auth:email:{email_key}"),
                per_email.saturating_mul(GLOBAL_EMAIL_FACTOR),
            ),
        ];
        for (key, limit) in limits {
            self.limit(&key, limit, now).await?;
        }
        Ok(())
    }

    /// One attempt against a limit; a cache that is down lets it through
    /// (argon2id still bounds guessing) and says so in the logs.
    async fn limit(&self, key: &str, limit: u32, now: DateTime<Utc>) -> Result<(), AuthError> {
        match self
            .cache
            .rate_limit(key, limit, self.settings.window, now.timestamp_millis())
            .await
        {
            Ok(d) if d.allowed => Ok(()),
            Ok(d) => Err(AuthError::RateLimited(
                u64::try_from(d.reset_after_ms)
                    .unwrap_or(0)
                    .div_ceil(1000)
                    .max(1),
            )),
            Err(err) => {
                tracing::warn!(error = %err, "rate limit unavailable; allowing the attempt");
                Ok(())
            }
        }
    }
}
