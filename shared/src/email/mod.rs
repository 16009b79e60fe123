//! The e-mail port: how a notification reaches a traveller's inbox.
//!
//! - [`LogMailer`] (the default) writes a log line that a mail went out,
//!   never the address or the text in full.
//! - [`SesMailer`] sends through Amazon SES v2 (or `moto_server` in tests).
//!
//! Sending is best effort for its caller: the in-app notification is the
//! record, the e-mail its echo (see the refresh worker).

mod ses;

use async_trait::async_trait;

pub use ses::SesMailer;

/// One plain-text e-mail to one traveller.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The body, plain text.
    pub text: String,
}

impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("to", &masked(&self.to))
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Why a mail was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The service could not be reached or refused the mail.
    #[error("e-mail not sent: {0}")]
    Unavailable(String),
}

/// Where mail goes out.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// The adapter's name, for logs.
    fn name(&self) -> &'static str;
    /// Sends one mail.
    ///
    /// # Errors
    /// [`MailError::Unavailable`] when it was not sent.
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// Logs that a mail was sent: the masked address, the subject and the
/// length of the text. The embedded default, and enough to see alerts
/// fire on a laptop.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    fn name(&self) -> &'static str {
        "log"
    }

    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        tracing::info!(
            mail.to = %masked(&mail.to),
            mail.subject = %mail.subject,
            mail.chars = mail.text.chars().count(),
            "e-mail sent (log adapter)"
        );
        Ok(())
    }
}

/// An address as logs may show it: its first character and its domain
/// (`a…@example.com`), enough to tell two travellers apart, not to write to one.
pub fn masked(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_address_keeps_only_its_first_letter_and_domain() {
        assert_eq!(masked("ana.souza@example.com"), "a…@example.com");
        assert_eq!(masked("not an address"), "…");
        let mail = Mail {
            to: "ana.souza@example.com".to_owned(),
            subject: "s".to_owned(),
            text: "secret body".to_owned(),
        };
        let debug = format!("{mail:?}");
        assert!(
            !debug.contains("ana.souza") && !debug.contains("secret body"),
            "{debug}"
        );
    }
}
