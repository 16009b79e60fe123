//! Who is calling: the bearer token and the client's address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;

use super::ApiError;
use crate::app::App;
use crate::store::Caller;

/// The bearer token of a request.
///
/// # Errors
/// 401 when it is missing or not a bearer token.
pub(super) fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized {
            code: "unauthorized",
            message: "sign in: an Authorization: Bearer token is required".to_owned(),
        })?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthorized {
            code: "unauthorized",
            message: "expected an Authorization: Bearer token".to_owned(),
        })
}

/// The signed-in caller: a valid access token (signature, expiry, audience)
/// whose login is still signed in.
///
/// # Errors
/// 401 for a missing, invalid or signed-out token; 503 when the store had
/// to be asked and could not answer.
pub(super) async fn caller(app: &App, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let token = bearer(headers)?;
    let claims = app.auth.authenticate(token, (app.clock)()).await?;
    Ok(Caller {
        user_id: claims.sub,
        token: token.to_owned(),
    })
}

/// The client's address, from the platform, never from what the client
/// says: API Gateway's source IP in Lambda; in `serve`, the socket's peer —
/// or, when that peer is a trusted proxy, the last `X-Forwarded-For` hop
/// that is not one. `local` when neither is known (in-process tests).
pub(super) fn client_address<B>(req: &axum::http::Request<B>, trusted: &[IpAddr]) -> String {
    #[allow(unreachable_patterns)] // one variant with only the `apigw_http` feature
    let gateway = req.request_context_ref().and_then(|ctx| match ctx {
        RequestContext::ApiGatewayV2(http) => http.http.source_ip.clone(),
        _ => None,
    });
    if let Some(ip) = gateway {
        return ip;
    }
    let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return "local".to_owned();
    };
    let mut client = peer.ip();
    if trusted.contains(&client) {
        let hops = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        if let Some(hop) = hops.into_iter().rev().find(|ip| !trusted.contains(ip)) {
            client = hop;
        }
    }
    client.to_string()
}
