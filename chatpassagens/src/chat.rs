//! `chatpassagens chat`: talk to the assistant from a terminal, against the
//! local server or a deployed API, with the answer streamed as it arrives.

use std::io::{BufRead as _, Write as _};

use anyhow::{Context as _, bail};
use futures::StreamExt as _;
use serde_json::{Value, json};

#[derive(clap::Args)]
pub struct Args {
    /// The API (the local server, or the deployed chat URL).
    #[arg(
        long,
        env = "CHATPASSAGENS_API",
        default_value = "http://127.0.0.1:3000"
    )]
    api: String,
    /// Account e-mail (signed up on first use).
    #[arg(long, env = "CHATPASSAGENS_EMAIL", default_value = "voce@example.com")]
    email: String,
    /// Account password.
    #[arg(
        long,
        env = "CHATPASSAGENS_PASSWORD",
        default_value = "viajar-e-preciso",
        hide_env_values = true
    )]
    password: String,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let base = args.api.trim_end_matches('/').to_owned();
    let token = sign_in(&http, &base, &args.email, &args.password).await?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "ChatPassagens — escreva sua viagem (Ctrl-D para sair) / describe your trip (Ctrl-D to quit)"
    );
    drop(out);
    let mut conversation: Option<String> = None;
    let stdin = std::io::stdin();
    loop {
        print_flush("> ");
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            break;
        }
        let message = line.trim();
        if message.is_empty() {
            continue;
        }
        let mut body = json!({ "message": message });
        if let Some(id) = &conversation {
            body["conversation_id"] = json!(id);
        }
        let response = http
            .post(format!("{base}/chat"))
            .bearer_auth(&token)
            .header("accept", "text/event-stream")
            .json(&body)
            .send()
            .await
            .context("reaching the API")?;
        if !response.status().is_success() {
            let status = response.status();
            let error: Value = response.json().await.unwrap_or_default();
            println!(
                "error {status}: {}",
                error["error"]["message"]
                    .as_str()
                    .unwrap_or("request failed")
            );
            continue;
        }
        conversation = stream_answer(response).await?.or(conversation);
        println!();
    }
    Ok(())
}

fn print_flush(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{text}");
    let _ = out.flush();
}

/// Prints deltas as they come; returns the conversation id from `done`.
async fn stream_answer(response: reqwest::Response) -> anyhow::Result<Option<String>> {
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut event = String::new();
    let mut conversation = None;
    while let Some(chunk) = stream.next().await {
        buffer.push_str(&String::from_utf8_lossy(&chunk?));
        while let Some(end) = buffer.find('\n') {
            let line = buffer[..end].trim_end_matches('\r').to_owned();
            buffer.drain(..=end);
            if let Some(name) = line.strip_prefix("event:") {
                event = name.trim().to_owned();
            } else if let Some(data) = line.strip_prefix("data:") {
                let data: Value = serde_json::from_str(data.trim()).unwrap_or_default();
                match event.as_str() {
                    "delta" => print_flush(data["text"].as_str().unwrap_or_default()),
                    "tool" => print_flush("(buscando voos…)\n"),
                    "done" => conversation = data["conversation_id"].as_str().map(str::to_owned),
                    "error" => {
                        println!("\nerror: {}", data["message"].as_str().unwrap_or_default())
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(conversation)
}

/// Logs in, signing up first if the account does not exist yet.
async fn sign_in(
    http: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<String> {
    let creds = json!({ "email": email, "password": password });
    for path in ["/auth/login", "/auth/signup"] {
        let response = http
            .post(format!("{base}{path}"))
            .json(&creds)
            .send()
            .await
            .context("reaching the API")?;
        if response.status().is_success() {
            let grant: Value = response.json().await?;
            if let Some(token) = grant["access_token"].as_str() {
                return Ok(token.to_owned());
            }
        }
    }
    bail!("could not sign in as {email}: wrong password, or the API refused the sign-up")
}
