//! RDS-006: RDS instances run Multi-AZ, and Aurora clusters have a replica
//! to fail over to.

use phiguard_model::{Model, Resource, ResourceKind, Severity};

use crate::citations::DISASTER_RECOVERY;
use crate::rds::{databases, on_cluster, Database};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct RdsMultiAz;

static META: RuleMeta = RuleMeta {
    id: "RDS-006",
    name: "rds-multi-az",
    severity: Severity::Low,
    citations: &[DISASTER_RECOVERY],
    summary: "RDS instances are Multi-AZ and Aurora clusters have at least two instances",
    docs: RuleDocs {
        what: "Checks that each standalone RDS DB instance sets `multi_az` (CloudFormation: `MultiAZ`) to \
true; the default is false. For an Aurora cluster it counts the cluster's instances declared in the same \
input and passes with two or more, so that Aurora can fail over to a replica. A Multi-AZ DB cluster (a \
cluster of the `mysql` or `postgres` engine) always spans three Availability Zones and passes. Instances of \
a cluster and read replicas are not applicable: the cluster, or the replica's source, decides failover.",
        why: "A Single-AZ instance is unavailable while its Availability Zone is impaired and while RDS \
replaces failed hardware, and recovering it can mean restoring from backup. Multi-AZ keeps a synchronous \
standby in another zone and fails over to it automatically, typically within one to two minutes, so clinicians and \
systems keep access to ePHI through an outage of one zone. An Aurora cluster with a single instance has no \
replica to promote and must create a new instance instead.",
        fix: "Set `multi_az = true` (CloudFormation: `MultiAZ: true`); RDS converts the instance without \
downtime, although performance can drop while the standby is built. For Aurora, add a second \
`aws_rds_cluster_instance` (CloudFormation: an `AWS::RDS::DBInstance` with the same `DBClusterIdentifier`), \
preferably in another Availability Zone.",
        limitations: "The rule counts an Aurora cluster's instances only when they are declared in the same \
input, and reports unknown when none are. It does not check that Aurora replicas are in different \
Availability Zones; RDS chooses a zone for an instance that names none.",
        terraform_fail: include_str!("../../fixtures/RDS-006/fail.tf"),
        terraform_pass: include_str!("../../fixtures/RDS-006/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/RDS-006/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/RDS-006/pass.yaml"),
    },
};

impl Rule for RdsMultiAz {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        databases(model)
            .map(|(resource, database)| match database {
                Database::Cluster(_) => check_cluster(model, resource, database),
                Database::Instance(instance) => {
                    if let Some(cluster) = &instance.cluster {
                        return on_cluster(model, resource, cluster, "replicas for failover");
                    }
                    if let Some(source) = &instance.replica_source {
                        return Check::not_applicable(
                            resource,
                            format!("the instance is a read replica of {source}, whose Multi-AZ setting decides failover"),
                        );
                    }
                    let attr = &instance.multi_az;
                    match Check::read(resource, attr, "whether the instance is Multi-AZ") {
                        Ok(true) => Check::pass(resource, "the instance is Multi-AZ, with a standby in another Availability Zone", attr.location()),
                        Ok(false) => Check::fail(
                            resource,
                            "the instance is Single-AZ: it has no standby in another Availability Zone to fail over to",
                            attr.location(),
                        ),
                        Err(unknown) => unknown,
                    }
                }
            })
            .collect()
    }
}

fn check_cluster<'m>(model: &'m Model, resource: &'m Resource, database: Database<'m>) -> Check<'m> {
    let engine_attr = database.engine();
    let engine = match Check::read(resource, engine_attr, "which kind of cluster this is") {
        Ok(Some(engine)) => engine,
        Ok(None) => {
            return Check::unknown(
                resource,
                "cannot tell whether the cluster can fail over",
                "the engine is not set, so the cluster may be Aurora or a Multi-AZ DB cluster",
                engine_attr.location(),
            )
        }
        Err(unknown) => return unknown,
    };
    if !engine.starts_with("aurora") {
        return Check::pass(
            resource,
            format!("the {engine} cluster is a Multi-AZ DB cluster, with a writer and two readable standbys in three Availability Zones"),
            engine_attr.location(),
        );
    }
    let members = model
        .each(|kind| match kind {
            ResourceKind::RdsInstance(instance) => Some(instance),
            _ => None,
        })
        .filter(|(_, instance)| instance.cluster.as_deref() == Some(resource.address.as_str()))
        .count();
    match members {
        0 => Check::unknown(
            resource,
            "cannot tell whether the cluster can fail over",
            "no instance of the cluster is declared in this input",
            &resource.location,
        ),
        1 => Check::fail(
            resource,
            "the Aurora cluster has one instance, so it has no replica to fail over to",
            &resource.location,
        ),
        count => Check::pass(
            resource,
            format!("the Aurora cluster has {count} instances, so Aurora can fail over to a replica"),
            &resource.location,
        ),
    }
}
