//! Listing conversations through the production `postgrest` adapter over the
//! local bridge, against the same SQL function called directly, on the real
//! PostgreSQL: the bridge's and adapter's own cost per RPC.
//! Run: `cargo run --release -p chatpassagens --example store_overhead`
//! (PostgreSQL at 127.0.0.1:5432, user postgres; makes a `cp_bench` database).

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use chatpassagens::postgrest_bridge::{Settings, role_token, router};
use shared::domain::Email;
use shared::store::{AccountStore, Caller, HistoryStore, PostgrestStore};
use tokio_postgres::NoTls;

const SECRET: &str = "bench-secret-with-at-least-32-characters";
const RUNS: usize = 300;

fn summary(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    format!(
        "median {:.3} ms, p90 {:.3} ms",
        ms[ms.len() / 2],
        ms[ms.len() * 9 / 10]
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (admin, conn) =
        tokio_postgres::connect("host=127.0.0.1 user=postgres dbname=postgres", NoTls).await?;
    tokio::spawn(conn);
    admin
        .batch_execute("drop database if exists cp_bench with (force)")
        .await?;
    admin.batch_execute("create database cp_bench").await?;
    let url = "postgres://postgres@127.0.0.1:5432/cp_bench";
    chatpassagens::migrate::run(url, std::path::Path::new("infra/supabase")).await?;

    let (store, caller, claims) = signed_in(url).await?;
    let mut via_bridge = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let page = store.list_conversations(&caller, 20, None).await?;
        via_bridge.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(page.len(), 20);
    }
    let via_sql = direct_calls(&claims).await?;
    println!("list_conversations (20 of 50), {RUNS} calls each:");
    println!(
        "  postgrest adapter over the bridge: {}",
        summary(via_bridge)
    );
    println!("  the same SQL, direct:              {}", summary(via_sql));
    let _ = admin
        .batch_execute("drop database if exists cp_bench with (force)")
        .await;
    Ok(())
}

/// The bridge over `url`, the adapter on it, and a traveller with 50
/// conversations: the store, the caller and the caller's JWT claims.
async fn signed_in(url: &str) -> anyhow::Result<(PostgrestStore, Caller, String)> {
    let settings = Settings {
        db_uri: url.to_owned(),
        schemas: vec!["public".to_owned()],
        anon_role: "anon".to_owned(),
        jwt_secret: SECRET.to_owned(),
        jwt_aud: Some("authenticated".to_owned()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = router(settings)?;
    tokio::spawn(async move { axum::serve(listener, app).await });

    let service = role_token("service_role", SECRET)?;
    let store = PostgrestStore::new(&base, "anon", Some(&service), Duration::from_secs(5))?;
    let email = Email::parse("bench@example.com").map_err(anyhow::Error::msg)?;
    let account = store.create_account(&email, "x").await?;
    let claims =
        serde_json::json!({ "sub": account.id, "role": "authenticated", "aud": "authenticated" });
    let key = jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes());
    let token = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key)?;
    let caller = Caller {
        user_id: account.id,
        token,
    };
    for _ in 0..50 {
        store.create_conversation(&caller, None).await?;
    }
    Ok((store, caller, claims.to_string()))
}

/// The same SQL function called directly, as the bridge would, `RUNS` times.
async fn direct_calls(claims: &str) -> anyhow::Result<Vec<f64>> {
    let (mut direct, conn) =
        tokio_postgres::connect("host=127.0.0.1 user=postgres dbname=cp_bench", NoTls).await?;
    tokio::spawn(conn);
    let mut via_sql = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let tx = direct.transaction().await?;
        tx.batch_execute("set local role authenticated").await?;
        tx.execute(
            "select set_config('request.jwt.claims', $1, true)",
            &[&claims],
        )
        .await?;
        let row = tx
            .query_one(
                "select coalesce(json_agg(c), '[]')::text from public.list_conversations(20) as c",
                &[],
            )
            .await?;
        tx.commit().await?;
        let _: String = row.get(0);
        via_sql.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(via_sql)
}
