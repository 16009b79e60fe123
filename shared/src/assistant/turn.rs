//! One chat turn, orchestrated: the message rule, the per-user rate limit,
//! an idempotent retry answered from the store, the model with tools (or
//! the offline assistant, also when the model fails), and the whole turn
//! (user message, tool calls, tool results, answer) persisted in one atomic
//! write. Events stream out as the turn goes.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

use super::events::{Events, Sink, TurnEvent};
use super::model::{AssistantModel, ModelError};
use super::tools::{SearchRecord, ToolResult};
use super::watch_turn::{watch_answer, watch_intent};
use super::{Clarification, Lang, Slot, TripRequest, detect_language, model_turn, offline, reply};
use crate::cache::Cache;
use crate::domain::{
    ConversationDetail, ConversationId, FieldError, IdempotencyKey, JsonText, Message, MessageId,
    Money, NewMessage, Role, UserMessage,
};
use crate::fares::{SearchResults, SearchService};
use crate::metrics::Metric;
use crate::places::Place;
use crate::search::SearchQuery;
use crate::store::{Caller, HistoryStore, StoreError, WatchStore};

/// A traveller's turn, as the HTTP edge received it.
#[derive(Debug, Clone)]
pub struct TurnInput {
    /// The conversation to continue; a new one when absent.
    pub conversation_id: Option<ConversationId>,
    /// What the traveller wrote, still unchecked ([`UserMessage::parse`] runs here).
    pub message: String,
    /// The language to answer in; detected from the message when absent.
    pub locale: Option<Lang>,
    /// The client's `Idempotency-Key`.
    pub idempotency_key: Option<IdempotencyKey>,
    /// Where to stream the turn's events, for `text/event-stream` clients.
    pub events: Option<Events>,
}

/// The answer to a turn.
#[derive(Debug, Clone, Serialize)]
pub struct TurnOutput {
    /// The conversation (new or continued).
    pub conversation_id: ConversationId,
    /// The assistant's answer message.
    pub message_id: MessageId,
    /// The answer's text.
    pub reply: String,
    /// Searches the assistant ran.
    pub searches: Vec<SearchRecord>,
    /// What the traveller might say next.
    pub suggestions: Vec<String>,
    /// The conversation's title.
    pub title: Option<String>,
}

/// Why a turn failed; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// The message is empty or too long.
    #[error("{0}")]
    Invalid(FieldError),
    /// Too many turns from this traveller; retry after this many seconds.
    #[error("too many turns; retry in {0} s")]
    RateLimited(u64),
    /// The `Idempotency-Key` was used for another request: a retry must
    /// resend the same message to the same conversation.
    #[error("this Idempotency-Key was used for a different request")]
    KeyReused,
    /// The store failed, or the conversation is not the caller's.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The bounds of a turn, from configuration.
#[derive(Debug, Clone, Copy)]
pub struct TurnLimits {
    /// Turns a traveller may take per [`RATE_WINDOW`].
    pub per_minute: u32,
    /// One deadline for every model attempt and tool round of a turn;
    /// past it the offline assistant answers, so a model that fails slowly
    /// cannot outlive API Gateway's 29 s or the client's patience.
    pub model_deadline: Duration,
}

/// The rate limit's window: per minute, as people chat.
const RATE_WINDOW: Duration = Duration::from_secs(60);

/// The chat turn over the history store, flight search and the cache.
pub struct ChatService {
    history: Arc<dyn HistoryStore>,
    search: Arc<SearchService>,
    /// Rate-limit counters.
    cache: Arc<dyn Cache>,
    limits: TurnLimits,
    /// The language model, when one is configured; the offline assistant
    /// answers otherwise, and whenever the model fails.
    model: Option<Arc<dyn AssistantModel>>,
    /// Watches the chat creates and lists; `None` leaves such requests to
    /// the assistant.
    watches: Option<Arc<dyn WatchStore>>,
}

/// What the turn will store, built up as it runs.
struct Draft {
    messages: Vec<NewMessage>,
    slots: TripRequest,
    /// The language the answer is in, for the title.
    lang: Lang,
    /// The searches the turn ran, typed, when the turn knows them (the
    /// offline assistant's); otherwise read back from the stored tool results.
    searches: Option<Vec<SearchRecord>>,
}

impl Draft {
    /// What the offline assistant still has to ask, for suggestions that answer it.
    fn missing(&self) -> Vec<Slot> {
        self.slots.missing()
    }

    /// The places the traveller is choosing between, for suggestions that
    /// name them.
    fn choices(&self) -> Vec<Place> {
        match &self.slots.clarify {
            Some(Clarification::WhichPlace { options, .. }) => options.clone(),
            _ => Vec::new(),
        }
    }
}

impl ChatService {
    /// The service over its ports.
    pub fn new(
        history: Arc<dyn HistoryStore>,
        search: Arc<SearchService>,
        cache: Arc<dyn Cache>,
        limits: TurnLimits,
        model: Option<Arc<dyn AssistantModel>>,
    ) -> Self {
        Self {
            history,
            search,
            cache,
            limits,
            model,
            watches: None,
        }
    }

    /// The same service creating and listing watches when asked to.
    #[must_use]
    pub fn with_watches(mut self, watches: Arc<dyn WatchStore>) -> Self {
        self.watches = Some(watches);
        self
    }

    /// Runs one turn. Nothing is written unless the whole turn is.
    ///
    /// # Errors
    /// [`TurnError::Invalid`] for a bad message, [`TurnError::RateLimited`]
    /// past the limit, [`StoreError::NotFound`] for a conversation that is
    /// missing or another user's, and the store's failures.
    pub async fn turn(
        &self,
        caller: &Caller,
        input: TurnInput,
        now: DateTime<Utc>,
    ) -> Result<TurnOutput, TurnError> {
        let _latency = self.search.metrics().timer(Metric::TurnLatency);
        let message = UserMessage::parse(&input.message).map_err(TurnError::Invalid)?;
        let lang = input
            .locale
            .unwrap_or_else(|| detect_language(message.as_str()));
        let sink = Sink::new(input.events.clone());
        self.check_rate(caller, now).await?;
        let key = input.idempotency_key.as_ref();
        let retry = Retry {
            key,
            message: &message,
            conversation_id: input.conversation_id,
        };
        if let Some(done) = self.replay(caller, &retry, lang, &sink).await? {
            return Ok(done);
        }
        // What was asked before, from the conversation itself: no state to keep in step.
        let earlier = match input.conversation_id {
            Some(id) => Some(self.history.conversation(caller, id).await?),
            None => None,
        };
        let said = earlier
            .iter()
            .flat_map(|d| d.messages.iter())
            .filter(|m| m.role == Role::User)
            .map(|m| m.content.as_str())
            .chain(std::iter::once(message.as_str()));
        let slots = offline::slots(said, now.date_naive());
        // A short reply ("ok", "GRU") keeps the conversation's language.
        let lang = input.locale.or(slots.lang).unwrap_or(lang);
        // With a model, the model answers (watch requests through its
        // `watch_route` tool); the rules answer without one or when it fails.
        let mut draft = match self
            .model_answer(caller, earlier.as_ref(), &message, now, lang, &sink)
            .await
        {
            Some(messages) => Draft {
                messages,
                slots,
                lang,
                searches: None,
            },
            None => {
                self.rules_answer(caller, &message, slots, now, lang, &sink)
                    .await?
            }
        };
        let missing = draft.missing();
        let choices = draft.choices();
        let searches = draft.searches.take();
        let stored = self.persist(caller, earlier, draft, &message, key).await?;
        let out = output(&stored, searches, &missing, &choices, lang);
        Ok(finish(out, input.conversation_id.is_none(), &sink))
    }

    /// Counts the turn against the caller's limit; a cache outage allows it.
    async fn check_rate(&self, caller: &Caller, now: DateTime<Utc>) -> Result<(), TurnError> {
        let key = format!("ratelimit:chat:{}", caller.user_id);
        let decision = self
            .cache
            .rate_limit(
                &key,
                self.limits.per_minute,
                RATE_WINDOW,
                now.timestamp_millis(),
            )
            .await;
        match decision {
            Ok(d) if !d.allowed => Err(TurnError::RateLimited(
                u64::try_from(d.reset_after_ms)
                    .unwrap_or(0)
                    .div_ceil(1000)
                    .max(1),
            )),
            Ok(_) => Ok(()),
            Err(err) => {
                tracing::warn!(error = %err, "chat rate limit unavailable; allowing the turn");
                Ok(())
            }
        }
    }

    /// A retry of a stored turn answers what was stored and runs nothing;
    /// the same key with another message or conversation is refused.
    async fn replay(
        &self,
        caller: &Caller,
        retry: &Retry<'_>,
        lang: Lang,
        sink: &Sink,
    ) -> Result<Option<TurnOutput>, TurnError> {
        let Some(key) = retry.key else {
            return Ok(None);
        };
        let Some(done) = self.history.turn_by_key(caller, key).await? else {
            return Ok(None);
        };
        if !retry.matches(&done) {
            return Err(TurnError::KeyReused);
        }
        let out = output(&done, None, &[], &[], lang);
        sink.emit(TurnEvent::Delta {
            text: out.reply.clone(),
        });
        sink.emit(TurnEvent::Done {
            conversation_id: out.conversation_id,
            message_id: out.message_id,
        });
        Ok(Some(out))
    }

    /// The answer to a watch request ("me avisa quando baixar", "quais rotas
    /// estou acompanhando?"), or `None` when the message is not one.
    async fn watch_draft(
        &self,
        caller: &Caller,
        message: &UserMessage,
        slots: &TripRequest,
        now: DateTime<Utc>,
        sink: &Sink,
    ) -> Result<Option<Draft>, TurnError> {
        let text = message.as_str();
        let (Some(store), Some((intent, lang))) = (&self.watches, watch_intent(text, now)) else {
            return Ok(None);
        };
        let answer = watch_answer(store.as_ref(), caller, intent, slots, now, lang).await?;
        sink.emit(TurnEvent::Delta {
            text: answer.clone(),
        });
        let messages = vec![
            plain(Role::User, text.to_owned()),
            plain(Role::Assistant, answer),
        ];
        Ok(Some(Draft {
            messages,
            slots: slots.clone(),
            lang,
            searches: Some(Vec::new()),
        }))
    }

    /// The model's turn, the traveller's message first; `None` when there
    /// is no model or it failed (said to a streaming client with `fallback`).
    async fn model_answer(
        &self,
        caller: &Caller,
        earlier: Option<&ConversationDetail>,
        message: &UserMessage,
        now: DateTime<Utc>,
        lang: Lang,
        sink: &Sink,
    ) -> Option<Vec<NewMessage>> {
        let model = self.model.as_ref()?;
        let text = message.as_str();
        let tools = model_turn::Tools {
            search: &self.search,
            watches: self.watches.as_deref().map(|w| (w, caller)),
        };
        let run = model_turn::run(model.as_ref(), &tools, earlier, text, now, lang, sink);
        let run = tokio::time::timeout(self.limits.model_deadline, run);
        match run.await.unwrap_or(Err(ModelError::Timeout)) {
            Ok(answer) => {
                let mut messages = vec![plain(Role::User, text.to_owned())];
                messages.extend(answer.steps);
                messages.push(plain(Role::Assistant, answer.text));
                Some(messages)
            }
            // Logged once, here where it is handled: the offline assistant answers.
            Err(e) => {
                tracing::warn!(model = %model.name(), error = %e, "model failed; the offline assistant answers");
                self.search.metrics().count(Metric::ModelFallbacks, 1);
                sink.emit(TurnEvent::Fallback {
                    reason: fallback_reason(lang),
                });
                None
            }
        }
    }

    /// The offline assistant's answer: a watch request by its rules, or a
    /// search (or the question it still has to ask).
    async fn rules_answer(
        &self,
        caller: &Caller,
        message: &UserMessage,
        slots: TripRequest,
        now: DateTime<Utc>,
        lang: Lang,
        sink: &Sink,
    ) -> Result<Draft, TurnError> {
        if let Some(draft) = self.watch_draft(caller, message, &slots, now, sink).await? {
            return Ok(draft);
        }
        let mut messages = vec![plain(Role::User, message.as_str().to_owned())];
        let (answer, record) = self.offline(&slots, now, lang, &mut messages, sink).await;
        sink.emit(TurnEvent::Delta {
            text: answer.clone(),
        });
        messages.push(plain(Role::Assistant, answer));
        Ok(Draft {
            messages,
            slots,
            lang,
            searches: Some(record.into_iter().collect()),
        })
    }

    /// The built-in assistant: ask for what is missing, or search and
    /// summarise; the answer, and the search it ran.
    async fn offline(
        &self,
        slots: &TripRequest,
        now: DateTime<Utc>,
        lang: Lang,
        messages: &mut Vec<NewMessage>,
        sink: &Sink,
    ) -> (String, Option<SearchRecord>) {
        let (query, arguments, when) = match offline::plan(slots, now, lang) {
            offline::Plan::Answer(text) => return (text, None),
            offline::Plan::Search {
                query,
                arguments,
                when,
            } => (query, arguments, when),
        };
        sink.emit(TurnEvent::Tool {
            name: offline::TOOL.to_owned(),
            arguments: arguments.clone(),
        });
        let (query, results, over_budget) = self.search_within_budget(query, now).await;
        let record = SearchRecord::new(query, &results);
        if sink.is_streaming() {
            sink.emit(TurnEvent::Offers(record.clone()));
        }
        let mut answer = offline::answer(
            &record,
            when,
            over_budget.as_ref(),
            slots.clarify.as_ref(),
            lang,
        );
        if let Some(insight) = &results.insight {
            answer.push_str("\n\n");
            answer.push_str(&insight.sentence(lang));
        }
        let call_id = "call_1".to_owned();
        messages.push(NewMessage {
            role: Role::Assistant,
            content: String::new(),
            tool_calls: Some(JsonText::from(
                &json!([{ "id": call_id, "name": offline::TOOL, "arguments": arguments }]),
            )),
            tool_results: None,
        });
        let result = ToolResult::Search { call_id, record };
        messages.push(NewMessage {
            role: Role::Tool,
            content: String::new(),
            tool_calls: None,
            tool_results: Some(result.to_json()),
        });
        (answer, result.into_search())
    }

    /// The search's results; when nothing fits its budget, the same search
    /// without it (the cheapest first) and the budget it exceeds.
    async fn search_within_budget(
        &self,
        query: SearchQuery,
        now: DateTime<Utc>,
    ) -> (SearchQuery, SearchResults, Option<Money>) {
        let results = self.search.search(&query, now).await;
        if results.offers.is_empty()
            && let Some((relaxed, budget)) = offline::without_budget(&query, now)
        {
            let cheapest = self.search.search(&relaxed, now).await;
            if !cheapest.offers.is_empty() {
                return (relaxed, cheapest, Some(budget));
            }
        }
        (query, results, None)
    }

    /// Stores the whole turn in one write: appended to the conversation, or
    /// a new conversation created with it.
    async fn persist(
        &self,
        caller: &Caller,
        earlier: Option<ConversationDetail>,
        draft: Draft,
        message: &UserMessage,
        key: Option<&IdempotencyKey>,
    ) -> Result<ConversationDetail, TurnError> {
        let stored = match earlier {
            Some(d) => {
                let appended = self
                    .history
                    .append_turn(caller, d.conversation.id, &draft.messages, key)
                    .await?;
                ConversationDetail {
                    conversation: d.conversation,
                    messages: appended,
                }
            }
            None => {
                let title = offline::title_of(&draft.slots, message.as_str(), draft.lang);
                self.history
                    .start_conversation(caller, title.as_ref(), &draft.messages, key)
                    .await?
            }
        };
        Ok(stored)
    }
}

/// What a retry must repeat for its key to answer the stored turn.
struct Retry<'a> {
    key: Option<&'a IdempotencyKey>,
    message: &'a UserMessage,
    conversation_id: Option<ConversationId>,
}

impl Retry<'_> {
    /// Whether `stored` (the turn kept under the key) is this request's.
    fn matches(&self, stored: &ConversationDetail) -> bool {
        let said = stored.messages.iter().find(|m| m.role == Role::User);
        let same_conversation = self
            .conversation_id
            .is_none_or(|id| id == stored.conversation.id);
        same_conversation && said.is_some_and(|m| m.content == self.message.as_str())
    }
}

fn plain(role: Role, content: String) -> NewMessage {
    NewMessage {
        role,
        content,
        tool_calls: None,
        tool_results: None,
    }
}

fn fallback_reason(lang: Lang) -> String {
    match lang {
        Lang::Pt => "O modelo falhou; o assistente offline responde.".to_owned(),
        Lang::En => "The model failed; the offline assistant answers.".to_owned(),
    }
}

/// The output of a stored turn, with the closing events for a stream.
fn finish(out: TurnOutput, is_new: bool, sink: &Sink) -> TurnOutput {
    if let (true, Some(title)) = (is_new, &out.title) {
        sink.emit(TurnEvent::Title {
            title: title.clone(),
        });
    }
    sink.emit(TurnEvent::Done {
        conversation_id: out.conversation_id,
        message_id: out.message_id,
    });
    out
}

/// What a stored turn answered: its messages from the last user message on,
/// and what the traveller might say next (answers to what is `missing`, or
/// refinements of the search it ran).
/// `searches` are the turn's own when it kept them typed; otherwise they are
/// read back from the stored tool results (a replay, the model's turn).
fn output(
    stored: &ConversationDetail,
    searches: Option<Vec<SearchRecord>>,
    missing: &[Slot],
    choices: &[Place],
    lang: Lang,
) -> TurnOutput {
    let start = stored
        .messages
        .iter()
        .rposition(|m| m.role == Role::User)
        .unwrap_or(0);
    let turn: &[Message] = &stored.messages[start..];
    let answer = turn
        .iter()
        .rev()
        .find(|m| m.role == Role::Assistant && !m.content.is_empty());
    // Tool errors are for the model; the client sees searches that ran.
    let searches: Vec<SearchRecord> = searches.unwrap_or_else(|| {
        turn.iter()
            .filter_map(|m| m.tool_results.as_ref())
            .filter_map(|r| r.read::<ToolResult>().ok())
            .filter_map(ToolResult::into_search)
            .collect()
    });
    let suggestions = reply::follow_ups(searches.last(), missing, choices, lang);
    TurnOutput {
        conversation_id: stored.conversation.id,
        message_id: answer.map_or(MessageId::from_uuid(uuid::Uuid::nil()), |m| m.id),
        reply: answer.map(|m| m.content.clone()).unwrap_or_default(),
        searches,
        suggestions,
        title: stored.conversation.title.clone(),
    }
}

/// Prompts to start a conversation.
pub fn suggestions(lang: Lang) -> Vec<String> {
    let list: &[&str] = match lang {
        Lang::Pt => &[
            "Quero ir de São Paulo para Lisboa em março, até R$ 4.000, 2 adultos",
            "Voo direto do Rio para Buenos Aires na próxima sexta",
            "Ida e volta de BH para Orlando em julho, 2 adultos e 2 crianças",
            "Passagem barata de Recife para Fortaleza amanhã",
        ],
        Lang::En => &[
            "From New York to London next Friday, nonstop",
            "Round trip from Lisbon to Tokyo March 10 to 24",
            "Cheapest flight from Miami to Sao Paulo in April",
            "Business class from Madrid to Rome tomorrow",
        ],
    };
    list.iter().map(|s| (*s).to_owned()).collect()
}
