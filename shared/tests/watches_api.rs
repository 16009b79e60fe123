//! The watches function's handlers on the embedded adapters: creating,
//! listing, pausing and deleting watches, their bounds, ownership, and the
//! notifications list.

mod support;

use axum::http::StatusCode;
use chrono::{Days, Utc};
use serde_json::{Value, json};
use support::{Client, app_with, token_of};

fn day(ahead: u64) -> String {
    (Utc::now().date_naive() + Days::new(ahead)).to_string()
}

fn watch_body(departure: &str) -> Value {
    json!({ "origin": "SAO", "destination": "LIS", "departure": departure })
}

async fn traveller(c: &Client, email: &str) -> String {
    token_of(&c.signup(email).await)
}

#[tokio::test]
async fn a_traveller_creates_lists_pauses_resumes_and_deletes_a_watch() {
    let c = Client::new(app_with(&[]));
    let ana = traveller(&c, "ana@example.com").await;
    let mut body = watch_body(&day(40));
    body["departure_to"] = json!(day(50));
    body["target_price"] = json!(3000);
    body["adults"] = json!(2);
    body["language"] = json!("en");
    let created = c.post("/watches", Some(&ana), body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let w = &created.body;
    assert_eq!(w["status"], "active");
    assert_eq!(w["departure_to"], day(50));
    assert_eq!(w["query"]["legs"][0]["date"], day(40));
    assert_eq!(w["query"]["passengers"]["adults"], 2);
    assert_eq!(w["target_price"], "3000");
    let id = w["id"].as_str().unwrap().to_owned();

    let list = c.send("GET", "/watches", Some(&ana), None).await;
    assert_eq!(list.body["watches"].as_array().unwrap().len(), 1);

    let paused = c
        .send(
            "PATCH",
            &format!("/watches/{id}"),
            Some(&ana),
            Some(json!({ "status": "paused", "target_price": null }).to_string()),
        )
        .await;
    assert_eq!(paused.status, StatusCode::OK, "{}", paused.body);
    assert_eq!(paused.body["status"], "paused");
    assert_eq!(paused.body["target_price"], Value::Null);
    let resumed = c
        .send(
            "PATCH",
            &format!("/watches/{id}"),
            Some(&ana),
            Some(json!({ "status": "active", "target_price": "2500.50" }).to_string()),
        )
        .await;
    assert_eq!(resumed.body["status"], "active");
    assert_eq!(resumed.body["target_price"], "2500.5");

    let prices = c
        .send("GET", &format!("/watches/{id}/prices"), Some(&ana), None)
        .await;
    assert_eq!(prices.status, StatusCode::OK);
    assert_eq!(prices.body["prices"], json!([]));

    let gone = c
        .send("DELETE", &format!("/watches/{id}"), Some(&ana), None)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let again = c
        .send("GET", &format!("/watches/{id}"), Some(&ana), None)
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_watches_answer_400_naming_the_field_and_store_nothing() {
    let c = Client::new(app_with(&[]));
    let ana = traveller(&c, "bounds@example.com").await;
    let past = (Utc::now().date_naive() - Days::new(3)).to_string();
    let mut wide = watch_body(&day(40));
    wide["departure_to"] = json!(day(75));
    let mut negative = watch_body(&day(40));
    negative["target_price"] = json!(-100);
    let mut unknown = watch_body(&day(40));
    unknown["origin"] = json!("Atlantis");
    let mut back_first = watch_body(&day(40));
    back_first["return"] = json!(day(35));
    for (body, field) in [
        (watch_body(&past), "departure"),
        (back_first, "return"),
        (wide, "departure_to"),
        (negative, "target_price"),
        (unknown, "origin"),
    ] {
        let a = c.post("/watches", Some(&ana), body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        assert_eq!(a.body["error"]["field"], field, "{}", a.body);
    }
    let list = c.send("GET", "/watches", Some(&ana), None).await;
    assert_eq!(list.body["watches"], json!([]));
    let anonymous = c.post("/watches", None, watch_body(&day(40))).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_twenty_first_active_watch_is_refused_until_one_is_paused() {
    let c = Client::new(app_with(&[]));
    let ana = traveller(&c, "many@example.com").await;
    let mut first = String::new();
    for i in 0..20 {
        let a = c
            .post("/watches", Some(&ana), watch_body(&day(30 + i)))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        if i == 0 {
            first = a.body["id"].as_str().unwrap().to_owned();
        }
    }
    let extra = c.post("/watches", Some(&ana), watch_body(&day(60))).await;
    assert_eq!(extra.status, StatusCode::CONFLICT, "{}", extra.body);
    assert!(
        extra.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most 20 active watches")
    );
    let list = c.send("GET", "/watches", Some(&ana), None).await;
    assert_eq!(list.body["watches"].as_array().unwrap().len(), 20);
    let pause = json!({ "status": "paused" }).to_string();
    c.send(
        "PATCH",
        &format!("/watches/{first}"),
        Some(&ana),
        Some(pause),
    )
    .await;
    let now_ok = c.post("/watches", Some(&ana), watch_body(&day(60))).await;
    assert_eq!(now_ok.status, StatusCode::CREATED);
    let resume = json!({ "status": "active" }).to_string();
    let back = c
        .send(
            "PATCH",
            &format!("/watches/{first}"),
            Some(&ana),
            Some(resume),
        )
        .await;
    assert_eq!(
        back.status,
        StatusCode::CONFLICT,
        "resuming is the 21st too"
    );
}

#[tokio::test]
async fn another_travellers_watch_answers_404_and_stays_untouched() {
    let c = Client::new(app_with(&[]));
    let ana = traveller(&c, "owner@example.com").await;
    let bia = traveller(&c, "other@example.com").await;
    let id = c
        .post("/watches", Some(&ana), watch_body(&day(40)))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (method, uri, body) in [
        ("GET", format!("/watches/{id}"), None),
        ("GET", format!("/watches/{id}/prices"), None),
        (
            "PATCH",
            format!("/watches/{id}"),
            Some(json!({ "status": "paused" }).to_string()),
        ),
        ("DELETE", format!("/watches/{id}"), None),
    ] {
        let a = c.send(method, &uri, Some(&bia), body).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{method} {uri}");
    }
    let mine = c
        .send("GET", &format!("/watches/{id}"), Some(&ana), None)
        .await;
    assert_eq!(mine.body["status"], "active");
    let theirs = c.send("GET", "/watches", Some(&bia), None).await;
    assert_eq!(theirs.body["watches"], json!([]));
}

#[tokio::test]
async fn notifications_start_empty_and_reading_them_is_harmless() {
    let c = Client::new(app_with(&[]));
    let ana = traveller(&c, "inbox@example.com").await;
    let page = c.send("GET", "/notifications", Some(&ana), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body, json!({ "notifications": [], "unread": 0 }));
    let read = c.post("/notifications/read", Some(&ana), json!({})).await;
    assert_eq!(read.body, json!({ "read": 0, "unread": 0 }));
    let bad = c
        .post("/notifications/read", Some(&ana), json!({ "ids": ["x"] }))
        .await;
    assert_eq!(bad.body["error"]["field"], "ids[0]");
}

#[tokio::test]
async fn a_round_trip_watch_keeps_both_legs() {
    let c = Client::new(app_with(&[]));
    let ana = traveller(&c, "round@example.com").await;
    let mut body = watch_body(&day(40));
    body["return"] = json!(day(47));
    body["departure_to"] = json!(day(45));
    let created = c.post("/watches", Some(&ana), body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let legs = &created.body["query"]["legs"];
    assert_eq!(
        (legs[0]["date"].as_str(), legs[1]["date"].as_str()),
        (Some(day(40).as_str()), Some(day(47).as_str()))
    );
    assert_eq!(legs[1]["origin"], "LIS");
    assert_eq!(created.body["departure_to"], day(45));
}
