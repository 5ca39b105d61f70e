//! Rules for SNS topics.

mod sns_topic_customer_managed_key;
mod sns_topic_encrypted;

use phiguard_model::services::SnsTopic;
use phiguard_model::{Model, Resource, ResourceKind};

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] =
    &[&sns_topic_encrypted::SnsTopicEncrypted, &sns_topic_customer_managed_key::SnsTopicCustomerManagedKey];

/// Iterates over the SNS topics of a model.
fn topics(model: &Model) -> impl Iterator<Item = (&Resource, &SnsTopic)> {
    model.each(|kind| match kind {
        ResourceKind::SnsTopic(topic) => Some(topic),
        _ => None,
    })
}
