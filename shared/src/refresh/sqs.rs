//! The refresh queue on Amazon SQS (or any SQS-compatible endpoint, such
//! as `moto_server` in tests): messages go out in `SendMessageBatch` calls.

use async_trait::async_trait;
use aws_sdk_sqs::types::SendMessageBatchRequestEntry;

use super::{QueueError, RefreshMessage, RefreshQueue};
use crate::aws::{self, AwsSettings, LazyClient};

/// SQS takes at most 10 entries per batch call.
const MAX_ENTRIES: usize = 10;
/// ... and at most 256 KiB per call; 240 KiB leaves room for the envelope.
const MAX_BATCH_BYTES: usize = 240 * 1024;

/// A queue on SQS, addressed by its URL.
pub struct SqsQueue {
    client: LazyClient<aws_sdk_sqs::Client>,
    queue_url: String,
}

impl SqsQueue {
    /// A queue at `queue_url`, reached with `client`.
    pub fn new(client: aws_sdk_sqs::Client, queue_url: &str) -> Self {
        Self {
            client: aws::ready(client),
            queue_url: queue_url.to_owned(),
        }
    }

    /// A queue at `queue_url` with credentials, region and endpoint from
    /// the environment (`AWS_ENDPOINT_URL` points it at a local server).
    pub fn from_env(queue_url: &str) -> Self {
        Self {
            client: aws::lazy(AwsSettings::from_env(), AwsSettings::sqs),
            queue_url: queue_url.to_owned(),
        }
    }

    async fn send_batch(&self, batch: Vec<SendMessageBatchRequestEntry>) -> Result<(), QueueError> {
        let out = self
            .client
            .send_message_batch()
            .queue_url(&self.queue_url)
            .set_entries(Some(batch))
            .send()
            .await
            .map_err(|e| {
                QueueError::Unavailable(aws_sdk_sqs::error::DisplayErrorContext(e).to_string())
            })?;
        match out.failed().first() {
            None => Ok(()),
            Some(f) => Err(QueueError::Unavailable(format!(
                "{} of the batch refused: {}",
                out.failed().len(),
                f.message().unwrap_or(f.code())
            ))),
        }
    }
}

#[async_trait]
impl RefreshQueue for SqsQueue {
    fn name(&self) -> &'static str {
        "sqs"
    }

    async fn send(&self, messages: &[RefreshMessage]) -> Result<(), QueueError> {
        let mut batch = Vec::new();
        let mut bytes = 0;
        for (i, m) in messages.iter().enumerate() {
            let body = serde_json::to_string(m)
                .map_err(|e| QueueError::Unavailable(format!("message not serialisable: {e}")))?;
            if batch.len() == MAX_ENTRIES
                || (bytes + body.len() > MAX_BATCH_BYTES && !batch.is_empty())
            {
                self.send_batch(std::mem::take(&mut batch)).await?;
                bytes = 0;
            }
            bytes += body.len();
            let entry = SendMessageBatchRequestEntry::builder()
                .id(format!("m{i}"))
                .message_body(body)
                .build()
                .map_err(|e| QueueError::Unavailable(e.to_string()))?;
            batch.push(entry);
        }
        if !batch.is_empty() {
            self.send_batch(batch).await?;
        }
        Ok(())
    }
}
