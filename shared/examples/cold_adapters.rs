//! First-use cost of the adapters in a fresh process, the part of a cold
//! start that criterion's warm loops hide (rustls caches its set-up).
//! Run: `for i in 1 2 3 4 5; do cargo run -q --release -p shared --example cold_adapters; done`
//!
//! With `AWS_ENDPOINT_URL` pointing at a local DynamoDB (`moto_server`), it
//! also times the first and second DynamoDB call of a fresh process: the
//! first pays the SDK's one-time connector set-up (TLS configuration with
//! the system's root certificates) and the connection, the second neither.

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

    let started = Instant::now();
    drop(shared::aws::http_client());
    let aws_http_us = started.elapsed().as_secs_f64() * 1e6;
    let started = Instant::now();
    let aws = shared::aws::AwsSettings::from_env();
    let dynamodb = aws.dynamodb();
    drop((aws.sqs(), aws.ses()));
    let aws_us = started.elapsed().as_secs_f64() * 1e6;

    #[allow(clippy::print_stdout)]
    {
        println!(
            "memory adapters: {memory_us:.0} µs; Upstash client with TLS: {tls_us:.0} µs; airport table on first lookup: {table_us:.0} µs; the SDK's HTTP client: {aws_http_us:.0} µs; then DynamoDB, SQS and SES clients (the adapters build theirs on first use): {aws_us:.0} µs"
        );
        if std::env::var_os("AWS_ENDPOINT_URL").is_some() {
            let (first, second) = first_calls(&dynamodb);
            println!("DynamoDB ListTables: first call {first:.2} ms, second {second:.2} ms");
        }
    }
}

/// Times two `ListTables` calls on a fresh client, in milliseconds.
fn first_calls(client: &aws_sdk_dynamodb::Client) -> (f64, f64) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut times = [0.0; 2];
        for t in &mut times {
            let started = Instant::now();
            client.list_tables().send().await.expect("ListTables");
            *t = started.elapsed().as_secs_f64() * 1e3;
        }
        (times[0], times[1])
    })
}
