//! What the AWS SDK clients (DynamoDB, SQS, SES) share: region, credentials,
//! an optional endpoint (`moto_server` in tests) and one HTTP client.
//!
//! The settings come straight from the variables Lambda sets (`AWS_REGION`,
//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) rather
//! than through `aws-config`'s provider chain: a function never reads profile
//! files, SSO or the instance metadata service, and leaving that chain out
//! keeps its crates (and a second TLS stack) out of every binary and its
//! file reads out of the cold start. The HTTP client is hyper 1 with rustls
//! on ring, the stack `reqwest` already links.
//!
//! Building an SDK client costs about 2 ms (4.5–6.3 ms for the three,
//! measured by the `cold_adapters` example, while the shared HTTP client
//! itself takes 0.02 ms; most likely the connector's TLS set-up with the
//! system's root certificates), so adapters hold a [`LazyClient`]: built on
//! first use, once per process, never on a cold start that does not need it.

use std::sync::{LazyLock, OnceLock};

use aws_credential_types::Credentials;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::region::Region;

/// Region, credentials and endpoint for the SDK clients.
#[derive(Debug, Clone)]
pub struct AwsSettings {
    region: Region,
    credentials: Option<Credentials>,
    endpoint: Option<String>,
}

impl AwsSettings {
    /// Region used when `AWS_REGION` is unset (a developer's machine).
    pub const DEFAULT_REGION: &'static str = "us-east-1";

    /// The settings Lambda gives a function, or a developer's shell:
    /// `AWS_REGION` (or `AWS_DEFAULT_REGION`), the key pair and session token,
    /// and `AWS_ENDPOINT_URL` for a local server. Without a key pair the
    /// clients are built but every call fails with a "no credentials" error.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let region = var("AWS_REGION")
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| Self::DEFAULT_REGION.to_owned());
        let credentials = match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
            (Some(key), Some(secret)) => Some(Credentials::new(
                key,
                secret,
                var("AWS_SESSION_TOKEN"),
                None,
                "environment",
            )),
            _ => None,
        };
        Self {
            region: Region::new(region),
            credentials,
            endpoint: var("AWS_ENDPOINT_URL"),
        }
    }

    /// Settings for a local AWS-compatible server at `endpoint` (moto):
    /// test credentials, one region.
    pub fn local(endpoint: &str) -> Self {
        Self {
            region: Region::new(Self::DEFAULT_REGION),
            credentials: Some(Credentials::new("test", "test", None, None, "local")),
            endpoint: Some(endpoint.to_owned()),
        }
    }

    client!(dynamodb, aws_sdk_dynamodb, "A DynamoDB client.");
    client!(sqs, aws_sdk_sqs, "An SQS client.");
    client!(ses, aws_sdk_sesv2, "An SES v2 client.");
}

/// An SDK client built on first use.
pub type LazyClient<C> = LazyLock<C, Box<dyn FnOnce() -> C + Send>>;

/// A client built from `settings` with `build` (such as
/// [`AwsSettings::dynamodb`]) when first used.
pub fn lazy<C: 'static>(settings: AwsSettings, build: fn(&AwsSettings) -> C) -> LazyClient<C> {
    LazyLock::new(Box::new(move || build(&settings)))
}

/// A client already built (tests hand one in).
pub fn ready<C: Send + 'static>(client: C) -> LazyClient<C> {
    LazyLock::new(Box::new(move || client))
}

/// One constructor per service: the builders share their methods but not a
/// type, so a macro writes the same five lines for each.
macro_rules! client {
    ($name:ident, $sdk:ident, $doc:literal) => {
        #[doc = $doc]
        pub fn $name(&self) -> $sdk::Client {
            let mut builder = $sdk::config::Builder::new()
                .behavior_version($sdk::config::BehaviorVersion::latest())
                .region(self.region.clone())
                .http_client(http_client());
            if let Some(credentials) = &self.credentials {
                builder = builder.credentials_provider(credentials.clone());
            }
            if let Some(endpoint) = &self.endpoint {
                builder = builder.endpoint_url(endpoint);
            }
            $sdk::Client::from_conf(builder.build())
        }
    };
}
use client;

/// The one HTTP client every SDK client shares (its connection pool too),
/// for a client built by hand (a test adding an interceptor).
pub fn http_client() -> SharedHttpClient {
    static CLIENT: OnceLock<SharedHttpClient> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            aws_smithy_http_client::Builder::new()
                .tls_provider(Provider::Rustls(CryptoMode::Ring))
                .build_https()
        })
        .clone()
}
