use std::fmt;

use serde::{Deserialize, Serialize};

use super::FieldError;

/// A normalised e-mail address: trimmed, lower-case, `local@domain.tld`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Email(String);

impl From<Email> for String {
    fn from(e: Email) -> Self {
        e.0
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;
    fn try_from(text: String) -> Result<Self, FieldError> {
        Self::parse(&text)
    }
}

impl Email {
    /// Normalises and checks an address (RFC 5321 limits: 64-byte local
    /// part, 254 bytes in all).
    ///
    /// # Errors
    /// A [`FieldError`] on `email` saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let email = text.trim().to_lowercase();
        let bad = |why: &str| FieldError::new("email", why.to_owned());
        if email.is_empty() {
            return Err(bad("is required"));
        }
        if email.len() > 254 {
            return Err(bad("is longer than 254 characters"));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(FieldError::new(
                "email",
                format!(
                    "expected an address like name@example.com, got '{}'",
                    text.trim()
                ),
            ));
        };
        let valid_domain = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty()
            || local.len() > 64
            || !valid_domain
            || email.chars().any(char::is_whitespace)
            || domain.contains('@')
        {
            return Err(FieldError::new(
                "email",
                format!(
                    "expected an address like name@example.com, got '{}'",
                    text.trim()
                ),
            ));
        }
        Ok(Self(email))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Addresses are personal data: debug output shows the domain only.
        let domain = self.0.split_once('@').map_or("", |(_, d)| d);
        write!(f, "Email(***@{domain})")
    }
}

/// A password that meets the policy; never printed.
pub struct Password(String);

/// Passwords too common to accept whatever their length (the top of the
/// public breach lists NIST SP 800-63B asks services to screen against).
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "qwertyuiop",
    "password123",
    "password1234",
    "1q2w3e4r5t",
    "iloveyou123",
    "senha12345",
    "senha123456",
    "abcdefghij",
    "qwerty1234",
    "1234512345",
    "passw0rd123",
];

impl Password {
    /// Shortest password accepted: NIST SP 800-63B asks for at least 8; 10
    /// keeps an offline attack on the argon2id hash far out of reach.
    pub const MIN_CHARS: usize = 10;
    /// Longest password accepted: bounds the hashing work one request can cause.
    pub const MAX_CHARS: usize = 128;

    /// Checks a new password against the policy.
    ///
    /// # Errors
    /// A [`FieldError`] on `password` saying which rule failed (never echoing it).
    pub fn new(text: &str) -> Result<Self, FieldError> {
        let n = text.chars().count();
        if n < Self::MIN_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must have at least {} characters", Self::MIN_CHARS),
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must have at most {} characters", Self::MAX_CHARS),
            ));
        }
        let first = text.chars().next();
        if text.chars().all(|c| Some(c) == first) || COMMON.contains(&text.to_lowercase().as_str())
        {
            return Err(FieldError::new("password", "is too common; choose another"));
        }
        Ok(Self(text.to_owned()))
    }

    /// A password as typed at login: only bounded, not judged.
    ///
    /// # Errors
    /// A [`FieldError`] on `password` when empty or over the maximum length.
    pub fn given(text: &str) -> Result<Self, FieldError> {
        if text.is_empty() {
            return Err(FieldError::new("password", "is required"));
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must have at most {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The secret, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(********)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ana.Souza@Example.COM ").unwrap().as_str(),
            "ana.souza@example.com"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@@example.com",
            "a na@example.com",
            "ana@.com",
        ] {
            assert_eq!(Email::parse(bad).unwrap_err().field, "email", "{bad}");
        }
        assert_eq!(
            format!("{:?}", Email::parse("ana@example.com").unwrap()),
            "Email(***@example.com)"
        );
    }

    #[test]
    fn weak_passwords_are_refused_without_echoing_them() {
        for weak in ["short", "aaaaaaaaaaaa", "password123", "1234567890"] {
            let err = Password::new(weak).unwrap_err();
            assert_eq!(err.field, "password");
            assert!(!err.reason.contains(weak), "{err}");
        }
        assert!(Password::new("correct horse battery").is_ok());
        assert_eq!(
            format!("{:?}", Password::new("correct horse battery").unwrap()),
            "Password(********)"
        );
    }
}
