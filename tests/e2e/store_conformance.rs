//! One conformance suite for every store adapter: the same scenarios run
//! against `memory` and against `postgrest` over the bridge on the real
//! PostgreSQL (a fresh, migrated database per run).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use shared::domain::{
    ConversationId, Cursor, Email, IdempotencyKey, JsonText, NewMessage, Role, Title, UserId,
};
use shared::store::{
    AccountStore, Caller, HistoryStore, MemoryStore, MemoryWatchStore, PostgrestStore, Rotation,
    StoreError,
};
use uuid::Uuid;

use crate::postgrest::{fresh, service, user};
use crate::watch_conformance::{WatchKit, limit_scenario, refresh_scenario, watches_scenario};

struct Kit {
    accounts: Arc<dyn AccountStore>,
    history: Arc<dyn HistoryStore>,
    watch: WatchKit,
    /// Makes the caller an adapter needs (the token is what PostgREST checks).
    caller: fn(UserId) -> Caller,
}

fn memory() -> Kit {
    let store = Arc::new(MemoryStore::default());
    let watches = Arc::new(MemoryWatchStore::with_accounts(store.clone()));
    Kit {
        accounts: store.clone(),
        history: store,
        watch: WatchKit {
            watches: watches.clone(),
            refresh: watches,
        },
        caller: |id| Caller {
            user_id: id,
            token: String::new(),
        },
    }
}

fn message(role: Role, content: &str) -> NewMessage {
    NewMessage {
        role,
        content: content.to_owned(),
        tool_calls: None,
        tool_results: None,
    }
}

async fn account(kit: &Kit, email: &str) -> Caller {
    let a = kit
        .accounts
        .create_account(&Email::parse(email).unwrap(), "$argon2id$v=19$stub")
        .await
        .unwrap();
    (kit.caller)(a.id)
}

async fn accounts_scenario(kit: &Kit) {
    let email = Email::parse("Ana@Example.com").unwrap();
    let created = kit
        .accounts
        .create_account(&email, "$argon2id$hash")
        .await
        .unwrap();
    assert_eq!(created.email, "ana@example.com");
    assert!(matches!(
        kit.accounts.create_account(&email, "other").await,
        Err(StoreError::Conflict(_))
    ));
    let found = kit
        .accounts
        .account_by_email(&email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.id, found.password_hash.as_str()),
        (created.id, "$argon2id$hash")
    );
    assert!(
        kit.accounts
            .account_by_email(&Email::parse("nobody@example.com").unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

async fn sessions_scenario(kit: &Kit) {
    let who = account(kit, "sessions@example.com").await;
    let later = Utc::now() + chrono::Duration::days(30);
    let family = Uuid::new_v4();
    let (h1, h2, h3) = ("1".repeat(64), "2".repeat(64), "3".repeat(64));
    let first = kit
        .accounts
        .create_session(who.user_id, family, &h1, later)
        .await
        .unwrap();
    assert!(kit.accounts.session_active(first.id).await.unwrap());
    let Rotation::Rotated {
        session: second,
        email,
    } = kit.accounts.rotate_session(&h1, &h2, later).await.unwrap()
    else {
        panic!("first exchange rotates");
    };
    assert_eq!((second.family_id, second.account_id), (family, who.user_id));
    assert_eq!(email, "sessions@example.com");
    assert_eq!(
        kit.accounts.rotate_session(&h1, &h3, later).await.unwrap(),
        Rotation::Reused { family },
        "reuse names the family it signed out"
    );
    assert!(
        !kit.accounts.session_active(second.id).await.unwrap(),
        "reuse revokes the family"
    );
    assert_eq!(
        kit.accounts.rotate_session(&h2, &h3, later).await.unwrap(),
        Rotation::Revoked
    );
    assert_eq!(
        kit.accounts
            .rotate_session(&"9".repeat(64), &h3, later)
            .await
            .unwrap(),
        Rotation::Unknown
    );

    let (h4, h5) = ("4".repeat(64), "5".repeat(64));
    let other = Uuid::new_v4();
    let past = Utc::now() - chrono::Duration::seconds(1);
    kit.accounts
        .create_session(who.user_id, other, &h4, past)
        .await
        .unwrap();
    assert_eq!(
        kit.accounts.rotate_session(&h4, &h5, later).await.unwrap(),
        Rotation::Expired
    );

    let (h6, h7) = ("6".repeat(64), "7".repeat(64));
    let third = Uuid::new_v4();
    let s = kit
        .accounts
        .create_session(who.user_id, third, &h6, later)
        .await
        .unwrap();
    assert!(kit.accounts.revoke_family(third).await.unwrap());
    assert!(!kit.accounts.session_active(s.id).await.unwrap());
    assert_eq!(
        kit.accounts.rotate_session(&h6, &h7, later).await.unwrap(),
        Rotation::Revoked
    );
    assert!(
        !kit.accounts.revoke_family(third).await.unwrap(),
        "nothing left to revoke"
    );
}

async fn history_scenario(kit: &Kit) {
    let ana = account(kit, "ana-history@example.com").await;
    let bia = account(kit, "bia-history@example.com").await;
    let h = &kit.history;

    let first = h
        .create_conversation(&ana, Some(&Title::parse("Lisboa em março").unwrap()))
        .await
        .unwrap();
    assert_eq!(first.title.as_deref(), Some("Lisboa em março"));
    assert_eq!((first.user_id, first.message_count), (ana.user_id, 0));
    let second = h.create_conversation(&ana, None).await.unwrap();
    assert_eq!(second.title, None);

    let turn = [
        message(Role::User, "quero ir a Lisboa"),
        message(Role::Assistant, "Encontrei 12 voos"),
    ];
    let stored = h.append_turn(&ana, first.id, &turn, None).await.unwrap();
    assert_eq!(stored.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2]);
    let mut tool = message(Role::Tool, "");
    tool.tool_results = Some(JsonText::from(&json!({ "offers": 12 })));
    let stored = h
        .append_turn(
            &ana,
            first.id,
            &[message(Role::User, "e em abril?"), tool],
            None,
        )
        .await
        .unwrap();
    assert_eq!(stored.iter().map(|m| m.seq).collect::<Vec<_>>(), [3, 4]);

    let detail = h.conversation(&ana, first.id).await.unwrap();
    assert_eq!(detail.conversation.message_count, 4);
    assert_eq!(
        detail
            .messages
            .iter()
            .map(|m| m.content.as_str())
            .collect::<Vec<_>>(),
        ["quero ir a Lisboa", "Encontrei 12 voos", "e em abril?", ""]
    );
    let results = detail.messages[3].tool_results.as_ref().map(JsonText::read);
    assert_eq!(results.transpose().unwrap(), Some(json!({ "offers": 12 })));
    assert_eq!(detail.messages[1].role, Role::Assistant);

    // Newest activity first: the conversation with new turns leads.
    let list = h.list_conversations(&ana, 20, None).await.unwrap();
    assert_eq!(
        list.iter().map(|c| c.id).collect::<Vec<_>>(),
        [first.id, second.id]
    );
    let page1 = h.list_conversations(&ana, 1, None).await.unwrap();
    let cursor = Cursor {
        updated_at: page1[0].updated_at,
        id: page1[0].id,
    };
    let page2 = h.list_conversations(&ana, 1, Some(cursor)).await.unwrap();
    assert_eq!((page1[0].id, page2[0].id), (first.id, second.id));
    let last = Cursor {
        updated_at: page2[0].updated_at,
        id: page2[0].id,
    };
    assert!(
        h.list_conversations(&ana, 1, Some(last))
            .await
            .unwrap()
            .is_empty()
    );

    let renamed = h
        .rename_conversation(&ana, second.id, &Title::parse("Nova York").unwrap())
        .await
        .unwrap();
    assert_eq!(renamed.title.as_deref(), Some("Nova York"));

    // Another user reaches nothing, and cannot tell "not yours" from "missing".
    assert!(
        h.list_conversations(&bia, 20, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        h.conversation(&bia, first.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        h.rename_conversation(&bia, first.id, &Title::parse("x").unwrap())
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        h.delete_conversation(&bia, first.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        h.append_turn(&bia, first.id, &turn, None).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        h.conversation(&ana, ConversationId::random()).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        h.conversation(&ana, first.id).await.unwrap().messages.len(),
        4,
        "nothing of Ana's changed"
    );

    h.delete_conversation(&ana, second.id).await.unwrap();
    assert!(matches!(
        h.conversation(&ana, second.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        h.delete_conversation(&ana, second.id).await,
        Err(StoreError::NotFound)
    ));
}

async fn idempotency_and_concurrency_scenario(kit: &Kit) {
    let ana = account(kit, "ana-concurrency@example.com").await;
    let h = &kit.history;
    let conv = h.create_conversation(&ana, None).await.unwrap();
    let turn = [message(Role::User, "oi"), message(Role::Assistant, "olá")];
    assert!(h.turn_by_key(&ana, &key("key-1")).await.unwrap().is_none());
    let a = h
        .append_turn(&ana, conv.id, &turn, Some(&key("key-1")))
        .await
        .unwrap();
    let b = h
        .append_turn(&ana, conv.id, &turn, Some(&key("key-1")))
        .await
        .unwrap();
    assert_eq!(a, b, "a retried turn returns the first result");
    assert_eq!(a[0].idempotency_key.as_ref(), Some(&key("key-1")));
    let found = h
        .turn_by_key(&ana, &key("key-1"))
        .await
        .unwrap()
        .expect("the keyed turn");
    assert_eq!(
        (found.conversation.id, found.messages.clone()),
        (conv.id, a.clone())
    );
    let bia = account(kit, "bia-concurrency@example.com").await;
    assert!(
        h.turn_by_key(&bia, &key("key-1")).await.unwrap().is_none(),
        "keys are per user"
    );
    assert_eq!(
        h.conversation(&ana, conv.id).await.unwrap().messages.len(),
        2
    );

    let turns = (0..8).map(|i| {
        let h = h.clone();
        let ana = ana.clone();
        tokio::spawn(async move {
            let t = [
                message(Role::User, &format!("q{i}")),
                message(Role::Assistant, &format!("a{i}")),
            ];
            h.append_turn(&ana, conv.id, &t, None).await
        })
    });
    for t in futures_join(turns).await {
        t.unwrap();
    }
    let detail = h.conversation(&ana, conv.id).await.unwrap();
    let seqs: Vec<i32> = detail.messages.iter().map(|m| m.seq).collect();
    assert_eq!(
        seqs,
        (1..=18).collect::<Vec<_>>(),
        "every turn persisted, no gaps"
    );
    for pair in detail.messages[2..].chunks(2) {
        assert_eq!(
            pair[0].content.replace('q', ""),
            pair[1].content.replace('a', ""),
            "each turn stays together"
        );
    }
}

async fn start_conversation_scenario(kit: &Kit) {
    let ana = account(kit, "ana-start@example.com").await;
    let bia = account(kit, "bia-start@example.com").await;
    let h = &kit.history;
    let turn = [
        message(Role::User, "de SP para Lisboa"),
        message(Role::Assistant, "Quando?"),
    ];
    let title = Title::parse("São Paulo → Lisboa").unwrap();
    let started = h
        .start_conversation(&ana, Some(&title), &turn, None)
        .await
        .unwrap();
    assert_eq!(
        started.conversation.title.as_deref(),
        Some("São Paulo → Lisboa")
    );
    assert_eq!(
        started.messages.iter().map(|m| m.seq).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(matches!(
        h.start_conversation(&ana, None, &[], None).await,
        Err(StoreError::Invalid(_))
    ));

    // Concurrent retries of one first turn: one conversation, one turn.
    let before = h.list_conversations(&ana, 100, None).await.unwrap().len();
    let tries = (0..4).map(|_| {
        let (h, ana, turn) = (h.clone(), ana.clone(), turn.clone());
        tokio::spawn(async move {
            h.start_conversation(&ana, None, &turn, Some(&key("first-turn")))
                .await
        })
    });
    let results: Vec<_> = futures_join(tries)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(
        results.windows(2).all(|w| w[0] == w[1]),
        "every retry answers the first result"
    );
    assert_eq!(
        h.list_conversations(&ana, 100, None).await.unwrap().len(),
        before + 1
    );
    // The same key from another user is that user's own.
    let other = h
        .start_conversation(&bia, None, &turn, Some(&key("first-turn")))
        .await
        .unwrap();
    assert_ne!(other.conversation.id, results[0].conversation.id);
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

async fn run_all(kit: Kit) {
    accounts_scenario(&kit).await;
    sessions_scenario(&kit).await;
    history_scenario(&kit).await;
    idempotency_and_concurrency_scenario(&kit).await;
    start_conversation_scenario(&kit).await;
    let ana = account(&kit, "ana-watches@example.com").await;
    let bia = account(&kit, "bia-watches@example.com").await;
    watches_scenario(&kit.watch, &ana, &bia).await;
    limit_scenario(&kit.watch, &ana).await;
    refresh_scenario(&kit.watch, &ana, &bia).await;
}

#[tokio::test]
async fn memory_store_conforms() {
    run_all(memory()).await;
}

#[tokio::test]
async fn postgrest_store_over_the_bridge_on_postgresql_conforms() {
    let Some(db) = fresh().await else { return };
    let store = Arc::new(
        PostgrestStore::new(
            &db.base,
            "anon-key",
            Some(&service()),
            Duration::from_secs(5),
        )
        .unwrap(),
    );
    run_all(Kit {
        accounts: store.clone(),
        history: store.clone(),
        watch: WatchKit {
            watches: store.clone(),
            refresh: store,
        },
        caller: |id| Caller {
            user_id: id,
            token: user(&id.to_string()),
        },
    })
    .await;
}

fn key(text: &str) -> IdempotencyKey {
    IdempotencyKey::parse(text).unwrap()
}
