//! What the AWS SDK clients (DynamoDB, SQS, SES) share: region, credentials,
//! an optional endpoint (`moto_server` in tests) and one HTTP client.
//!
//! The settings come straight from the variables Lambda sets (`AWS_REGION`,
//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) rather
//! than through `aws-config`'s provider chain: a function never reads profile
//! files, SSO or the instance metadata service, and leaving that chain out
//! keeps its crates (and a second TLS stack) out of every binary and its
//! file reads out of the cold start.
//!
//! The HTTP client is `reqwest`, which every function already links for its
//! other adapters, behind the SDK's connector trait ([`ReqwestConnector`]).
//! The SDK's own client (`aws-smithy-http-client`) would link a second
//! hyper client with HTTP/2 — about 0.5 MB of every arm64 binary that uses
//! the SDK — for requests that are small, buffered JSON either way.
//!
//! Building the three SDK clients cost 4.5–6.3 ms with the SDK's own HTTP
//! client and 0.44–0.56 ms over this one (the `cold_adapters` example), and
//! the `reqwest` client itself is built on the first call; adapters still
//! hold a [`LazyClient`]: built on first use, once per process, never on a
//! cold start that does not need it.

use std::sync::{LazyLock, OnceLock};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
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
            http_client_fn(|settings, _| {
                SharedHttpConnector::new(ReqwestConnector {
                    http: reqwest_client().clone(),
                    read_timeout: settings.read_timeout(),
                })
            })
        })
        .clone()
}

/// The `reqwest` client behind every SDK call, built on first use.
///
/// Without automatic gzip: DynamoDB checks its `x-amz-crc32` header against
/// the body as sent, which a transparently decompressed body would fail.
fn reqwest_client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            // The SDK's own default connect timeout.
            .connect_timeout(Duration::from_millis(3100))
            .no_gzip()
            .build()
            // Only a TLS back-end that fails to initialise ends here, and
            // then no HTTP client of the process could work either.
            .unwrap_or_else(|_| reqwest::Client::new())
    })
}

/// The SDK's HTTP connector over `reqwest`: sends a signed request as it is
/// and hands back the whole response (SDK requests and answers here are
/// small JSON documents; no streaming body is ever sent).
#[derive(Debug, Clone)]
pub struct ReqwestConnector {
    http: reqwest::Client,
    read_timeout: Option<Duration>,
}

impl HttpConnector for ReqwestConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let this = self.clone();
        HttpConnectorFuture::new(async move { this.send(request).await })
    }
}

impl ReqwestConnector {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let request = request
            .try_into_http1x()
            .map_err(|e| ConnectorError::other(e.into(), None))?;
        let (parts, body) = request.into_parts();
        let body = body.bytes().map(<[u8]>::to_vec).ok_or_else(|| {
            ConnectorError::other("a streaming request body is not supported".into(), None)
        })?;
        let mut builder = self
            .http
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body);
        if let Some(timeout) = self.read_timeout {
            builder = builder.timeout(timeout);
        }
        let response = builder.send().await.map_err(connector_error)?;
        let mut answer = http::Response::new(SdkBody::empty());
        *answer.status_mut() = response.status();
        *answer.headers_mut() = response.headers().clone();
        *answer.body_mut() = SdkBody::from(response.bytes().await.map_err(connector_error)?);
        HttpResponse::try_from(answer).map_err(|e| ConnectorError::other(e.into(), None))
    }
}

/// Timeouts and I/O failures as the SDK's retry strategy classifies them
/// (both retried), anything else as final.
fn connector_error(error: reqwest::Error) -> ConnectorError {
    if error.is_timeout() {
        ConnectorError::timeout(error.into())
    } else if error.is_connect() || error.is_request() || error.is_body() {
        ConnectorError::io(error.into())
    } else {
        ConnectorError::other(error.into(), None)
    }
}
