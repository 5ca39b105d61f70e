//! S3 buckets, with the settings that Terraform AWS provider 4+ and
//! CloudFormation keep in separate resources linked back to the bucket.

use phiguard_model::services::{
    Encryption, LifecycleRule, PolicyDocument, PublicAccessBlock, Replication, S3Bucket,
};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::policy::read_policy;
use crate::adapt::{is_aws_managed_key, Reader, KMS_KEY_TYPES};
use crate::node::{Node, NodeKind};
use crate::raw::{RawResource, RawSet};

const TF_BUCKET: &[&str] = &["aws_s3_bucket"];
/// Attributes that hold a bucket's name, for literal links in Terraform.
const TF_BUCKET_IDS: &[&str] = &["bucket", "id"];

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    match raw.resource_type.as_str() {
        "aws_s3_bucket" => Some(ResourceKind::S3Bucket(terraform_bucket(set, raw))),
        "AWS::S3::Bucket" => Some(ResourceKind::S3Bucket(cloudformation_bucket(set, raw))),
        _ => None,
    }
}

/// Returns the first resource of `child_type` that configures this bucket.
fn tf_child<'a>(set: &'a RawSet, bucket: &RawResource, child_type: &str) -> Option<Reader<'a>> {
    set.children(bucket, child_type, "bucket", TF_BUCKET, TF_BUCKET_IDS)
        .first()
        .map(|child| Reader::new(set, child).with_computed_defaults())
}

fn terraform_bucket(set: &RawSet, raw: &RawResource) -> S3Bucket {
    // A real plan marks the bucket's inline `policy`, `acl`, `versioning`
    // and encryption blocks as known after apply when the configuration
    // leaves them out; they then take the S3 defaults.
    let bucket = Reader::new(set, raw).with_computed_defaults();
    let encryption_child = tf_child(set, raw, "aws_s3_bucket_server_side_encryption_configuration");
    let (encryption, bucket_key_enabled) = match &encryption_child {
        Some(child) => tf_encryption(child, "rule"),
        None => tf_encryption(&bucket, "server_side_encryption_configuration.rule"),
    };

    let versioning = match tf_child(set, raw, "aws_s3_bucket_versioning") {
        Some(child) => child.string("versioning_configuration.status").map(|status| status.as_deref() == Some("Enabled")),
        None => bucket.bool("versioning.enabled", false),
    };

    let access_logging = match tf_child(set, raw, "aws_s3_bucket_logging") {
        // A target known only after apply still turns logging on; only the
        // destination is unknown then.
        Some(child) => match child.node("target_bucket") {
            Some(node) => Attr::explicit(true, child.location(node)),
            None => Attr::explicit(false, child.resource_location()),
        },
        None => bucket.string("logging.target_bucket").map(|target| target.is_some()),
    };

    let public_access_block = match tf_child(set, raw, "aws_s3_bucket_public_access_block") {
        Some(child) => public_access_block(&child, ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]),
        None => Attr::default_value(None, bucket.resource_location()),
    };

    let policy = match tf_child(set, raw, "aws_s3_bucket_policy") {
        Some(child) => optional_policy(&child, "policy"),
        None => optional_policy(&bucket, "policy"),
    };

    let acl = match tf_child(set, raw, "aws_s3_bucket_acl") {
        Some(child) => child.string("acl"),
        None => bucket.string("acl"),
    };

    let object_lock = match tf_child(set, raw, "aws_s3_bucket_object_lock_configuration") {
        Some(child) => Attr::explicit(true, child.resource_location()),
        None => match bucket.node("object_lock_enabled") {
            Some(_) => bucket.bool("object_lock_enabled", false),
            None => bucket.string("object_lock_configuration.object_lock_enabled").map(|v| v.as_deref() == Some("Enabled")),
        },
    };

    let lifecycle_rules = match tf_child(set, raw, "aws_s3_bucket_lifecycle_configuration") {
        Some(child) => lifecycle(&child, "rule", |rule| rule.get("status").and_then(Node::as_str) == Some("Enabled"), "transition", "days", "storage_class", "expiration"),
        None => lifecycle(&bucket, "lifecycle_rule", |rule| rule.get("enabled").and_then(Node::as_bool).unwrap_or(false), "transition", "days", "storage_class", "expiration"),
    };

    let replication = match tf_child(set, raw, "aws_s3_bucket_replication_configuration") {
        Some(child) => replication(&child, "rule", "destination", "bucket", "account"),
        None => replication(&bucket, "replication_configuration.rules", "destination", "bucket", "account_id"),
    };

    S3Bucket {
        name: bucket.string("bucket"),
        encryption,
        bucket_key_enabled,
        policy,
        public_access_block,
        acl,
        versioning,
        object_lock,
        access_logging,
        lifecycle_rules,
        replication,
    }
}

/// Reads `apply_server_side_encryption_by_default` under `rule_path`.
/// Without any rule S3 applies SSE-S3, which is an AWS managed key.
fn tf_encryption(reader: &Reader<'_>, rule_path: &str) -> (Attr<Encryption>, Attr<bool>) {
    let default_path = format!("{rule_path}.apply_server_side_encryption_by_default");
    let bucket_key = reader.bool(&format!("{rule_path}.bucket_key_enabled"), false);
    let algorithm = reader.string(&format!("{default_path}.sse_algorithm"));
    let key = reader.string_or_link(&format!("{default_path}.kms_master_key_id"), KMS_KEY_TYPES);
    (encryption_from(algorithm, key), bucket_key)
}

fn encryption_from(algorithm: Attr<Option<String>>, key: Attr<Option<String>>) -> Attr<Encryption> {
    let location = algorithm.location().clone();
    let explicit = algorithm.is_explicit();
    let algorithm = match algorithm.get() {
        Ok(value) => value.clone(),
        Err(reason) => return Attr::unknown(reason.to_owned(), location),
    };
    let encryption = match algorithm.as_deref() {
        Some("aws:kms" | "aws:kms:dsse") => match key.get() {
            Ok(Some(id)) if !is_aws_managed_key(id) => Encryption::CustomerManaged(id.clone()),
            Ok(_) => Encryption::AwsManaged,
            // The algorithm is KMS, so the bucket is encrypted whichever key it is.
            Err(reason) => return Attr::explicit(Encryption::UnknownKey(format!("the KMS key is unknown: {reason}")), key.location().clone()),
        },
        _ => Encryption::AwsManaged,
    };
    if explicit {
        Attr::explicit(encryption, location)
    } else {
        Attr::default_value(encryption, location)
    }
}

fn public_access_block(reader: &Reader<'_>, keys: [&str; 4]) -> Attr<Option<PublicAccessBlock>> {
    let values: Vec<Attr<bool>> = keys.iter().map(|key| reader.bool(key, false)).collect();
    for value in &values {
        if let Err(reason) = value.get() {
            return Attr::unknown(reason.to_owned(), value.location().clone());
        }
    }
    let flag = |index: usize| *values[index].known().unwrap_or(&false);
    Attr::explicit(
        Some(PublicAccessBlock {
            block_public_acls: flag(0),
            block_public_policy: flag(1),
            ignore_public_acls: flag(2),
            restrict_public_buckets: flag(3),
        }),
        reader.resource_location(),
    )
}

fn optional_policy(reader: &Reader<'_>, path: &str) -> Attr<Option<PolicyDocument>> {
    match reader.node(path) {
        None => Attr::default_value(None, reader.resource_location()),
        Some(node) if node.as_str() == Some("") => Attr::explicit(None, reader.location(node)),
        Some(node) => read_policy(node, reader.location(node)).map(Some),
    }
}

fn lifecycle(
    reader: &Reader<'_>,
    path: &str,
    enabled: impl Fn(&Node) -> bool,
    transition_key: &str,
    days_key: &str,
    class_key: &str,
    expiration_key: &str,
) -> Attr<Vec<LifecycleRule>> {
    let Some(node) = reader.raw.props.get(path).filter(|node| !node.is_null()) else {
        return Attr::default_value(Vec::new(), reader.resource_location());
    };
    if reader.computed_by_provider(path) {
        return Attr::default_value(Vec::new(), reader.resource_location());
    }
    if let NodeKind::Unknown(reason) = &node.kind {
        return Attr::unknown(format!("the lifecycle rules are {reason}"), reader.location(node));
    }
    let rules = reader
        .raw
        .props
        .blocks(path)
        .into_iter()
        .map(|rule| LifecycleRule {
            enabled: enabled(rule),
            transitions: rule
                .blocks(transition_key)
                .into_iter()
                .filter_map(|transition| {
                    let days = transition.get(days_key).and_then(Node::as_i64)?;
                    let class = transition.get(class_key).and_then(Node::as_str)?;
                    Some((u32::try_from(days).ok()?, class.to_owned()))
                })
                .collect(),
            expiration_days: rule
                .block(expiration_key)
                .and_then(|expiration| expiration.get(days_key))
                .and_then(Node::as_i64)
                .and_then(|days| u32::try_from(days).ok()),
        })
        .collect();
    Attr::explicit(rules, reader.location(node))
}

fn replication(reader: &Reader<'_>, rules_path: &str, destination_key: &str, bucket_key: &str, account_key: &str) -> Attr<Option<Replication>> {
    let (parent_path, rules_key) = rules_path.rsplit_once('.').unwrap_or(("", rules_path));
    let parent = if parent_path.is_empty() { Some(&reader.raw.props) } else { reader.node(parent_path) };
    let Some(parent) = parent else {
        return Attr::default_value(None, reader.resource_location());
    };
    let rules = parent.blocks(rules_key);
    if rules.is_empty() {
        return Attr::default_value(None, reader.resource_location());
    }
    let mut replication = Replication::default();
    for rule in &rules {
        if let Some(destination) = rule.block(destination_key) {
            if let Some(bucket) = destination.get(bucket_key) {
                replication.destinations.push(bucket.as_str().map(str::to_owned).unwrap_or_else(|| bucket.to_json().to_string()));
            }
            if let Some(account) = destination.get(account_key).and_then(Node::as_str) {
                replication.destination_accounts.push(account.to_owned());
            }
        }
    }
    Attr::explicit(Some(replication), reader.location(rules[0]))
}

fn cloudformation_bucket(set: &RawSet, raw: &RawResource) -> S3Bucket {
    let bucket = Reader::new(set, raw);
    let rule_path = "BucketEncryption.ServerSideEncryptionConfiguration";
    let default_path = format!("{rule_path}.ServerSideEncryptionByDefault");
    let encryption = encryption_from(
        bucket.string(&format!("{default_path}.SSEAlgorithm")),
        bucket.string_or_link(&format!("{default_path}.KMSMasterKeyID"), KMS_KEY_TYPES),
    );
    let policy = set
        .of_type("AWS::S3::BucketPolicy")
        .find(|policy| set.links(policy, "Bucket").contains(&raw.address))
        .map(|policy| optional_policy(&Reader::new(set, policy), "PolicyDocument"))
        .unwrap_or_else(|| Attr::default_value(None, bucket.resource_location()));
    let public_access_block = match bucket.node("PublicAccessBlockConfiguration") {
        Some(_) => {
            let block = Reader::new(set, raw);
            let values = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]
                .map(|key| block.bool(&format!("PublicAccessBlockConfiguration.{key}"), false));
            match values.iter().find_map(|value| value.get().err().map(|reason| (reason.to_owned(), value.location().clone()))) {
                Some((reason, location)) => Attr::unknown(reason, location),
                None => Attr::explicit(
                    Some(PublicAccessBlock {
                        block_public_acls: *values[0].known().unwrap_or(&false),
                        block_public_policy: *values[1].known().unwrap_or(&false),
                        ignore_public_acls: *values[2].known().unwrap_or(&false),
                        restrict_public_buckets: *values[3].known().unwrap_or(&false),
                    }),
                    bucket.location(bucket.node("PublicAccessBlockConfiguration").expect("checked above")),
                ),
            }
        }
        None => Attr::default_value(None, bucket.resource_location()),
    };
    S3Bucket {
        name: bucket.string("BucketName"),
        encryption,
        bucket_key_enabled: bucket.bool(&format!("{rule_path}.BucketKeyEnabled"), false),
        policy,
        public_access_block,
        acl: bucket.string("AccessControl"),
        versioning: bucket.string("VersioningConfiguration.Status").map(|status| status.as_deref() == Some("Enabled")),
        object_lock: bucket.bool("ObjectLockEnabled", false),
        access_logging: match bucket.node("LoggingConfiguration") {
            Some(node) => Attr::explicit(true, bucket.location(node)),
            None => Attr::default_value(false, bucket.resource_location()),
        },
        lifecycle_rules: match bucket.node("LifecycleConfiguration") {
            Some(_) => lifecycle(
                &Reader::new(set, raw),
                "LifecycleConfiguration",
                |_| true,
                "Transitions",
                "TransitionInDays",
                "StorageClass",
                "ExpirationInDays",
            )
            .map(|_| cloudformation_lifecycle(bucket.node("LifecycleConfiguration.Rules"))),
            None => Attr::default_value(Vec::new(), bucket.resource_location()),
        },
        replication: match bucket.node("ReplicationConfiguration") {
            Some(_) => replication(&bucket, "ReplicationConfiguration.Rules", "Destination", "Bucket", "Account"),
            None => Attr::default_value(None, bucket.resource_location()),
        },
    }
}

fn cloudformation_lifecycle(rules: Option<&Node>) -> Vec<LifecycleRule> {
    let Some(rules) = rules.and_then(Node::as_seq) else { return Vec::new() };
    rules
        .iter()
        .map(|rule| {
            let mut transitions: Vec<(u32, String)> = rule
                .blocks("Transitions")
                .into_iter()
                .chain(rule.block("Transition"))
                .filter_map(|transition| {
                    let days = transition.get("TransitionInDays").and_then(Node::as_i64)?;
                    let class = transition.get("StorageClass").and_then(Node::as_str)?;
                    Some((u32::try_from(days).ok()?, class.to_owned()))
                })
                .collect();
            transitions.sort();
            LifecycleRule {
                enabled: rule.get("Status").and_then(Node::as_str) == Some("Enabled"),
                transitions,
                expiration_days: rule.get("ExpirationInDays").and_then(Node::as_i64).and_then(|d| u32::try_from(d).ok()),
            }
        })
        .collect()
}
