//! Helpers for the cross-function tests in `e2e/`: real services, free
//! ports, databases and child processes that are always cleaned up.

use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
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

/// A superuser connection to the local PostgreSQL's `postgres` database.
///
/// # Panics
/// When PostgreSQL refuses the `postgres` user.
pub async fn postgres_admin() -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(
        "host=127.0.0.1 user=postgres dbname=postgres",
        tokio_postgres::NoTls,
    )
    .await
    .expect("PostgreSQL accepts the postgres user");
    tokio::spawn(conn);
    client
}

/// An empty PostgreSQL database of one test's own, dropped (connections and
/// all) when the guard drops: when the test passes, fails or panics.
pub struct TestDatabase {
    /// `cp_test_<pid>_<random>_<n>`: no other run, not even an earlier
    /// process with the same id, has it.
    pub name: String,
    /// Its URL for `tokio_postgres` and the bridge.
    pub url: String,
}

impl TestDatabase {
    /// Creates the database (after clearing abandoned ones, once per run).
    ///
    /// # Panics
    /// When PostgreSQL refuses the `postgres` user or the creation.
    pub async fn create() -> Self {
        let database = Self::reserve().await;
        postgres_admin()
            .await
            .batch_execute(&format!("create database \"{}\"", database.name))
            .await
            .expect("the test database is created");
        database
    }

    /// A name and URL of the same form with no database behind them yet
    /// (for code that must create it); whatever exists under that name
    /// when the guard drops is dropped.
    ///
    /// # Panics
    /// When PostgreSQL refuses the `postgres` user.
    pub async fn reserve() -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let random = uuid::Uuid::new_v4().simple().to_string();
        let name = format!(
            "cp_test_{}_{}_{}",
            std::process::id(),
            &random[..8],
            N.fetch_add(1, Ordering::Relaxed)
        );
        drop_abandoned(&postgres_admin().await).await;
        let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
        Self { name, url }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop cannot await, and the test's runtime may be unwinding: a
        // thread with a runtime of its own drops the database, ending any
        // connection still open to it (`with (force)`).
        let sql = format!("drop database if exists \"{}\" with (force)", self.name);
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|rt| rt.block_on(async { postgres_admin().await.batch_execute(&sql).await }))
        })
        .join();
        if !matches!(dropped, Ok(Ok(Ok(())))) {
            notice(
                "LEFT BEHIND",
                &format!("could not drop test database {}", self.name),
            );
        }
    }
}

/// Drops `cp_test_*` databases a killed run left behind: only those nobody
/// is connected to, created more than a day ago (no test run lasts a day),
/// so a concurrent run's databases are never touched. Best effort.
async fn drop_abandoned(admin: &tokio_postgres::Client) {
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(rows) = admin
        .query(
            "select datname from pg_database d \
             where datname like 'cp\\_test\\_%' \
               and not exists (select 1 from pg_stat_activity a where a.datid = d.oid) \
               and (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - interval '1 day'",
            &[],
        )
        .await
    else {
        return;
    };
    for row in rows {
        let stale: String = row.get(0);
        let _ = admin
            .batch_execute(&format!("drop database if exists \"{stale}\""))
            .await;
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
