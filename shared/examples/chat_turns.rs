//! Runs exactly N offline chat turns (the chat benchmark's turn: a new
//! traveller and conversation each time, search served from the cache), for
//! instruction counts per turn that a shared CPU cannot blur:
//! `valgrind --tool=callgrind` over N and 2N turns, and the difference
//! divided by N. Prints the wall time per turn too. A second argument
//! `month` runs the flexible month search instead of one day.
//! Run: `cargo run --release -p shared --example chat_turns -- 1000 [month]`

#![allow(clippy::print_stdout)]

use std::time::Instant;

use chrono::{TimeZone, Utc};
use shared::assistant::TurnInput;
use shared::domain::UserId;
use shared::store::Caller;
use shared::{App, Config};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    // `month`: the flexible month search; otherwise one day, as the benchmark.
    let when = match std::env::args().nth(2).as_deref() {
        Some("month") => "em março",
        _ => "em 15 de março",
    };
    let message = format!("quero ir de São Paulo para Lisboa {when}, até R$ 6.000, 2 adultos");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 22, 12, 0, 30)
        .single()
        .expect("date");
    let config = Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("bench-secret-with-at-least-32-characters".to_owned()),
        _ => None,
    })
    .expect("config");
    let app = App::from_config(&config).expect("app").with_clock(now);
    let input = || TurnInput {
        conversation_id: None,
        message: message.clone(),
        locale: None,
        idempotency_key: None,
        events: None,
    };
    let who = || Caller {
        user_id: UserId::random(),
        token: String::new(),
    };
    // The first turn fills the search cache, as in the benchmark.
    let first = rt
        .block_on(app.chat.turn(&who(), input(), now))
        .expect("turn");
    assert!(first.reply.contains("Encontrei"), "{}", first.reply);
    let start = Instant::now();
    for _ in 0..n {
        let out = rt
            .block_on(app.chat.turn(&who(), input(), now))
            .expect("turn");
        std::hint::black_box(out);
    }
    let per_turn = start.elapsed().as_secs_f64() * 1e3 / n.max(1) as f64;
    println!("{n} turns, {per_turn:.3} ms per turn");
}
