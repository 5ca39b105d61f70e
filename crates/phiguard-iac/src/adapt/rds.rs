//! RDS DB instances, Aurora and Multi-AZ DB clusters, the instances of a
//! cluster, and the parameter groups they link to.
//!
//! Settings that RDS copies from elsewhere are resolved here, so rules read
//! one value: a read replica takes its source's encryption and engine, and
//! an instance of a cluster takes the cluster's encryption, backups,
//! deletion protection and log exports. Defaults are the RDS API's, which
//! CloudFormation and the Terraform AWS provider leave in place when an
//! attribute is unset: storage unencrypted, one day of backups, no
//! Multi-AZ, no deletion protection, no log exports, the engine's default
//! parameter group.

use std::collections::BTreeMap;

use phiguard_model::services::{Encryption, ParameterGroup, RdsCluster, RdsInstance};
use phiguard_model::{Attr, Location, ResourceKind};

use crate::adapt::{encryption_from_key, lowercase, Reader, KMS_KEY_TYPES};
use crate::node::{Node, NodeKind};
use crate::raw::{Dialect, RawResource, RawSet};

const TF_INSTANCE: &str = "aws_db_instance";
const TF_CLUSTER_INSTANCE: &str = "aws_rds_cluster_instance";
const TF_CLUSTER: &str = "aws_rds_cluster";
const CFN_INSTANCE: &str = "AWS::RDS::DBInstance";
const CFN_CLUSTER: &str = "AWS::RDS::DBCluster";

/// The property names of each setting in one input format, so that one
/// reader serves Terraform and CloudFormation.
struct Keys {
    engine: &'static str,
    engine_version: &'static str,
    engine_mode: &'static str,
    encrypted: &'static str,
    kms_key: &'static str,
    publicly_accessible: &'static str,
    backup_retention: &'static str,
    multi_az: &'static str,
    deletion_protection: &'static str,
    log_exports: &'static str,
    /// Attributes that restore the resource from a snapshot, whose
    /// encryption it then keeps. One list serves instances and clusters,
    /// since each reads only the attributes its type has.
    snapshot: &'static [&'static str],
    /// The attribute that names a read replica's source instance.
    replica_source: &'static str,
    /// Point-in-time restores: the attribute that names the source, and one
    /// that is set only on a restore.
    restore_source: &'static str,
    restore_marker: &'static [&'static str],
    /// The attribute that names the cluster of a cluster instance.
    cluster: &'static str,
    parameter_group: &'static str,
    cluster_parameter_group: &'static str,
}

const TERRAFORM: Keys = Keys {
    engine: "engine",
    engine_version: "engine_version",
    engine_mode: "engine_mode",
    encrypted: "storage_encrypted",
    kms_key: "kms_key_id",
    publicly_accessible: "publicly_accessible",
    backup_retention: "backup_retention_period",
    multi_az: "multi_az",
    deletion_protection: "deletion_protection",
    log_exports: "enabled_cloudwatch_logs_exports",
    snapshot: &["snapshot_identifier"],
    replica_source: "replicate_source_db",
    restore_source: "restore_to_point_in_time.source_db_instance_identifier",
    restore_marker: &["restore_to_point_in_time"],
    cluster: "cluster_identifier",
    parameter_group: "parameter_group_name",
    cluster_parameter_group: "db_cluster_parameter_group_name",
};

const CLOUDFORMATION: Keys = Keys {
    engine: "Engine",
    engine_version: "EngineVersion",
    engine_mode: "EngineMode",
    encrypted: "StorageEncrypted",
    kms_key: "KmsKeyId",
    publicly_accessible: "PubliclyAccessible",
    backup_retention: "BackupRetentionPeriod",
    multi_az: "MultiAZ",
    deletion_protection: "DeletionProtection",
    log_exports: "EnableCloudwatchLogsExports",
    snapshot: &["DBSnapshotIdentifier", "DBClusterSnapshotIdentifier", "SnapshotIdentifier"],
    replica_source: "SourceDBInstanceIdentifier",
    restore_source: "SourceDBInstanceIdentifier",
    restore_marker: &["RestoreTime", "UseLatestRestorableTime"],
    cluster: "DBClusterIdentifier",
    parameter_group: "DBParameterGroupName",
    cluster_parameter_group: "DBClusterParameterGroupName",
};

/// Resource types of instances and clusters, for links by reference.
const INSTANCE_TYPES: &[&str] = &[TF_INSTANCE, CFN_INSTANCE];
const CLUSTER_TYPES: &[&str] = &[TF_CLUSTER, CFN_CLUSTER];
/// Attributes that hold an instance's or a cluster's identifier or ARN, for
/// links by literal value.
const INSTANCE_IDS: &[&str] = &["identifier", "id", "arn", "DBInstanceIdentifier"];
const CLUSTER_IDS: &[&str] = &["cluster_identifier", "id", "arn", "DBClusterIdentifier"];

const PARAMETER_GROUP_TYPES: &[&str] = &["aws_db_parameter_group", "AWS::RDS::DBParameterGroup"];
const CLUSTER_PARAMETER_GROUP_TYPES: &[&str] = &["aws_rds_cluster_parameter_group", "AWS::RDS::DBClusterParameterGroup"];
const PARAMETER_GROUP_IDS: &[&str] = &["name", "id", "DBParameterGroupName", "DBClusterParameterGroupName"];

/// Read replicas of read replicas, and instances of clusters restored from
/// other clusters, are followed at most this deep. RDS allows up to three
/// replica levels for MySQL and MariaDB; the bound only stops a cycle in a
/// malformed input.
const MAX_SOURCE_DEPTH: usize = 8;

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    match raw.resource_type.as_str() {
        TF_INSTANCE | TF_CLUSTER_INSTANCE | CFN_INSTANCE => Some(ResourceKind::RdsInstance(instance(set, raw, 0))),
        TF_CLUSTER | CFN_CLUSTER => Some(ResourceKind::RdsCluster(cluster(set, raw, 0))),
        _ => None,
    }
}

fn keys_for(raw: &RawResource) -> &'static Keys {
    if raw.resource_type.starts_with("AWS::") {
        &CLOUDFORMATION
    } else {
        &TERRAFORM
    }
}

/// The resource that RDS copies settings from: a read replica's source, a
/// restore's source, or an instance's cluster.
enum Origin<'a> {
    /// A source declared in the same input.
    Declared(&'a RawResource),
    /// A source named by identifier or ARN that the input does not declare.
    External(String),
    /// A source given by a value that cannot be read.
    Unreadable(String, Location),
}

/// Finds the resource that `path` names: by reference or literal
/// identifier, else by its text. Returns `None` when the attribute is unset.
fn origin<'a>(reader: &Reader<'a>, path: &str, types: &[&str], ids: &[&str]) -> Option<Origin<'a>> {
    let value = reader.string(path);
    if let Some(target) = reader.set.link_target(reader.raw, path, types, ids) {
        return Some(Origin::Declared(target));
    }
    match value.get() {
        Ok(Some(text)) => Some(Origin::External(text.clone())),
        Ok(None) => None,
        Err(reason) => Some(Origin::Unreadable(reason.to_owned(), value.location().clone())),
    }
}

fn instance(set: &RawSet, raw: &RawResource, depth: usize) -> RdsInstance {
    let keys = keys_for(raw);
    let reader = Reader::new(set, raw).with_computed_defaults();

    let cluster_origin = if raw.resource_type == TF_INSTANCE {
        None
    } else {
        origin(&reader, keys.cluster, CLUSTER_TYPES, CLUSTER_IDS)
    };
    let is_restore = keys.restore_marker.iter().any(|marker| reader.node(marker).is_some());
    let source_origin = if is_restore {
        origin(&reader, keys.restore_source, INSTANCE_TYPES, INSTANCE_IDS)
    } else {
        origin(&reader, keys.replica_source, INSTANCE_TYPES, INSTANCE_IDS)
    };
    let replica_source = if is_restore { None } else { source_origin.as_ref().map(origin_name) };

    // The cluster or source instance, when the input declares it, supplies
    // the settings that RDS copies from it.
    let declared_cluster = match &cluster_origin {
        Some(Origin::Declared(target)) if depth < MAX_SOURCE_DEPTH => Some(cluster(set, target, depth + 1)),
        _ => None,
    };
    let declared_source = match &source_origin {
        Some(Origin::Declared(target)) if depth < MAX_SOURCE_DEPTH => Some(instance(set, target, depth + 1)),
        _ => None,
    };

    let mut engine = lowercase(reader.string(keys.engine));
    let mut engine_version = reader.string(keys.engine_version);
    if engine.is_default() || engine_version.is_default() {
        let inherited = declared_cluster
            .as_ref()
            .map(|cluster| (&cluster.engine, &cluster.engine_version))
            .or(declared_source.as_ref().map(|source| (&source.engine, &source.engine_version)));
        if let Some((source_engine, source_version)) = inherited {
            if engine.is_default() {
                engine = source_engine.clone();
            }
            if engine_version.is_default() {
                engine_version = source_version.clone();
            }
        }
    }

    let encryption = if let Some(cluster_origin) = &cluster_origin {
        match &declared_cluster {
            Some(cluster) => cluster.encryption.clone(),
            None => Attr::unknown(
                format!(
                    "the instance's storage belongs to the cluster {}, which is not in this input",
                    origin_name(cluster_origin)
                ),
                reader.resource_location(),
            ),
        }
    } else if let Some(snapshot) = snapshot_identifier(&reader, keys) {
        Attr::unknown(
            format!("the instance is restored from the snapshot {snapshot} and keeps its encryption"),
            reader.resource_location(),
        )
    } else if let Some(source_origin) = &source_origin {
        inherited_encryption(&reader, keys, source_origin, declared_source.as_ref().map(|source| &source.encryption))
    } else if is_restore {
        Attr::unknown(
            "the instance is restored to a point in time and keeps the encryption of its source",
            reader.resource_location(),
        )
    } else {
        encryption_from_key(reader.bool(keys.encrypted, false), reader.string_or_link(keys.kms_key, KMS_KEY_TYPES))
    };

    let (backup_retention_days, deletion_protection, log_exports) = match (&cluster_origin, &declared_cluster) {
        (Some(_), Some(cluster)) => {
            (cluster.backup_retention_days.clone(), cluster.deletion_protection.clone(), cluster.log_exports.clone())
        }
        (Some(cluster_origin), None) => {
            let reason =
                format!("the setting belongs to the cluster {}, which is not in this input", origin_name(cluster_origin));
            let location = reader.resource_location();
            (
                Attr::unknown(reason.clone(), location.clone()),
                Attr::unknown(reason.clone(), location.clone()),
                Attr::unknown(reason, location),
            )
        }
        (None, _) => (
            reader.u32(keys.backup_retention, 1),
            reader.bool(keys.deletion_protection, false),
            reader.strings(keys.log_exports),
        ),
    };

    let parameter_group_path =
        if raw.resource_type == TF_CLUSTER_INSTANCE { "db_parameter_group_name" } else { keys.parameter_group };

    RdsInstance {
        engine,
        engine_version,
        cluster: cluster_origin.as_ref().map(origin_name),
        replica_source,
        encryption,
        publicly_accessible: publicly_accessible(&reader, keys, cluster_origin.is_some()),
        backup_retention_days,
        multi_az: reader.bool(keys.multi_az, false),
        deletion_protection,
        log_exports,
        parameter_group: parameter_group(&reader, parameter_group_path, PARAMETER_GROUP_TYPES),
    }
}

fn cluster(set: &RawSet, raw: &RawResource, depth: usize) -> RdsCluster {
    let keys = keys_for(raw);
    let reader = Reader::new(set, raw).with_computed_defaults();
    let engine = lowercase(reader.string(keys.engine));
    let engine_mode = lowercase(reader.string(keys.engine_mode));

    // A cluster restored to a point in time, or a cross-Region read replica
    // cluster, takes its source's encryption unless it names a KMS key.
    let source_path = match reader.dialect() {
        Dialect::Terraform if reader.node("restore_to_point_in_time").is_some() => {
            "restore_to_point_in_time.source_cluster_identifier"
        }
        Dialect::Terraform => "replication_source_identifier",
        Dialect::CloudFormation if reader.node("SourceDBClusterIdentifier").is_some() => "SourceDBClusterIdentifier",
        Dialect::CloudFormation => "ReplicationSourceIdentifier",
    };
    let source_origin = origin(&reader, source_path, CLUSTER_TYPES, CLUSTER_IDS);

    let key = reader.string_or_link(keys.kms_key, KMS_KEY_TYPES);
    let encryption = if let Some(snapshot) = snapshot_identifier(&reader, keys) {
        match key.get() {
            // RestoreDBClusterFromSnapshot encrypts the restored cluster
            // with the key it is given, whatever the snapshot's encryption.
            Ok(Some(_)) => encryption_from_key(Attr::explicit(true, key.location().clone()), key),
            _ => Attr::unknown(
                format!("the cluster is restored from the snapshot {snapshot} and keeps its encryption"),
                reader.resource_location(),
            ),
        }
    } else if let Some(source_origin) = &source_origin {
        let declared = match source_origin {
            Origin::Declared(target) if depth < MAX_SOURCE_DEPTH => Some(cluster(set, target, depth + 1).encryption),
            _ => None,
        };
        inherited_encryption(&reader, keys, source_origin, declared.as_ref())
    } else {
        // Aurora Serverless v1 clusters are always encrypted.
        let serverless = engine_mode.known().is_some_and(|mode| mode.as_deref() == Some("serverless"));
        encryption_from_key(reader.bool(keys.encrypted, serverless), key)
    };

    RdsCluster {
        engine,
        engine_version: reader.string(keys.engine_version),
        encryption,
        backup_retention_days: reader.u32(keys.backup_retention, 1),
        deletion_protection: reader.bool(keys.deletion_protection, false),
        log_exports: reader.strings(keys.log_exports),
        parameter_group: parameter_group(&reader, keys.cluster_parameter_group, CLUSTER_PARAMETER_GROUP_TYPES),
    }
}

fn origin_name(origin: &Origin<'_>) -> String {
    match origin {
        Origin::Declared(target) => target.address.clone(),
        Origin::External(name) => name.clone(),
        Origin::Unreadable(reason, _) => format!("given by a value that cannot be read ({reason})"),
    }
}

/// Returns the snapshot a resource is restored from, when one is set.
fn snapshot_identifier(reader: &Reader<'_>, keys: &Keys) -> Option<String> {
    keys.snapshot.iter().find_map(|path| match reader.string(path).get() {
        Ok(Some(name)) => Some(name.clone()),
        Ok(None) => None,
        Err(reason) => Some(format!("given by a value that cannot be read ({reason})")),
    })
}

/// Returns the encryption of a read replica or a restored resource. A KMS
/// key set on the resource wins, as a cross-Region replica must name one.
/// Otherwise the encryption is the source's.
fn inherited_encryption(
    reader: &Reader<'_>,
    keys: &Keys,
    source: &Origin<'_>,
    declared: Option<&Attr<Encryption>>,
) -> Attr<Encryption> {
    let key = reader.string_or_link(keys.kms_key, KMS_KEY_TYPES);
    if matches!(key.get(), Ok(Some(_))) {
        return encryption_from_key(Attr::explicit(true, key.location().clone()), key);
    }
    match (source, declared) {
        (_, Some(encryption)) => encryption.clone(),
        (Origin::Unreadable(reason, location), None) => {
            Attr::unknown(format!("the encryption comes from a source that cannot be read: {reason}"), location.clone())
        }
        (source, None) => Attr::unknown(
            format!("the encryption comes from the source {}, which is not in this input", origin_name(source)),
            reader.resource_location(),
        ),
    }
}

/// Reads `PubliclyAccessible`. The Terraform AWS provider sends `false`
/// when the attribute is unset. The RDS API, which CloudFormation calls
/// without a value, instead makes the instance public when the VPC it is
/// placed in has an internet gateway, so an unset value in a template
/// cannot be decided.
fn publicly_accessible(reader: &Reader<'_>, keys: &Keys, cluster_member: bool) -> Attr<bool> {
    let value = reader.bool(keys.publicly_accessible, false);
    if reader.dialect() != Dialect::CloudFormation || !value.is_default() {
        return value;
    }
    let reason = if cluster_member {
        "`PubliclyAccessible` is not set, so RDS makes the instance public if the VPC of the cluster's subnet \
         group has an internet gateway"
    } else if reader.node("DBSubnetGroupName").is_some() {
        "`PubliclyAccessible` is not set, so RDS makes the instance public if the VPC of its subnet group has an \
         internet gateway"
    } else {
        "`PubliclyAccessible` and `DBSubnetGroupName` are not set, so RDS places the instance in the default VPC \
         and makes it public if that VPC has an internet gateway, as a default VPC has when AWS creates it"
    };
    Attr::unknown(reason, reader.resource_location())
}

/// Resolves the parameter group that `path` names, by reference or by name,
/// to a group declared in the input. The engine's default group (the
/// attribute unset, or a name starting with `default.`) is `None`. A group
/// that the input names but does not declare is unknown.
fn parameter_group(reader: &Reader<'_>, path: &str, types: &[&str]) -> Attr<Option<ParameterGroup>> {
    let name = reader.string(path);
    if let Some(group) = reader.set.link_target(reader.raw, path, types, PARAMETER_GROUP_IDS) {
        return match read_parameters(&Reader::new(reader.set, group)) {
            Ok(parameters) => {
                Attr::explicit(Some(ParameterGroup { name: group.address.clone(), parameters }), name.location().clone())
            }
            Err((reason, location)) => Attr::unknown(reason, location),
        };
    }
    match name.get() {
        Ok(None) => name.map(|_| None),
        Ok(Some(text)) if text.to_ascii_lowercase().starts_with("default.") => name.map(|_| None),
        Ok(Some(text)) => Attr::unknown(
            format!("the parameter group {text} is not declared in this input, so its parameters cannot be read"),
            name.location().clone(),
        ),
        Err(reason) => Attr::unknown(format!("the parameter group cannot be read: {reason}"), name.location().clone()),
    }
}

/// Reads a parameter group's parameters: Terraform's `parameter` blocks of
/// `name` and `value`, or CloudFormation's `Parameters` map. A value that
/// cannot be read makes the whole group unknown, because any parameter
/// could be the one a rule needs.
fn read_parameters(group: &Reader<'_>) -> Result<BTreeMap<String, String>, (String, Location)> {
    let mut parameters = BTreeMap::new();
    let unreadable = |name: &str, node: &Node, reason: &str| {
        let message = format!("the value of parameter {name} in the parameter group {} is {reason}", group.raw.address);
        (message, group.location(node))
    };
    if let Some(node) = group.raw.props.get("parameter").filter(|node| !node.is_null()) {
        if let Some(reason) = node.unknown_reason() {
            return Err((format!("the parameters of {} are {reason}", group.raw.address), group.location(node)));
        }
        for block in group.raw.props.blocks("parameter") {
            let Some(name) = block.get("name").and_then(Node::as_str) else { continue };
            match block.get("value") {
                Some(value) => match scalar(value) {
                    Ok(text) => {
                        parameters.insert(name.to_owned(), text);
                    }
                    Err(reason) => return Err(unreadable(name, value, &reason)),
                },
                None => continue,
            }
        }
    }
    if let Some(node) = group.raw.props.get("Parameters").filter(|node| !node.is_null()) {
        if let Some(reason) = node.unknown_reason() {
            return Err((format!("the parameters of {} are {reason}", group.raw.address), group.location(node)));
        }
        for (name, value) in node.as_map().unwrap_or_default() {
            match scalar(value) {
                Ok(text) => {
                    parameters.insert(name.clone(), text);
                }
                Err(reason) => return Err(unreadable(name, value, &reason)),
            }
        }
    }
    Ok(parameters)
}

fn scalar(node: &Node) -> Result<String, String> {
    match &node.kind {
        NodeKind::String(text) => Ok(text.clone()),
        NodeKind::Bool(value) => Ok(value.to_string()),
        NodeKind::Number(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => Ok((*value as i64).to_string()),
        NodeKind::Number(value) => Ok(value.to_string()),
        NodeKind::Unknown(reason) => Err(reason.clone()),
        _ => Err(format!("a {}, expected a string", node.type_name())),
    }
}
