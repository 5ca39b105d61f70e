//! Rules for DynamoDB tables.

mod dynamodb_customer_managed_key;
mod dynamodb_point_in_time_recovery;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &dynamodb_customer_managed_key::DynamoDbCustomerManagedKey,
    &dynamodb_point_in_time_recovery::DynamoDbPointInTimeRecovery,
];
