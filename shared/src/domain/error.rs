use std::fmt;

/// Why one field of a request could not become a domain value.
///
/// Carries the field's name as the client sent it (`legs[1].date`, `adults`)
/// so the HTTP edge can answer 400 naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as named in the request (dotted path, indices in brackets).
    pub field: String,
    /// Lowercase reason, quoting the bad input.
    pub reason: String,
}

impl FieldError {
    /// An error for `field` with `reason`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The same error under another field name (`legs[0].date` → `departure`).
    #[must_use]
    pub fn renamed(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for FieldError {}
