//! Password hashing with argon2id.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::Password;

/// argon2id with 19 MiB of memory, 2 passes, 1 lane: the minimum OWASP's
/// Password Storage Cheat Sheet recommends, and what fits a 128 MB Lambda
/// (one hash at a time stays far under the limit; see the README for the
/// measured time and memory).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
///
/// # Errors
/// When hashing fails (memory exhausted).
pub fn hash_password(password: &Password) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(password.expose().as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the PHC string `hash` (parameters come from the hash).
pub fn verify_password(hash: &str, password: &Password) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.expose().as_bytes(), &parsed)
            .is_ok()
    })
}

/// A real hash of a random password, computed once, so a login for an
/// unknown e-mail does the same work as one with a wrong password.
pub(super) fn unknown_account_hash() -> &'static str {
    static HASH: LazyLock<String> = LazyLock::new(|| {
        let filler = Password::given("no account has this password")
            .unwrap_or_else(|_| unreachable_password());
        hash_password(&filler).unwrap_or_default()
    });
    &HASH
}

fn unreachable_password() -> Password {
    // `given` accepts any non-empty text under the length limit.
    Password::given("x").unwrap_or_else(|_| unreachable_password())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let p = Password::new("correct horse battery").unwrap();
        let a = hash_password(&p).unwrap();
        let b = hash_password(&p).unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(verify_password(&a, &p));
        assert!(!verify_password(
            &a,
            &Password::given("wrong horse battery").unwrap()
        ));
        assert!(!verify_password("not a hash", &p));
        assert!(!verify_password(unknown_account_hash(), &p));
    }
}
