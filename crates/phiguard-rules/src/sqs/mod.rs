//! Rules for SQS queues.

mod sqs_queue_customer_managed_key;
mod sqs_queue_encrypted;

use phiguard_model::services::SqsQueue;
use phiguard_model::{Model, Resource, ResourceKind};

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] =
    &[&sqs_queue_encrypted::SqsQueueEncrypted, &sqs_queue_customer_managed_key::SqsQueueCustomerManagedKey];

/// Iterates over the SQS queues of a model.
fn queues(model: &Model) -> impl Iterator<Item = (&Resource, &SqsQueue)> {
    model.each(|kind| match kind {
        ResourceKind::SqsQueue(queue) => Some(queue),
        _ => None,
    })
}
