//! Helpers for the cross-function tests in `e2e/`: real services, free
//! ports, and child processes that are always stopped.

use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Child;
use std::time::Duration;

/// Whether this is a CI run (`CI=true`): missing services then fail the
/// test loudly instead of skipping it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether a TCP service answers at `addr`. Under CI a missing service is a
/// failure; locally the test says it is skipped and why.
///
/// # Panics
/// Under CI, when the service is not reachable.
pub fn service_available(name: &str, addr: &str) -> bool {
    let reachable = addr
        .parse::<SocketAddr>()
        .ok()
        .is_some_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok());
    if !reachable {
        assert!(
            !in_ci(),
            "{name} is not reachable at {addr}; CI must start it (see .ci/run)"
        );
        eprintln!("SKIPPED: {name} is not reachable at {addr}; start it to run this test");
    }
    reachable
}

/// Whether a command is on PATH (`--version` succeeds). Under CI a missing
/// tool is a failure.
///
/// # Panics
/// Under CI, when the tool is missing.
pub fn tool_available(program: &str, args: &[&str]) -> bool {
    let ok = std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !in_ci(),
            "`{program}` is not installed; CI must install it (see .ci/run)"
        );
        eprintln!("SKIPPED: `{program}` is not installed");
    }
    ok
}

/// A port nobody listens on right now.
///
/// # Panics
/// When the OS has no free port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The workspace root (where `Cargo.toml` and `template.yaml` live).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Stops the child process when dropped, so a failing test never leaves a
/// server behind: SIGTERM first (so it can stop what it started), then
/// SIGKILL after five seconds.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        for _ in 0..50 {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
