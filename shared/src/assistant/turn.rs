//! One chat turn with the offline assistant: understand the conversation so
//! far, ask for what is missing or search, answer, and persist the whole
//! turn (user message, tool call, tool result, answer) in one atomic write.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{DateSpec, Lang, TripRequest, detect_language, reply, understand};
use crate::domain::{
    ConversationDetail, FieldError, Filters, Leg, Message, NewMessage, Passengers, Role,
    SearchOptions, SearchQuery, Title,
};
use crate::fares::SearchService;
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
}

/// A search the assistant ran during the turn.
#[derive(Debug, Clone, Serialize)]
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
}

impl ChatService {
    /// The service over its ports.
    pub fn new(history: Arc<dyn HistoryStore>, search: Arc<SearchService>) -> Self {
        Self { history, search }
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
        let today = now.date_naive();
        // What was asked before, from the conversation itself: no state to keep in step.
        let earlier = match input.conversation_id {
            Some(id) => Some(self.history.conversation(caller, id).await?),
            None => None,
        };
        let slots = earlier
            .iter()
            .flat_map(|d| d.messages.iter())
            .filter(|m| m.role == Role::User)
            .map(|m| understand(&m.content, today))
            .chain(std::iter::once(understand(text, today)))
            .fold(TripRequest::default(), TripRequest::merge);

        let mut messages = vec![NewMessage {
            role: Role::User,
            content: text.to_owned(),
            tool_calls: None,
            tool_results: None,
        }];
        let missing = slots.missing();
        let answer = if missing.is_empty() {
            match build_query(&slots, today, now) {
                Ok((query, when)) => {
                    let results = self.search.search(&query, now).await;
                    let offers: Vec<_> = results
                        .offers
                        .iter()
                        .take(OFFERS_PER_SEARCH)
                        .cloned()
                        .collect();
                    let route = route_text(&query, lang);
                    let answer =
                        reply::summary(&route, &reply::date(when, lang), &results.offers, lang);
                    messages.push(NewMessage {
                        role: Role::Assistant,
                        content: String::new(),
                        tool_calls: Some(json!([{ "id": "call_1", "name": "search_flights", "arguments": query }])),
                        tool_results: None,
                    });
                    messages.push(NewMessage {
                        role: Role::Tool,
                        content: String::new(),
                        tool_calls: None,
                        tool_results: Some(json!({ "call_id": "call_1", "query": query, "offers": offers, "warnings": results.warnings, "count": results.offers.len() })),
                    });
                    answer
                }
                Err(e) => match lang {
                    Lang::Pt => format!("Não consigo buscar assim: {}. Pode ajustar?", e.reason),
                    Lang::En => format!("I can't search that: {}. Could you adjust it?", e.reason),
                },
            }
        } else {
            reply::question(&missing, lang)
        };
        messages.push(NewMessage {
            role: Role::Assistant,
            content: answer,
            tool_calls: None,
            tool_results: None,
        });

        let key = input.idempotency_key.as_deref();
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
        Ok(output(&stored, lang))
    }
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
    if let Some(back) = slots.return_date.filter(|_| slots.one_way != Some(true)) {
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
