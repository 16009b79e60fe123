use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use rust_decimal::Decimal;

use super::{RateTable, Rates, RatesError};
use crate::domain::Currency;

/// The ECB's daily euro reference rates (about 30 currencies, published
/// around 16:00 CET on working days).
pub const ECB_DAILY_URL: &str = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml";

/// How long a fetched table is used: the ECB publishes once per working day.
const KEEP_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// The European Central Bank's daily reference rates (euro based), fetched
/// at most once a day per process.
pub struct EcbRates {
    http: reqwest::Client,
    url: String,
    /// The last table read and when; reused for [`KEEP_FOR`], and past it
    /// when the ECB cannot be reached (yesterday's rates beat none).
    cached: Mutex<Option<(Instant, Arc<RateTable>)>>,
}

impl EcbRates {
    /// An adapter reading `url` (the ECB's daily XML, or a local copy in tests),
    /// waiting at most `timeout` for it.
    ///
    /// # Errors
    /// When the HTTP client cannot be built (TLS set-up).
    pub fn new(url: &str, timeout: Duration) -> Result<Self, reqwest::Error> {
        Ok(Self {
            http: reqwest::Client::builder().timeout(timeout).build()?,
            url: url.to_owned(),
            cached: Mutex::new(None),
        })
    }

    fn cached(&self) -> Option<(Instant, Arc<RateTable>)> {
        self.cached
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    async fn fetch(&self) -> Result<RateTable, RatesError> {
        let response = self
            .http
            .get(&self.url)
            .send()
            .await
            .map_err(|e| RatesError::Unavailable(e.without_url().to_string()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(RatesError::Unavailable(format!("HTTP {}", status.as_u16())));
        }
        let body = response
            .text()
            .await
            .map_err(|e| RatesError::Unavailable(e.without_url().to_string()))?;
        parse_daily_xml(&body)
    }
}

#[async_trait]
impl Rates for EcbRates {
    fn name(&self) -> &'static str {
        "ecb"
    }

    async fn table(&self) -> Result<Arc<RateTable>, RatesError> {
        let stale = match self.cached() {
            Some((at, table)) if at.elapsed() < KEEP_FOR => return Ok(table),
            other => other.map(|(_, table)| table),
        };
        match self.fetch().await {
            Ok(table) => {
                let table = Arc::new(table);
                tracing::info!(rates.source = %table.source, rates.currencies = table.len(), "exchange rates fetched");
                *self.cached.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some((Instant::now(), table.clone()));
                Ok(table)
            }
            Err(err) => match stale {
                Some(table) => {
                    tracing::warn!(error = %err, rates.source = %table.source, "using the last exchange rates read");
                    Ok(table)
                }
                None => Err(err),
            },
        }
    }
}

/// Reads the ECB's `eurofxref-daily.xml`: every `<Cube currency='USD'
/// rate='1.0565'/>` we price in, plus the euro at 1, dated by `<Cube time=…>`.
/// A twenty-line scan rather than an XML crate: the file is flat and fixed.
///
/// # Errors
/// [`RatesError::Malformed`] when no rate we price in can be read, or a rate
/// is not a number.
pub(crate) fn parse_daily_xml(xml: &str) -> Result<RateTable, RatesError> {
    let mut day = None;
    let mut rates = vec![(Currency::EUR, Decimal::ONE)];
    for tag in xml.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        if !tag.starts_with("Cube") {
            continue;
        }
        if let Some(time) = attribute(tag, "time") {
            day = Some(time.to_owned());
        }
        let (Some(code), Some(rate)) = (attribute(tag, "currency"), attribute(tag, "rate")) else {
            continue;
        };
        let rate = Decimal::from_str(rate).map_err(|_| {
            RatesError::Malformed(format!("rate '{rate}' for {code} is not a number"))
        })?;
        // The ECB lists currencies we do not price in (SEK, HUF, ...).
        if let Ok(currency) = Currency::parse(code) {
            rates.push((currency, rate));
        }
    }
    if rates.len() < 2 {
        return Err(RatesError::Malformed("no reference rate found".to_owned()));
    }
    let source = format!("ecb {}", day.as_deref().unwrap_or("undated"));
    Ok(RateTable::new(source, rates))
}

/// The value of `name='…'` (or `name="…"`) in a tag's text.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}="))? + name.len() + 2;
    let quote = tag[start..]
        .chars()
        .next()
        .filter(|c| *c == '\'' || *c == '"')?;
    let rest = &tag[start + 1..];
    rest.find(quote).map(|end| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    #[test]
    fn reads_the_daily_file_and_skips_currencies_we_do_not_price() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<Cube>
		<Cube time='2026-11-27'>
			<Cube currency='USD' rate='1.0565'/>
			<Cube currency='SEK' rate='11.4520'/>
			<Cube currency="BRL" rate="6.1398"/>
		</Cube>
	</Cube>
</gesmes:Envelope>"#;
        let table = parse_daily_xml(xml).unwrap();
        assert_eq!(table.source, "ecb 2026-11-27");
        assert_eq!(table.len(), 3, "EUR, USD and BRL; SEK is not priced in");
        let usd = Money::new(Decimal::from(1000), Currency::USD);
        let brl = table.convert(usd, Currency::BRL).unwrap();
        assert_eq!(brl.amount.to_string(), "5811.45");
    }

    /// The ECB's daily file, served by a local server that counts its
    /// requests and can be switched to failing.
    async fn ecb_server(
        hits: Arc<std::sync::atomic::AtomicUsize>,
        down: Arc<std::sync::atomic::AtomicBool>,
    ) -> String {
        use std::sync::atomic::Ordering;
        let app = axum::Router::new().route(
            "/stats/eurofxref/eurofxref-daily.xml",
            axum::routing::get(move || {
                let (hits, down) = (hits.clone(), down.clone());
                async move {
                    hits.fetch_add(1, Ordering::SeqCst);
                    if down.load(Ordering::SeqCst) {
                        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, String::new());
                    }
                    (axum::http::StatusCode::OK, DAILY.to_owned())
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}/stats/eurofxref/eurofxref-daily.xml")
    }

    /// The shape of the ECB's file (trimmed to a few currencies).
    const DAILY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2026-11-27'>
			<Cube currency='USD' rate='1.0565'/>
			<Cube currency='JPY' rate='158.42'/>
			<Cube currency='GBP' rate='0.83215'/>
			<Cube currency='BRL' rate='6.1398'/>
			<Cube currency='MXN' rate='21.5290'/>
		</Cube>
	</Cube>
</gesmes:Envelope>"#;

    #[tokio::test]
    async fn the_daily_file_is_fetched_once_a_day_and_kept_when_the_ecb_is_down() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let hits = Arc::new(AtomicUsize::new(0));
        let down = Arc::new(AtomicBool::new(false));
        let url = ecb_server(hits.clone(), down.clone()).await;
        let ecb = EcbRates::new(&url, Duration::from_secs(2)).unwrap();
        let table = ecb.table().await.unwrap();
        assert_eq!(table.source, "ecb 2026-11-27");
        let eur = Money::new(Decimal::from(100), Currency::EUR);
        assert_eq!(
            table
                .convert(eur, Currency::BRL)
                .unwrap()
                .amount
                .to_string(),
            "613.98"
        );
        ecb.table().await.unwrap();
        assert_eq!(
            hits.load(Ordering::SeqCst),
            1,
            "the second search reuses the day's table"
        );

        // A day later the ECB is down: yesterday's table still converts.
        down.store(true, Ordering::SeqCst);
        let day_ago = Instant::now().checked_sub(KEEP_FOR + Duration::from_secs(1));
        if let (Some(at), Some((_, table))) = (day_ago, ecb.cached()) {
            *ecb.cached.lock().unwrap() = Some((at, table));
        }
        assert_eq!(ecb.table().await.unwrap().source, "ecb 2026-11-27");
        assert_eq!(hits.load(Ordering::SeqCst), 2, "asked again after a day");

        let fresh = EcbRates::new(&url, Duration::from_secs(2)).unwrap();
        let err = fresh.table().await.unwrap_err();
        assert_eq!(err.to_string(), "rates unavailable: HTTP 503");
    }

    #[test]
    fn a_file_without_rates_or_with_a_bad_rate_is_refused() {
        assert!(matches!(
            parse_daily_xml("<html>maintenance</html>"),
            Err(RatesError::Malformed(_))
        ));
        let bad = "<Cube currency='USD' rate='n/a'/>";
        let err = parse_daily_xml(bad).unwrap_err().to_string();
        assert!(err.contains("'n/a'") && err.contains("USD"), "{err}");
    }
}
