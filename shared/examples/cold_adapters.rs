//! First-use cost of the adapters in a fresh process, the part of a cold
//! start that criterion's warm loops hide (rustls caches its set-up).
//! Run: `for i in 1 2 3 4 5; do cargo run -q --release -p shared --example cold_adapters; done`

use std::time::Instant;

use shared::{App, Config};

fn main() {
    let started = Instant::now();
    let memory = Config::from_lookup(|_| None).expect("defaults");
    drop(App::from_config(&memory).expect("memory app"));
    let memory_us = started.elapsed().as_secs_f64() * 1e6;

    let upstash = Config::from_lookup(|k| match k {
        "CACHE" => Some("upstash".to_owned()),
        "UPSTASH_REDIS_REST_URL" => Some("https://example.upstash.io".to_owned()),
        "UPSTASH_REDIS_REST_TOKEN" => Some("token".to_owned()),
        _ => None,
    })
    .expect("upstash config");
    let started = Instant::now();
    drop(App::from_config(&upstash).expect("upstash app"));
    let tls_us = started.elapsed().as_secs_f64() * 1e6;

    let started = Instant::now();
    let first = shared::places::suggest("lisboa", 1);
    let table_us = started.elapsed().as_secs_f64() * 1e6;
    assert_eq!(first[0].code().as_str(), "LIS");

    #[allow(clippy::print_stdout)]
    {
        println!(
            "memory adapters: {memory_us:.0} µs; Upstash client with TLS: {tls_us:.0} µs; airport table on first lookup: {table_us:.0} µs"
        );
    }
}
