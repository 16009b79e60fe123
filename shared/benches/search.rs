//! Search through the HTTP handler, cached and uncached.
//! Run: `cargo bench -p shared --bench search`

use std::hint::black_box;

use axum::body::Body;
use axum::http::Request;
use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use shared::{App, Config, api};
use tower::ServiceExt;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("date");
    let config = Config::from_lookup(|_| None).expect("defaults");
    searches(c, &rt, &config, now);
    set_up(c, &config);
    airports(c, &rt, &config);
}

/// A round trip from the cache and from the demo provider, and a one-way.
fn searches(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    config: &Config,
    now: chrono::DateTime<Utc>,
) {
    let uri = "/search?origin=SAO&destination=LIS&departure=2027-03-10&return=2027-03-24&adults=2";
    let cached = api::search_router(App::from_config(config).expect("app").with_clock(now));
    c.bench_function("search_cached_round_trip", |b| {
        b.iter(|| {
            let req = Request::get(uri).body(Body::empty()).expect("request");
            let res = rt.block_on(cached.clone().oneshot(req)).expect("response");
            black_box(res);
        });
    });

    // A TTL of one second and a fresh app per batch would still hit; an
    // uncached search is measured by giving every iteration its own app.
    c.bench_function("search_uncached_round_trip", |b| {
        b.iter_batched(
            || api::search_router(App::from_config(config).expect("app").with_clock(now)),
            |router| {
                let req = Request::get(uri).body(Body::empty()).expect("request");
                black_box(rt.block_on(router.oneshot(req)).expect("response"));
            },
            criterion::BatchSize::SmallInput,
        );
    });

    let one_way = "/search?origin=SAO&destination=LIS&departure=2027-03-10";
    c.bench_function("search_uncached_one_way", |b| {
        b.iter_batched(
            || api::search_router(App::from_config(config).expect("app").with_clock(now)),
            |router| {
                let req = Request::get(one_way).body(Body::empty()).expect("request");
                black_box(rt.block_on(router.oneshot(req)).expect("response"));
            },
            criterion::BatchSize::SmallInput,
        );
    });
}

/// Cold-start cost of the adapters.
fn set_up(c: &mut Criterion, config: &Config) {
    // Cold-start cost of the adapters: the Upstash client's TLS set-up
    // (rustls with the bundled web PKI roots) against the in-memory cache.
    c.bench_function("app_from_config_memory", |b| {
        b.iter(|| black_box(App::from_config(config).expect("app")));
    });
    let upstash = Config::from_lookup(|k| match k {
        "CACHE" => Some("upstash".to_owned()),
        "UPSTASH_REDIS_REST_URL" => Some("https://example.upstash.io".to_owned()),
        "UPSTASH_REDIS_REST_TOKEN" => Some("token".to_owned()),
        _ => None,
    })
    .expect("upstash config");
    c.bench_function("app_from_config_upstash_tls", |b| {
        b.iter(|| black_box(App::from_config(&upstash).expect("app")));
    });
}

/// `/airports` for a full name, three letters and one letter.
fn airports(c: &mut Criterion, rt: &tokio::runtime::Runtime, config: &Config) {
    let autocomplete = api::search_router(App::from_config(config).expect("app"));
    // A city's full name, three letters, and one letter (the widest match:
    // thousands of airports).
    for (name, q) in [
        ("airports_autocomplete", "s%C3%A3o%20paulo"),
        ("airports_autocomplete_three_letters", "lis"),
        ("airports_autocomplete_one_letter", "a"),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                let req = Request::get(format!("/airports?q={q}"))
                    .body(Body::empty())
                    .expect("request");
                black_box(
                    rt.block_on(autocomplete.clone().oneshot(req))
                        .expect("response"),
                );
            });
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
