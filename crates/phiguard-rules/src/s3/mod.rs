//! Rules for S3 buckets.

mod s3_bucket_access_logging;
mod s3_bucket_customer_managed_key;
mod s3_bucket_no_public_acl;
mod s3_bucket_public_access_block;
mod s3_bucket_secure_transport;
mod s3_bucket_versioning;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &s3_bucket_customer_managed_key::S3BucketCustomerManagedKey,
    &s3_bucket_secure_transport::S3BucketSecureTransport,
    &s3_bucket_public_access_block::S3BucketPublicAccessBlock,
    &s3_bucket_versioning::S3BucketVersioning,
    &s3_bucket_access_logging::S3BucketAccessLogging,
    &s3_bucket_no_public_acl::S3BucketNoPublicAcl,
];
