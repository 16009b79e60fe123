//! Access JWTs (HS256, the claims PostgREST and Supabase use) and refresh tokens.

use std::time::Duration;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::UserId;

use super::AuthError;
use crate::store::Session;

/// The audience of access tokens: Supabase's, so PostgREST accepts them.
pub const AUDIENCE: &str = "authenticated";

/// Claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The account id; `auth.uid()` in SQL.
    pub sub: UserId,
    /// The PostgreSQL role PostgREST switches to.
    pub role: String,
    /// [`AUDIENCE`].
    pub aud: String,
    /// Expiry (Unix seconds).
    pub exp: i64,
    /// Issue time (Unix seconds).
    pub iat: i64,
    /// The account's e-mail.
    pub email: String,
    /// The refresh session this token was issued for.
    pub session_id: Uuid,
    /// The session family (the login), for logout.
    pub fam: Uuid,
}

/// Signs and checks access tokens with the project's JWT secret.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    access_ttl: Duration,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("access_ttl", &self.access_ttl)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// Tokens signed with `secret` (HS256), valid for `access_ttl`.
    pub fn new(secret: &[u8], access_ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            access_ttl,
        }
    }

    /// How long access tokens live.
    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    /// An access token for `session`.
    pub fn issue(&self, session: &Session, email: &str, now: DateTime<Utc>) -> String {
        let claims = AccessClaims {
            sub: session.account_id,
            role: "authenticated".to_owned(),
            aud: AUDIENCE.to_owned(),
            exp: now.timestamp() + i64::try_from(self.access_ttl.as_secs()).unwrap_or(0),
            iat: now.timestamp(),
            email: email.to_owned(),
            session_id: session.id,
            fam: session.family_id,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .unwrap_or_default()
    }

    /// The claims of a valid token: HS256 only (so `alg: none` and key
    /// confusion are refused), signature and audience checked, and expiry
    /// against `now` (the app's clock, so tests and the store agree on time).
    ///
    /// # Errors
    /// [`AuthError::InvalidToken`] saying what is wrong.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AuthError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                AuthError::InvalidToken(match e.kind() {
                    ErrorKind::ExpiredSignature => "access token expired",
                    ErrorKind::InvalidAudience => "access token has the wrong audience",
                    ErrorKind::InvalidSignature => "access token signature is invalid",
                    ErrorKind::InvalidAlgorithm => "access token algorithm is not accepted",
                    _ => "access token is malformed",
                })
            })?;
        if claims.exp <= now.timestamp() {
            return Err(AuthError::InvalidToken("access token expired"));
        }
        Ok(claims)
    }
}

/// A new refresh token (32 random bytes, base64url) and its stored hash.
pub(super) fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = refresh_hash(&token);
    (token, hash)
}

/// SHA-256 of a token, hex: what the store keeps instead of the token.
pub fn refresh_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
