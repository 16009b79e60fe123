//! The chat function's handler with the offline assistant on the embedded
//! adapters: turns that search, questions for what is missing, refinements,
//! idempotent retries, and bad inputs that persist nothing.

mod support;

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use support::{Client, app_with, token_of};

fn client() -> Client {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    Client::new(app_with(&[("AUTH_RATE_LIMIT_PER_EMAIL", "100")]).with_clock(now))
}

async fn conversations(c: &Client, token: &str) -> usize {
    c.send("GET", "/conversations", Some(token), None)
        .await
        .body["conversations"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_complete_request_searches_answers_and_is_remembered() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post("/chat", Some(&t), json!({ "message": "quero ir de São Paulo para Lisboa em março, até R$ 6.000, 2 adultos" }))
        .await;
    assert_eq!(turn.status, StatusCode::OK, "{}", turn.body);
    let reply = turn.body["reply"].as_str().unwrap();
    // A month is a flexible search: the cheapest days of March, then offers.
    assert!(reply.starts_with("Os dias mais baratos"), "{reply}");
    assert!(reply.contains("Encontrei"), "{reply}");
    assert!(reply.contains("Lisboa") || reply.contains("LIS"), "{reply}");
    assert!(reply.contains("R$"), "{reply}");
    let search = &turn.body["searches"][0];
    assert_eq!(search["query"]["legs"][0]["origin"], "SAO");
    assert_eq!(search["query"]["legs"][0]["destination"], "LIS");
    let window = &search["query"]["flexible"]["departure_window"];
    assert_eq!(
        (window["from"].as_str(), window["to"].as_str()),
        (Some("2027-03-01"), Some("2027-03-31"))
    );
    assert_eq!(search["flexible"]["live_searches"], 3);
    assert_eq!(search["query"]["passengers"]["adults"], 2);
    assert_eq!(search["query"]["filters"]["max_price"], "6000");
    let offers = search["offers"].as_array().unwrap();
    assert!(!offers.is_empty());
    assert!(offers.iter().all(|o| {
        o["price"]["amount"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
            <= 6000.0
    }));
    assert_eq!(
        turn.body["title"], "São Paulo → Lisboa",
        "Portuguese names in Portuguese"
    );

    // The whole turn is stored: question, tool call, tool result, answer.
    let id = turn.body["conversation_id"].as_str().unwrap();
    let detail = c
        .send("GET", &format!("/conversations/{id}"), Some(&t), None)
        .await;
    let roles: Vec<&str> = detail.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "tool", "assistant"]);
    assert_eq!(detail.body["messages"][3]["id"], turn.body["message_id"]);
    assert_eq!(
        detail.body["messages"][1]["tool_calls"][0]["name"],
        "search_flights"
    );

    // "e se for em abril?" changes only the dates.
    let again = c
        .post(
            "/chat",
            Some(&t),
            json!({ "conversation_id": id, "message": "e se for em abril?" }),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let q = &again.body["searches"][0]["query"];
    assert_eq!(q["flexible"]["departure_window"]["from"], "2027-04-01");
    assert_eq!(q["flexible"]["departure_window"]["to"], "2027-04-30");
    assert_eq!(
        (
            q["legs"][0]["origin"].as_str(),
            q["passengers"]["adults"].as_i64()
        ),
        (Some("SAO"), Some(2))
    );
    assert_eq!(again.body["conversation_id"], id);
}

#[tokio::test]
async fn missing_details_lead_to_a_question_in_the_travellers_language() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let pt = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir para Lisboa" }),
        )
        .await;
    assert_eq!(
        pt.body["reply"],
        "De qual cidade ou aeroporto você sai, e em que data?"
    );
    assert_eq!(pt.body["searches"], json!([]));
    let id = pt.body["conversation_id"].as_str().unwrap().to_owned();
    let pt2 = c
        .post(
            "/chat",
            Some(&t),
            json!({ "conversation_id": id, "message": "de Recife" }),
        )
        .await;
    assert!(
        pt2.body["reply"]
            .as_str()
            .unwrap()
            .starts_with("Em que data"),
        "{}",
        pt2.body
    );
    let pt3 = c
        .post(
            "/chat",
            Some(&t),
            json!({ "conversation_id": id, "message": "dia 10 de março" }),
        )
        .await;
    assert_eq!(pt3.body["searches"][0]["query"]["legs"][0]["origin"], "REC");

    // A round trip with no dates: one question for both days, then a
    // search with both legs once they are given.
    let round = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir e voltar de poa pra sp" }),
        )
        .await;
    assert_eq!(
        round.body["reply"],
        "Em que data você quer ir? (por exemplo, 10 de março ou próxima sexta) E a volta, em que data?"
    );
    let id = round.body["conversation_id"].as_str().unwrap().to_owned();
    let dated = c
        .post(
            "/chat",
            Some(&t),
            json!({ "conversation_id": id, "message": "ida dia 10 de março, volta dia 15" }),
        )
        .await;
    assert_eq!(
        dated.body["searches"][0]["query"]["legs"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{}",
        dated.body
    );

    let en = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "I want to fly to Tokyo" }),
        )
        .await;
    assert_eq!(
        en.body["reply"],
        "Which city or airport are you flying from, and when?"
    );
    let forced = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "Lisboa", "locale": "en" }),
        )
        .await;
    // "Lisboa" alone is where to: the English question is for the origin and date.
    assert!(
        forced.body["reply"]
            .as_str()
            .unwrap()
            .starts_with("Which city"),
        "{}",
        forced.body
    );
}

#[tokio::test]
async fn a_retried_turn_returns_the_first_answer_and_persists_once() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let body = json!({ "message": "de São Paulo para Lisboa em março" }).to_string();
    let send = |key: &'static str| {
        let body = body.clone();
        let c = &c;
        let t = &t;
        async move {
            let req = axum::http::Request::builder()
                .method("POST")
                .uri("/chat")
                .header("authorization", format!("Bearer {t}"))
                .header("idempotency-key", key)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            let res = tower::ServiceExt::oneshot(c.router.clone(), req)
                .await
                .unwrap();
            let bytes = http_body_util::BodyExt::collect(res.into_body())
                .await
                .unwrap()
                .to_bytes();
            serde_json::from_slice::<Value>(&bytes).unwrap()
        }
    };
    let (a, b) = tokio::join!(send("turn-1"), send("turn-1"));
    let c2 = send("turn-1").await;
    assert_eq!(a["message_id"], b["message_id"]);
    assert_eq!(a["message_id"], c2["message_id"]);
    assert_eq!(a["reply"], c2["reply"]);
    assert_eq!(
        conversations(&c, &t).await,
        1,
        "exactly one conversation, one turn"
    );
    let id = a["conversation_id"].as_str().unwrap();
    let detail = c
        .send("GET", &format!("/conversations/{id}"), Some(&t), None)
        .await;
    assert_eq!(detail.body["messages"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn bad_inputs_answer_clearly_and_persist_nothing() {
    let c = client();
    let ana = token_of(&c.signup("ana@example.com").await);
    let bia = token_of(&c.signup("bia@example.com").await);
    let hers = c
        .post(
            "/chat",
            Some(&bia),
            json!({ "message": "de Recife para Lisboa amanhã" }),
        )
        .await;
    let hers = hers.body["conversation_id"].as_str().unwrap().to_owned();
    let cases = [
        (
            json!({ "message": "" }).to_string(),
            StatusCode::BAD_REQUEST,
            Some("message"),
        ),
        (
            json!({ "message": "   " }).to_string(),
            StatusCode::BAD_REQUEST,
            Some("message"),
        ),
        (
            json!({ "message": "x".repeat(4001) }).to_string(),
            StatusCode::BAD_REQUEST,
            Some("message"),
        ),
        (
            json!({ "message": "x".repeat(20_000) }).to_string(),
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
        ),
        ("{\"message\": ".to_owned(), StatusCode::BAD_REQUEST, None),
        (
            json!({ "text": "oi" }).to_string(),
            StatusCode::BAD_REQUEST,
            Some("text"),
        ),
        (
            json!({ "message": "oi", "conversation_id": "abc" }).to_string(),
            StatusCode::BAD_REQUEST,
            Some("conversation_id"),
        ),
        (
            json!({ "message": "oi", "locale": "fr" }).to_string(),
            StatusCode::BAD_REQUEST,
            Some("locale"),
        ),
        (
            json!({ "message": "oi", "conversation_id": "00000000-0000-0000-0000-000000000001" })
                .to_string(),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            json!({ "message": "oi", "conversation_id": hers }).to_string(),
            StatusCode::NOT_FOUND,
            None,
        ),
    ];
    for (body, status, field) in cases {
        let a = c
            .send("POST", "/chat", Some(&ana), Some(body.clone()))
            .await;
        assert_eq!(a.status, status, "{body}: {}", a.body);
        assert_eq!(
            a.body["error"]["field"].as_str(),
            field,
            "{body}: {}",
            a.body
        );
    }
    assert_eq!(
        conversations(&c, &ana).await,
        0,
        "nothing was persisted for Ana"
    );
    let theirs = c
        .send("GET", &format!("/conversations/{hers}"), Some(&bia), None)
        .await;
    assert_eq!(
        theirs.body["messages"].as_array().unwrap().len(),
        4,
        "Bia's conversation is untouched"
    );
    let none = c.post("/chat", None, json!({ "message": "oi" })).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn suggestions_come_in_portuguese_and_english() {
    let c = client();
    let pt = c.send("GET", "/chat/suggestions", None, None).await;
    assert!(
        pt.body["suggestions"][0]
            .as_str()
            .unwrap()
            .starts_with("Quero ir")
    );
    let en = c
        .send("GET", "/chat/suggestions?locale=en", None, None)
        .await;
    assert!(
        en.body["suggestions"][0]
            .as_str()
            .unwrap()
            .starts_with("From")
    );
    assert_eq!(
        c.send("GET", "/chat/suggestions?locale=xx", None, None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn absurd_dates_and_budgets_get_a_clear_answer_never_a_500() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    for message in [
        "de São Paulo para Lisboa daqui a 4000000000 dias",
        "de São Paulo para Lisboa daqui a 400000 dias",
        "de São Paulo para Lisboa dia 10 de março até 99999999999999999999999999 mil reais",
    ] {
        let turn = c
            .post("/chat", Some(&t), json!({ "message": message }))
            .await;
        assert_eq!(turn.status, StatusCode::OK, "{message}: {}", turn.body);
        let reply = turn.body["reply"].as_str().unwrap();
        assert!(!reply.is_empty(), "{message}");
        assert_eq!(turn.body["searches"], json!([]), "{message}: {reply}");

        let body = support::stream_turn(&c, &t, json!({ "message": message })).await;
        let events = support::events_of(body, None).await;
        let last = events.last().map(|(name, _)| name.as_str());
        assert_eq!(last, Some("done"), "{message}: {events:?}");
    }
}

#[tokio::test]
async fn a_streamed_turn_that_fails_ends_with_an_error_event_naming_the_field() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let body = support::stream_turn(&c, &t, json!({ "message": "   " })).await;
    let events = support::events_of(body, None).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "error");
    assert_eq!(events[0].1["code"], "invalid_field");
    assert_eq!(events[0].1["field"], "message");
}

#[tokio::test]
async fn an_idempotency_key_reused_for_another_message_answers_422_and_stores_nothing() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = |message: &str| {
        let body = json!({ "message": message }).to_string();
        let c = &c;
        let t = &t;
        async move {
            c.send_with(
                "POST",
                "/chat",
                Some(t),
                Some(body),
                &[("idempotency-key", "k-1")],
            )
            .await
        }
    };
    let first = turn("de São Paulo para Lisboa em março").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let other = turn("de Recife para Lisboa amanhã").await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        other.body
    );
    assert_eq!(other.body["error"]["field"], "Idempotency-Key");
    let again = turn("de São Paulo para Lisboa em março").await;
    assert_eq!(again.body["message_id"], first.body["message_id"]);
    assert_eq!(conversations(&c, &t).await, 1);
}

#[tokio::test]
async fn over_budget_the_answer_shows_the_cheapest_and_by_how_much_it_exceeds() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir de São Paulo para Lisboa dia 10 de março, até R$ 100, 2 adultos" }),
        )
        .await;
    let reply = turn.body["reply"].as_str().unwrap();
    assert!(
        reply.starts_with("Nada de São Paulo (SAO) para Lisboa (LIS)"),
        "{reply}"
    );
    assert!(reply.contains("cabe em R$ 100,00"), "{reply}");
    assert!(reply.contains("acima do seu orçamento"), "{reply}");
    assert!(
        reply.contains("por pessoa") && reply.contains("no total"),
        "{reply}"
    );
    let offers = turn.body["searches"][0]["offers"].as_array().unwrap();
    assert!(!offers.is_empty(), "the cheapest fares are shown");
}

#[tokio::test]
async fn a_round_trip_answer_gives_each_direction_its_own_date_and_times() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "de São Paulo para Lisboa dia 10 de março voltando dia 24 de março" }),
        )
        .await;
    let reply = turn.body["reply"].as_str().unwrap();
    assert!(
        reply.contains("ida em 10 de março e volta em 24 de março"),
        "{reply}"
    );
    assert!(
        reply.contains("Ida: 10 de março") && reply.contains("Volta: 24 de março"),
        "{reply}"
    );
    assert!(
        !reply.contains(" TP ") && !reply.contains(" LA "),
        "airlines by name: {reply}"
    );
}

#[tokio::test]
async fn every_suggestion_after_a_search_leads_to_another_search_with_offers() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let first = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "de São Paulo para Lisboa dia 10 de março" }),
        )
        .await;
    let id = first.body["conversation_id"].as_str().unwrap().to_owned();
    let suggestions: Vec<String> = first.body["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    assert!(suggestions.len() >= 2, "{suggestions:?}");
    for s in suggestions {
        let next = c
            .post(
                "/chat",
                Some(&t),
                json!({ "conversation_id": id, "message": s }),
            )
            .await;
        let offers = next.body["searches"][0]["offers"].as_array();
        assert!(
            offers.is_some_and(|o| !o.is_empty()),
            "{s}: {}",
            next.body["reply"]
        );
    }
    let question = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir para Lisboa" }),
        )
        .await;
    assert_eq!(question.body["suggestions"][0], "De São Paulo");
}

#[tokio::test]
async fn flexible_requests_are_answered_with_the_cheapest_days_in_both_languages() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let pt = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "qualquer fim de semana de abril de são paulo pro rio" }),
        )
        .await;
    assert_eq!(pt.status, StatusCode::OK, "{}", pt.body);
    let reply = pt.body["reply"].as_str().unwrap();
    assert!(reply.starts_with("Os dias mais baratos"), "{reply}");
    assert!(
        reply.contains("por adulto (modelo de tarifas demo)"),
        "{reply}"
    );
    assert!(
        reply.contains("sex, ") || reply.contains("sáb, "),
        "{reply}"
    );
    assert!(
        reply.contains("saindo entre 1 de abril e 30 de abril"),
        "{reply}"
    );
    let days = pt.body["searches"][0]["flexible"]["cheapest_days"]
        .as_array()
        .unwrap();
    assert!(!days.is_empty());
    // Each day listed is in the reply with its price as the traveller reads it.
    let first = &days[0];
    let amount = first["price"]["amount"].as_str().unwrap().replace('.', ",");
    assert!(reply.contains(&amount), "{amount} in {reply}");

    let en = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "cheapest day in March from Rio to Lisbon" }),
        )
        .await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.body);
    let reply = en.body["reply"].as_str().unwrap();
    assert!(
        reply.starts_with("The cheapest days in the price calendar"),
        "{reply}"
    );
    assert!(
        reply.contains("per adult (demo fare model); live R$"),
        "{reply}"
    );
    assert!(
        reply.contains("1 calendar requests, 3 live searches"),
        "{reply}"
    );
}

#[tokio::test]
async fn days_either_side_of_a_day_search_that_week_only() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "São Paulo to Lisbon March 10 give or take 3 days" }),
        )
        .await;
    assert_eq!(turn.status, StatusCode::OK, "{}", turn.body);
    let window = &turn.body["searches"][0]["query"]["flexible"]["departure_window"];
    assert_eq!(window["from"], "2027-03-07");
    assert_eq!(window["to"], "2027-03-13");
    let reply = turn.body["reply"].as_str().unwrap();
    assert!(
        reply.contains("leaving between March 7 and March 13"),
        "{reply}"
    );
}

/// Two destinations the traveller has not chosen between: the first is
/// searched and the answer names the other; one word switches, and a country
/// gets a question that names its airports.
#[tokio::test]
async fn an_undecided_destination_is_searched_offered_and_switched() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "fortaleza ou natal, saindo de sp dia 3/3, ainda to decidindo" }),
        )
        .await;
    let reply = turn.body["reply"].as_str().unwrap();
    assert_eq!(
        turn.body["searches"][0]["query"]["legs"][0]["destination"], "FOR",
        "{}",
        turn.body
    );
    assert!(reply.contains("Natal (NAT)"), "{reply}");
    // The other destination is the first thing offered next.
    assert_eq!(
        turn.body["suggestions"][0], "E para Natal?",
        "{}",
        turn.body
    );
    let id = turn.body["conversation_id"].as_str().unwrap().to_owned();
    let switched = c
        .post(
            "/chat",
            Some(&t),
            json!({ "conversation_id": id, "message": "natal" }),
        )
        .await;
    assert_eq!(
        switched.body["searches"][0]["query"]["legs"][0]["destination"], "NAT",
        "{}",
        switched.body
    );

    // Asked where from, the destinations are not offered as origins.
    let from = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "fortaleza ou natal em janeiro" }),
        )
        .await;
    assert_eq!(from.body["reply"], "De qual cidade ou aeroporto você sai?");

    let country = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "quero ir pra portugal saindo de sp dia 10 de março" }),
        )
        .await;
    let reply = country.body["reply"].as_str().unwrap();
    assert!(
        reply.starts_with("Para onde você quer ir?") && reply.contains("Porto (OPO)"),
        "{reply}"
    );
    assert_eq!(
        country.body["suggestions"],
        json!(["Para Faro", "Para Lisboa", "Para Porto"])
    );
}

/// "Next week" with no day: the cheapest days of that week, Monday to
/// Sunday, not an arbitrary Monday.
#[tokio::test]
async fn next_week_searches_the_whole_week() {
    let c = client();
    let t = token_of(&c.signup("ana@example.com").await);
    let turn = c
        .post(
            "/chat",
            Some(&t),
            json!({ "message": "passagem de salvador pra sp semana que vem" }),
        )
        .await;
    let reply = turn.body["reply"].as_str().unwrap();
    assert!(reply.starts_with("Os dias mais baratos"), "{reply}");
    // The client's clock is Sunday 22 November: next week is 23 to 29.
    assert!(
        reply.contains("saindo entre 23 de novembro e 29 de novembro"),
        "{reply}"
    );
}
