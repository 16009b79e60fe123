//! The offline assistant's understanding of a conversation: the input is
//! UTF-8 text, one traveller message a line, optionally preceded by a line
//! `YYYY-MM-DD` that sets "today" (years 2000 to 2199; 2026-11-30
//! otherwise). Messages are kept as the chat keeps them (trimmed, 1 to
//! 4,000 characters). The slots are then turned into the search the
//! assistant would run and parsed as of noon UTC that day. Properties:
//! nothing panics; a language is always chosen; how many spaces, tabs or
//! line breaks separate words changes nothing that is understood.
#![no_main]

use chrono::{Datelike as _, NaiveDate};
use libfuzzer_sys::fuzz_target;
use shared::assistant::offline::search_request;
use shared::assistant::understand_conversation;
use shared::domain::UserMessage;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n').peekable();
    let today = match lines
        .peek()
        .and_then(|l| NaiveDate::parse_from_str(l, "%Y-%m-%d").ok())
    {
        Some(day) if (2000..2200).contains(&day.year()) => {
            lines.next();
            day
        }
        _ => NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    };
    let turns: Vec<String> = lines
        .filter_map(|l| UserMessage::parse(l).ok())
        .map(|m| m.as_str().to_owned())
        .collect();
    // A turn always has its current message.
    if turns.is_empty() {
        return;
    }
    let slots = understand_conversation(turns.iter().map(String::as_str), today);
    assert!(slots.lang.is_some(), "no language for {turns:?}");

    let spaced: Vec<String> = turns
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let again = understand_conversation(spaced.iter().map(String::as_str), today);
    assert_eq!(again, slots, "{turns:?} read differently as {spaced:?}");

    if let Some((raw, _)) = search_request(&slots, today) {
        let noon = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
        let _ = raw.parse(noon);
    }
});
