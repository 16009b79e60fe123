//! `chatpassagens`: the developer CLI. Serves every function locally, searches
//! from the terminal, and runs the local Upstash-compatible bridge.

// A CLI's output is its interface.
#![allow(clippy::print_stdout)]

mod chat;

use chatpassagens::search;
mod serve;

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "chatpassagens", version, about = "ChatPassagens developer CLI")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every function's handlers in one local HTTP server.
    Serve {
        /// Address to listen on (port 0 picks a free one).
        #[arg(long, env = "LISTEN", default_value = "127.0.0.1:3000")]
        listen: SocketAddr,
        /// The built web client to serve at `/` when the folder exists.
        #[arg(long, env = "WEB_DIST", default_value = "web/dist")]
        web_dist: std::path::PathBuf,
    },
    /// Refresh watched fares: one tick (claim, group, queue) and the worker
    /// over every message, in-process, against the configured store.
    Refresh {
        /// Run one tick and drain it, then exit (the only mode for now).
        #[arg(long)]
        once: bool,
    },
    /// Talk to the assistant from the terminal (answers stream as they arrive).
    Chat(chat::Args),
    /// Search flights and print the offers as a table.
    Search(Box<search::Args>),
    /// Apply the Supabase bootstrap and migrations to DATABASE_URL (idempotent),
    /// creating that database first when the server does not have it.
    Migrate {
        /// PostgreSQL to migrate.
        #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
        database_url: String,
        /// Folder holding bootstrap.sql and migrations/.
        #[arg(long, default_value = "infra/supabase")]
        dir: std::path::PathBuf,
    },
    /// Serve PostgREST's RPC protocol over a real PostgreSQL (PGRST_* settings).
    PostgrestBridge {
        /// Address to listen on [default: PGRST_SERVER_HOST:PGRST_SERVER_PORT,
        /// each defaulting to 127.0.0.1:3001's part].
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Serve a fare provider's documented API locally (scenarios for tests
    /// and for running the product against it).
    Replay {
        #[command(subcommand)]
        provider: chatpassagens::replay::Provider,
    },
    /// Serve the Upstash REST protocol in front of a real Redis.
    UpstashBridge {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8079")]
        listen: SocketAddr,
        /// Redis to forward commands to.
        #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1:6379")]
        redis_url: String,
        /// Bearer token clients must present (as `UPSTASH_REDIS_REST_TOKEN`).
        #[arg(
            long,
            env = "UPSTASH_REDIS_REST_TOKEN",
            default_value = "local-dev-token",
            hide_env_values = true
        )]
        token: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}` prints the cause chain on one line, without a backtrace.
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { listen, web_dist } => serve::run(listen, &web_dist).await,
        Command::Search(args) => search::run(*args).await,
        Command::Chat(args) => chat::run(args).await,
        Command::Replay { provider } => chatpassagens::replay::run(provider).await,
        Command::Refresh { once } => refresh(once).await,
        Command::Migrate { database_url, dir } => {
            let report = chatpassagens::migrate::run(&database_url, &dir).await?;
            if let Some(name) = &report.created_database {
                println!("created database {name}");
            }
            for v in &report.applied {
                println!("applied {v}");
            }
            println!(
                "{} applied, {} already applied",
                report.applied.len(),
                report.skipped.len()
            );
            Ok(())
        }
        Command::PostgrestBridge { listen } => {
            shared::telemetry::init(shared::config::LogFormat::Text);
            chatpassagens::postgrest_bridge::serve(
                |k| std::env::var(k).ok(),
                listen,
                |addr| println!("postgrest bridge listening on http://{addr}"),
            )
            .await
        }
        Command::UpstashBridge {
            listen,
            redis_url,
            token,
        } => {
            shared::telemetry::init(shared::config::LogFormat::Text);
            let listener = tokio::net::TcpListener::bind(listen).await?;
            println!(
                "upstash bridge listening on http://{} (redis {redis_url})",
                listener.local_addr()?
            );
            chatpassagens::upstash_bridge::serve(listener, &redis_url, token).await
        }
    }
}

/// `chatpassagens refresh --once`: one tick and its messages, then a summary.
async fn refresh(once: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        once,
        "only `refresh --once` is supported; `serve` refreshes on an interval"
    );
    let overrides = match std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty()) {
        Some(url) => serve::local_supabase(&url).await?,
        None => std::collections::HashMap::new(),
    };
    let config = shared::Config::from_lookup(|k| {
        overrides.get(k).cloned().or_else(|| std::env::var(k).ok())
    })?;
    shared::telemetry::init(config.log_format);
    let app = shared::App::from_config(&config)?;
    let started = std::time::Instant::now();
    let (tick, work) = shared::refresh::local::run_once(&app).await?;
    println!(
        "refresh: {} closed, {} claimed, {} messages, {} searches, {} price points, {} notifications ({} e-mailed) in {} ms",
        tick.closed,
        tick.claimed,
        tick.messages,
        work.searches,
        work.points,
        work.notifications,
        work.emails,
        started.elapsed().as_millis()
    );
    Ok(())
}
