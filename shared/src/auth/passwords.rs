//! Password hashing with argon2id.
//!
//! Every hash reuses one preallocated 19 MiB work area. Letting the crate
//! allocate its own per call made each login raise the process's resident
//! memory by another 19 MiB (the system allocator did not hand the freed
//! block back for reuse; measured in the README), which a warm 128 MB Lambda
//! cannot afford. Calls take turns on the work area, as a Lambda instance
//! serves one request at a time anyway.

use std::sync::{LazyLock, Mutex, PoisonError};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand_core::OsRng;

use crate::domain::Password;

/// Memory cost in KiB: 19 MiB, with 2 passes and 1 lane, the minimum OWASP's
/// Password Storage Cheat Sheet recommends for argon2id, and what fits a
/// 128 MB Lambda (see the README for the measured time and memory).
const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn params() -> Params {
    Params::new(M_COST, T_COST, P_COST, None).unwrap_or_default()
}

/// The shared work area, sized for our parameters.
static WORK: LazyLock<Mutex<Vec<Block>>> =
    LazyLock::new(|| Mutex::new(vec![Block::default(); M_COST as usize]));

/// Runs argon2id into `out`, on the shared work area when the parameters
/// fit it (hashes made with larger parameters get an area of their own).
fn compute(
    params: &Params,
    version: Version,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    let argon = Argon2::new(Algorithm::Argon2id, version, params.clone());
    let blocks = params.block_count();
    let mut work = WORK.lock().unwrap_or_else(PoisonError::into_inner);
    if blocks <= work.len() {
        argon.hash_password_into_with_memory(password, salt, out, &mut work[..blocks])
    } else {
        drop(work);
        argon.hash_password_into(password, salt, out)
    }
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
///
/// # Errors
/// When hashing fails.
pub fn hash_password(password: &Password) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let mut raw_salt = [0u8; 64];
    let raw_salt = salt.decode_b64(&mut raw_salt)?;
    let params = params();
    let mut out = [0u8; 32];
    compute(
        &params,
        Version::V0x13,
        password.expose().as_bytes(),
        raw_salt,
        &mut out,
    )?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash` (parameters come from
/// the hash; the comparison is constant-time).
pub fn verify_password(hash: &str, password: &Password) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    if parsed.algorithm != argon2::ARGON2ID_IDENT {
        return false;
    }
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or(Version::V0x13);
    let mut raw_salt = [0u8; 64];
    let Ok(raw_salt) = salt.decode_b64(&mut raw_salt) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if compute(
        &params,
        version,
        password.expose().as_bytes(),
        raw_salt,
        &mut out,
    )
    .is_err()
    {
        return false;
    }
    Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// A real hash of a fixed password, computed once, so a login for an
/// unknown e-mail does the same work as one with a wrong password.
pub(super) fn unknown_account_hash() -> &'static str {
    static HASH: LazyLock<String> = LazyLock::new(|| {
        Password::given("no account has this password")
            .ok()
            .and_then(|p| hash_password(&p).ok())
            .unwrap_or_default()
    });
    &HASH
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

    #[test]
    fn hashes_from_the_reference_implementation_verify() {
        // Made by the argon2 crate's own PasswordHasher (m=19456, t=2, p=1).
        use argon2::password_hash::PasswordHasher;
        let p = Password::new("correct horse battery").unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(p.expose().as_bytes(), &salt)
            .unwrap()
            .to_string();
        assert!(verify_password(&reference, &p));
        // And ours verify with the reference verifier.
        use argon2::password_hash::PasswordVerifier;
        let ours = hash_password(&p).unwrap();
        assert!(
            Argon2::default()
                .verify_password(p.expose().as_bytes(), &PasswordHash::new(&ours).unwrap())
                .is_ok()
        );
    }
}
