//! `chatpassagens migrate`: applies the Supabase bootstrap and migrations to
//! `DATABASE_URL`, once each, recording them as the Supabase CLI does. A
//! database the URL names but the server lacks is created first.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

/// Key of the advisory lock that keeps two `migrate` runs from interleaving.
const LOCK_KEY: i64 = 0x6368_6174_7061_7373; // "chatpass"

/// What one run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Versions applied by this run, in order.
    pub applied: Vec<String>,
    /// Versions that were already recorded.
    pub skipped: Vec<String>,
    /// The database this run created because the server did not have it.
    pub created_database: Option<String>,
}

/// Creates the database when the server does not have it, then runs
/// `bootstrap.sql` (idempotent: it creates only what is missing), then
/// every `migrations/<version>_<name>.sql` not yet in
/// `supabase_migrations.schema_migrations`, each in its own transaction.
///
/// # Errors
/// A connection failure, a database that is missing and cannot be created,
/// a malformed file name, or the first failing migration (which is rolled
/// back and not recorded).
pub async fn run(database_url: &str, supabase_dir: &Path) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let (mut client, driver) = match connect(database_url).await {
        Ok(connected) => connected,
        Err(err) if err.code() == Some(&SqlState::INVALID_CATALOG_NAME) => {
            report.created_database = Some(create_database(database_url).await?);
            connect(database_url)
                .await
                .context("connecting to DATABASE_URL after creating its database")?
        }
        Err(err) => return Err(err).context("connecting to DATABASE_URL"),
    };
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

/// A connection to `url` and the task that drives it.
async fn connect(
    url: &str,
) -> Result<
    (
        Client,
        tokio::task::JoinHandle<Result<(), tokio_postgres::Error>>,
    ),
    tokio_postgres::Error,
> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    Ok((client, tokio::spawn(connection)))
}

/// Creates the database `url` names, connected to the `postgres`
/// maintenance database of the same server as the same user. Another run
/// creating it at the same moment is not an error. Returns its name.
async fn create_database(url: &str) -> anyhow::Result<String> {
    let mut config: tokio_postgres::Config = url.parse().context("parsing DATABASE_URL")?;
    // Without a database in the URL PostgreSQL uses the user's name.
    let name = config
        .get_dbname()
        .or(config.get_user())
        .context("DATABASE_URL names no database and no user")?
        .to_owned();
    config.dbname("postgres");
    let (admin, connection) = config.connect(NoTls).await.with_context(|| {
        format!("database {name} does not exist; connecting to the postgres database to create it")
    })?;
    let driver = tokio::spawn(connection);
    let created = admin
        .batch_execute(&format!(
            "create database \"{}\"",
            name.replace('"', "\"\"")
        ))
        .await;
    drop(admin);
    let _ = driver.await;
    match created {
        Err(err) if err.code() != Some(&SqlState::DUPLICATE_DATABASE) => {
            Err(err).with_context(|| format!("creating database {name}"))
        }
        _ => Ok(name),
    }
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
