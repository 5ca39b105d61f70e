//! Rules for RDS DB instances and Aurora and Multi-AZ DB clusters.
//!
//! Most rules read the same settings on an instance and on a cluster, so
//! [`databases`] yields both as a [`Database`]. An instance of a cluster
//! takes encryption, backups, deletion protection, log exports and the
//! cluster parameter group from its cluster. Rules report those settings on
//! the cluster and mark the instance not applicable.

mod rds_backup_retention;
mod rds_customer_managed_key;
mod rds_deletion_protection;
mod rds_force_ssl;
mod rds_log_exports;
mod rds_multi_az;
mod rds_no_public_access;
mod rds_storage_encrypted;

use phiguard_model::services::{Encryption, ParameterGroup, RdsCluster, RdsInstance};
use phiguard_model::{Attr, Model, Resource, ResourceKind};

use crate::{Check, Rule};

pub(crate) const RULES: &[&dyn Rule] = &[
    &rds_storage_encrypted::RdsStorageEncrypted,
    &rds_customer_managed_key::RdsCustomerManagedKey,
    &rds_force_ssl::RdsForceSsl,
    &rds_no_public_access::RdsNoPublicAccess,
    &rds_backup_retention::RdsBackupRetention,
    &rds_multi_az::RdsMultiAz,
    &rds_deletion_protection::RdsDeletionProtection,
    &rds_log_exports::RdsLogExports,
];

/// An RDS DB instance or DB cluster, for rules that read the same settings
/// on both.
#[derive(Clone, Copy)]
pub(crate) enum Database<'m> {
    Instance(&'m RdsInstance),
    Cluster(&'m RdsCluster),
}

impl<'m> Database<'m> {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Database::Instance(_) => "instance",
            Database::Cluster(_) => "cluster",
        }
    }

    pub(crate) fn engine(self) -> &'m Attr<Option<String>> {
        match self {
            Database::Instance(instance) => &instance.engine,
            Database::Cluster(cluster) => &cluster.engine,
        }
    }

    pub(crate) fn engine_version(self) -> &'m Attr<Option<String>> {
        match self {
            Database::Instance(instance) => &instance.engine_version,
            Database::Cluster(cluster) => &cluster.engine_version,
        }
    }

    pub(crate) fn encryption(self) -> &'m Attr<Encryption> {
        match self {
            Database::Instance(instance) => &instance.encryption,
            Database::Cluster(cluster) => &cluster.encryption,
        }
    }

    pub(crate) fn backup_retention_days(self) -> &'m Attr<u32> {
        match self {
            Database::Instance(instance) => &instance.backup_retention_days,
            Database::Cluster(cluster) => &cluster.backup_retention_days,
        }
    }

    pub(crate) fn deletion_protection(self) -> &'m Attr<bool> {
        match self {
            Database::Instance(instance) => &instance.deletion_protection,
            Database::Cluster(cluster) => &cluster.deletion_protection,
        }
    }

    pub(crate) fn log_exports(self) -> &'m Attr<Vec<String>> {
        match self {
            Database::Instance(instance) => &instance.log_exports,
            Database::Cluster(cluster) => &cluster.log_exports,
        }
    }

    pub(crate) fn parameter_group(self) -> &'m Attr<Option<ParameterGroup>> {
        match self {
            Database::Instance(instance) => &instance.parameter_group,
            Database::Cluster(cluster) => &cluster.parameter_group,
        }
    }

    /// Returns the cluster an instance belongs to, or `None` for a
    /// standalone instance and for a cluster.
    pub(crate) fn cluster(self) -> Option<&'m str> {
        match self {
            Database::Instance(instance) => instance.cluster.as_deref(),
            Database::Cluster(_) => None,
        }
    }

    /// Returns the source of a read replica, or `None` for anything else.
    pub(crate) fn replica_source(self) -> Option<&'m str> {
        match self {
            Database::Instance(instance) => instance.replica_source.as_deref(),
            Database::Cluster(_) => None,
        }
    }
}

/// Returns every RDS DB instance and DB cluster of the model, in input order.
pub(crate) fn databases(model: &Model) -> impl Iterator<Item = (&Resource, Database<'_>)> {
    model.resources.iter().filter_map(|resource| match &resource.kind {
        ResourceKind::RdsInstance(instance) => Some((resource, Database::Instance(instance))),
        ResourceKind::RdsCluster(cluster) => Some((resource, Database::Cluster(cluster))),
        _ => None,
    })
}

/// Returns the not-applicable check for an instance of a cluster, whose
/// `setting` the cluster holds.
pub(crate) fn on_cluster<'m>(model: &Model, resource: &'m Resource, cluster: &str, setting: &str) -> Check<'m> {
    let reported = if model.find(cluster).is_some() {
        "the cluster's finding reports it"
    } else {
        "the cluster is not in this input, so it is not checked here"
    };
    Check::not_applicable(resource, format!("the instance belongs to the cluster {cluster}, which holds its {setting}; {reported}"))
}

/// Returns the message suffix that says a read replica's value comes from
/// its source, or an empty string for anything else.
pub(crate) fn replica_note(database: Database<'_>) -> String {
    match database.replica_source() {
        Some(source) => format!(" (a read replica inherits this from its source {source})"),
        None => String::new(),
    }
}
