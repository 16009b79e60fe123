use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::FieldError;

/// A three-letter IATA location code (airport or metropolitan area), upper case.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IataCode([u8; 3]);

impl IataCode {
    /// Builds a code from a literal; panics at compile time on a bad one.
    pub const fn from_static(code: &[u8; 3]) -> Self {
        let mut i = 0;
        while i < 3 {
            assert!(
                code[i].is_ascii_uppercase(),
                "IATA codes are three upper-case letters"
            );
            i += 1;
        }
        Self(*code)
    }

    /// Parses three ASCII letters, in any case.
    ///
    /// # Errors
    /// A [`FieldError`] on `airport` when `text` is not exactly three letters.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let bytes = text.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => Ok(Self([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(FieldError::new(
                "airport",
                format!("expected a three-letter IATA code, got '{text}'"),
            )),
        }
    }

    /// The three ASCII bytes.
    pub const fn bytes(&self) -> [u8; 3] {
        self.0
    }

    /// The code as a `&str`.
    pub fn as_str(&self) -> &str {
        // The constructors only admit ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl FromStr for IataCode {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for IataCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for IataCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for IataCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for IataCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(|e| serde::de::Error::custom(e.reason))
    }
}

/// A two-character IATA airline designator (`LA`, `G3`, `TP`), upper case.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CarrierCode([u8; 2]);

impl CarrierCode {
    /// Builds a designator from a literal; panics at compile time on a bad one.
    pub const fn from_static(code: &[u8; 2]) -> Self {
        assert!(
            code[0].is_ascii_uppercase() || code[0].is_ascii_digit(),
            "carrier designators are letters or digits"
        );
        assert!(
            code[1].is_ascii_uppercase() || code[1].is_ascii_digit(),
            "carrier designators are letters or digits"
        );
        Self(*code)
    }

    /// Parses two letters or digits, in any case.
    ///
    /// # Errors
    /// A [`FieldError`] on `carrier` when `text` is not a two-character designator.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let bytes = text.trim().as_bytes();
        match bytes {
            [a, b] if bytes.iter().all(u8::is_ascii_alphanumeric) => {
                Ok(Self([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => Err(FieldError::new(
                "carrier",
                format!("expected a two-character airline code, got '{text}'"),
            )),
        }
    }

    /// The designator as a `&str`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CarrierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CarrierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CarrierCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CarrierCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(|e| serde::de::Error::custom(e.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_cased_and_checked() {
        assert_eq!(IataCode::parse("lis").unwrap().as_str(), "LIS");
        assert!(IataCode::parse("LI").is_err());
        assert!(IataCode::parse("L1S").is_err());
        assert_eq!(CarrierCode::parse("g3").unwrap().as_str(), "G3");
        assert!(CarrierCode::parse("TAP").is_err());
    }
}
