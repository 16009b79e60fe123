//! What an attacker or a careless client sends: bytes PostgreSQL cannot
//! store, forged cursors, undecodable paths, log-forging request ids. Every
//! answer is the one JSON error body naming the field, in our own words.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{Client, app_with, token_of};

fn client() -> Client {
    Client::new(app_with(&[("AUTH_RATE_LIMIT_PER_EMAIL", "100")]))
}

#[tokio::test]
async fn nul_characters_are_refused_at_the_edge_naming_the_field() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let chat = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "de SP\u{0}para Lisboa" }),
        )
        .await;
    assert_eq!(chat.status, StatusCode::BAD_REQUEST, "{}", chat.body);
    assert_eq!(chat.body["error"]["field"], "message");
    assert!(
        chat.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("NUL")
    );

    let signup = c
        .post(
            "/auth/signup",
            None,
            json!({ "email": "bia\u{0}@example.com", "password": "correct horse battery" }),
        )
        .await;
    assert_eq!(signup.status, StatusCode::BAD_REQUEST);
    assert_eq!(signup.body["error"]["field"], "email");

    let turn = c.post("/chat", Some(&t), json!({ "message": "oi" })).await;
    let id = turn.body["conversation_id"].as_str().unwrap();
    let rename = c
        .send(
            "PATCH",
            &format!("/conversations/{id}"),
            Some(&t),
            Some(json!({ "title": "Lis\u{0}boa" }).to_string()),
        )
        .await;
    assert_eq!(rename.status, StatusCode::BAD_REQUEST);
    assert_eq!(rename.body["error"]["field"], "title");
}

#[tokio::test]
async fn a_forged_cursor_and_an_undecodable_path_answer_json_400s() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let forged = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        format!("0000-01-01T00:00:00Z|{}", uuid::Uuid::nil()),
    );
    let list = c
        .send(
            "GET",
            &format!("/conversations?cursor={forged}"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::BAD_REQUEST, "{}", list.body);
    assert_eq!(list.body["error"]["field"], "cursor");

    let bad_path = c.send("GET", "/conversations/%FF", Some(&t), None).await;
    assert_eq!(bad_path.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad_path.body["error"]["code"], "bad_request",
        "{}",
        bad_path.body
    );
}

#[tokio::test]
async fn a_request_id_that_could_forge_log_fields_is_replaced() {
    let c = client();
    for (sent, kept) in [("abc-123_x.y", true), ("log\" injected=\"1", false)] {
        let req = axum::http::Request::get("/health")
            .header("x-request-id", sent)
            .body(axum::body::Body::empty())
            .unwrap();
        let res = tower::ServiceExt::oneshot(c.router.clone(), req)
            .await
            .unwrap();
        let echoed = res.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_eq!(echoed == sent, kept, "{sent:?} → {echoed:?}");
    }
}
