//! Reading requests: query strings with known parameters, JSON bodies that
//! name the path of a bad value, and bounded counts.

use std::collections::HashMap;

use serde::Deserialize;

use super::ApiError;
use crate::domain::FieldError;

/// Query-string parameters, each given at most once.
pub(super) struct QueryParams(HashMap<String, String>);

impl QueryParams {
    /// Splits a query string, refusing repeated and unknown parameters
    /// (a typo such as `adult=2` must not silently search for one adult).
    /// Parameters starting with `_` (cache busters) are ignored.
    pub(super) fn parse(raw: Option<&str>, known: &[&str]) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| FieldError::new("query", format!("malformed query string: {e}")))?;
        let mut map = HashMap::new();
        for (key, value) in pairs {
            if key.starts_with('_') {
                continue;
            }
            if key.is_empty() {
                let reason = format!("a parameter without a name: '={value}'");
                return Err(FieldError::new("query", reason).into());
            }
            if !known.contains(&key.as_str()) {
                return Err(FieldError::new(
                    key.clone(),
                    format!("unknown parameter '{key}' (known: {})", known.join(", ")),
                )
                .into());
            }
            if map.insert(key.clone(), value).is_some() {
                return Err(FieldError::new(key, "given more than once").into());
            }
        }
        Ok(Self(map))
    }

    /// Removes and returns a parameter.
    pub(super) fn take(&mut self, key: &str) -> Option<String> {
        self.0.remove(key)
    }
}

/// Parses a whole number in `min..=max`.
pub(super) fn parse_count(field: &str, text: &str, min: u32, max: u32) -> Result<u32, FieldError> {
    let n: u32 = text
        .trim()
        .parse()
        .map_err(|_| FieldError::new(field, format!("expected a whole number, got '{text}'")))?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(
            field,
            format!("must be between {min} and {max}, got {n}"),
        ))
    }
}

/// Parses a JSON body, naming the path of a bad value.
pub(super) fn parse_json<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::MalformedJson {
            field: None,
            message: "request body is empty; expected a JSON object".to_owned(),
        });
    }
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| ApiError::MalformedJson {
            field: None,
            message: format!("invalid JSON: {e}"),
        })?;
    if let Some(field) = nul_in(&value, "") {
        return Err(FieldError::new(field, "must not contain the NUL character (\\u0000)").into());
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // An empty key has an empty path: nothing to name; the message says it.
        let at_root = path.is_empty() || path == ".";
        let field = (!at_root && !inner.is_syntax() && !inner.is_eof()).then_some(path);
        ApiError::MalformedJson {
            field,
            message: format!("invalid JSON: {inner}"),
        }
    })
}

/// The path of the first string (or key) holding a NUL character, which
/// PostgreSQL's text type cannot store.
fn nul_in(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => Some(if path.is_empty() {
            ".".to_owned()
        } else {
            path.to_owned()
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_in(v, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(join(k))
            } else {
                nul_in(v, &join(k))
            }
        }),
        _ => None,
    }
}
