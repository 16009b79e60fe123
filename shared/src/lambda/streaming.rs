//! The streaming function's loop over the Lambda Runtime API, on connections
//! with `TCP_NODELAY`.
//!
//! `lambda_http::run_with_streaming_response` (through `lambda_runtime` 1.5)
//! builds its Runtime API client with a default `HttpConnector`: Nagle's
//! algorithm on. A streamed response goes out as several small writes (the
//! request head, the metadata prelude, each event, the chunked terminator);
//! once one segment is unacknowledged, the kernel holds the next small one
//! until the Runtime API acknowledges, and Linux delays that acknowledgement
//! by up to 40 ms. Every streamed turn paid it at its end (about 40 ms, where
//! a buffered answer, one write, pays nothing). Neither `lambda_runtime` nor
//! `lambda_http` lets a caller set the connector, while
//! `lambda_runtime_api_client`, the client they use, does
//! (`PooledClientBuilder::with_connector`); so this module drives that
//! client itself with a connector that sets `TCP_NODELAY`, and keeps
//! `lambda_http`'s own adapter (`StreamAdapter`) for turning the event into
//! a request and the response into the streamed prelude and body.
//!
//! What the crate's loop does and this one does too: the invocation's
//! context and tracing span, the `Lambda-Runtime-Invocation-Id` echo, the
//! streamed response (prelude, eight NUL bytes, body; an error mid-stream as
//! the `Lambda-Runtime-Function-Error-Type`/`-Body` trailers), an event that
//! does not parse or a handler that panics reported to `/error`. What it
//! leaves out, unused here: SnapStart hooks, concurrent invocations
//! (Lambda Managed Instances) and the `_X_AMZN_TRACE_ID` variable (the trace
//! id still reaches the request's `x-amzn-trace-id` header).

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::Router;
use bytes::Bytes;
use futures::{FutureExt as _, Stream, StreamExt as _};
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use http_body_util::BodyExt as _;
use hyper_util::client::legacy::connect::HttpConnector;
use lambda_http::lambda_runtime::layers::trace::request_span;
use lambda_http::lambda_runtime::{
    Config as RuntimeConfig, Context, Diagnostic, LambdaEvent, StreamResponse,
};
use lambda_http::request::LambdaRequest;
use lambda_http::tower::ServiceExt as _;
use lambda_http::{Service, StreamAdapter};
use lambda_runtime_api_client::body::Body;
use lambda_runtime_api_client::{BoxError, PooledClient, build_request};
use tracing::Instrument as _;

const API: &str = "/2018-06-01/runtime/invocation";
const INVOCATION_ID: &str = "lambda-runtime-invocation-id";
const ERROR_TYPE: &str = "lambda-runtime-function-error-type";
const ERROR_BODY: &str = "lambda-runtime-function-error-body";

/// The connector of every Runtime API connection: `TCP_NODELAY` on, so a
/// streamed response's small writes leave at once.
pub(crate) fn runtime_connector() -> HttpConnector {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector
}

/// The Runtime API's base URI: Lambda gives `host:port`, `cargo lambda
/// watch` a URL with its scheme and a base path (`http://[::]:9000/.rt`).
fn runtime_uri(endpoint: &str) -> Result<Uri, BoxError> {
    Ok(if endpoint.contains("://") {
        endpoint.parse()?
    } else {
        format!("http://{endpoint}").parse()?
    })
}

/// Serves `router` with response streaming on the Runtime API at `endpoint`
/// (`AWS_LAMBDA_RUNTIME_API`: `host:port` in Lambda, a whole URL with a base
/// path under `cargo lambda watch`) until that API fails.
pub(crate) async fn serve(
    endpoint: &str,
    config: RuntimeConfig,
    router: Router,
) -> Result<(), BoxError> {
    let client = PooledClient::builder()
        .with_connector(runtime_connector())
        .with_endpoint(runtime_uri(endpoint)?)
        .build();
    let config = Arc::new(config);
    let mut service = StreamAdapter::from(router);
    loop {
        let next = build_request()
            .method(Method::GET)
            .uri(format!("{API}/next"))
            .body(Body::empty())?;
        let (parts, body) = client.call(next).await?.into_parts();
        let body = body.collect().await?.to_bytes();
        let request_id = parts
            .headers
            .get("lambda-runtime-aws-request-id")
            .ok_or("the Runtime API sent an event without a request id")?
            .to_str()?
            .to_owned();
        let context = Context::new(&request_id, config.clone(), &parts.headers)?;
        let span = request_span(&context);
        let reply = invoke(&mut service, context, &body)
            .instrument(span.clone())
            .await;
        let invocation = parts.headers.get(INVOCATION_ID).cloned();
        let request = {
            // The task that streams the body keeps the invocation's span.
            let _span = span.enter();
            match reply {
                Ok(response) => streamed(&request_id, invocation, response)?,
                Err(diagnostic) => failed(&request_id, invocation, &diagnostic)?,
            }
        };
        let answer = client.call(request).instrument(span).await?;
        if !answer.status().is_success() {
            tracing::error!(status = %answer.status(), "the Runtime API refused the response");
        }
        let _ = answer.into_body().collect().await;
    }
}

/// The handler's response to one event, or what to report to `/error`.
async fn invoke<S, B>(
    service: &mut S,
    context: Context,
    body: &[u8],
) -> Result<StreamResponse<B>, Diagnostic>
where
    S: Service<LambdaEvent<LambdaRequest>, Response = StreamResponse<B>, Error = Infallible>,
{
    let payload: LambdaRequest = serde_json::from_slice(body).map_err(|e| {
        tracing::error!(error = %e, "the event is not an HTTP request; the handler is not called");
        Diagnostic {
            error_type: "Runtime.UnmarshalError".to_owned(),
            error_message: e.to_string(),
        }
    })?;
    let ready = match service.ready().await {
        Ok(ready) => ready,
        Err(never) => match never {},
    };
    let call = AssertUnwindSafe(ready.call(LambdaEvent::new(payload, context)));
    match call.catch_unwind().await {
        Ok(Ok(response)) => Ok(response),
        Ok(Err(never)) => match never {},
        Err(_) => {
            tracing::error!("the handler panicked");
            Err(Diagnostic {
                error_type: "Runtime.Panic".to_owned(),
                error_message: "the handler panicked".to_owned(),
            })
        }
    }
}

/// The streamed `/response`: the prelude and its eight NUL bytes, then the
/// body as it comes, then the terminator (or the error trailers).
fn streamed<B, D, E>(
    request_id: &str,
    invocation: Option<HeaderValue>,
    response: StreamResponse<B>,
) -> Result<Request<Body>, BoxError>
where
    B: Stream<Item = Result<D, E>> + Unpin + Send + 'static,
    D: Into<Bytes> + Send,
    E: Into<BoxError> + Send,
{
    let StreamResponse {
        mut metadata_prelude,
        mut stream,
    } = response;
    metadata_prelude
        .headers
        .entry(http::header::CONTENT_TYPE)
        .or_insert(HeaderValue::from_static("application/octet-stream"));
    let head = serde_json::to_vec(&metadata_prelude)?;
    let (mut tx, body) = Body::channel();
    let send = async move {
        // The prelude and its delimiter as two chunks, as `lambda_runtime`
        // sends them: `cargo lambda watch`'s emulator reads the prelude from
        // a chunk of its own (one chunk for both answered 500 there).
        if tx.send_data(head.into()).await.is_err()
            || tx.send_data(Bytes::from_static(&[0; 8])).await.is_err()
        {
            return;
        }
        while let Some(chunk) = stream.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk.into(),
                Err(e) => {
                    let _ = tx.send_trailers(error_trailers(&e.into())).await;
                    return;
                }
            };
            if tx.send_data(chunk).await.is_err() {
                tracing::warn!("the Runtime API stopped reading the streamed response");
                return;
            }
        }
    };
    tokio::spawn(send.in_current_span());
    let mut request = build_request()
        .method(Method::POST)
        .uri(format!("{API}/{request_id}/response"))
        .header("Lambda-Runtime-Function-Response-Mode", "streaming")
        .header(http::header::TRANSFER_ENCODING, "chunked")
        .header(http::header::TRAILER, ERROR_TYPE)
        .header(http::header::TRAILER, ERROR_BODY)
        .header(
            http::header::CONTENT_TYPE,
            "application/vnd.awslambda.http-integration-response",
        )
        .body(body)?;
    if let Some(id) = invocation {
        request.headers_mut().insert(INVOCATION_ID, id);
    }
    Ok(request)
}

/// The trailers that end a stream the body broke.
fn error_trailers(error: &BoxError) -> HeaderMap {
    use base64::Engine as _;
    tracing::error!(error = %error, "the streamed body failed");
    let text = base64::engine::general_purpose::STANDARD.encode(error.to_string());
    let mut trailers = HeaderMap::new();
    trailers.insert(ERROR_TYPE, HeaderValue::from_static("Runtime.StreamError"));
    if let Ok(value) = HeaderValue::from_str(&text) {
        trailers.insert(ERROR_BODY, value);
    }
    trailers
}

/// The `/error` report of an invocation the handler could not answer.
fn failed(
    request_id: &str,
    invocation: Option<HeaderValue>,
    diagnostic: &Diagnostic,
) -> Result<Request<Body>, BoxError> {
    let mut request = build_request()
        .method(Method::POST)
        .uri(format!("{API}/{request_id}/error"))
        .header(ERROR_TYPE, "unhandled")
        .body(Body::from(serde_json::to_vec(diagnostic)?))?;
    if let Some(id) = invocation {
        request.headers_mut().insert(INVOCATION_ID, id);
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use axum::extract::{Path, State};
    use axum::routing::{get, post};
    use tokio::sync::mpsc;

    use super::*;

    #[test]
    fn the_runtime_api_is_found_from_lambda_s_and_cargo_lambda_s_variable() {
        let lambda = runtime_uri("127.0.0.1:9001").unwrap();
        assert_eq!(lambda.to_string(), "http://127.0.0.1:9001/");
        let watch = runtime_uri("http://[::]:9000/.rt").unwrap();
        assert_eq!(watch.authority().unwrap().as_str(), "[::]:9000");
        assert_eq!(watch.path(), "/.rt");
    }

    /// The socket a connector opens, to a listener on this machine.
    async fn socket_of(connector: HttpConnector) -> tokio::net::TcpStream {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri: Uri = format!("http://{}", listener.local_addr().unwrap())
            .parse()
            .unwrap();
        let io = connector.oneshot(uri).await.unwrap();
        io.into_inner()
    }

    #[tokio::test]
    async fn the_runtime_api_connection_sends_small_writes_at_once() {
        // A default connector, as `lambda_runtime` builds, leaves Nagle on:
        // the delay this module exists to remove.
        assert!(!socket_of(HttpConnector::new()).await.nodelay().unwrap());
        assert!(socket_of(runtime_connector()).await.nodelay().unwrap());
    }

    /// What the function posted back: the path, its headers and its body.
    type Posted = (String, HeaderMap, Bytes);

    /// A Runtime API that hands out `event` once (then holds the next poll)
    /// and reports the function's first answer.
    async fn runtime_api(event: &'static str) -> (String, mpsc::Receiver<Posted>) {
        let (tx, rx) = mpsc::channel(1);
        let handed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let next = move || {
            let handed = handed.clone();
            async move {
                if handed.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    std::future::pending::<()>().await;
                }
                (
                    [
                        ("lambda-runtime-aws-request-id", "req-1"),
                        ("lambda-runtime-deadline-ms", "4102444800000"),
                        ("lambda-runtime-invocation-id", "inv-1"),
                    ],
                    event,
                )
            }
        };
        let answer = |State(tx): State<mpsc::Sender<Posted>>,
                      Path((id, kind)): Path<(String, String)>,
                      headers: HeaderMap,
                      body: Bytes| async move {
            let _ = tx.send((format!("{id}/{kind}"), headers, body)).await;
            http::StatusCode::ACCEPTED
        };
        let api = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route("/2018-06-01/runtime/invocation/{id}/{kind}", post(answer))
            .with_state(tx);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move { axum::serve(listener, api).await });
        (endpoint, rx)
    }

    /// Runs the loop over `router` against a Runtime API handing out `event`;
    /// returns the first answer.
    async fn first_answer(event: &'static str, router: Router) -> Posted {
        let (endpoint, mut answers) = runtime_api(event).await;
        let serving = serve(&endpoint, RuntimeConfig::default(), router);
        tokio::select! {
            answer = answers.recv() => answer.unwrap(),
            end = serving => panic!("the loop ended before answering: {end:?}"),
            () = tokio::time::sleep(std::time::Duration::from_secs(10)) => panic!("no answer"),
        }
    }

    #[tokio::test]
    async fn a_response_is_streamed_as_the_prelude_its_delimiter_and_the_body() {
        let event = include_str!("../../tests/fixtures/apigw-v2-get-search.json");
        let router = Router::new().route(
            "/search",
            get(|| async { ([("set-cookie", "a=1")], "event: done\ndata: {}\n\n") }),
        );
        let (path, headers, body) = first_answer(event, router).await;
        assert_eq!(path, "req-1/response");
        assert_eq!(
            headers["lambda-runtime-function-response-mode"],
            "streaming"
        );
        assert_eq!(headers["lambda-runtime-invocation-id"], "inv-1");
        let at = body.windows(8).position(|w| w == [0; 8]).unwrap();
        let prelude: serde_json::Value = serde_json::from_slice(&body[..at]).unwrap();
        assert_eq!(prelude["statusCode"], 200);
        assert_eq!(prelude["cookies"], serde_json::json!(["a=1"]));
        assert_eq!(&body[at + 8..], b"event: done\ndata: {}\n\n");
    }

    #[tokio::test]
    async fn an_event_that_is_not_an_http_request_is_reported_as_an_error() {
        let router = Router::new().route("/", get(|| async { "never" }));
        let (path, headers, body) = first_answer("[1, 2]", router).await;
        assert_eq!(path, "req-1/error");
        assert_eq!(headers["lambda-runtime-invocation-id"], "inv-1");
        let report: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(report["errorType"], "Runtime.UnmarshalError");
    }
}
