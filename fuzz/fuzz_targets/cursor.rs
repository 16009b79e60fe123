//! The page cursor of `/conversations` and `/notifications`: the opaque
//! `base64url(time|id)` text a client passes back. Each input is tried as
//! a cursor as sent, as the inside of one (so the fuzzer explores the
//! time and id rather than base64), and as the time and id of a page
//! boundary. Properties: an accepted cursor names a time in the years rows
//! are written in and, issued again, names the same boundary; every
//! boundary we issue reads back as itself.
#![no_main]

use arbitrary::Unstructured;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Datelike as _, TimeZone as _, Utc};
use libfuzzer_sys::fuzz_target;
use shared::domain::{ConversationId, Cursor, decode_cursor, encode_cursor};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        accepted_cursors_are_canonical(text);
    }
    accepted_cursors_are_canonical(&URL_SAFE_NO_PAD.encode(data));
    issued_cursors_read_back(&mut Unstructured::new(data));
});

fn accepted_cursors_are_canonical(text: &str) {
    let Ok((at, id)) = decode_cursor::<ConversationId>(text) else {
        return;
    };
    assert!((2000..=9999).contains(&at.year()), "{text:?} gave {at}");
    let issued = encode_cursor(at, &id);
    let again = decode_cursor::<ConversationId>(&issued);
    assert_eq!(
        again.ok(),
        Some((at, id)),
        "{text:?} issued again as {issued:?}"
    );
    let typed = Cursor::decode(text).expect("the typed cursor accepts it too");
    assert_eq!((typed.updated_at, typed.id), (at, id));
}

fn issued_cursors_read_back(u: &mut Unstructured<'_>) {
    // Microseconds, as PostgreSQL's timestamptz keeps them, from 2000 to 9999.
    let first = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    let last = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap();
    let (Ok(micros), Ok(bits)) = (
        u.int_in_range(first.timestamp_micros()..=last.timestamp_micros()),
        u.arbitrary::<u128>(),
    ) else {
        return;
    };
    let at = DateTime::from_timestamp_micros(micros).unwrap();
    let id: ConversationId = uuid::Uuid::from_u128(bits).to_string().parse().unwrap();
    let cursor = Cursor { updated_at: at, id };
    assert_eq!(Cursor::decode(&cursor.encode()).ok(), Some(cursor));
}
