use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use reqwest::RequestBuilder;
use tokio::time::Instant;

use super::DuffelError;
use super::mapping::{PROVIDER, map_offers_page};
use super::request::OfferRequestBody;
use super::wire::{CreatedOfferRequest, Envelope};
use crate::domain::Offer;
use crate::fares::{FareProvider, ProviderError};
use crate::search::SearchQuery;

/// The API version every call names (`Duffel-Version`).
const API_VERSION: &str = "v2";

/// Offers read per search: the most a search answer shows (its `limit` is
/// at most 100), the cheapest first.
const OFFERS_LIMIT: u32 = 100;

/// Time kept back from the deadline share for the offers page and its
/// mapping once the airlines have answered (Duffel answers the page in a few
/// hundred ms).
const PAGE_ALLOWANCE: Duration = Duration::from_millis(1500);

/// Duffel's bounds for `supplier_timeout`, in ms (its API reference).
const SUPPLIER_TIMEOUT_MS: (u64, u64) = (2_000, 60_000);

/// Duffel's live offers over its HTTP API.
pub struct DuffelProvider {
    http: reqwest::Client,
    base_url: String,
    /// Bearer token; never logged.
    token: String,
    /// This provider's share of the search deadline: it sets how long Duffel
    /// waits for airlines and whether a rate-limit reset is worth waiting for.
    deadline: Duration,
}

impl DuffelProvider {
    /// An adapter for the API at `base_url` (`https://api.duffel.com`, or a
    /// replay server), answering within `deadline`.
    ///
    /// # Errors
    /// When the HTTP client cannot be built (TLS set-up).
    pub fn new(base_url: &str, token: &str, deadline: Duration) -> Result<Self, reqwest::Error> {
        Ok(Self {
            // gzip: reqwest asks for it and inflates the answer (offer pages
            // shrink about tenfold).
            http: reqwest::Client::builder()
                .gzip(true)
                .connect_timeout(Duration::from_secs(2))
                .timeout(deadline)
                .build()?,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            deadline,
        })
    }

    /// How long Duffel may wait for airlines: the deadline share less the
    /// time the offers page needs, within Duffel's bounds.
    fn supplier_timeout_ms(&self) -> u64 {
        let ms = self.deadline.saturating_sub(PAGE_ALLOWANCE).as_millis();
        u64::try_from(ms)
            .unwrap_or(u64::MAX)
            .clamp(SUPPLIER_TIMEOUT_MS.0, SUPPLIER_TIMEOUT_MS.1)
    }

    fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base_url))
            .header("Duffel-Version", API_VERSION)
            .header("Accept", "application/json")
            .bearer_auth(&self.token)
    }

    /// Creates the offer request, then reads its cheapest offers.
    async fn offers(&self, query: &SearchQuery) -> Result<Vec<Offer>, DuffelError> {
        let until = Instant::now() + self.deadline;
        let body = OfferRequestBody::for_query(query);
        let supplier_timeout = self.supplier_timeout_ms().to_string();
        let created = self
            .call("offer_requests", until, || {
                self.request(reqwest::Method::POST, "/air/offer_requests")
                    .query(&[
                        ("return_offers", "false"),
                        ("supplier_timeout", &supplier_timeout),
                    ])
                    .json(&body)
            })
            .await?;
        let created: Envelope<CreatedOfferRequest> = serde_json::from_slice(&created)
            .map_err(|e| DuffelError::Malformed(format!("offer request: {e}")))?;
        let limit = OFFERS_LIMIT.to_string();
        let page = self
            .call("offers", until, || {
                self.request(reqwest::Method::GET, "/air/offers").query(&[
                    ("offer_request_id", created.data.id.as_str()),
                    ("sort", "total_amount"),
                    ("limit", &limit),
                ])
            })
            .await?;
        let mapped = map_offers_page(&page, query.options().cabin)?;
        if mapped.skipped > 0 {
            tracing::warn!(
                provider.name = PROVIDER,
                offers.skipped = mapped.skipped,
                "duffel offers left out"
            );
        }
        Ok(mapped.offers)
    }

    /// One call; after a 429 whose reset falls before `until`, waits for the
    /// reset and tries once more.
    async fn call(
        &self,
        endpoint: &'static str,
        until: Instant,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Bytes, DuffelError> {
        match self.send(endpoint, build()).await {
            Err(DuffelError::RateLimited { reset: Some(wait) })
                if Instant::now() + wait < until =>
            {
                tracing::info!(
                    provider.name = PROVIDER,
                    wait_ms = wait.as_millis() as u64,
                    "waiting for the duffel rate limit to reset"
                );
                tokio::time::sleep(wait).await;
                self.send(endpoint, build()).await
            }
            other => other,
        }
    }

    /// Sends one request and logs Duffel's request id, the status and the time.
    async fn send(
        &self,
        endpoint: &'static str,
        request: RequestBuilder,
    ) -> Result<Bytes, DuffelError> {
        let started = std::time::Instant::now();
        let response = request
            .send()
            .await
            .map_err(|e| DuffelError::transport(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let request_id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_owned();
        let body = response
            .bytes()
            .await
            .map_err(|e| DuffelError::transport(&e))?;
        tracing::info!(
            provider.name = PROVIDER,
            provider.request_id = %request_id,
            http.endpoint = endpoint,
            http.status = status.as_u16(),
            duration_ms = started.elapsed().as_millis() as u64,
            "duffel call"
        );
        if status.is_success() {
            Ok(body)
        } else {
            Err(DuffelError::from_response(
                status,
                &headers,
                &body,
                Utc::now(),
            ))
        }
    }
}

#[async_trait]
impl FareProvider for DuffelProvider {
    fn name(&self) -> &str {
        PROVIDER
    }

    async fn search(
        &self,
        query: &SearchQuery,
        _now: DateTime<Utc>,
    ) -> Result<Vec<Offer>, ProviderError> {
        Ok(self.offers(query).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supplier_timeout_leaves_room_for_the_offers_page_within_duffels_bounds() {
        let at = |ms| {
            DuffelProvider::new("http://127.0.0.1:9", "t", Duration::from_millis(ms))
                .unwrap()
                .supplier_timeout_ms()
        };
        assert_eq!(at(7500), 6000);
        assert_eq!(at(1000), 2000, "Duffel's minimum");
        assert_eq!(at(90_000), 60_000, "Duffel's maximum");
    }
}
