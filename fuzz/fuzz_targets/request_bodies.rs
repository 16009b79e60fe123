//! The bodies of `/auth/signup` and `/auth/login` (e-mail parsing
//! included), `/auth/refresh` and `/chat`, as their handlers read them.
//! The first byte picks the endpoint: `s`ign-up, `l`ogin, `r`efresh, or
//! `c`hat, whose first line is then its `Idempotency-Key` (empty: none).
//! Properties: a refusal is a 4xx with a reason; an accepted e-mail is
//! already in its stored form (reading it again gives it back), and any
//! sign-up body is also a valid login body; an accepted refresh token is
//! trimmed and not empty; an accepted chat message is trimmed, 1 to 4,000
//! characters and free of NUL, its key visible ASCII.
#![no_main]

use chatpassagens_fuzz::assert_client_error;
use libfuzzer_sys::fuzz_target;
use shared::domain::{Email, IdempotencyKey, UserMessage};
use shared::fuzzing::{chat_turn, credentials, refresh_token};

fuzz_target!(|data: &[u8]| {
    let Some((&endpoint, body)) = data.split_first() else {
        return;
    };
    match endpoint {
        b's' => match credentials(body, true) {
            Ok(email) => {
                stored_form(&email);
                let login = credentials(body, false);
                assert_eq!(login.ok(), Some(email), "a sign-up body refused at login");
            }
            Err(e) => assert_client_error(e, data),
        },
        b'l' => match credentials(body, false) {
            Ok(email) => stored_form(&email),
            Err(e) => assert_client_error(e, data),
        },
        b'r' => match refresh_token(body) {
            Ok(token) => assert!(!token.is_empty() && token.trim() == token, "{token:?}"),
            Err(e) => assert_client_error(e, data),
        },
        b'c' => chat(body, data),
        _ => {}
    }
});

/// An accepted address reads back as itself: what is stored, shown and
/// typed again at login is one address.
fn stored_form(email: &Email) {
    let again = Email::parse(email.as_str());
    assert_eq!(
        again.as_ref().ok(),
        Some(email),
        "{:?} does not read back as itself: {again:?}",
        email.as_str()
    );
}

fn chat(rest: &[u8], data: &[u8]) {
    let (key, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(end) => (&rest[..end], &rest[end + 1..]),
        None => (&[][..], rest),
    };
    let key = (!key.is_empty()).then_some(key);
    match chat_turn(body, key) {
        Ok((input, message)) => {
            let text = message.as_str();
            assert_eq!(text, input.message.trim());
            assert!(!text.is_empty() && text.chars().count() <= UserMessage::MAX_CHARS);
            assert!(!text.contains('\0'), "a NUL reached the store: {text:?}");
            if let Some(k) = input.idempotency_key {
                let k = k.as_str();
                assert!(k.len() <= IdempotencyKey::MAX_CHARS, "{k:?}");
                assert!(
                    !k.is_empty() && k.bytes().all(|b| b.is_ascii_graphic()),
                    "{k:?}"
                );
            }
        }
        Err(e) => assert_client_error(e, data),
    }
}
