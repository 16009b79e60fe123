//! A turn answered by the language model: the conversation so far, the
//! tools, and at most [`MAX_TOOL_ROUNDS`] rounds of calling them before the
//! model must answer. The model's text streams to the client as it arrives.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::Lang;
use super::events::{Sink, TurnEvent};
use super::model::{AssistantModel, ChatMessage, Completion, Deltas, ModelError, ToolCall};
use super::tools::{self, SEARCH_FLIGHTS, SearchRecord, ToolResult};
use super::watch_tool::{WATCH_ROUTE, WatchCall, WatchSummary, watch_call, watch_tool};
use crate::domain::{ConversationDetail, JsonText, NewMessage, Role};
use crate::fares::SearchService;
use crate::store::{Caller, StoreError, WatchStore};

/// Most model rounds in one turn: a search, a refinement, and the answer.
pub(super) const MAX_TOOL_ROUNDS: usize = 3;

/// What the model's turn produced: the steps to store before the answer, and the answer.
pub(super) struct ModelAnswer {
    /// Tool calls and their results, in order.
    pub steps: Vec<NewMessage>,
    /// The final text.
    pub text: String,
}

/// What the model's tools run on: flight search, and the caller's watches
/// when the chat keeps them (`watch_route` is offered only then).
pub(super) struct Tools<'a> {
    pub search: &'a SearchService,
    pub watches: Option<(&'a dyn WatchStore, &'a Caller)>,
}

/// Runs the model with tools over the conversation.
///
/// # Errors
/// The model's own failure, an empty answer, or no answer within
/// [`MAX_TOOL_ROUNDS`]; the caller falls back to the offline assistant.
pub(super) async fn run(
    model: &dyn AssistantModel,
    tools: &Tools<'_>,
    earlier: Option<&ConversationDetail>,
    text: &str,
    now: DateTime<Utc>,
    lang: Lang,
    sink: &Sink,
) -> Result<ModelAnswer, ModelError> {
    let mut convo = conversation(earlier, text, now.date_naive(), lang);
    let mut steps = Vec::new();
    for _ in 0..MAX_TOOL_ROUNDS {
        let done = complete(model, &convo, tools.watches.is_some(), sink).await?;
        if done.tool_calls.is_empty() {
            if done.content.trim().is_empty() {
                return Err(ModelError::Rejected("empty answer".to_owned()));
            }
            return Ok(ModelAnswer {
                steps,
                text: done.content,
            });
        }
        steps.push(NewMessage {
            role: Role::Assistant,
            content: done.content.clone(),
            tool_calls: JsonText::of(&done.tool_calls).ok(),
            tool_results: None,
        });
        convo.push(ChatMessage {
            role: "assistant".to_owned(),
            content: (!done.content.is_empty()).then(|| done.content.clone()),
            tool_calls: done.tool_calls.clone(),
            tool_call_id: None,
        });
        for call in &done.tool_calls {
            let result = run_tool(tools, call, now, lang, sink).await;
            let json = result.to_json();
            convo.push(ChatMessage {
                role: "tool".to_owned(),
                content: Some(json.get().to_owned()),
                tool_calls: Vec::new(),
                tool_call_id: Some(call.id.clone()),
            });
            steps.push(NewMessage {
                role: Role::Tool,
                content: String::new(),
                tool_calls: None,
                tool_results: Some(json),
            });
        }
    }
    Err(ModelError::Rejected(format!(
        "no answer after {MAX_TOOL_ROUNDS} tool rounds"
    )))
}

/// The system prompt, then the traveller's and assistant's words so far.
fn conversation(
    earlier: Option<&ConversationDetail>,
    text: &str,
    today: NaiveDate,
    lang: Lang,
) -> Vec<ChatMessage> {
    let mut convo = vec![ChatMessage::text("system", system_prompt(today, lang))];
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
    convo
}

fn system_prompt(today: NaiveDate, lang: Lang) -> String {
    let language = match lang {
        Lang::Pt => "Brazilian Portuguese",
        Lang::En => "English",
    };
    format!(
        "You are ChatPassagens, a flight search assistant. Today is {today}. Use the search_flights tool to find real \
         offers before quoting any price; never invent flights or prices. If a tool result has an error, correct the \
         named argument and call the tool again. Ask for the origin, destination or date when missing. When the \
         traveller asks to be told when a price drops or falls under an amount, call watch_route with action create \
         and the route, dates, passengers and cabin of the search under discussion (target_price when they name \
         an amount), then confirm what is watched as the result's `watching` says; to list their watches, action \
         list. Answer in {language}, briefly: the best options with airline, stops, duration and price as given."
    )
}

/// One model call; its text streams out as deltas while it arrives, and
/// every delta of a round is out before the round's tool events.
async fn complete(
    model: &dyn AssistantModel,
    convo: &[ChatMessage],
    watches: bool,
    sink: &Sink,
) -> Result<Completion, ModelError> {
    let mut tools = vec![tools::search_tool()];
    if watches {
        tools.push(watch_tool());
    }
    let (deltas, mut delta_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let deltas: Option<Deltas> = sink.is_streaming().then_some(deltas);
    let call = model.complete(convo, &tools, deltas.as_ref());
    tokio::pin!(call);
    loop {
        tokio::select! {
            biased;
            result = &mut call => {
                while let Ok(text) = delta_rx.try_recv() {
                    sink.emit(TurnEvent::Delta { text });
                }
                return result;
            }
            Some(text) = delta_rx.recv() => sink.emit(TurnEvent::Delta { text }),
        }
    }
}

/// Runs one tool call; a bad call becomes a result the model can read.
async fn run_tool(
    tools: &Tools<'_>,
    call: &ToolCall,
    now: DateTime<Utc>,
    lang: Lang,
    sink: &Sink,
) -> ToolResult {
    sink.emit(TurnEvent::Tool {
        name: call.name.clone(),
        arguments: serde_json::from_str(&call.arguments).unwrap_or(Value::Null),
    });
    match (call.name.as_str(), tools.watches) {
        (SEARCH_FLIGHTS, _) => search_tool(tools.search, call, now, sink).await,
        (WATCH_ROUTE, Some((store, caller))) => watch_route(store, caller, call, now, lang).await,
        _ => ToolResult::Failed {
            call_id: call.id.clone(),
            field: None,
            error: format!("unknown tool '{}'", call.name),
        },
    }
}

async fn search_tool(
    search: &SearchService,
    call: &ToolCall,
    now: DateTime<Utc>,
    sink: &Sink,
) -> ToolResult {
    match tools::search_query(&call.arguments, now) {
        Ok(query) => {
            let results = search.search(&query, now).await;
            let record = SearchRecord::new(query, &results);
            sink.emit(TurnEvent::Offers(record.clone()));
            ToolResult::Search {
                call_id: call.id.clone(),
                record,
            }
        }
        Err(e) => tools::failed(call, e),
    }
}

/// Creates or lists the caller's watches; a refusal (the 21st watch) or a
/// store failure is a result the model explains.
async fn watch_route(
    store: &dyn WatchStore,
    caller: &Caller,
    call: &ToolCall,
    now: DateTime<Utc>,
    lang: Lang,
) -> ToolResult {
    let call_id = call.id.clone();
    let done = match watch_call(&call.arguments, now, lang) {
        Err(e) => return tools::failed(call, e),
        Ok(WatchCall::List) => store
            .list_watches(caller)
            .await
            .map(|list| ToolResult::Watches {
                call_id: call_id.clone(),
                watches: list.iter().map(WatchSummary::from).collect(),
            }),
        Ok(WatchCall::Create(new)) => {
            store
                .create_watch(caller, &new)
                .await
                .map(|w| ToolResult::WatchCreated {
                    call_id: call_id.clone(),
                    created: WatchSummary::from(&w),
                })
        }
    };
    done.unwrap_or_else(|e| ToolResult::Failed {
        call_id,
        field: None,
        error: match e {
            StoreError::Conflict(why) => why,
            other => format!("watches unavailable: {other}"),
        },
    })
}
