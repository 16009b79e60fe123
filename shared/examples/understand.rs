//! What the offline assistant understands of a conversation, for trying
//! phrasings by hand: one conversation per line on standard input, its
//! turns separated by " | ", read as of `TODAY` (default 2026-11-30).
//!
//! `echo 'gru pra lisboa 10/3 | volta dia 20' | cargo run -p shared --example understand`

#![allow(clippy::print_stdout)]

use std::io::BufRead;

use chrono::NaiveDate;
use shared::assistant::understand_conversation;

fn main() {
    let today = std::env::var("TODAY")
        .ok()
        .and_then(|t| t.parse::<NaiveDate>().ok())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(2026, 11, 30).expect("a real date"));
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let got = understand_conversation(line.split(" | "), today);
        println!("{line}\n  {got:?}");
    }
}
