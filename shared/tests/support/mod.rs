//! A client for the local router, shared by the handler test binaries.

#![allow(dead_code)] // each test binary uses its own part

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use shared::{App, Config, api};
use tower::ServiceExt;

pub const SECRET: &str = "a-test-secret-that-is-long-enough-123";

pub fn app_with(vars: &[(&str, &str)]) -> App {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let config = Config::from_lookup(|k| {
        if k == "JWT_SECRET" {
            return Some(SECRET.to_owned());
        }
        vars.iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    App::from_config(&config).unwrap()
}

pub struct Client {
    pub router: Router,
}

pub struct Answer {
    pub status: StatusCode,
    pub retry_after: Option<String>,
    pub body: Value,
}

impl Client {
    pub fn new(app: App) -> Self {
        Self {
            router: api::local_router(app),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> Answer {
        self.send_with(method, uri, token, body, &[]).await
    }

    /// `send` with extra headers.
    pub async fn send_with(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("x-forwarded-for", "198.51.100.7");
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req.body(body.map_or_else(Body::empty, Body::from)).unwrap();
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        Answer {
            status,
            retry_after,
            body,
        }
    }

    pub async fn post(&self, uri: &str, token: Option<&str>, body: Value) -> Answer {
        self.send("POST", uri, token, Some(body.to_string())).await
    }

    pub async fn signup(&self, email: &str) -> Value {
        let a = self
            .post(
                "/auth/signup",
                None,
                json!({ "email": email, "password": "correct horse battery" }),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        a.body
    }
}

pub fn token_of(grant: &Value) -> String {
    grant["access_token"].as_str().unwrap().to_owned()
}

/// Reads SSE events (name, data) from a response body with a real SSE parser.
pub async fn events_of(body: axum::body::Body, stop_after: Option<&str>) -> Vec<(String, Value)> {
    use eventsource_stream::Eventsource as _;
    use futures::StreamExt as _;
    let mut stream = body.into_data_stream().eventsource();
    let mut out = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        out.push((
            event.event.clone(),
            serde_json::from_str(&event.data).unwrap(),
        ));
        if stop_after == Some(event.event.as_str()) {
            break; // the client goes away here
        }
    }
    out
}

pub async fn stream_turn(c: &Client, token: &str, body: Value) -> axum::body::Body {
    let req = axum::http::Request::post("/chat")
        .header("authorization", format!("Bearer {token}"))
        .header("accept", "text/event-stream")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let res = tower::ServiceExt::oneshot(c.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "text/event-stream"
    );
    res.into_body()
}
