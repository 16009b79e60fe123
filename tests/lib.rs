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

/// Says on the test run's own stderr that the running test is skipped and
/// why. Written past libtest's capture, so it shows among the results even
/// when the test "passes".
pub fn skip(reason: &str) {
    notice("SKIPPED", reason);
}

/// Writes `<label> <test name>: <message>` on the run's own stderr, past
/// libtest's capture, for what an operator must see even from a passing test.
pub fn notice(label: &str, message: &str) {
    use std::io::Write as _;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("unnamed test");
    let _ = writeln!(std::io::stderr(), "{label} {test}: {message}");
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
        skip(&format!(
            "{name} is not reachable at {addr}; start it to run this test"
        ));
    }
    reachable
}

/// The tool a command line needs: `cargo lambda ...` needs `cargo-lambda`
/// (cargo runs its subcommands as `cargo-<name>` binaries), anything else
/// the program itself.
pub fn tool_name(program: &str, args: &[&str]) -> String {
    match args.first() {
        Some(sub) if program == "cargo" && !sub.starts_with('-') => format!("cargo-{sub}"),
        _ => program.to_owned(),
    }
}

/// Whether a command is on PATH (`program args` succeeds). Under CI a
/// missing tool is a failure; locally the test says it is skipped and why.
///
/// # Panics
/// Under CI, when the tool is missing.
pub fn tool_available(program: &str, args: &[&str]) -> bool {
    let ok = std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let tool = tool_name(program, args);
        assert!(
            !in_ci(),
            "`{tool}` is not installed; CI must install it (see .ci/run)"
        );
        skip(&format!(
            "`{tool}` is not installed; install it to run this test"
        ));
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

#[cfg(test)]
mod tests {
    use super::tool_name;

    #[test]
    fn a_missing_cargo_subcommand_is_named_as_its_own_binary() {
        assert_eq!(tool_name("cargo", &["lambda", "--version"]), "cargo-lambda");
        assert_eq!(tool_name("cargo", &["--version"]), "cargo");
        assert_eq!(tool_name("node", &["--version"]), "node");
    }
}
