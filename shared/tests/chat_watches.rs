//! Watches from the chat, on the embedded adapters: the traveller asks in
//! Portuguese or English and the assistant says what it will watch.

mod support;

use chrono::{Days, Utc};
use serde_json::{Value, json};
use shared::assistant::{Lang, reply};
use support::{Client, app_with, token_of};

fn when(lang: Lang) -> String {
    reply::date(Utc::now().date_naive() + Days::new(60), lang)
}

async fn say(c: &Client, token: &str, conversation: Option<&str>, message: &str) -> Value {
    let mut body = json!({ "message": message });
    if let Some(id) = conversation {
        body["conversation_id"] = json!(id);
    }
    let a = c.post("/chat", Some(token), body).await;
    assert_eq!(a.status, axum::http::StatusCode::OK, "{}", a.body);
    a.body
}

#[tokio::test]
async fn the_chat_creates_and_lists_watches_in_portuguese() {
    let c = Client::new(app_with(&[]));
    let t = token_of(&c.signup("chat-watch@example.com").await);
    let first = say(
        &c,
        &t,
        None,
        &format!(
            "quero ir de São Paulo para Lisboa em {}, só LATAM",
            when(Lang::Pt)
        ),
    )
    .await;
    assert_eq!(
        first["searches"][0]["query"]["filters"]["carriers"],
        json!(["LA"]),
        "the search is filtered: {}",
        first["reply"]
    );
    assert!(
        first["reply"]
            .as_str()
            .unwrap()
            .contains("preços modelados"),
        "the search answer says how the price compares: {}",
        first["reply"]
    );
    let id = first["conversation_id"].as_str().unwrap().to_owned();
    let watch = say(&c, &t, Some(&id), "me avisa quando baixar").await;
    let text = watch["reply"].as_str().unwrap();
    assert!(text.contains("Vou acompanhar Sao Paulo → Lisbon"), "{text}");
    assert!(text.contains(&when(Lang::Pt)), "{text}");
    let target = say(&c, &t, Some(&id), "avise se ficar abaixo de R$ 3.000").await;
    assert!(
        target["reply"]
            .as_str()
            .unwrap()
            .contains("abaixo de R$ 3.000,00"),
        "{}",
        target["reply"]
    );
    let list = c.send("GET", "/watches", Some(&t), None).await;
    let watches = list.body["watches"].as_array().unwrap();
    assert_eq!(watches.len(), 2);
    assert!(watches.iter().any(|w| w["target_price"] == "3000"));
    assert_eq!(
        watches[0]["query"]["filters"]["carriers"],
        json!([]),
        "a watch is priced on the whole route, as POST /watches takes it"
    );
    let listed = say(&c, &t, Some(&id), "quais rotas estou acompanhando?").await;
    let text = listed["reply"].as_str().unwrap();
    assert!(text.starts_with("Você acompanha 2 rota(s)"), "{text}");
}

#[tokio::test]
async fn the_chat_creates_a_watch_in_english_and_asks_for_a_route_when_there_is_none() {
    let c = Client::new(app_with(&[]));
    let t = token_of(&c.signup("chat-watch-en@example.com").await);
    let lonely = say(&c, &t, None, "let me know when it drops").await;
    assert!(
        lonely["reply"]
            .as_str()
            .unwrap()
            .contains("tell me the route"),
        "{}",
        lonely["reply"]
    );
    let first = say(
        &c,
        &t,
        None,
        &format!("flights from São Paulo to Lisbon on {}", when(Lang::En)),
    )
    .await;
    let id = first["conversation_id"].as_str().unwrap().to_owned();
    let watch = say(&c, &t, Some(&id), "Let me know when it drops").await;
    let text = watch["reply"].as_str().unwrap();
    assert!(text.starts_with("Done! I'll watch"), "{text}");
    let list = c.send("GET", "/watches", Some(&t), None).await;
    assert_eq!(list.body["watches"][0]["language"], "en");
}

#[tokio::test]
async fn after_a_round_trip_search_the_chat_watches_the_round_trip() {
    let c = Client::new(app_with(&[]));
    let t = token_of(&c.signup("chat-watch-rt@example.com").await);
    let back = reply::date(Utc::now().date_naive() + Days::new(67), Lang::Pt);
    let first = say(
        &c,
        &t,
        None,
        &format!(
            "ida e volta de São Paulo para Lisboa, ida em {} e volta em {back}",
            when(Lang::Pt)
        ),
    )
    .await;
    assert_eq!(
        first["searches"][0]["query"]["legs"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "a round-trip search: {}",
        first["reply"]
    );
    let id = first["conversation_id"].as_str().unwrap().to_owned();
    let watch = say(&c, &t, Some(&id), "me avisa quando baixar").await;
    let text = watch["reply"].as_str().unwrap();
    assert!(text.contains("ida e volta Sao Paulo ⇄ Lisbon"), "{text}");
    assert!(text.contains(&format!("volta {back}")), "{text}");
    let list = c.send("GET", "/watches", Some(&t), None).await;
    let legs = list.body["watches"][0]["query"]["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2, "the round trip is watched, not its outbound");
    assert_eq!(legs[1]["origin"], "LIS");
}

#[tokio::test]
async fn a_month_asked_for_is_watched_as_that_months_window() {
    let c = Client::new(app_with(&[]));
    let t = token_of(&c.signup("month-watch@example.com").await);
    let month = Utc::now().date_naive() + Days::new(90);
    let name = reply::date(month, Lang::Pt);
    let month_name = name.split(" de ").nth(1).unwrap().to_owned();
    let first = say(
        &c,
        &t,
        None,
        &format!("o mais barato de São Paulo para Lisboa em {month_name}"),
    )
    .await;
    assert!(
        first["searches"][0]["query"]["flexible"].is_object(),
        "{first}"
    );
    let id = first["conversation_id"].as_str().unwrap().to_owned();
    let watch = say(&c, &t, Some(&id), "me avisa quando baixar").await;
    let text = watch["reply"].as_str().unwrap();
    assert!(text.contains("Vou acompanhar"), "{text}");
    // The whole month, not one day of it: "1 de … a 30/31 de …".
    assert!(text.contains(&format!("1 de {month_name}")), "{text}");
}
