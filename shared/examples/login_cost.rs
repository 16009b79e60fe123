//! What a login costs with the chosen argon2id parameters (19 MiB, t=2, p=1):
//! time to hash (sign-up) and to verify (login), and the process's peak memory.
//! Run: `cargo run --release -p shared --example login_cost`

use std::time::Instant;

use shared::auth::{hash_password, verify_password};
use shared::domain::Password;

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let before = peak_kib();
    let password = Password::new("correct horse battery staple").expect("valid password");
    let started = Instant::now();
    let hash = hash_password(&password).expect("hash");
    let hash_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut verify_ms: Vec<f64> = (0..std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(15))
        .map(|_| {
            let t = Instant::now();
            assert!(verify_password(&hash, &password));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    verify_ms.sort_by(f64::total_cmp);
    #[allow(clippy::print_stdout)]
    {
        println!(
            "argon2id m=19456 KiB t=2 p=1: hash {hash_ms:.1} ms, verify median {:.1} ms (min {:.1}); peak RSS {:.1} MB (before hashing {:.1} MB)",
            verify_ms[verify_ms.len() / 2],
            verify_ms[0],
            peak_kib() as f64 / 1024.0,
            before as f64 / 1024.0
        );
    }
}
