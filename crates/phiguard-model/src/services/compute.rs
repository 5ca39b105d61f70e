//! EC2 instances, launch templates and their block devices.

use crate::attr::Attr;
use crate::services::Encryption;

/// One EBS block device attached to an instance or declared in a launch
/// template.
#[derive(Clone, Debug)]
pub struct BlockDevice {
    /// `root`, or the device name such as `/dev/sdf`.
    pub name: String,
    /// Whether the volume is encrypted, known even when the key is not.
    pub encrypted: Attr<bool>,
    pub encryption: Attr<Encryption>,
}

/// The instance metadata service settings.
#[derive(Clone, Debug)]
pub struct MetadataOptions {
    /// `required` enforces IMDSv2; `optional` also allows IMDSv1.
    pub http_tokens: Attr<Option<String>>,
    /// `disabled` turns the endpoint off, which also satisfies the rule.
    pub http_endpoint: Attr<Option<String>>,
}

#[derive(Clone, Debug)]
pub struct Ec2Instance {
    pub block_devices: Vec<BlockDevice>,
    pub metadata: MetadataOptions,
    pub associate_public_ip: Attr<Option<bool>>,
    /// The launch template the instance is created from, when linked.
    pub launch_template: Option<String>,
}

#[derive(Clone, Debug)]
pub struct LaunchTemplate {
    pub block_devices: Vec<BlockDevice>,
    pub metadata: MetadataOptions,
    pub associate_public_ip: Attr<Option<bool>>,
}
