use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    Account, AccountStore, Caller, HistoryStore, MAX_PAGE_SIZE, Rotation, Session, StoreError,
};
use crate::domain::{
    Conversation, ConversationDetail, ConversationId, Cursor, Email, IdempotencyKey, Message,
    MessageId, NewMessage, Title, UserId,
};

/// A session with what only the store knows about it.
#[derive(Clone)]
struct StoredSession {
    session: Session,
    refresh_hash: String,
    rotated_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl StoredSession {
    fn new(session: Session, refresh_hash: &str) -> Self {
        Self {
            session,
            refresh_hash: refresh_hash.to_owned(),
            rotated_at: None,
            revoked_at: None,
        }
    }
}

#[derive(Default)]
struct State {
    accounts: HashMap<UserId, Account>,
    sessions: HashMap<Uuid, StoredSession>,
    conversations: HashMap<ConversationId, Conversation>,
    messages: HashMap<ConversationId, Vec<Message>>,
    /// Which conversation holds a caller's turn stored under a key: a
    /// retry's lookup without scanning every message.
    keys: HashMap<(UserId, IdempotencyKey), ConversationId>,
    /// Messages held in all; bounded by [`MemoryStore::MAX_MESSAGES`].
    message_total: usize,
    /// Conversations by last update, oldest first: what eviction forgets
    /// first, found without scanning every conversation.
    by_age: BTreeSet<(DateTime<Utc>, ConversationId)>,
}

impl State {
    /// Files new messages of `conversation` (owned by `user`) and their key.
    fn add(&mut self, user: UserId, conversation: ConversationId, list: Vec<Message>) {
        if let Some(key) = list.first().and_then(|m| m.idempotency_key.clone()) {
            self.keys.insert((user, key), conversation);
        }
        self.message_total += list.len();
        self.messages.entry(conversation).or_default().extend(list);
    }

    /// Files a new conversation.
    fn insert(&mut self, conversation: Conversation) {
        self.by_age
            .insert((conversation.updated_at, conversation.id));
        self.conversations.insert(conversation.id, conversation);
    }

    /// Marks a conversation updated `at`.
    fn touch(&mut self, id: ConversationId, at: DateTime<Utc>) {
        if let Some(c) = self.conversations.get_mut(&id) {
            self.by_age.remove(&(c.updated_at, id));
            c.updated_at = at;
            self.by_age.insert((at, id));
        }
    }

    /// Removes a conversation with its messages and keys.
    fn remove(&mut self, id: ConversationId) {
        if let Some(c) = self.conversations.remove(&id) {
            self.by_age.remove(&(c.updated_at, id));
        }
        if let Some(list) = self.messages.remove(&id) {
            self.message_total -= list.len();
        }
        self.keys.retain(|_, c| *c != id);
    }

    /// Forgets the least recently updated conversations until the store
    /// holds at most `max` messages (never the one just written).
    fn evict(&mut self, max: usize, keep: ConversationId) {
        while self.message_total > max {
            let oldest = self.by_age.iter().map(|(_, id)| *id).find(|id| *id != keep);
            let Some(oldest) = oldest else { break };
            self.remove(oldest);
        }
    }
}

/// Everything in process memory: the embedded default, lost on restart.
/// Behaves as the SQL functions do (the conformance suite checks both).
pub struct MemoryStore {
    state: Mutex<State>,
    /// Messages kept before the oldest conversations are forgotten.
    max_messages: usize,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::with_max_messages(Self::MAX_MESSAGES)
    }
}

impl MemoryStore {
    /// Most messages kept: a turn with a search is about four messages and
    /// 40 KB (the offers it showed), so 20,000 messages stay near 200 MB at
    /// worst. Past it, the least recently used conversations are forgotten:
    /// this store is the embedded default for trying the product, not for
    /// keeping anything.
    pub const MAX_MESSAGES: usize = 20_000;

    /// An empty store keeping at most `max_messages` messages.
    pub fn with_max_messages(max_messages: usize) -> Self {
        Self {
            state: Mutex::new(State::default()),
            max_messages,
        }
    }

    /// The address of an account, `None` for one it does not know.
    pub(crate) fn email_of(&self, id: UserId) -> Option<String> {
        self.lock().accounts.get(&id).map(|a| a.email.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn owned<'a>(
    state: &'a mut State,
    caller: &Caller,
    id: ConversationId,
) -> Result<&'a mut Conversation, StoreError> {
    state
        .conversations
        .get_mut(&id)
        .filter(|c| c.user_id == caller.user_id)
        .ok_or(StoreError::NotFound)
}

#[async_trait]
impl AccountStore for MemoryStore {
    async fn create_account(
        &self,
        email: &Email,
        password_hash: &str,
    ) -> Result<Account, StoreError> {
        let mut s = self.lock();
        if s.accounts.values().any(|a| a.email == email.as_str()) {
            return Err(StoreError::Conflict("e-mail already registered".to_owned()));
        }
        let account = Account {
            id: UserId::random(),
            email: email.as_str().to_owned(),
            password_hash: password_hash.to_owned(),
            created_at: Utc::now(),
        };
        s.accounts.insert(account.id, account.clone());
        Ok(account)
    }

    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>, StoreError> {
        Ok(self
            .lock()
            .accounts
            .values()
            .find(|a| a.email == email.as_str())
            .cloned())
    }

    async fn create_session(
        &self,
        account_id: UserId,
        family_id: Uuid,
        refresh_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<Session, StoreError> {
        let session = Session {
            id: Uuid::new_v4(),
            account_id,
            family_id,
            expires_at,
        };
        self.lock().sessions.insert(
            session.id,
            StoredSession::new(session.clone(), refresh_hash),
        );
        Ok(session)
    }

    async fn rotate_session(
        &self,
        refresh_hash: &str,
        new_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<Rotation, StoreError> {
        let mut s = self.lock();
        let Some(old) = s
            .sessions
            .values()
            .find(|x| x.refresh_hash == refresh_hash)
            .cloned()
        else {
            return Ok(Rotation::Unknown);
        };
        let now = Utc::now();
        if old.revoked_at.is_some() {
            return Ok(Rotation::Revoked);
        }
        if old.rotated_at.is_some() {
            for x in s.sessions.values_mut() {
                if x.session.family_id == old.session.family_id && x.revoked_at.is_none() {
                    x.revoked_at = Some(now);
                }
            }
            return Ok(Rotation::Reused {
                family: old.session.family_id,
            });
        }
        if old.session.expires_at <= now {
            return Ok(Rotation::Expired);
        }
        if let Some(entry) = s.sessions.get_mut(&old.session.id) {
            entry.rotated_at = Some(now);
        }
        let fresh = Session {
            id: Uuid::new_v4(),
            account_id: old.session.account_id,
            family_id: old.session.family_id,
            expires_at,
        };
        s.sessions
            .insert(fresh.id, StoredSession::new(fresh.clone(), new_hash));
        let email = s
            .accounts
            .get(&fresh.account_id)
            .map(|a| a.email.clone())
            .unwrap_or_default();
        Ok(Rotation::Rotated {
            session: fresh,
            email,
        })
    }

    async fn revoke_family(&self, family_id: Uuid) -> Result<bool, StoreError> {
        let mut any = false;
        for x in self.lock().sessions.values_mut() {
            if x.session.family_id == family_id && x.revoked_at.is_none() {
                x.revoked_at = Some(Utc::now());
                any = true;
            }
        }
        Ok(any)
    }

    /// Only sessions this process saw can be known revoked: under `cargo
    /// lambda watch` every function is a process with its own memory store,
    /// and a token the auth function issued is trusted on its signature
    /// elsewhere. One process (`serve`) knows every session it issued.
    async fn session_revoked(&self, session_id: Uuid) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .sessions
            .get(&session_id)
            .is_some_and(|x| x.revoked_at.is_some() || x.session.expires_at <= Utc::now()))
    }

    async fn session_active(&self, session_id: Uuid) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .sessions
            .get(&session_id)
            .is_some_and(|x| x.revoked_at.is_none() && x.session.expires_at > Utc::now()))
    }
}

/// The stored form of new messages, numbered from `after + 1`.
fn stored(
    conversation_id: ConversationId,
    after: i32,
    messages: &[NewMessage],
    key: Option<&IdempotencyKey>,
) -> Vec<Message> {
    let now = Utc::now();
    messages
        .iter()
        .zip(1..)
        .map(|(m, i)| Message {
            id: MessageId::random(),
            conversation_id,
            seq: after + i,
            role: m.role,
            content: m.content.clone(),
            tool_calls: m.tool_calls.clone(),
            tool_results: m.tool_results.clone(),
            idempotency_key: key.cloned(),
            created_at: now,
        })
        .collect()
}

/// A caller's conversation and the messages `keep` selects, in order.
fn detail(
    s: &mut State,
    caller: &Caller,
    id: ConversationId,
    keep: impl Fn(&Message) -> bool,
) -> Result<ConversationDetail, StoreError> {
    let conversation = owned(s, caller, id)?.clone();
    let mut messages: Vec<Message> = s
        .messages
        .get(&id)
        .into_iter()
        .flatten()
        .filter(|m| keep(m))
        .cloned()
        .collect();
    messages.sort_by_key(|m| m.seq);
    Ok(ConversationDetail {
        conversation,
        messages,
    })
}

/// The conversation holding the caller's turn stored under `key`.
fn keyed(s: &State, caller: &Caller, key: &IdempotencyKey) -> Option<ConversationId> {
    s.keys.get(&(caller.user_id, key.clone())).copied()
}

#[async_trait]
impl HistoryStore for MemoryStore {
    async fn turn_by_key(
        &self,
        caller: &Caller,
        key: &IdempotencyKey,
    ) -> Result<Option<ConversationDetail>, StoreError> {
        let mut s = self.lock();
        let Some(id) = keyed(&s, caller, key) else {
            return Ok(None);
        };
        detail(&mut s, caller, id, |m| {
            m.idempotency_key.as_ref() == Some(key)
        })
        .map(Some)
    }

    async fn start_conversation(
        &self,
        caller: &Caller,
        title: Option<&Title>,
        messages: &[NewMessage],
        idempotency_key: Option<&IdempotencyKey>,
    ) -> Result<ConversationDetail, StoreError> {
        if messages.is_empty() {
            return Err(StoreError::Invalid(
                "messages must be a non-empty array".to_owned(),
            ));
        }
        // One lock for the whole operation: concurrent retries see each other.
        let mut s = self.lock();
        let id = match idempotency_key.and_then(|key| keyed(&s, caller, key)) {
            Some(id) => id,
            None => {
                let id = ConversationId::random();
                let list = stored(id, 0, messages, idempotency_key);
                let now = Utc::now();
                s.insert(Conversation {
                    id,
                    user_id: caller.user_id,
                    title: title.map(|t| t.as_str().to_owned()),
                    created_at: now,
                    updated_at: now,
                    message_count: i32::try_from(list.len()).unwrap_or(i32::MAX),
                });
                s.add(caller.user_id, id, list);
                s.evict(self.max_messages, id);
                id
            }
        };
        detail(&mut s, caller, id, |_| true)
    }

    async fn create_conversation(
        &self,
        caller: &Caller,
        title: Option<&Title>,
    ) -> Result<Conversation, StoreError> {
        let now = Utc::now();
        let conversation = Conversation {
            id: ConversationId::random(),
            user_id: caller.user_id,
            title: title.map(|t| t.as_str().to_owned()),
            created_at: now,
            updated_at: now,
            message_count: 0,
        };
        let mut s = self.lock();
        s.insert(conversation.clone());
        s.messages.insert(conversation.id, Vec::new());
        Ok(conversation)
    }

    async fn append_turn(
        &self,
        caller: &Caller,
        conversation_id: ConversationId,
        messages: &[NewMessage],
        idempotency_key: Option<&IdempotencyKey>,
    ) -> Result<Vec<Message>, StoreError> {
        if messages.is_empty() {
            return Err(StoreError::Invalid(
                "messages must be a non-empty array".to_owned(),
            ));
        }
        let mut s = self.lock();
        let after = owned(&mut s, caller, conversation_id)?.message_count;
        if let Some(id) = idempotency_key.and_then(|key| keyed(&s, caller, key)) {
            return detail(&mut s, caller, id, |m| {
                m.idempotency_key.as_ref() == idempotency_key
            })
            .map(|d| d.messages);
        }
        let list = stored(conversation_id, after, messages, idempotency_key);
        let conv = owned(&mut s, caller, conversation_id)?;
        conv.message_count += i32::try_from(list.len()).unwrap_or(i32::MAX);
        s.touch(conversation_id, Utc::now());
        s.add(caller.user_id, conversation_id, list.clone());
        s.evict(self.max_messages, conversation_id);
        Ok(list)
    }

    async fn list_conversations(
        &self,
        caller: &Caller,
        page_size: u32,
        after: Option<Cursor>,
    ) -> Result<Vec<Conversation>, StoreError> {
        let s = self.lock();
        let mut mine: Vec<Conversation> = s
            .conversations
            .values()
            .filter(|c| c.user_id == caller.user_id)
            .filter(|c| after.is_none_or(|a| (c.updated_at, c.id) < (a.updated_at, a.id)))
            .cloned()
            .collect();
        mine.sort_by_key(|c| std::cmp::Reverse((c.updated_at, c.id)));
        mine.truncate(page_size.clamp(1, MAX_PAGE_SIZE) as usize);
        Ok(mine)
    }

    async fn conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
    ) -> Result<ConversationDetail, StoreError> {
        detail(&mut self.lock(), caller, id, |_| true)
    }

    async fn rename_conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
        title: &Title,
    ) -> Result<Conversation, StoreError> {
        let mut s = self.lock();
        owned(&mut s, caller, id)?.title = Some(title.as_str().to_owned());
        s.touch(id, Utc::now());
        owned(&mut s, caller, id).cloned()
    }

    async fn delete_conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
    ) -> Result<(), StoreError> {
        let mut s = self.lock();
        owned(&mut s, caller, id)?;
        s.remove(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn caller() -> Caller {
        Caller {
            user_id: UserId::random(),
            token: String::new(),
        }
    }

    fn turn(text: &str) -> Vec<NewMessage> {
        [Role::User, Role::Assistant]
            .into_iter()
            .map(|role| NewMessage {
                role,
                content: text.to_owned(),
                tool_calls: None,
                tool_results: None,
            })
            .collect()
    }

    #[tokio::test]
    async fn the_oldest_conversations_are_forgotten_past_the_cap_and_keys_follow() {
        let store = MemoryStore::with_max_messages(10);
        let ana = caller();
        let key = IdempotencyKey::parse("first").unwrap();
        let first = store
            .start_conversation(&ana, None, &turn("oi"), Some(&key))
            .await
            .unwrap();
        for i in 0..6 {
            let key = IdempotencyKey::parse(&format!("k{i}")).unwrap();
            store
                .start_conversation(&ana, None, &turn("de novo"), Some(&key))
                .await
                .unwrap();
        }
        {
            let state = store.lock();
            assert!(state.message_total <= 10, "{}", state.message_total);
            assert!(!state.conversations.contains_key(&first.conversation.id));
        }
        assert!(store.turn_by_key(&ana, &key).await.unwrap().is_none());
        let latest = IdempotencyKey::parse("k5").unwrap();
        assert!(store.turn_by_key(&ana, &latest).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn a_conversation_just_continued_is_not_the_one_forgotten() {
        let store = MemoryStore::with_max_messages(6);
        let ana = caller();
        let mut ids = Vec::new();
        for _ in 0..3 {
            let started = store
                .start_conversation(&ana, None, &turn("oi"), None)
                .await
                .unwrap();
            ids.push(started.conversation.id);
        }
        // The oldest is continued, then a fourth conversation needs room.
        store
            .rename_conversation(&ana, ids[0], &Title::parse("Lisboa").unwrap())
            .await
            .unwrap();
        store
            .start_conversation(&ana, None, &turn("de novo"), None)
            .await
            .unwrap();
        assert!(store.conversation(&ana, ids[0]).await.is_ok());
        assert!(matches!(
            store.conversation(&ana, ids[1]).await,
            Err(StoreError::NotFound)
        ));
        assert!(store.conversation(&ana, ids[2]).await.is_ok());
    }
}
