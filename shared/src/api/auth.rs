//! `POST /auth/signup`, `/auth/login`, `/auth/refresh`, `/auth/logout`, `GET /auth/me`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::input::parse_json;
use super::session::{bearer, client_address};
use super::{ApiError, MAX_BODY_BYTES};
use crate::app::App;
use crate::auth::Grant;
use crate::domain::{Email, Password, UserId};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    email: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefreshBody {
    refresh_token: String,
}

async fn body(app: &App, req: Request) -> Result<(String, Bytes), ApiError> {
    let client = client_address(&req, &app.trusted_proxies);
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    Ok((client, bytes))
}

/// `POST /auth/signup` `{email, password}` → 201 with a grant.
pub(super) async fn signup(
    State(app): State<App>,
    req: Request,
) -> Result<impl IntoResponse, ApiError> {
    let (client, bytes) = body(&app, req).await?;
    let (email, password) = read_credentials(&bytes, Policy::NewPassword)?;
    let grant = app
        .auth
        .signup(&email, &password, &client, (app.clock)())
        .await?;
    Ok((StatusCode::CREATED, Json(grant)))
}

/// `POST /auth/login` `{email, password}` → a grant.
pub(super) async fn login(State(app): State<App>, req: Request) -> Result<Json<Grant>, ApiError> {
    let (client, bytes) = body(&app, req).await?;
    let (email, password) = read_credentials(&bytes, Policy::Given)?;
    Ok(Json(
        app.auth
            .login(&email, &password, &client, (app.clock)())
            .await?,
    ))
}

/// `POST /auth/refresh` `{refresh_token}` → the next grant.
pub(super) async fn refresh(
    State(app): State<App>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Grant>, ApiError> {
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let token = read_refresh_token(&body)?;
    Ok(Json(app.auth.refresh(&token, (app.clock)()).await?))
}

/// Which password rule a body's password is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    /// Sign-up: the whole policy ([`Password::new`]).
    NewPassword,
    /// Login: only bounded ([`Password::given`]).
    Given,
}

/// The e-mail and password of a sign-up or login body.
pub(crate) fn read_credentials(body: &[u8], policy: Policy) -> Result<(Email, Password), ApiError> {
    let creds: Credentials = parse_json(body)?;
    let email = Email::parse(&creds.email)?;
    let password = match policy {
        Policy::NewPassword => Password::new(&creds.password)?,
        Policy::Given => Password::given(&creds.password)?,
    };
    Ok((email, password))
}

/// The trimmed refresh token of a `/auth/refresh` body.
pub(crate) fn read_refresh_token(body: &[u8]) -> Result<String, ApiError> {
    let parsed: RefreshBody = parse_json(body)?;
    let token = parsed.refresh_token.trim();
    if token.is_empty() {
        return Err(crate::domain::FieldError::new("refresh_token", "is required").into());
    }
    Ok(token.to_owned())
}

/// `POST /auth/logout` with the access token → 204; its login's refresh tokens stop working.
pub(super) async fn logout(
    State(app): State<App>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let claims = app.auth.me(bearer(&headers)?, (app.clock)()).await?;
    app.auth.logout(&claims).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub(super) struct Me {
    id: UserId,
    email: String,
    session_id: Uuid,
    expires_at: i64,
}

/// `GET /auth/me` → the signed-in account, if its session is still active.
pub(super) async fn me(State(app): State<App>, headers: HeaderMap) -> Result<Json<Me>, ApiError> {
    let claims = app.auth.me(bearer(&headers)?, (app.clock)()).await?;
    Ok(Json(Me {
        id: claims.sub,
        email: claims.email,
        session_id: claims.session_id,
        expires_at: claims.exp,
    }))
}
