//! The migrations and the PostgREST-compatible bridge on the real PostgreSQL
//! at 127.0.0.1:5432: each test run gets a fresh database, migrated by
//! `chatpassagens migrate`, and every behaviour is checked as PostgREST's
//! documentation states it (RPC, roles from the JWT, request settings,
//! answer shapes, errors). Row-level security is checked through the same
//! SQL functions a client reaches, with each user's own claims.

use jsonwebtoken::{EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{TestDatabase, postgres_admin, service_available, workspace_root};

const PG_ADDR: &str = "127.0.0.1:5432";
pub(crate) const SECRET: &str = "test-secret-with-at-least-32-characters!";

/// A migrated database of its own and a bridge in front of it. Dropping it
/// drops the database, whether the test passed or panicked.
pub(crate) struct Db {
    pub(crate) url: String,
    pub(crate) base: String,
    /// Owns the database: dropping it drops the database.
    database: TestDatabase,
    http: reqwest::Client,
}

/// A fresh database, migrated, with the bridge serving it; `None` (skipped)
/// when PostgreSQL is down outside CI.
pub(crate) async fn fresh() -> Option<Db> {
    if !service_available("PostgreSQL", PG_ADDR) {
        return None;
    }
    // From here the guard owns the database, so a failing migration drops it too.
    let database = TestDatabase::create().await;
    let url = database.url.clone();
    let mut db = Db {
        url: url.clone(),
        base: String::new(),
        database,
        http: reqwest::Client::new(),
    };
    chatpassagens::migrate::run(&url, &workspace_root().join("infra/supabase"))
        .await
        .expect("migrations apply");
    let settings = chatpassagens::postgrest_bridge::Settings {
        db_uri: url,
        schemas: vec!["public".to_owned()],
        anon_role: "anon".to_owned(),
        jwt_secret: SECRET.to_owned(),
        jwt_aud: Some("authenticated".to_owned()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    db.base = format!("http://{}", listener.local_addr().unwrap());
    let router = chatpassagens::postgrest_bridge::router(settings).unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Some(db)
}

fn token(claims: Value) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

fn exp() -> i64 {
    chrono::Utc::now().timestamp() + 600
}

pub(crate) fn service() -> String {
    token(json!({ "role": "service_role", "aud": "authenticated", "exp": exp() }))
}

pub(crate) fn user(id: &str) -> String {
    token(
        json!({ "sub": id, "role": "authenticated", "aud": "authenticated", "exp": exp(), "sid": "s1" }),
    )
}

pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    content_type: String,
    pub(crate) body: Value,
}

impl Db {
    pub(crate) async fn post(&self, function: &str, jwt: Option<&str>, args: Value) -> Answer {
        let mut req = self
            .http
            .post(format!("{}/rpc/{function}", self.base))
            .json(&args);
        if let Some(jwt) = jwt {
            req = req.bearer_auth(jwt);
        }
        answer(req).await
    }

    async fn get(&self, function: &str, jwt: Option<&str>, query: &[(&str, &str)]) -> Answer {
        let mut req = self
            .http
            .get(format!("{}/rpc/{function}", self.base))
            .query(query);
        if let Some(jwt) = jwt {
            req = req.bearer_auth(jwt);
        }
        answer(req).await
    }

    /// A new account, made through the service role as the auth function does.
    pub(crate) async fn account(&self, email: &str) -> String {
        let a = self
            .post(
                "create_account",
                Some(&service()),
                json!({ "email": email, "password_hash": "$argon2id$v=19$x" }),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.body["id"].as_str().unwrap().to_owned()
    }

    /// The single count a superuser query answers.
    async fn count(&self, query: &str) -> i64 {
        let (client, conn) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client.query_one(query, &[]).await.unwrap().get(0)
    }

    async fn sql(&self, statements: &str) {
        let (client, conn) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client.batch_execute(statements).await.unwrap();
    }
}

async fn answer(req: reqwest::RequestBuilder) -> Answer {
    let response = req.send().await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    Answer {
        status,
        content_type,
        body,
    }
}

#[tokio::test]
async fn migrate_creates_a_missing_database_then_applies_every_migration() {
    if !service_available("PostgreSQL", PG_ADDR) {
        return;
    }
    let database = TestDatabase::reserve().await;
    let exists = |name: String| async move {
        postgres_admin()
            .await
            .query_opt("select 1 from pg_database where datname = $1", &[&name])
            .await
            .unwrap()
            .is_some()
    };
    assert!(
        !exists(database.name.clone()).await,
        "reserved, not created"
    );

    let report =
        chatpassagens::migrate::run(&database.url, &workspace_root().join("infra/supabase"))
            .await
            .expect("migrate creates the database and migrates it");
    assert_eq!(
        report.created_database.as_deref(),
        Some(database.name.as_str())
    );
    assert!(exists(database.name.clone()).await);
    assert!(
        !report.applied.is_empty() && report.skipped.is_empty(),
        "{report:?}"
    );
    let (client, conn) = tokio_postgres::connect(&database.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let recorded: i64 = client
        .query_one(
            "select count(*) from supabase_migrations.schema_migrations",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(recorded, i64::try_from(report.applied.len()).unwrap());
    drop(client);

    let again =
        chatpassagens::migrate::run(&database.url, &workspace_root().join("infra/supabase"))
            .await
            .unwrap();
    assert_eq!(again.created_database, None, "the second run finds it");
    assert!(again.applied.is_empty(), "{again:?}");
}

#[tokio::test]
async fn migrate_applies_each_migration_once_and_records_it_like_the_supabase_cli() {
    let Some(db) = fresh().await else { return };
    let again = chatpassagens::migrate::run(&db.url, &workspace_root().join("infra/supabase"))
        .await
        .unwrap();
    assert!(again.applied.is_empty(), "{again:?}");
    assert_eq!(
        again.skipped,
        [
            "20261122000000",
            "20261130000000",
            "20261130130000",
            "20261130180000",
            "20261130190000"
        ],
        "every migration recorded, in order"
    );
    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let row = client
        .query_one("select name, array_length(statements, 1) from supabase_migrations.schema_migrations where version = '20261122000000'", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "accounts_and_history");
    assert_eq!(row.get::<_, i32>(1), 1);
    // Row-level security is on for every table in public.
    let unprotected: i64 = client
        .query_one(
            "select count(*) from pg_tables where schemaname = 'public' and not rowsecurity",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(unprotected, 0);
}

#[tokio::test]
async fn rpc_answers_composite_set_scalar_object_and_void_shapes() {
    let Some(db) = fresh().await else { return };
    let alice = db.account("alice@example.com").await;
    let jwt = user(&alice);

    let created = db
        .post(
            "create_conversation",
            Some(&jwt),
            json!({ "title": "Lisboa em março" }),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert!(
        created.content_type.starts_with("application/json"),
        "{}",
        created.content_type
    );
    assert_eq!(created.body["title"], "Lisboa em março");
    assert_eq!(
        created.body["user_id"],
        alice.as_str(),
        "the owner comes from the JWT's sub"
    );
    let id = created.body["id"].as_str().unwrap().to_owned();

    // Default arguments apply when omitted.
    let untitled = db.post("create_conversation", Some(&jwt), json!({})).await;
    assert_eq!(untitled.body["title"], Value::Null);

    // A set-returning function answers an array; GET passes arguments in the query string.
    let list = db
        .get("list_conversations", Some(&jwt), &[("page_size", "1")])
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    let all = db.get("list_conversations", Some(&jwt), &[]).await;
    assert_eq!(all.body.as_array().unwrap().len(), 2);

    // A scalar function answers the bare value.
    let active = db
        .post("session_active", Some(&service()), json!({ "id": id }))
        .await;
    assert_eq!(active.body, json!(false));

    // One object on request; not exactly one row is 406 PGRST116.
    let one = db
        .http
        .post(format!("{}/rpc/account_by_email", db.base))
        .bearer_auth(service())
        .header("accept", "application/vnd.pgrst.object+json")
        .json(&json!({ "email": "alice@example.com" }));
    let one = answer(one).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["id"], alice.as_str());
    assert!(
        one.content_type
            .starts_with("application/vnd.pgrst.object+json")
    );
    let none = db
        .http
        .post(format!("{}/rpc/account_by_email", db.base))
        .bearer_auth(service())
        .header("accept", "application/vnd.pgrst.object+json")
        .json(&json!({ "email": "nobody@example.com" }));
    let none = answer(none).await;
    assert_eq!(none.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(none.body["code"], "PGRST116");

    // A void function answers 204 with no body.
    let deleted = db
        .post("delete_conversation", Some(&jwt), json!({ "id": id }))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(deleted.body, Value::Null);
}

#[tokio::test]
async fn request_settings_role_and_claims_reach_the_function() {
    let Some(db) = fresh().await else { return };
    db.sql(
        "create function public.echo_request(note text default 'none', n int default 10) returns jsonb language sql stable as $$
           select jsonb_build_object(
             'method', current_setting('request.method', true),
             'path', current_setting('request.path', true),
             'headers', current_setting('request.headers', true)::jsonb,
             'claims', auth.jwt(), 'role', current_user, 'note', note, 'n', n,
             'read_only', current_setting('transaction_read_only'))
         $$;
         grant execute on function public.echo_request(text, int) to anon, authenticated;",
    )
    .await;
    let anon = db.get("echo_request", None, &[("note", "hi")]).await;
    assert_eq!(anon.status, StatusCode::OK, "{}", anon.body);
    assert_eq!(anon.body["role"], "anon");
    assert_eq!(anon.body["method"], "GET");
    assert_eq!(anon.body["path"], "/rpc/echo_request");
    assert_eq!(anon.body["note"], "hi");
    assert_eq!(
        anon.body["n"], 10,
        "defaults honoured, typed by the signature"
    );
    assert_eq!(
        anon.body["read_only"], "on",
        "GET runs in a read-only transaction"
    );

    let jwt = user("00000000-0000-0000-0000-00000000000a");
    let authed = db
        .http
        .post(format!("{}/rpc/echo_request", db.base))
        .bearer_auth(&jwt)
        .header("x-client", "web")
        .json(&json!({ "n": 3 }));
    let authed = answer(authed).await;
    assert_eq!(authed.body["role"], "authenticated");
    assert_eq!(authed.body["method"], "POST");
    assert_eq!(authed.body["n"], 3);
    assert_eq!(authed.body["read_only"], "off");
    assert_eq!(
        authed.body["claims"]["sub"],
        "00000000-0000-0000-0000-00000000000a"
    );
    assert_eq!(authed.body["headers"]["x-client"], "web");
}

#[tokio::test]
async fn errors_follow_postgrest_sqlstate_mapping() {
    let Some(db) = fresh().await else { return };
    let alice = db.account("alice@example.com").await;
    let jwt = user(&alice);

    let unknown = db
        .post("no_such_function", Some(&jwt), json!({ "x": 1 }))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["code"], "PGRST202");
    let wrong_args = db
        .post("create_conversation", Some(&jwt), json!({ "name": "x" }))
        .await;
    assert_eq!(wrong_args.body["code"], "PGRST202");

    // Permission denied: 401 for the anon role, 403 for any other.
    let anon = db.post("create_conversation", None, json!({})).await;
    assert_eq!(
        (anon.status, anon.body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("42501"))
    );
    let forbidden = db
        .post(
            "create_account",
            Some(&jwt),
            json!({ "email": "x@example.com", "password_hash": "h" }),
        )
        .await;
    assert_eq!(
        (forbidden.status, forbidden.body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("42501"))
    );

    // Unique violation → 409; invalid text for a type → 400; PTnnn → nnn; a write under GET → 405.
    let dup = db
        .post(
            "create_account",
            Some(&service()),
            json!({ "email": "alice@example.com", "password_hash": "h" }),
        )
        .await;
    assert_eq!(
        (dup.status, dup.body["code"].as_str()),
        (StatusCode::CONFLICT, Some("23505"))
    );
    assert!(
        dup.body["details"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{}",
        dup.body
    );
    let bad_uuid = db
        .post(
            "get_conversation",
            Some(&jwt),
            json!({ "id": "not-a-uuid" }),
        )
        .await;
    assert_eq!(
        (bad_uuid.status, bad_uuid.body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("22P02"))
    );
    let missing = db
        .post(
            "get_conversation",
            Some(&jwt),
            json!({ "id": "00000000-0000-0000-0000-000000000001" }),
        )
        .await;
    assert_eq!(
        (missing.status, missing.body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("PT404"))
    );
    assert_eq!(missing.body["message"], "conversation not found");
    let write_on_get = db.get("create_conversation", Some(&jwt), &[]).await;
    assert_eq!(
        (write_on_get.status, write_on_get.body["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("25006"))
    );

    // A body that is not a JSON object.
    let not_object = db
        .http
        .post(format!("{}/rpc/create_conversation", db.base))
        .bearer_auth(&jwt)
        .body("[1]");
    assert_eq!(answer(not_object).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn tampered_expired_wrong_audience_and_unsigned_tokens_answer_401() {
    let Some(db) = fresh().await else { return };
    let good = user("00000000-0000-0000-0000-00000000000a");
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].chars().rev().collect();
    let tampered = parts.join(".");
    let expired = token(
        json!({ "role": "authenticated", "aud": "authenticated", "exp": chrono::Utc::now().timestamp() - 10 }),
    );
    let wrong_aud = token(json!({ "role": "authenticated", "aud": "someone-else", "exp": exp() }));
    let unsigned = {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.",
            b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
            b64.encode(
                json!({ "role": "service_role", "aud": "authenticated", "exp": exp() }).to_string()
            )
        )
    };
    for (name, jwt, code) in [
        ("tampered", tampered, "PGRST301"),
        ("expired", expired, "PGRST303"),
        ("wrong audience", wrong_aud, "PGRST303"),
        ("alg none", unsigned, "PGRST301"),
    ] {
        let a = db.post("list_conversations", Some(&jwt), json!({})).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{name}: {}", a.body);
        assert_eq!(a.body["code"], code, "{name}");
    }
}

#[tokio::test]
async fn row_level_security_keeps_each_user_to_their_own_conversations() {
    let Some(db) = fresh().await else { return };
    let (alice, bob) = (
        db.account("alice@example.com").await,
        db.account("bob@example.com").await,
    );
    let (a, b) = (user(&alice), user(&bob));
    let conv = db
        .post(
            "create_conversation",
            Some(&a),
            json!({ "title": "Alice's trip" }),
        )
        .await;
    let id = conv.body["id"].as_str().unwrap().to_owned();
    let turn =
        json!({ "conversation_id": id, "messages": [{ "role": "user", "content": "SAO → LIS" }] });
    assert_eq!(
        db.post("append_turn", Some(&a), turn.clone()).await.status,
        StatusCode::OK
    );

    // Bob reaches nothing of Alice's, through any function.
    assert_eq!(
        db.post("list_conversations", Some(&b), json!({}))
            .await
            .body,
        json!([])
    );
    for (function, args) in [
        ("get_conversation", json!({ "id": id })),
        (
            "rename_conversation",
            json!({ "id": id, "title": "mine now" }),
        ),
        ("delete_conversation", json!({ "id": id })),
        ("append_turn", turn.clone()),
    ] {
        let answer = db.post(function, Some(&b), args).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{function}: {}",
            answer.body
        );
    }
    let still = db
        .post("get_conversation", Some(&a), json!({ "id": id }))
        .await;
    assert_eq!(still.body["conversation"]["title"], "Alice's trip");
    assert_eq!(still.body["messages"].as_array().unwrap().len(), 1);

    // Directly in SQL with Bob's claims, as a client with a raw connection would.
    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let claims = json!({ "sub": bob, "role": "authenticated" }).to_string();
    client
        .batch_execute(&format!(
            "begin; set local role authenticated; select set_config('request.jwt.claims', '{claims}', true);"
        ))
        .await
        .unwrap();
    let seen: i64 = client
        .query_one("select count(*) from public.conversations", &[])
        .await
        .unwrap()
        .get(0);
    let msgs: i64 = client
        .query_one("select count(*) from public.messages", &[])
        .await
        .unwrap()
        .get(0);
    let updated = client
        .execute("update public.conversations set title = 'x'", &[])
        .await
        .unwrap();
    let deleted = client
        .execute("delete from public.messages", &[])
        .await
        .unwrap();
    let forged = client
        .execute(
            &format!(
                "insert into public.conversations (user_id, title) values ('{alice}', 'forged')"
            ),
            &[],
        )
        .await;
    client.batch_execute("rollback").await.ok();
    assert_eq!((seen, msgs, updated, deleted), (0, 0, 0, 0));
    assert!(
        forged.is_err(),
        "inserting a row owned by another user is refused"
    );

    // Anonymous callers reach nothing.
    let anon = db.post("list_conversations", None, json!({})).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn concurrent_turns_on_one_conversation_both_persist_in_order_and_retries_do_not_duplicate() {
    let Some(db) = fresh().await else { return };
    let alice = db.account("alice@example.com").await;
    let jwt = user(&alice);
    let id = db
        .post("create_conversation", Some(&jwt), json!({}))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let turn = |n: u32| {
        json!({ "conversation_id": id, "messages": [
            { "role": "user", "content": format!("question {n}") },
            { "role": "assistant", "content": format!("answer {n}") },
        ]})
    };
    let (one, two) = tokio::join!(
        db.post("append_turn", Some(&jwt), turn(1)),
        db.post("append_turn", Some(&jwt), turn(2))
    );
    assert_eq!((one.status, two.status), (StatusCode::OK, StatusCode::OK));
    let got = db
        .post("get_conversation", Some(&jwt), json!({ "id": id }))
        .await;
    let messages = got.body["messages"].as_array().unwrap();
    let seqs: Vec<i64> = messages
        .iter()
        .map(|m| m["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    // Each turn's question is followed by its own answer.
    for pair in messages.chunks(2) {
        let q = pair[0]["content"].as_str().unwrap().replace("question", "");
        let a = pair[1]["content"].as_str().unwrap().replace("answer", "");
        assert_eq!(q, a);
    }
    assert_eq!(got.body["conversation"]["message_count"], 4);

    let mut keyed = turn(3);
    keyed["idempotency_key"] = json!("retry-1");
    let (first, second) = tokio::join!(
        db.post("append_turn", Some(&jwt), keyed.clone()),
        db.post("append_turn", Some(&jwt), keyed)
    );
    assert_eq!(
        first.body, second.body,
        "a retried turn returns the first result"
    );
    let got = db
        .post("get_conversation", Some(&jwt), json!({ "id": id }))
        .await;
    assert_eq!(got.body["messages"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn refresh_rotation_detects_reuse_and_revokes_the_family() {
    let Some(db) = fresh().await else { return };
    let alice = db.account("alice@example.com").await;
    let svc = service();
    let (h1, h2, h3) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
    let family = "11111111-1111-1111-1111-111111111111";
    let expires = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let s1 = db
        .post("create_session", Some(&svc), json!({ "account_id": alice, "family_id": family, "refresh_hash": h1, "expires_at": expires }))
        .await;
    assert_eq!(s1.status, StatusCode::OK, "{}", s1.body);
    let rotated = db
        .post(
            "rotate_session",
            Some(&svc),
            json!({ "refresh_hash": h1, "new_refresh_hash": h2, "expires_at": expires }),
        )
        .await;
    assert_eq!(rotated.body["status"], "rotated");
    let new_id = rotated.body["session"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        db.post("session_active", Some(&svc), json!({ "id": new_id }))
            .await
            .body,
        json!(true)
    );

    // The old token again: reuse. The family is revoked, and stays revoked.
    let reused = db
        .post(
            "rotate_session",
            Some(&svc),
            json!({ "refresh_hash": h1, "new_refresh_hash": h3, "expires_at": expires }),
        )
        .await;
    assert_eq!(reused.body["status"], "reused");
    assert_eq!(
        db.post("session_active", Some(&svc), json!({ "id": new_id }))
            .await
            .body,
        json!(false)
    );
    let after = db
        .post(
            "rotate_session",
            Some(&svc),
            json!({ "refresh_hash": h2, "new_refresh_hash": h3, "expires_at": expires }),
        )
        .await;
    assert_eq!(after.body["status"], "revoked");
}

/// PostgREST's error content type, on every error it answers.
const JSON_UTF8: &str = "application/json; charset=utf-8";

#[tokio::test]
async fn errors_answer_json_with_a_utf8_charset() {
    let Some(db) = fresh().await else { return };
    let unknown = db.post("no_such_function", None, json!({})).await;
    let denied = db.post("create_conversation", None, json!({})).await;
    let bad_json = answer(
        db.http
            .post(format!("{}/rpc/create_conversation", db.base))
            .body("{not json"),
    );
    let bad_json = bad_json.await;
    for (what, a) in [
        ("PGRST202", unknown),
        ("42501", denied),
        ("PGRST102", bad_json),
    ] {
        assert_eq!(a.body["code"], what, "{}", a.body);
        assert_eq!(a.content_type, JSON_UTF8, "{what}");
    }
}

#[tokio::test]
async fn a_json_array_body_calls_the_function_once_with_its_first_object() {
    let Some(db) = fresh().await else { return };
    db.sql(
        "create table public.calls (n int);
         grant insert on public.calls to anon;
         create function public.add_them(a int, b int) returns int language sql as $$
           insert into public.calls values (1); select a + b $$;",
    )
    .await;
    let body = json!([{ "a": 1, "b": 2 }, { "a": 4, "b": 6 }, { "a": 100, "b": 200 }]);
    let plain = db.post("add_them", None, body.clone()).await;
    assert_eq!((plain.status, plain.body), (StatusCode::OK, json!(3)));
    // PostgREST dropped `params=multiple-objects`; the preference changes nothing.
    let preferring = answer(
        db.http
            .post(format!("{}/rpc/add_them", db.base))
            .header("prefer", "params=multiple-objects")
            .json(&body),
    )
    .await;
    assert_eq!(
        (preferring.status, preferring.body),
        (StatusCode::OK, json!(3))
    );
    assert_eq!(db.count("select count(*) from public.calls").await, 2);
}

#[tokio::test]
async fn a_raise_with_pt_not_followed_by_three_digits_answers_500() {
    let Some(db) = fresh().await else { return };
    db.sql(
        "create function public.raise_bad_pt() returns void language plpgsql as $$
           begin raise sqlstate 'PT40A' using message = 'Wrong'; end $$;
         create function public.raise_pt402() returns void language plpgsql as $$
           begin raise sqlstate 'PT402' using message = 'Payment Required'; end $$;",
    )
    .await;
    let bad = db.post("raise_bad_pt", None, json!({})).await;
    assert_eq!(
        bad.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        bad.body
    );
    assert_eq!(
        bad.body,
        json!({ "code": "PT40A", "message": "Wrong", "details": null, "hint": null })
    );
    let good = db.post("raise_pt402", None, json!({})).await;
    assert_eq!(good.status, StatusCode::PAYMENT_REQUIRED);
}

#[tokio::test]
async fn a_singular_request_without_exactly_one_row_answers_pgrst116() {
    let Some(db) = fresh().await else { return };
    db.sql(
        "create function public.numbers(n int) returns setof int language sql as $$
           select generate_series(1, n) $$;",
    )
    .await;
    for (n, rows) in [(0, "0"), (2, "2")] {
        let a = answer(
            db.http
                .post(format!("{}/rpc/numbers", db.base))
                .header("accept", "application/vnd.pgrst.object+json")
                .json(&json!({ "n": n })),
        )
        .await;
        assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE);
        assert_eq!(
            a.body,
            json!({
                "code": "PGRST116",
                "message": "Cannot coerce the result to a single JSON object",
                "details": format!("The result contains {rows} rows"),
                "hint": null,
            })
        );
    }
}

#[tokio::test]
async fn a_char_argument_keeps_its_value_and_the_column_names_its_own_length() {
    let Some(db) = fresh().await else { return };
    db.sql(
        "create table public.codes (code char(5));
         grant insert on public.codes to anon;
         create function public.char_param_select(code char(5)) returns text language sql as $$
           select code $$;
         create function public.char_param_insert(code char(5)) returns void language sql as $$
           insert into public.codes values (code) $$;",
    )
    .await;
    let echoed = db
        .post("char_param_select", None, json!({ "code": "abcdefg" }))
        .await;
    assert_eq!(
        (echoed.status, echoed.body),
        (StatusCode::OK, json!("abcdefg"))
    );
    let stored = db
        .post("char_param_insert", None, json!({ "code": "abcdefg" }))
        .await;
    assert_eq!(stored.status, StatusCode::BAD_REQUEST);
    assert_eq!(stored.body["code"], "22001");
    assert_eq!(
        stored.body["message"],
        "value too long for type character(5)"
    );
}

#[tokio::test]
async fn delete_put_and_patch_on_a_function_answer_pgrst101() {
    let Some(db) = fresh().await else { return };
    for method in [
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
    ] {
        let a = answer(db.http.request(
            method.clone(),
            format!("{}/rpc/list_conversations", db.base),
        ))
        .await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(a.content_type, JSON_UTF8, "{method}");
        assert_eq!(
            a.body,
            json!({
                "code": "PGRST101",
                "message": format!("Cannot use the {method} method on RPC"),
                "details": null,
                "hint": null,
            })
        );
    }
}

#[tokio::test]
async fn functions_with_out_parameters_answer_objects_named_after_them() {
    let Some(db) = fresh().await else { return };
    db.sql(
        "create function public.single_out_param(num int, out num_plus_one int) language sql as $$
           select num + 1 $$;
         create function public.single_inout_param(inout num int) language sql as $$
           select num + 1 $$;
         create function public.many_out_params(out num int, out str text) language sql as $$
           select 3, 'four' $$;
         create function public.single_column_table_return() returns table (a text) language sql as $$
           select 'A' $$;",
    )
    .await;
    for (function, args, expected) in [
        (
            "single_out_param",
            json!({ "num": 5 }),
            json!({ "num_plus_one": 6 }),
        ),
        (
            "single_inout_param",
            json!({ "num": 2 }),
            json!({ "num": 3 }),
        ),
        (
            "many_out_params",
            json!({}),
            json!({ "num": 3, "str": "four" }),
        ),
        (
            "single_column_table_return",
            json!({}),
            json!([{ "a": "A" }]),
        ),
    ] {
        let a = db.post(function, None, args).await;
        assert_eq!((a.status, a.body), (StatusCode::OK, expected), "{function}");
    }
}

#[tokio::test]
async fn postgrest_bridge_listens_where_pgrst_server_host_and_port_say() {
    let Some(db) = fresh().await else { return };
    let port = tests::free_port();
    let vars = std::collections::HashMap::from([
        ("PGRST_DB_URI", db.url.clone()),
        ("PGRST_DB_ANON_ROLE", "anon".to_owned()),
        ("PGRST_JWT_SECRET", SECRET.to_owned()),
        ("PGRST_SERVER_HOST", "127.0.0.1".to_owned()),
        ("PGRST_SERVER_PORT", port.to_string()),
    ]);
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(chatpassagens::postgrest_bridge::serve(
        move |k| vars.get(k).cloned(),
        None,
        move |addr| {
            let _ = tx.send(addr);
        },
    ));
    let bound = rx.await.expect("the bridge binds");
    assert_eq!(bound.to_string(), format!("127.0.0.1:{port}"));
    let a = answer(
        db.http
            .post(format!("http://127.0.0.1:{port}/rpc/no_such_function")),
    )
    .await;
    assert_eq!(a.body["code"], "PGRST202");
    // A malformed port names the variable and the value.
    let err = chatpassagens::postgrest_bridge::listen_address(|k| {
        (k == "PGRST_SERVER_PORT").then(|| "http".to_owned())
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "PGRST_SERVER_PORT: not a port number 'http'"
    );
}

#[tokio::test]
async fn a_failing_test_drops_its_database_and_leaves_other_runs_databases_alone() {
    if !service_available("PostgreSQL", PG_ADDR) {
        return;
    }
    let admin = postgres_admin().await;
    // Another run's database, as a concurrent `cargo test` (another process
    // id) would have it; guarded, so this test leaves it behind in no case.
    let name = format!(
        "cp_test_1{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    admin
        .batch_execute(&format!("create database \"{name}\""))
        .await
        .unwrap();
    let other = TestDatabase {
        url: format!("postgres://postgres@127.0.0.1:5432/{name}"),
        name,
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let failed = tokio::spawn(async move {
        let db = fresh().await.expect("PostgreSQL answered a moment ago");
        let _ = tx.send(db.database.name.clone());
        panic!("a test failing while it holds its database");
    })
    .await;
    assert!(failed.is_err());
    let mine = rx.await.unwrap();
    let count = "select count(*) from pg_database where datname = $1";
    let mine_left: i64 = admin.query_one(count, &[&mine]).await.unwrap().get(0);
    let other_left: i64 = admin.query_one(count, &[&other.name]).await.unwrap().get(0);
    assert_eq!(mine_left, 0, "{mine} was left behind");
    assert_eq!(other_left, 1, "another run's {} was dropped", other.name);
}
