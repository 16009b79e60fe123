//! What EMF metric lines add to the server's work: offline chat turns
//! through the chat service on the embedded adapters with metrics `off` or
//! `emf` (lines on standard output: redirect it), or `emit` alone (one
//! one-metric line, timed per emission).
//!
//! Run (standard output to /dev/null; the figures go to standard error):
//! `cargo run -p shared --example emf_cost -- off 200 > /dev/null`,
//! the same with `emf`, and `-- emit 100000`; for instruction counts,
//! `valgrind --tool=callgrind <the example binary> off 200 > /dev/null`
//! and the same with `emf`.

use std::time::Instant;

use chrono::{TimeZone, Utc};
use shared::assistant::TurnInput;
use shared::metrics::{Metric, Metrics};
use shared::store::Caller;
use shared::{Adapters, App, Config};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("off", String::as_str);
    let count: u32 = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100);
    if mode == "emit" {
        emit(count);
        return Ok(());
    }
    let metrics = if mode == "emf" {
        Metrics::emf("bench")
    } else {
        Metrics::off()
    };
    let config = Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("bench-secret-with-at-least-32-characters".to_owned()),
        "CHAT_RATE_LIMIT_PER_MINUTE" => Some("10000".to_owned()),
        _ => None,
    })?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 22, 12, 0, 30)
        .single()
        .ok_or_else(|| anyhow::anyhow!("date"))?;
    let app = App::assemble(&config, Adapters::ALL, metrics)?.with_clock(now);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let caller = Caller {
        user_id: shared::domain::UserId::random(),
        token: String::new(),
    };
    let input = || TurnInput {
        conversation_id: None,
        message: "quero ir de São Paulo para Lisboa em março, até R$ 6.000, 2 adultos".to_owned(),
        locale: None,
        idempotency_key: None,
        events: None,
    };
    // The first turn fills the search cache; the timed ones hit it, as
    // a conversation's refinements do.
    rt.block_on(app.chat.turn(&caller, input(), now))?;
    let started = Instant::now();
    for _ in 0..count {
        rt.block_on(app.chat.turn(&caller, input(), now))?;
    }
    let per_turn = started.elapsed().as_secs_f64() * 1e6 / f64::from(count.max(1));
    eprintln!("metrics {mode}: {count} offline turns, {per_turn:.1} µs per turn");
    Ok(())
}

/// Times `count` one-metric lines written to standard output.
fn emit(count: u32) {
    let metrics = Metrics::emf("bench");
    let started = Instant::now();
    for _ in 0..count {
        metrics.record(&[(Metric::TurnLatency, 0.412)]);
    }
    let per_line = started.elapsed().as_secs_f64() * 1e9 / f64::from(count.max(1));
    eprintln!("{count} EMF lines, {per_line:.0} ns per line");
}
