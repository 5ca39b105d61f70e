//! Rules for S3 buckets.

mod s3_bucket_customer_managed_key;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[&s3_bucket_customer_managed_key::S3BucketCustomerManagedKey];
