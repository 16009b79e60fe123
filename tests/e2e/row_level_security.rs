//! Row-level security attacked the way another user would: as
//! `authenticated` with Bob's JWT claims (and as `anon`), straight on every
//! table in `public` (what Supabase's table endpoints expose), and through
//! every function in `public` over the bridge, against Alice's rows. Tables
//! and functions are read from the catalogue, so one added later is attacked
//! too, and a table without row-level security fails here by name.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_postgres::Client;

use crate::postgrest::{Db, fresh, service, user};

/// What Alice wrote: never passed by an attacker, so seeing it is a leak.
const ALICE_MESSAGE: &str = "alice-secret-message";

/// Alice's rows as text (with their ctid, so a row rewritten in place
/// shows), by table.
type Rows = BTreeMap<String, Vec<String>>;

/// Alice's account and the rows she owns, as a superuser sees them.
struct Victim {
    id: String,
    /// Values only Alice's rows hold (ids, e-mail, texts): none may reach Bob.
    secrets: Vec<String>,
    /// Ids of Alice's rows (not her own id): a row pointing at one is hers.
    row_ids: Vec<String>,
}

/// A table of `public` as the catalogue describes it.
struct Table {
    name: String,
    kind: String,
    row_security: bool,
    /// Primary-key columns that fill themselves (a default), left out of forged rows.
    generated_key: Vec<String>,
}

/// Who attacks: the role and the claims PostgREST would set for them.
struct Attacker {
    role: &'static str,
    claims: Value,
    /// The JWT the bridge is called with (none for anon).
    jwt: Option<String>,
    /// Bob's id, for rows forged to look like his own.
    id: Option<String>,
}

async fn connect(db: &Db) -> Client {
    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

/// Alice with a conversation, a turn under an idempotency key and a
/// session; Bob with a conversation and a message of his own (so RLS has
/// rows to allow, and rows he could try to move into Alice's).
async fn alice_and_bob(db: &Db) -> (Victim, String) {
    let alice = db.account("alice@example.com").await;
    let bob = db.account("bob@example.com").await;
    let conv = db
        .post(
            "create_conversation",
            Some(&user(&alice)),
            json!({ "title": "Alice's trip" }),
        )
        .await;
    let conv_id = conv.body["id"].as_str().unwrap().to_owned();
    let turn = json!({ "conversation_id": conv_id, "idempotency_key": "alice-key-1",
        "messages": [{ "role": "user", "content": ALICE_MESSAGE }] });
    let turned = db.post("append_turn", Some(&user(&alice)), turn).await;
    assert_eq!(turned.status, StatusCode::OK, "{}", turned.body);
    let session = json!({ "account_id": alice, "family_id": "22222222-2222-2222-2222-222222222222",
        "refresh_hash": "a".repeat(64), "expires_at": (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339() });
    let made = db.post("create_session", Some(&service()), session).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let bobs = db
        .post(
            "start_conversation",
            Some(&user(&bob)),
            json!({ "title": "Bob's",
            "messages": [{ "role": "user", "content": "bob's own" }] }),
        )
        .await;
    assert_eq!(bobs.status, StatusCode::OK, "{}", bobs.body);
    let client = connect(db).await;
    let row_ids = alice_row_ids(&client, &alice).await;
    let mut secrets = vec![
        alice.clone(),
        "alice@example.com".to_owned(),
        ALICE_MESSAGE.to_owned(),
        "alice-key-1".to_owned(),
        "a".repeat(64),
        "22222222-2222-2222-2222-222222222222".to_owned(),
    ];
    secrets.extend(row_ids.iter().cloned());
    (
        Victim {
            id: alice,
            secrets,
            row_ids,
        },
        bob,
    )
}

/// The `id` of every row, in any table, that holds Alice's id.
async fn alice_row_ids(client: &Client, alice: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for table in tables(client).await {
        let rows = client
            .query(
                &format!(
                    "select to_jsonb(t) ->> 'id' from public.{} t where t::text like '%' || $1 || '%'",
                    table.name
                ),
                &[&alice],
            )
            .await
            .unwrap();
        ids.extend(
            rows.iter()
                .filter_map(|r| r.get::<_, Option<String>>(0))
                .filter(|id| id != alice),
        );
    }
    ids
}

/// Every relation of `public` a client could reach.
async fn tables(client: &Client) -> Vec<Table> {
    client
        .query(
            "select c.relname::text, c.relkind::text, c.relrowsecurity, \
                    array(select a.attname::text from pg_index i \
                          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey) \
                          where i.indrelid = c.oid and i.indisprimary and a.atthasdef) \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f') \
             order by 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| Table {
            name: r.get(0),
            kind: r.get(1),
            row_security: r.get(2),
            generated_key: r.get(3),
        })
        .collect()
}

/// Alice's rows of every table, as text, keyed by table: what must not change.
async fn alice_rows(client: &Client, alice: &str) -> Rows {
    let mut all = BTreeMap::new();
    for table in tables(client).await {
        let rows = client
            .query(
                &format!(
                    "select ctid::text || ' ' || t::text from public.{} t \
                     where t::text like '%' || $1 || '%' order by 1",
                    table.name
                ),
                &[&alice],
            )
            .await
            .unwrap();
        all.insert(table.name, rows.iter().map(|r| r.get(0)).collect());
    }
    all
}

fn attackers(bob: &str) -> [Attacker; 2] {
    [
        Attacker {
            role: "authenticated",
            claims: json!({ "sub": bob, "role": "authenticated", "aud": "authenticated" }),
            jwt: Some(user(bob)),
            id: Some(bob.to_owned()),
        },
        Attacker {
            role: "anon",
            claims: json!({ "role": "anon" }),
            jwt: None,
            id: None,
        },
    ]
}

#[tokio::test]
async fn every_table_in_public_has_row_level_security_and_no_view_bypasses_it() {
    let Some(db) = fresh().await else { return };
    let client = connect(&db).await;
    for table in tables(&client).await {
        if matches!(table.kind.as_str(), "r" | "p") {
            assert!(
                table.row_security,
                "table public.{} has no row-level security",
                table.name
            );
            continue;
        }
        // A view runs as its owner unless security_invoker: RLS would not apply.
        let open: bool = client
            .query_one(
                "select (has_table_privilege('anon', c.oid, 'select, insert, update, delete') \
                      or has_table_privilege('authenticated', c.oid, 'select, insert, update, delete')) \
                    and not coalesce(c.reloptions @> '{security_invoker=true}', false) \
                 from pg_class c where c.oid = ('public.' || quote_ident($1))::regclass",
                &[&table.name],
            )
            .await
            .unwrap()
            .get(0);
        assert!(
            !open,
            "view public.{} bypasses row-level security",
            table.name
        );
    }
}

/// Runs `statement` as the attacker in a transaction of its own; then, as
/// the superuser in that same transaction, reads Alice's rows; rolls back.
/// Returns the attacker's result and Alice's rows after it (`None` when the
/// statement failed, which aborted the transaction and so changed nothing).
async fn as_attacker(
    client: &Client,
    attacker: &Attacker,
    victim: &Victim,
    statement: &str,
    param: Option<&str>,
) -> (Result<Vec<String>, String>, Option<Rows>) {
    client
        .batch_execute(&format!(
            "begin; set local role {}; select set_config('request.jwt.claims', '{}', true);",
            attacker.role, attacker.claims
        ))
        .await
        .unwrap();
    let outcome = match param {
        Some(p) => client.query(statement, &[&p]).await,
        None => client.query(statement, &[]).await,
    };
    let result = outcome
        .map(|rows| {
            rows.iter()
                .map(|r| r.try_get::<_, String>(0).unwrap_or_default())
                .collect()
        })
        .map_err(|e| {
            e.code()
                .map_or_else(|| e.to_string(), |c| c.code().to_owned())
        });
    let after = if result.is_ok() {
        client.batch_execute("reset role").await.unwrap();
        Some(alice_rows(client, &victim.id).await)
    } else {
        None
    };
    client.batch_execute("rollback").await.unwrap();
    (result, after)
}

/// The columns of `table` the attacker's role holds `privilege` on.
async fn columns(client: &Client, role: &str, table: &str, privilege: &str) -> Vec<String> {
    client
        .query(
            "select quote_ident(a.attname) from pg_attribute a \
             where a.attrelid = ('public.' || quote_ident($1))::regclass and a.attnum > 0 \
               and not a.attisdropped and has_column_privilege($2, a.attrelid, a.attnum, $3) \
             order by a.attnum",
            &[&table, &role, &privilege],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn another_user_reads_changes_and_forges_nothing_of_alices_in_any_table() {
    let Some(db) = fresh().await else { return };
    let (victim, bob) = alice_and_bob(&db).await;
    let client = connect(&db).await;
    let before = alice_rows(&client, &victim.id).await;
    for attacker in attackers(&bob) {
        for table in tables(&client).await {
            if !matches!(table.kind.as_str(), "r" | "p") {
                continue;
            }
            read(&client, &attacker, &victim, &table).await;
            update_and_delete(&client, &attacker, &victim, &table, &before).await;
            move_into_hers(&client, &attacker, &victim, &table).await;
            forge(&client, &attacker, &victim, &table).await;
        }
    }
    assert_eq!(alice_rows(&client, &victim.id).await, before);
}

/// Everything the attacker can select from `table` holds none of Alice's values.
async fn read(client: &Client, attacker: &Attacker, victim: &Victim, table: &Table) {
    let visible = columns(client, attacker.role, &table.name, "SELECT").await;
    if visible.is_empty() {
        return;
    }
    let sql = format!(
        "select row({})::text from public.{} t",
        visible.join(", "),
        table.name
    );
    let (seen, _) = as_attacker(client, attacker, victim, &sql, None).await;
    for row in seen.unwrap_or_default() {
        let leaked: Vec<&String> = victim.secrets.iter().filter(|s| row.contains(*s)).collect();
        assert!(
            leaked.is_empty(),
            "{} reads Alice's {leaked:?} in public.{}: {row}",
            attacker.role,
            table.name
        );
    }
}

/// Updating or deleting every row the attacker can reach leaves Alice's
/// rows as they were (not even rewritten in place).
async fn update_and_delete(
    client: &Client,
    attacker: &Attacker,
    victim: &Victim,
    table: &Table,
    before: &Rows,
) {
    let updatable = columns(client, attacker.role, &table.name, "UPDATE").await;
    let mut statements = vec![format!("delete from public.{}", table.name)];
    if let Some(column) = updatable.first() {
        statements.push(format!(
            "update public.{} set {column} = {column}",
            table.name
        ));
    }
    for sql in statements {
        let (_, after) = as_attacker(client, attacker, victim, &sql, None).await;
        if let Some(after) = after {
            assert_eq!(&after, before, "{} ran `{sql}`", attacker.role);
        }
    }
}

/// Pointing the attacker's own rows at Alice's (every foreign-key column he
/// may update, set to each of her ids) is refused or reaches no row.
async fn move_into_hers(client: &Client, attacker: &Attacker, victim: &Victim, table: &Table) {
    let updatable = columns(client, attacker.role, &table.name, "UPDATE").await;
    let references: Vec<String> = client
        .query(
            "select quote_ident(a.attname) from pg_constraint c \
             join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1] \
             where c.conrelid = ('public.' || quote_ident($1))::regclass \
               and c.contype = 'f' and cardinality(c.conkey) = 1",
            &[&table.name],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .filter(|c| updatable.contains(c))
        .collect();
    let mut targets = victim.row_ids.clone();
    targets.push(victim.id.clone());
    for column in references {
        for target in &targets {
            let sql = format!(
                "update public.{} set {column} = $1::text::uuid returning 'moved'",
                table.name
            );
            let (result, _) = as_attacker(client, attacker, victim, &sql, Some(target)).await;
            // 23503: no such row to point at. A unique violation would mean
            // row-level security let the move through.
            assert!(
                match &result {
                    Ok(moved) => moved.is_empty(),
                    Err(code) => code == "42501" || code == "23503",
                },
                "{} points public.{}.{column} at Alice's {target}: {result:?}",
                attacker.role,
                table.name
            );
        }
    }
}

/// Copies of Alice's rows inserted by the attacker, as hers and (for a
/// signed-in attacker) as his own still pointing at hers, are refused by
/// row-level security or privileges (42501), never stored.
async fn forge(client: &Client, attacker: &Attacker, victim: &Victim, table: &Table) {
    let rows = client
        .query(
            &format!(
                "select (to_jsonb(t) - $2::text[])::text from public.{} t \
                 where t::text like '%' || $1 || '%'",
                table.name
            ),
            &[&victim.id, &table.generated_key],
        )
        .await
        .unwrap();
    for row in rows {
        let as_hers: String = row.get(0);
        let mut forgeries = vec![as_hers.clone()];
        if let Some(bob) = &attacker.id {
            let as_his = as_hers.replace(&victim.id, bob);
            // Without anything of Alice's left, it is simply Bob's own row.
            if victim.row_ids.iter().any(|id| as_his.contains(id)) {
                forgeries.push(as_his);
            }
        }
        for forged in forgeries {
            let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(&forged)
                .unwrap()
                .keys()
                .map(|k| format!("\"{k}\""))
                .collect();
            let sql = format!(
                "insert into public.{0} ({1}) select {1} from jsonb_populate_record(null::public.{0}, $1::text::jsonb)",
                table.name,
                keys.join(", ")
            );
            let (result, _) = as_attacker(client, attacker, victim, &sql, Some(&forged)).await;
            assert_eq!(
                result,
                Err("42501".to_owned()),
                "{} inserts into public.{} (must be refused, 42501): {forged}",
                attacker.role,
                table.name
            );
        }
    }
}

/// A function of `public` and its IN arguments (name, type).
struct Function {
    name: String,
    args: Vec<(String, String)>,
}

async fn functions(client: &Client) -> Vec<Function> {
    client
        .query(
            "with arg as ( \
               select p.oid, coalesce(x.name, '') as name, x.type::regtype::text as type, x.i \
               from pg_proc p, unnest(p.proargnames, coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargmodes) \
                 with ordinality as x (name, type, mode, i) \
               where coalesce(x.mode, 'i') in ('i', 'b', 'v')) \
             select p.proname::text, \
                    array(select a.name from arg a where a.oid = p.oid order by a.i), \
                    array(select a.type from arg a where a.oid = p.oid order by a.i) \
             from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
             where n.nspname = 'public' and p.prokind = 'f' order by 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let names: Vec<String> = r.get(1);
            let types: Vec<String> = r.get(2);
            Function {
                name: r.get(0),
                args: names.into_iter().zip(types).collect(),
            }
        })
        .collect()
}

/// What an attacker would pass for an argument of `sql_type`: Alice's
/// values of that kind first, so every id and key of hers is tried.
fn candidates(sql_type: &str, victim: &Victim) -> Vec<Value> {
    let uuids = victim
        .secrets
        .iter()
        .filter(|s| uuid::Uuid::parse_str(s).is_ok());
    let texts = victim
        .secrets
        .iter()
        .filter(|s| uuid::Uuid::parse_str(s).is_err() && *s != ALICE_MESSAGE);
    match sql_type {
        "uuid" => uuids.map(|s| json!(s)).collect(),
        "text" | "character varying" => texts.map(|s| json!(s)).collect(),
        "jsonb" | "json" => vec![json!([{ "role": "user", "content": "bob was here" }])],
        "integer" | "bigint" | "smallint" => vec![json!(1)],
        "boolean" => vec![json!(true)],
        "timestamp with time zone" => {
            vec![json!(
                (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339()
            )]
        }
        _ => vec![Value::Null],
    }
}

/// Every call to try: each argument's first candidate, then each argument
/// through all of its candidates with the others at their first.
fn calls(function: &Function, victim: &Victim) -> Vec<serde_json::Map<String, Value>> {
    let options: Vec<(String, Vec<Value>)> = function
        .args
        .iter()
        .map(|(name, t)| (name.clone(), candidates(t, victim)))
        .collect();
    let base: serde_json::Map<String, Value> = options
        .iter()
        .map(|(name, values)| (name.clone(), values.first().cloned().unwrap_or(Value::Null)))
        .collect();
    let mut all = vec![base.clone()];
    for (name, values) in &options {
        for value in values.iter().skip(1) {
            let mut call = base.clone();
            call.insert(name.clone(), value.clone());
            all.push(call);
        }
    }
    all
}

#[tokio::test]
async fn another_user_reaches_nothing_of_alices_through_any_function() {
    let Some(db) = fresh().await else { return };
    let (victim, bob) = alice_and_bob(&db).await;
    let client = connect(&db).await;
    let before = alice_rows(&client, &victim.id).await;
    let mut tried = 0;
    let mut sent = String::new();
    for attacker in attackers(&bob) {
        for function in functions(&client).await {
            for args in calls(&function, &victim) {
                sent.push_str(&Value::Object(args.clone()).to_string());
                let args_text = Value::Object(args.clone()).to_string();
                let answer = db
                    .post(&function.name, attacker.jwt.as_deref(), Value::Object(args))
                    .await;
                let body = answer.body.to_string();
                let leaked: Vec<&String> = victim
                    .secrets
                    .iter()
                    .filter(|s| body.contains(*s) && !args_text.contains(*s))
                    // A text he sent may be stored in his own rows (a title,
                    // a key) and come back; an id of Alice's cannot be.
                    .filter(|s| uuid::Uuid::parse_str(s).is_ok() || !sent.contains(*s))
                    .collect();
                assert!(
                    leaked.is_empty(),
                    "{} calling {}({args_text}) gets Alice's {leaked:?}: {body}",
                    attacker.role,
                    function.name
                );
                tried += 1;
            }
        }
    }
    assert!(tried > 20, "only {tried} calls were tried");
    assert_eq!(alice_rows(&client, &victim.id).await, before);
    // Alice still finds her conversation as she left it.
    let conv = victim.row_ids.iter().find_map(|id| {
        before["conversations"]
            .iter()
            .any(|row| row.contains(id.as_str()))
            .then(|| id.clone())
    });
    let mine = db
        .post(
            "get_conversation",
            Some(&user(&victim.id)),
            json!({ "id": conv }),
        )
        .await;
    assert_eq!(mine.body["messages"][0]["content"], ALICE_MESSAGE);
}
