//! What the fuzz targets share: the fixed clock their seeds were written
//! against, and the check every rejection must pass.

use chrono::{DateTime, TimeZone as _, Utc};
use shared::api::ApiError;

/// The moment every target reads requests at, so a seed's dates stay
/// bookable (`2027-03-10` is 108 days ahead) however long the corpus lives.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

/// A request refused at the edge answers a 4xx whose body says why (a
/// code and a message), never a 5xx.
pub fn assert_client_error(error: ApiError, input: &[u8]) {
    let (code, message, _) = error.detail();
    assert!(
        !code.is_empty() && !message.trim().is_empty(),
        "an error without a reason: {error:?}"
    );
    let shown = format!("{error}");
    let status = shared::fuzzing::status(error);
    assert!(
        (400..500).contains(&status),
        "a bad request answered {status} ({shown}) for {:?}",
        String::from_utf8_lossy(input)
    );
}
