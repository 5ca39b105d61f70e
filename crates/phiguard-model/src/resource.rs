//! The model of one scanned input: its resources, each with a typed kind.

use std::collections::BTreeMap;

use crate::location::Location;
use crate::services::*;

/// The resources of one scanned input (a plan, a template, an account).
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// The input file or account the model was built from.
    pub source: String,
    pub resources: Vec<Resource>,
    /// For a CloudFormation template whose `Fn::If` conditions cannot be
    /// evaluated, the condition values this model assumes, as
    /// `(condition name, value)` pairs. Empty otherwise.
    pub assumptions: Vec<(String, bool)>,
}

impl Model {
    /// Iterates over the resources of one kind, with the kind's typed data.
    pub fn each<'a, T: 'a>(
        &'a self,
        select: impl Fn(&'a ResourceKind) -> Option<&'a T> + 'a,
    ) -> impl Iterator<Item = (&'a Resource, &'a T)> + 'a {
        self.resources.iter().filter_map(move |resource| select(&resource.kind).map(|data| (resource, data)))
    }

    pub fn find(&self, address: &str) -> Option<&Resource> {
        self.resources.iter().find(|resource| resource.address == address)
    }
}

/// One resource, with the facts every rule needs and its typed kind.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The Terraform address, the CloudFormation logical id, or the ARN of
    /// a live resource.
    pub address: String,
    /// The type as the input spells it. A live resource has the form
    /// `aws:NAMESPACE:TYPE` taken from its ARN, such as `aws:sqs:queue`.
    pub resource_type: String,
    pub location: Location,
    /// Tags whose keys and values are known.
    pub tags: BTreeMap<String, String>,
    /// Set by the scan from the configured ePHI tags.
    pub holds_phi: bool,
    /// Why none of the resource's properties can be read, when the input
    /// makes all of them unknown at once (a plan's `after_unknown: true`, or
    /// `Properties` chosen by a condition that cannot be evaluated). Rules
    /// then report unknown instead of judging defaults.
    pub properties_unknown: Option<String>,
    /// Why a passing verdict on the resource may not hold: the resource, or
    /// a resource that configures it, may not be created (a Terraform
    /// `count` or `for_each` that the configuration cannot decide). Rules
    /// then report unknown instead of pass.
    pub conditional: Option<String>,
    pub kind: ResourceKind,
}

impl Resource {
    pub fn new(address: impl Into<String>, resource_type: impl Into<String>, location: Location, kind: ResourceKind) -> Self {
        Self {
            address: address.into(),
            resource_type: resource_type.into(),
            location,
            tags: BTreeMap::new(),
            holds_phi: false,
            properties_unknown: None,
            conditional: None,
            kind,
        }
    }
}

/// The typed data of a resource. `Other` keeps resources that no rule reads
/// yet, so that counts and the service-eligibility check still see them.
#[derive(Clone, Debug)]
pub enum ResourceKind {
    S3Bucket(S3Bucket),
    RdsInstance(RdsInstance),
    RdsCluster(RdsCluster),
    DynamoDbTable(DynamoDbTable),
    EbsVolume(EbsVolume),
    Ec2Instance(Ec2Instance),
    LaunchTemplate(LaunchTemplate),
    EfsFileSystem(EfsFileSystem),
    ElastiCacheReplicationGroup(ElastiCacheReplicationGroup),
    ElastiCacheCluster(ElastiCacheCluster),
    LoadBalancer(LoadBalancer),
    LbListener(LbListener),
    CloudTrail(CloudTrail),
    KmsKey(KmsKey),
    LogGroup(LogGroup),
    SnsTopic(SnsTopic),
    SqsQueue(SqsQueue),
    Vpc(Vpc),
    SecurityGroup(SecurityGroup),
    ConfigRecorder(ConfigRecorder),
    GuardDutyDetector(GuardDutyDetector),
    BackupPlan(BackupPlan),
    BackupSelection(BackupSelection),
    IamPolicy(IamPolicy),
    IamRole(IamRole),
    IamUser(IamUser),
    AccountSetting(AccountSetting),
    /// The SCPs in effect on a live account; no plan or template fills it.
    ServiceControlPolicies(ServiceControlPolicies),
    Other,
}
