use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization as _;

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
    /// part, 254 bytes in all). Normalising is Unicode NFKC then lower case,
    /// so full-width and composed look-alikes become one address; invisible
    /// characters and letters from two alphabets in one part (a Cyrillic
    /// "а" among Latin ones) are refused, so no look-alike can register a
    /// second account for what reads as the same address.
    ///
    /// # Errors
    /// A [`FieldError`] on `email` saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let email: String = text.trim().nfkc().collect::<String>().to_lowercase();
        let bad = |why: &str| FieldError::new("email", why.to_owned());
        if email.is_empty() {
            return Err(bad("is required"));
        }
        if email.chars().any(invisible) {
            return Err(bad("contains an invisible character"));
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
        if mixes_scripts(local) || mixes_scripts(domain) {
            return Err(bad("mixes letters from different alphabets"));
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

/// Characters that print as nothing: zero-width spaces and joiners,
/// direction marks, soft hyphens, variation selectors, fillers, tags.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
        || c.is_control()
}

/// The alphabet of a letter, coarsely: enough to tell look-alikes apart.
fn script(c: char) -> Option<u8> {
    match c {
        'a'..='z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => Some(0),
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Some(1),
        '\u{0400}'..='\u{052F}' => Some(2),
        '\u{0530}'..='\u{058F}' => Some(3),
        c if c.is_alphabetic() => Some(4),
        _ => None,
    }
}

/// Whether the letters of `part` come from more than one alphabet.
fn mixes_scripts(part: &str) -> bool {
    let mut scripts = part.chars().filter_map(script);
    let first = scripts.next();
    scripts.any(|s| Some(s) != first)
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

    #[test]
    fn look_alike_addresses_are_refused_or_folded_into_one() {
        let ana = Email::parse("ana@example.com").unwrap();
        assert_eq!(
            Email::parse("ＡＮＡ@example.com").unwrap(),
            ana,
            "full width folds"
        );
        for (spoof, why) in [
            ("an\u{200B}a@example.com", "invisible"),
            ("\u{FEFF}ana@example.com", "invisible"),
            ("\u{0430}na@example.com", "alphabets"),
            ("ana@\u{0435}xample.com", "alphabets"),
        ] {
            let err = Email::parse(spoof).unwrap_err();
            assert_eq!(err.field, "email");
            assert!(err.reason.contains(why), "{spoof:?}: {err}");
        }
        assert!(
            Email::parse("joão@example.com").is_ok(),
            "one alphabet with accents is fine"
        );
    }
}
