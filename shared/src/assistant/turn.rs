//! One chat turn with the offline assistant: understand the conversation so
//! far, ask for what is missing or search, answer, and persist the whole
//! turn (user message, tool call, tool result, answer) in one atomic write.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::model::{AssistantModel, ChatMessage, ModelError, ToolCall, ToolSpec};
use super::{DateSpec, Lang, TripRequest, detect_language, reply, understand_conversation};
use crate::domain::{
    ConversationDetail, FieldError, Filters, Leg, Message, NewMessage, Passengers, Role,
    SearchOptions, SearchQuery, Title,
};
use crate::fares::{SearchResults, SearchService};
use crate::store::{Caller, HistoryStore, StoreError};

/// Longest message a traveller may send.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// Offers kept with a turn (the tool result) and returned to the client.
const OFFERS_PER_SEARCH: usize = 5;

/// A traveller's message.
#[derive(Debug, Clone)]
pub struct TurnInput {
    /// The conversation to continue; a new one when absent.
    pub conversation_id: Option<Uuid>,
    /// What the traveller wrote.
    pub message: String,
    /// The language to answer in; detected from the message when absent.
    pub locale: Option<Lang>,
    /// The client's `Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// Where to stream the turn's events, for `text/event-stream` clients.
    pub events: Option<Events>,
}

/// What a streaming client sees, in order: `tool` and `offers` while
/// searching, `delta` for the answer's text, `title` for a new
/// conversation, then `done` (or `error`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnEvent {
    /// A piece of the answer's text.
    Delta {
        /// The text.
        text: String,
    },
    /// A tool the assistant is running.
    Tool {
        /// Its name.
        name: String,
        /// Its arguments.
        arguments: Value,
    },
    /// A search's results.
    Offers(SearchRecord),
    /// The title of a new conversation.
    Title {
        /// The title.
        title: String,
    },
    /// The turn is stored.
    Done {
        /// The conversation.
        conversation_id: Uuid,
        /// The answer message.
        message_id: Uuid,
    },
    /// The turn failed; nothing was stored.
    Error {
        /// Machine-readable code.
        code: String,
        /// For people.
        message: String,
    },
}

impl TurnEvent {
    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Delta { .. } => "delta",
            Self::Tool { .. } => "tool",
            Self::Offers(_) => "offers",
            Self::Title { .. } => "title",
            Self::Done { .. } => "done",
            Self::Error { .. } => "error",
        }
    }

    /// The SSE data: the event's fields as JSON.
    pub fn data(&self) -> Value {
        match self {
            Self::Offers(record) => json!(record),
            other => {
                let mut v = json!(other);
                // {"delta": {...}} → {...}
                v.as_object_mut()
                    .and_then(|o| o.values_mut().next().map(std::mem::take))
                    .unwrap_or(v)
            }
        }
    }
}

/// The sending end of a turn's event stream.
pub type Events = tokio::sync::mpsc::UnboundedSender<TurnEvent>;

/// Emits events when a client is listening; a gone client changes nothing.
#[derive(Clone, Default)]
struct Sink(Option<Events>);

impl Sink {
    fn emit(&self, event: TurnEvent) {
        if let Some(tx) = &self.0 {
            let _ = tx.send(event);
        }
    }
}

fn record_of(result: &Value) -> Option<SearchRecord> {
    result.get("query").map(|q| SearchRecord {
        query: q.clone(),
        offers: result["offers"].clone(),
        warnings: result["warnings"].clone(),
    })
}

/// A search the assistant ran during the turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchRecord {
    /// The structured search.
    pub query: Value,
    /// The best offers.
    pub offers: Value,
    /// Providers that failed or were late.
    pub warnings: Value,
}

/// The answer to a turn.
#[derive(Debug, Clone, Serialize)]
pub struct TurnOutput {
    /// The conversation (new or continued).
    pub conversation_id: Uuid,
    /// The assistant's answer message.
    pub message_id: Uuid,
    /// The answer's text.
    pub reply: String,
    /// Searches the assistant ran.
    pub searches: Vec<SearchRecord>,
    /// What the traveller might say next.
    pub suggestions: Vec<String>,
    /// The conversation's title.
    pub title: Option<String>,
}

/// Why a turn failed.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// The message is empty or too long.
    #[error("{0}")]
    Invalid(FieldError),
    /// The store failed, or the conversation is not the caller's.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The chat turn over the history store and flight search.
pub struct ChatService {
    history: Arc<dyn HistoryStore>,
    search: Arc<SearchService>,
    /// The language model, when one is configured; the offline assistant
    /// answers otherwise, and whenever the model fails.
    model: Option<Arc<dyn AssistantModel>>,
}

impl ChatService {
    /// The service over its ports.
    pub fn new(
        history: Arc<dyn HistoryStore>,
        search: Arc<SearchService>,
        model: Option<Arc<dyn AssistantModel>>,
    ) -> Self {
        Self {
            history,
            search,
            model,
        }
    }

    /// Runs one turn. Nothing is written unless the whole turn is.
    ///
    /// # Errors
    /// [`TurnError::Invalid`] for a bad message; [`StoreError::NotFound`]
    /// for a conversation that is missing or another user's.
    pub async fn turn(
        &self,
        caller: &Caller,
        input: TurnInput,
        now: DateTime<Utc>,
    ) -> Result<TurnOutput, TurnError> {
        let text = input.message.trim();
        if text.is_empty() {
            return Err(TurnError::Invalid(FieldError::new(
                "message",
                "must not be empty",
            )));
        }
        if text.chars().count() > MAX_MESSAGE_CHARS {
            return Err(TurnError::Invalid(FieldError::new(
                "message",
                format!("must have at most {MAX_MESSAGE_CHARS} characters"),
            )));
        }
        let lang = input.locale.unwrap_or_else(|| detect_language(text));
        let sink = Sink(input.events.clone());
        // A retry of a stored turn answers what was stored and runs nothing.
        if let Some(key) = input.idempotency_key.as_deref()
            && let Some(done) = self.history.turn_by_key(caller, key).await?
        {
            let out = output(&done, lang);
            sink.emit(TurnEvent::Delta {
                text: out.reply.clone(),
            });
            sink.emit(TurnEvent::Done {
                conversation_id: out.conversation_id,
                message_id: out.message_id,
            });
            return Ok(out);
        }
        let today = now.date_naive();
        // What was asked before, from the conversation itself: no state to keep in step.
        let earlier = match input.conversation_id {
            Some(id) => Some(self.history.conversation(caller, id).await?),
            None => None,
        };
        let said = earlier.iter().flat_map(|d| d.messages.iter());
        let said = said
            .filter(|m| m.role == Role::User)
            .map(|m| m.content.as_str());
        let slots = understand_conversation(said.chain(std::iter::once(text)), today);
        // A short reply ("ok", "GRU") keeps the conversation's language.
        let lang = input.locale.or(slots.lang).unwrap_or(lang);

        let mut messages = vec![NewMessage {
            role: Role::User,
            content: text.to_owned(),
            tool_calls: None,
            tool_results: None,
        }];
        let mut answer = None;
        if let Some(model) = &self.model {
            match self
                .model_turn(model.as_ref(), earlier.as_ref(), text, now, lang, &sink)
                .await
            {
                Ok((steps, reply)) => {
                    messages.extend(steps);
                    answer = Some(reply);
                }
                // Logged once, here where it is handled: the offline assistant answers.
                Err(e) => {
                    tracing::warn!(model = %model.name(), error = %e, "model failed; the offline assistant answers")
                }
            }
        }
        let answer = match answer {
            Some(a) => a,
            None => {
                let a = self
                    .offline(&slots, today, now, lang, &mut messages, &sink)
                    .await;
                sink.emit(TurnEvent::Delta { text: a.clone() });
                a
            }
        };
        messages.push(NewMessage {
            role: Role::Assistant,
            content: answer,
            tool_calls: None,
            tool_results: None,
        });

        let key = input.idempotency_key.as_deref();
        let is_new = earlier.is_none();
        let stored = match earlier {
            Some(d) => {
                let appended = self
                    .history
                    .append_turn(caller, d.conversation.id, &messages, key)
                    .await?;
                ConversationDetail {
                    conversation: d.conversation,
                    messages: appended,
                }
            }
            None => {
                let title = title_of(&slots, text);
                self.history
                    .start_conversation(caller, title.as_ref(), &messages, key)
                    .await?
            }
        };
        let out = output(&stored, lang);
        if let (true, Some(title)) = (is_new, &out.title) {
            sink.emit(TurnEvent::Title {
                title: title.clone(),
            });
        }
        sink.emit(TurnEvent::Done {
            conversation_id: out.conversation_id,
            message_id: out.message_id,
        });
        Ok(out)
    }
}

impl ChatService {
    /// The built-in assistant: ask for what is missing, or search and summarise.
    async fn offline(
        &self,
        slots: &TripRequest,
        today: NaiveDate,
        now: DateTime<Utc>,
        lang: Lang,
        messages: &mut Vec<NewMessage>,
        sink: &Sink,
    ) -> String {
        let missing = slots.missing();
        if !missing.is_empty() {
            return reply::question(&missing, lang);
        }
        match build_query(slots, today, now) {
            Ok((query, when)) => {
                let results = self.search.search(&query, now).await;
                let route = route_text(&query, lang);
                let answer =
                    reply::summary(&route, &reply::date(when, lang), &results.offers, lang);
                messages.push(NewMessage {
                    role: Role::Assistant,
                    content: String::new(),
                    tool_calls: Some(
                        json!([{ "id": "call_1", "name": "search_flights", "arguments": query }]),
                    ),
                    tool_results: None,
                });
                messages.push(NewMessage {
                    role: Role::Tool,
                    content: String::new(),
                    tool_calls: None,
                    tool_results: Some(search_result("call_1", &query, &results)),
                });
                sink.emit(TurnEvent::Tool {
                    name: "search_flights".to_owned(),
                    arguments: json!(query),
                });
                if let Some(record) = messages
                    .last()
                    .and_then(|m| m.tool_results.as_ref())
                    .and_then(record_of)
                {
                    sink.emit(TurnEvent::Offers(record));
                }
                answer
            }
            Err(e) => match lang {
                Lang::Pt => format!("Não consigo buscar assim: {}. Pode ajustar?", e.reason),
                Lang::En => format!("I can't search that: {}. Could you adjust it?", e.reason),
            },
        }
    }

    /// The model with tools, for at most [`MAX_TOOL_ROUNDS`] rounds: the
    /// steps to store and the final answer.
    async fn model_turn(
        &self,
        model: &dyn AssistantModel,
        earlier: Option<&ConversationDetail>,
        text: &str,
        now: DateTime<Utc>,
        lang: Lang,
        sink: &Sink,
    ) -> Result<(Vec<NewMessage>, String), ModelError> {
        let mut convo = vec![ChatMessage::text(
            "system",
            system_prompt(now.date_naive(), lang),
        )];
        for m in earlier.iter().flat_map(|d| d.messages.iter()) {
            match m.role {
                Role::User => convo.push(ChatMessage::text("user", m.content.clone())),
                Role::Assistant if !m.content.is_empty() => {
                    convo.push(ChatMessage::text("assistant", m.content.clone()))
                }
                _ => {}
            }
        }
        convo.push(ChatMessage::text("user", text));
        let tools = [search_tool()];
        let mut steps = Vec::new();
        // The model's text streams to the client as deltas while it arrives,
        // and every delta of a round is out before the round's tool events.
        let (deltas, mut delta_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let deltas = sink.0.is_some().then_some(deltas);
        for _ in 0..MAX_TOOL_ROUNDS {
            let done = {
                let call = model.complete(&convo, &tools, deltas.as_ref());
                tokio::pin!(call);
                loop {
                    tokio::select! {
                        biased;
                        result = &mut call => {
                            while let Ok(text) = delta_rx.try_recv() {
                                sink.emit(TurnEvent::Delta { text });
                            }
                            break result?;
                        }
                        Some(text) = delta_rx.recv() => sink.emit(TurnEvent::Delta { text }),
                    }
                }
            };
            if done.tool_calls.is_empty() {
                if done.content.trim().is_empty() {
                    return Err(ModelError::Rejected("empty answer".to_owned()));
                }
                return Ok((steps, done.content));
            }
            steps.push(NewMessage {
                role: Role::Assistant,
                content: done.content.clone(),
                tool_calls: Some(json!(done.tool_calls)),
                tool_results: None,
            });
            convo.push(ChatMessage {
                role: "assistant".to_owned(),
                content: (!done.content.is_empty()).then(|| done.content.clone()),
                tool_calls: done.tool_calls.clone(),
                tool_call_id: None,
            });
            for call in &done.tool_calls {
                sink.emit(TurnEvent::Tool {
                    name: call.name.clone(),
                    arguments: serde_json::from_str(&call.arguments).unwrap_or(Value::Null),
                });
                let result = self.run_tool(call, now).await;
                if let Some(record) = record_of(&result) {
                    sink.emit(TurnEvent::Offers(record));
                }
                convo.push(ChatMessage {
                    role: "tool".to_owned(),
                    content: Some(result.to_string()),
                    tool_calls: Vec::new(),
                    tool_call_id: Some(call.id.clone()),
                });
                steps.push(NewMessage {
                    role: Role::Tool,
                    content: String::new(),
                    tool_calls: None,
                    tool_results: Some(result),
                });
            }
        }
        Err(ModelError::Rejected(format!(
            "no answer after {MAX_TOOL_ROUNDS} tool rounds"
        )))
    }

    /// Runs one tool call; a bad call becomes an error result the model can read.
    async fn run_tool(&self, call: &ToolCall, now: DateTime<Utc>) -> Value {
        if call.name != "search_flights" {
            return json!({ "call_id": call.id, "error": format!("unknown tool '{}'", call.name) });
        }
        match search_args(&call.arguments, now) {
            Ok(query) => {
                let results = self.search.search(&query, now).await;
                search_result(&call.id, &query, &results)
            }
            Err(e) => json!({ "call_id": call.id, "error": e.to_string() }),
        }
    }
}

/// Most model rounds in one turn: a search, a refinement, and the answer.
const MAX_TOOL_ROUNDS: usize = 3;

fn search_result(call_id: &str, query: &SearchQuery, results: &SearchResults) -> Value {
    let offers: Vec<_> = results.offers.iter().take(OFFERS_PER_SEARCH).collect();
    json!({ "call_id": call_id, "query": query, "offers": offers, "warnings": results.warnings, "count": results.offers.len() })
}

fn system_prompt(today: NaiveDate, lang: Lang) -> String {
    let language = match lang {
        Lang::Pt => "Brazilian Portuguese",
        Lang::En => "English",
    };
    format!(
        "You are ChatPassagens, a flight search assistant. Today is {today}. Use the search_flights tool to find real \
         offers before quoting any price; never invent flights or prices. Ask for the origin, destination or date when \
         missing. Answer in {language}, briefly: the best options with airline, stops, duration and price as given."
    )
}

fn search_tool() -> ToolSpec {
    ToolSpec {
        name: "search_flights",
        description: "Search flight offers. Places are IATA airport or city codes or city names; dates are YYYY-MM-DD.",
        parameters: json!({
            "type": "object",
            "properties": {
                "origin": { "type": "string" },
                "destination": { "type": "string" },
                "departure_date": { "type": "string", "description": "YYYY-MM-DD" },
                "return_date": { "type": "string", "description": "YYYY-MM-DD, for a round trip" },
                "adults": { "type": "integer", "minimum": 1, "maximum": 9 },
                "children": { "type": "integer", "minimum": 0, "maximum": 8 },
                "infants": { "type": "integer", "minimum": 0, "maximum": 9 },
                "cabin": { "type": "string", "enum": ["economy", "premium_economy", "business", "first"] },
                "max_stops": { "type": "integer", "minimum": 0, "maximum": 3 },
                "max_price": { "type": "number" },
                "currency": { "type": "string", "description": "ISO 4217, default BRL" }
            },
            "required": ["origin", "destination", "departure_date"]
        }),
    }
}

/// The model's arguments, parsed as strictly as the HTTP API parses a search.
fn search_args(arguments: &str, now: DateTime<Utc>) -> Result<SearchQuery, FieldError> {
    let args: Value = serde_json::from_str(arguments)
        .map_err(|e| FieldError::new("arguments", format!("invalid JSON: {e}")))?;
    let text = |k: &str| args[k].as_str().map(str::to_owned);
    let need = |k: &str| text(k).ok_or_else(|| FieldError::new(k, "is required"));
    let (origin, destination, date) = (
        need("origin")?,
        need("destination")?,
        need("departure_date")?,
    );
    let mut legs = vec![Leg::parse("legs[0]", &origin, &destination, &date)?];
    if let Some(back) = text("return_date") {
        legs.push(Leg::parse("legs[1]", &destination, &origin, &back)?);
    }
    let count = |k: &str, default: u32| {
        args[k]
            .as_u64()
            .map_or(default, |n| u32::try_from(n).unwrap_or(u32::MAX))
    };
    let passengers = Passengers::new(
        count("adults", 1),
        count("children", 0),
        count("infants", 0),
    )?;
    let mut options = SearchOptions {
        passengers,
        limit: 50,
        ..SearchOptions::default()
    };
    if let Some(c) = text("cabin") {
        options.cabin = crate::domain::Cabin::parse(&c).map_err(|r| FieldError::new("cabin", r))?;
    }
    if let Some(c) = text("currency") {
        options.currency =
            crate::domain::Currency::parse(&c).map_err(|r| FieldError::new("currency", r))?;
    }
    options.max_stops = args["max_stops"]
        .as_u64()
        .map(|n| u8::try_from(n.min(3)).unwrap_or(3));
    if let Some(p) = args["max_price"].as_f64().filter(|p| *p > 0.0) {
        options.filters.max_price = rust_decimal::Decimal::try_from(p).ok();
    }
    SearchQuery::new(legs, options, now)
}

/// The search the slots describe; a month becomes its 15th (or the next
/// week when that has passed), said in the answer.
fn build_query(
    slots: &TripRequest,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(SearchQuery, NaiveDate), FieldError> {
    let (Some(origin), Some(destination), Some(departure)) =
        (slots.origin, slots.destination, slots.departure)
    else {
        return Err(FieldError::new(
            "message",
            "origin, destination and date are needed",
        ));
    };
    let when = match departure {
        DateSpec::Day(d) => d,
        DateSpec::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 15)
            .filter(|d| *d > today)
            .unwrap_or(today + chrono::Days::new(7)),
    };
    let mut legs = vec![Leg {
        origin,
        destination,
        date: when,
    }];
    if let Some(back) = slots.return_day(today) {
        legs.push(Leg {
            origin: destination,
            destination: origin,
            date: back,
        });
    }
    let passengers = Passengers::new(
        u32::from(slots.adults.unwrap_or(1)),
        u32::from(slots.children.unwrap_or(0)),
        u32::from(slots.infants.unwrap_or(0)),
    )?;
    let mut options = SearchOptions {
        passengers,
        cabin: slots.cabin.unwrap_or_default(),
        max_stops: slots.max_stops,
        ..SearchOptions::default()
    };
    if let Some((amount, currency)) = slots.budget {
        options.currency = currency;
        options.filters = Filters {
            max_price: Some(amount),
            ..Filters::default()
        };
    }
    options.limit = 50;
    let query = SearchQuery::new(legs, options, now).map_err(|e| {
        let reason = e.reason.clone();
        FieldError::new("message", reason)
    })?;
    Ok((query, when))
}

fn route_text(query: &SearchQuery, lang: Lang) -> String {
    let leg = &query.legs()[0];
    let (from, to) = (leg.origin.city(), leg.destination.city());
    match lang {
        Lang::Pt => format!(
            "{from} ({}) → {to} ({})",
            leg.origin.code(),
            leg.destination.code()
        ),
        Lang::En => format!(
            "from {from} ({}) to {to} ({})",
            leg.origin.code(),
            leg.destination.code()
        ),
    }
}

/// "São Paulo → Lisboa" when the route is known, else the first words.
fn title_of(slots: &TripRequest, text: &str) -> Option<Title> {
    let title = match (slots.origin, slots.destination) {
        (Some(o), Some(d)) => format!("{} → {}", o.city(), d.city()),
        (None, Some(d)) => format!("→ {}", d.city()),
        _ => text.chars().take(60).collect(),
    };
    Title::parse(&title).ok()
}

fn output(stored: &ConversationDetail, lang: Lang) -> TurnOutput {
    // The turn is the stored messages from the last user message on.
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
    let searches = turn
        .iter()
        .filter_map(|m| m.tool_results.as_ref())
        // Tool errors are for the model; the client sees searches that ran.
        .filter(|r| r.get("query").is_some())
        .map(|r| SearchRecord {
            query: r["query"].clone(),
            offers: r["offers"].clone(),
            warnings: r["warnings"].clone(),
        })
        .collect();
    TurnOutput {
        conversation_id: stored.conversation.id,
        message_id: answer.map_or_else(Uuid::nil, |m| m.id),
        reply: answer.map(|m| m.content.clone()).unwrap_or_default(),
        searches,
        suggestions: follow_ups(lang),
        title: stored.conversation.title.clone(),
    }
}

fn follow_ups(lang: Lang) -> Vec<String> {
    let list: &[&str] = match lang {
        Lang::Pt => &[
            "E se for uma semana depois?",
            "Só voos diretos",
            "Em executiva",
            "Até R$ 3.000",
        ],
        Lang::En => &[
            "What about a week later?",
            "Nonstop only",
            "In business class",
            "Under $600",
        ],
    };
    list.iter().map(|s| (*s).to_owned()).collect()
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
