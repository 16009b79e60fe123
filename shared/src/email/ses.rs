//! Mail through Amazon SES v2 (`SendEmail`, simple content), or any
//! SES-compatible endpoint such as `moto_server` in tests.

use async_trait::async_trait;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

use super::{Mail, MailError, Mailer};
use crate::aws::{self, AwsSettings, LazyClient};

/// Sends from one verified address (`EMAIL_FROM`).
pub struct SesMailer {
    client: LazyClient<aws_sdk_sesv2::Client>,
    from: String,
}

impl SesMailer {
    /// Mail from `from`, sent with `client`.
    pub fn new(client: aws_sdk_sesv2::Client, from: &str) -> Self {
        Self {
            client: aws::ready(client),
            from: from.to_owned(),
        }
    }

    /// Mail from `from` with credentials, region and endpoint from the
    /// environment (`AWS_ENDPOINT_URL` points it at a local server). The SDK client is built on
    /// the first mail.
    pub fn from_env(from: &str) -> Self {
        Self {
            client: aws::lazy(AwsSettings::from_env(), AwsSettings::ses),
            from: from.to_owned(),
        }
    }
}

fn utf8(text: &str) -> Result<Content, MailError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| MailError::Unavailable(e.to_string()))
}

#[async_trait]
impl Mailer for SesMailer {
    fn name(&self) -> &'static str {
        "ses"
    }

    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = Message::builder()
            .subject(utf8(&mail.subject)?)
            .body(Body::builder().text(utf8(&mail.text)?).build())
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&mail.to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .map_err(|e| {
                MailError::Unavailable(aws_sdk_sesv2::error::DisplayErrorContext(e).to_string())
            })?;
        Ok(())
    }
}
