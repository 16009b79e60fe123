//! `chatpassagens migrate`: applies the Supabase bootstrap and migrations to
//! `DATABASE_URL`, once each, recording them as the Supabase CLI does.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use tokio_postgres::NoTls;

/// Key of the advisory lock that keeps two `migrate` runs from interleaving.
const LOCK_KEY: i64 = 0x6368_6174_7061_7373; // "chatpass"

/// What one run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Versions applied by this run, in order.
    pub applied: Vec<String>,
    /// Versions that were already recorded.
    pub skipped: Vec<String>,
}

/// Runs `bootstrap.sql` (idempotent: it creates only what is missing), then
/// every `migrations/<version>_<name>.sql` not yet in
/// `supabase_migrations.schema_migrations`, each in its own transaction.
///
/// # Errors
/// A connection failure, a malformed file name, or the first failing
/// migration (which is rolled back and not recorded).
pub async fn run(database_url: &str, supabase_dir: &Path) -> anyhow::Result<Report> {
    let (mut client, connection) = tokio_postgres::connect(database_url, NoTls)
        .await
        .context("connecting to DATABASE_URL")?;
    let driver = tokio::spawn(connection);
    client
        .execute("select pg_advisory_lock($1)", &[&LOCK_KEY])
        .await?;

    let bootstrap = supabase_dir.join("bootstrap.sql");
    let sql = std::fs::read_to_string(&bootstrap)
        .with_context(|| format!("reading {}", bootstrap.display()))?;
    client
        .batch_execute(&sql)
        .await
        .context("applying bootstrap.sql")?;

    let mut report = Report::default();
    for (version, name, path) in migrations(&supabase_dir.join("migrations"))? {
        let done = client
            .query_opt(
                "select 1 from supabase_migrations.schema_migrations where version = $1",
                &[&version],
            )
            .await?;
        if done.is_some() {
            report.skipped.push(version);
            continue;
        }
        let sql = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let tx = client.transaction().await?;
        tx.batch_execute(&sql)
            .await
            .with_context(|| format!("applying migration {version}_{name}"))?;
        tx.execute(
            "insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, array[$2], $3)",
            &[&version, &sql, &name],
        )
        .await?;
        tx.commit().await?;
        report.applied.push(version);
    }
    client
        .execute("select pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await?;
    drop(client);
    let _ = driver.await;
    Ok(report)
}

/// `(version, name, path)` of every migration, in version order.
fn migrations(dir: &Path) -> anyhow::Result<Vec<(String, String, PathBuf)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "sql") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let Some((version, name)) = stem.split_once('_') else {
            bail!("migration '{stem}' is not named <timestamp>_<name>.sql");
        };
        if version.len() != 14 || !version.bytes().all(|b| b.is_ascii_digit()) {
            bail!("migration '{stem}' must start with a 14-digit timestamp (YYYYMMDDHHMMSS)");
        }
        found.push((version.to_owned(), name.to_owned(), path));
    }
    found.sort();
    Ok(found)
}
