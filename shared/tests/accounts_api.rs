//! The auth and history functions' handlers on the embedded adapters:
//! sign-up to logout, token checks, rate limits, ownership, and bad inputs.

mod support;

use axum::http::StatusCode;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};
use shared::store::Caller;
use support::{Client, SECRET, app_with, token_of};

#[tokio::test]
async fn signup_login_refresh_and_logout_work_end_to_end() {
    // A long session of attempts on one e-mail: lift its limit for this test.
    let c = Client::new(app_with(&[("AUTH_RATE_LIMIT_PER_EMAIL", "100")]));
    let grant = c.signup("  Ana@Example.com ").await;
    assert_eq!(grant["user"]["email"], "ana@example.com");
    assert_eq!(grant["token_type"], "bearer");
    assert_eq!(grant["expires_in"], 900);
    let me = c
        .send("GET", "/auth/me", Some(&token_of(&grant)), None)
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "ana@example.com");
    assert_eq!(me.body["id"], grant["user"]["id"]);

    // The same error, word for word, for a wrong password and an unknown e-mail.
    let wrong = c
        .post(
            "/auth/login",
            None,
            json!({ "email": "ana@example.com", "password": "wrong horse battery" }),
        )
        .await;
    let unknown = c
        .post(
            "/auth/login",
            None,
            json!({ "email": "bia@example.com", "password": "wrong horse battery" }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body["error"]["code"], "invalid_credentials");

    let login = c
        .post(
            "/auth/login",
            None,
            json!({ "email": "ANA@example.com", "password": "correct horse battery" }),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let first_refresh = login.body["refresh_token"].as_str().unwrap().to_owned();

    // Rotation: each refresh token works once.
    let next = c
        .post(
            "/auth/refresh",
            None,
            json!({ "refresh_token": first_refresh }),
        )
        .await;
    assert_eq!(next.status, StatusCode::OK, "{}", next.body);
    assert_eq!(next.body["user"]["email"], "ana@example.com");
    assert_ne!(next.body["refresh_token"], first_refresh.as_str());
    let second_refresh = next.body["refresh_token"].as_str().unwrap().to_owned();
    // Reusing the first one signs out the whole login, the second token included.
    let reused = c
        .post(
            "/auth/refresh",
            None,
            json!({ "refresh_token": first_refresh }),
        )
        .await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    assert!(
        reused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
    let after = c
        .post(
            "/auth/refresh",
            None,
            json!({ "refresh_token": second_refresh }),
        )
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    let me = c
        .send("GET", "/auth/me", Some(&token_of(&next.body)), None)
        .await;
    assert_eq!(
        me.status,
        StatusCode::UNAUTHORIZED,
        "the family's access tokens are signed out too"
    );

    // Logout revokes: me and refresh stop working for that login, not for others.
    let other = c
        .post(
            "/auth/login",
            None,
            json!({ "email": "ana@example.com", "password": "correct horse battery" }),
        )
        .await;
    let login = c
        .post(
            "/auth/login",
            None,
            json!({ "email": "ana@example.com", "password": "correct horse battery" }),
        )
        .await;
    let out = c
        .post("/auth/logout", Some(&token_of(&login.body)), json!({}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        c.send("GET", "/auth/me", Some(&token_of(&login.body)), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let refresh = c
        .post(
            "/auth/refresh",
            None,
            json!({ "refresh_token": login.body["refresh_token"] }),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        c.send("GET", "/auth/me", Some(&token_of(&other.body)), None)
            .await
            .status,
        StatusCode::OK
    );

    let taken = c
        .post(
            "/auth/signup",
            None,
            json!({ "email": "ana@example.com", "password": "another good password" }),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
}

fn mint(claims: Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn tampered_expired_wrong_audience_and_unsigned_tokens_answer_401() {
    let c = Client::new(app_with(&[]));
    let grant = c.signup("ana@example.com").await;
    let good = token_of(&grant);
    let claims: Value = {
        use base64::Engine as _;
        let payload = good.split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap(),
        )
        .unwrap()
    };
    let mut expired = claims.clone();
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 5);
    let mut wrong_aud = claims.clone();
    wrong_aud["aud"] = json!("anon");
    let mut forged = claims.clone();
    forged["sub"] = json!("00000000-0000-0000-0000-000000000001");
    let tampered = {
        let parts: Vec<&str> = good.split('.').collect();
        use base64::Engine as _;
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(forged.to_string());
        format!("{}.{}.{}", parts[0], body, parts[2])
    };
    let unsigned = {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.",
            b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
            b64.encode(claims.to_string())
        )
    };
    let cases = [
        ("tampered", tampered, "signature"),
        ("expired", mint(expired, SECRET), "expired"),
        ("wrong audience", mint(wrong_aud, SECRET), "audience"),
        (
            "other secret",
            mint(claims.clone(), "some-other-secret-that-is-long-enough"),
            "signature",
        ),
        ("alg none", unsigned, ""),
        ("garbage", "not.a.jwt".to_owned(), ""),
    ];
    for (name, token, reason) in cases {
        for uri in ["/auth/me", "/conversations"] {
            let a = c.send("GET", uri, Some(&token), None).await;
            assert_eq!(
                a.status,
                StatusCode::UNAUTHORIZED,
                "{name} on {uri}: {}",
                a.body
            );
            assert_eq!(a.body["error"]["code"], "invalid_token", "{name}");
            assert!(
                a.body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains(reason),
                "{name}: {}",
                a.body
            );
        }
    }
    let none = c.send("GET", "/conversations", None, None).await;
    assert_eq!(
        (none.status, none.body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
}

#[tokio::test]
async fn login_attempts_past_the_configured_count_answer_429() {
    // A fixed clock keeps every attempt inside one window: with the real one,
    // a minute boundary between attempts would legitimately reweigh them.
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 22, 12, 0, 30).unwrap();
    let c = Client::new(app_with(&[("AUTH_RATE_LIMIT_PER_IP", "3")]).with_clock(now));
    c.signup("ana@example.com").await;
    let attempt = || {
        c.post(
            "/auth/login",
            None,
            json!({ "email": "ana@example.com", "password": "wrong horse battery" }),
        )
    };
    assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt().await.status, StatusCode::UNAUTHORIZED);
    let limited = attempt().await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "sign-up counted as the first attempt"
    );
    assert_eq!(limited.body["error"]["code"], "rate_limited");
    let retry: u64 = limited.retry_after.unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
}

#[tokio::test]
async fn bad_inputs_answer_400_naming_the_field() {
    let c = Client::new(app_with(&[]));
    let grant = c.signup("ana@example.com").await;
    let t = token_of(&grant);
    // (method, uri, body, expected code, expected field)
    type Case<'a> = (&'a str, &'a str, Option<String>, &'a str, Option<&'a str>);
    let cases: Vec<Case> = vec![
        ("POST", "/auth/signup", Some("{not json".to_owned()), "malformed_json", None),
        ("POST", "/auth/signup", Some(String::new()), "malformed_json", None),
        ("POST", "/auth/signup", Some(json!({ "email": "ana" , "password": "correct horse battery" }).to_string()), "invalid_field", Some("email")),
        ("POST", "/auth/signup", Some(json!({ "email": "bia@example.com", "password": "short" }).to_string()), "invalid_field", Some("password")),
        ("POST", "/auth/signup", Some(json!({ "email": "bia@example.com" }).to_string()), "malformed_json", None),
        ("POST", "/auth/signup", Some(json!({ "email": "bia@example.com", "password": "correct horse battery", "admin": true }).to_string()), "malformed_json", Some("admin")),
        ("POST", "/auth/login", Some(json!({ "email": 42, "password": "x" }).to_string()), "malformed_json", Some("email")),
        ("POST", "/auth/refresh", Some(json!({ "refresh_token": "" }).to_string()), "invalid_field", Some("refresh_token")),
        ("GET", "/conversations/not-a-uuid", None, "invalid_field", Some("id")),
        ("GET", "/conversations?cursor=garbage", None, "invalid_field", Some("cursor")),
        ("GET", "/conversations?limit=0", None, "invalid_field", Some("limit")),
        ("GET", "/conversations?page=2", None, "invalid_field", Some("page")),
        ("PATCH", "/conversations/00000000-0000-0000-0000-000000000001", Some(json!({ "title": "   " }).to_string()), "invalid_field", Some("title")),
        ("PATCH", "/conversations/00000000-0000-0000-0000-000000000001", Some("[]".to_owned()), "malformed_json", None),
    ];
    for (method, uri, body, code, field) in cases {
        let a = c.send(method, uri, Some(&t), body.clone()).await;
        assert_eq!(
            a.status,
            StatusCode::BAD_REQUEST,
            "{method} {uri} {body:?}: {}",
            a.body
        );
        assert_eq!(
            a.body["error"]["code"], code,
            "{method} {uri} {body:?}: {}",
            a.body
        );
        assert_eq!(
            a.body["error"]["field"].as_str(),
            field,
            "{method} {uri} {body:?}: {}",
            a.body
        );
    }
    let huge = json!({ "email": "x@example.com", "password": "y".repeat(20_000) }).to_string();
    let a = c.send("POST", "/auth/signup", None, Some(huge)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    let long = json!({ "email": "x@example.com", "password": "y".repeat(200) }).to_string();
    let a = c.send("POST", "/auth/signup", None, Some(long)).await;
    assert_eq!(a.body["error"]["field"], "password");
}

#[tokio::test]
async fn history_lists_pages_renames_and_deletes_only_the_callers_conversations() {
    let app = app_with(&[]);
    let c = Client::new(app.clone());
    let ana = c.signup("ana@example.com").await;
    let bia = c.signup("bia@example.com").await;
    let ana_caller = Caller {
        user_id: ana["user"]["id"].as_str().unwrap().parse().unwrap(),
        token: token_of(&ana),
    };
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            app.history
                .create_conversation(&ana_caller, None)
                .await
                .unwrap()
                .id,
        );
    }
    let (ta, tb) = (token_of(&ana), token_of(&bia));

    let page = c
        .send("GET", "/conversations?limit=2", Some(&ta), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let first: Vec<&str> = page.body["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(first.len(), 2);
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let rest = c
        .send(
            "GET",
            &format!("/conversations?limit=2&cursor={cursor}"),
            Some(&ta),
            None,
        )
        .await;
    let second: Vec<&str> = rest.body["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(second.len(), 1);
    assert!(
        rest.body.get("next_cursor").is_none(),
        "last page has no cursor"
    );
    let mut all: Vec<String> = first
        .iter()
        .chain(&second)
        .map(|s| (*s).to_owned())
        .collect();
    all.sort();
    let mut expected: Vec<String> = ids.iter().map(ToString::to_string).collect();
    expected.sort();
    assert_eq!(all, expected);

    let id = ids[0];
    let renamed = c
        .send(
            "PATCH",
            &format!("/conversations/{id}"),
            Some(&ta),
            Some(json!({ "title": " Lisboa em março " }).to_string()),
        )
        .await;
    assert_eq!(renamed.body["title"], "Lisboa em março");
    let detail = c
        .send("GET", &format!("/conversations/{id}"), Some(&ta), None)
        .await;
    assert_eq!(detail.body["conversation"]["title"], "Lisboa em março");
    assert_eq!(detail.body["messages"], json!([]));

    // Bia: 404 and nothing else, for every verb.
    assert_eq!(
        c.send("GET", "/conversations", Some(&tb), None).await.body["conversations"],
        json!([])
    );
    for (method, body) in [
        ("GET", None),
        ("PATCH", Some(json!({ "title": "minha" }).to_string())),
        ("DELETE", None),
    ] {
        let a = c
            .send(method, &format!("/conversations/{id}"), Some(&tb), body)
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(a.body["error"]["message"], "not found");
    }

    assert_eq!(
        c.send("DELETE", &format!("/conversations/{id}"), Some(&ta), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        c.send("GET", &format!("/conversations/{id}"), Some(&ta), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_signed_out_login_cannot_read_history_or_chat_with_its_old_access_token() {
    let c = Client::new(app_with(&[("AUTH_RATE_LIMIT_PER_EMAIL", "100")]));
    let grant = c.signup("ana@example.com").await;
    let token = token_of(&grant);
    // Used once while signed in, so an "active" mark is in the cache.
    let before = c.send("GET", "/conversations", Some(&token), None).await;
    assert_eq!(before.status, StatusCode::OK);
    let out = c.post("/auth/logout", Some(&token), json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let list = c.send("GET", "/conversations", Some(&token), None).await;
    assert_eq!(list.status, StatusCode::UNAUTHORIZED, "{}", list.body);
    let chat = c
        .post("/chat", Some(&token), json!({ "message": "oi" }))
        .await;
    assert_eq!(chat.status, StatusCode::UNAUTHORIZED, "{}", chat.body);

    // A reused refresh token signs the whole login out, access tokens included.
    let login = c
        .post(
            "/auth/login",
            None,
            json!({ "email": "ana@example.com", "password": "correct horse battery" }),
        )
        .await;
    let access = token_of(&login.body);
    assert_eq!(
        c.send("GET", "/conversations", Some(&access), None)
            .await
            .status,
        StatusCode::OK
    );
    let refresh = json!({ "refresh_token": login.body["refresh_token"] });
    assert_eq!(
        c.post("/auth/refresh", None, refresh.clone()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.post("/auth/refresh", None, refresh).await.status,
        StatusCode::UNAUTHORIZED
    );
    let list = c.send("GET", "/conversations", Some(&access), None).await;
    assert_eq!(list.status, StatusCode::UNAUTHORIZED, "{}", list.body);
}

/// A login attempt arriving on a socket from `peer`, claiming `forwarded`.
async fn login_from(c: &Client, peer: &str, forwarded: &str, password: &str) -> StatusCode {
    let body = json!({ "email": "ana@example.com", "password": password }).to_string();
    let mut req = axum::http::Request::post("/auth/login")
        .header("content-type", "application/json")
        .header("x-forwarded-for", forwarded)
        .body(axum::body::Body::from(body))
        .unwrap();
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    tower::ServiceExt::oneshot(c.router.clone(), req)
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_stranger_guessing_cannot_lock_the_owner_out_nor_escape_the_limits() {
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 22, 12, 0, 30).unwrap();
    let app = app_with(&[]).with_clock(now);
    let cache = app.cache.clone();
    let c = Client::new(app);
    c.signup("ana@example.com").await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        // A new X-Forwarded-For every time: it must not pick a new bucket.
        statuses.push(
            login_from(
                &c,
                "203.0.113.9",
                &format!("192.0.2.{i}"),
                "wrong horse battery",
            )
            .await,
        );
        // A cache filled with searches must not evict the counters.
        for j in 0..200 {
            let key = format!("search:v1:filler-{i}-{j}");
            cache
                .set(&key, "{}", std::time::Duration::from_secs(300))
                .await
                .unwrap();
        }
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count(),
        5,
        "five guesses per e-mail and address: {statuses:?}"
    );
    assert!(
        statuses[5..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
    let owner = login_from(&c, "198.51.100.7", "198.51.100.7", "correct horse battery").await;
    assert_eq!(
        owner,
        StatusCode::OK,
        "the owner, from elsewhere, still signs in"
    );
}
