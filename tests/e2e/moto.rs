//! `moto_server` (PyPI `moto[server]`) on a free local port: the DynamoDB
//! and SQS APIs for tests, no AWS account needed. `.ci/run` installs it in
//! a virtual environment and puts it on PATH; `MOTO_SERVER` may name it.

use std::process::{Command, Stdio};
use std::time::Duration;

use shared::aws::AwsSettings;
use tests::{ChildGuard, free_port, tool_available};

/// A running moto server and its endpoint URL.
pub(crate) struct Moto {
    pub(crate) endpoint: String,
    _child: ChildGuard,
}

/// Starts moto; `None` (skipped, or failed under CI) when it is not installed.
pub(crate) async fn start() -> Option<Moto> {
    let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_owned());
    if !tool_available(&program, &["--help"]) {
        return None;
    }
    let port = free_port();
    let child = Command::new(&program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let guard = ChildGuard(child);
    let addr = format!("127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(&addr).is_ok() {
            return Some(Moto {
                endpoint: format!("http://{addr}"),
                _child: guard,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("moto_server did not listen on {addr}");
}

/// An SQS client for moto (test credentials, one region).
pub(crate) fn sqs(endpoint: &str) -> aws_sdk_sqs::Client {
    AwsSettings::local(endpoint).sqs()
}

/// A DynamoDB client for moto (test credentials, one region).
pub(crate) fn dynamodb(endpoint: &str) -> aws_sdk_dynamodb::Client {
    AwsSettings::local(endpoint).dynamodb()
}

/// An SES v2 client for moto (test credentials, one region).
pub(crate) fn ses(endpoint: &str) -> aws_sdk_sesv2::Client {
    AwsSettings::local(endpoint).ses()
}

/// The mails moto's SES accepted, as it records them (`/moto-api/data.json`:
/// `source`, `destinations.ToAddresses`, `subject`, `body`).
pub(crate) async fn sent_mails(endpoint: &str) -> Vec<serde_json::Value> {
    let data: serde_json::Value = reqwest::get(format!("{endpoint}/moto-api/data.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    data["ses"]["Message"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}
