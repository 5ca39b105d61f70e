//! The EBS, EC2, EFS, load balancer and network adapters on small plans and
//! templates: defaults, values a plan computes, and links between resources.

use phiguard_iac::{load, Outcome};
use phiguard_model::services::{Encryption, ListenerAction};
use phiguard_model::{Model, Provenance, ResourceKind};
use serde_json::{json, Value};

fn model(label: &str, text: &str) -> Model {
    match load(label, text.as_bytes(), u64::MAX).expect("input parses") {
        Outcome::Loaded(mut loaded) => loaded.models.remove(0),
        Outcome::Skipped(reason) => panic!("{label} was skipped: {reason}"),
    }
}

/// Builds a plan from `(address, values, after_unknown, expressions)` for
/// resources in the root module.
fn plan(resources: &[(&str, Value, Value, Value)]) -> String {
    let mut changes = Vec::new();
    let mut configuration = Vec::new();
    for (address, values, unknown, expressions) in resources {
        let (resource_type, name) = address.split_once('.').expect("address is type.name");
        changes.push(json!({
            "address": address, "mode": "managed", "type": resource_type, "name": name,
            "change": {"actions": ["create"], "before": null, "after": values, "after_unknown": unknown}
        }));
        configuration.push(json!({"address": address, "mode": "managed", "type": resource_type, "name": name, "expressions": expressions}));
    }
    json!({
        "format_version": "1.2",
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": configuration}}
    })
    .to_string()
}

#[test]
fn computed_unset_encryption_takes_default() {
    let text = plan(&[(
        "aws_ebs_volume.data",
        json!({"size": 10}),
        json!({"encrypted": true, "kms_key_id": true, "snapshot_id": true}),
        json!({"size": {"constant_value": 10}}),
    )]);
    let model = model("plan.json", &text);
    let ResourceKind::EbsVolume(volume) = &model.resources[0].kind else { panic!("not a volume") };
    assert_eq!(volume.encrypted.known(), Some(&false));
    assert!(volume.encrypted.is_default());
    assert_eq!(volume.encryption.known(), Some(&Encryption::None));
}

#[test]
fn referenced_encryption_stays_unknown() {
    let text = plan(&[
        ("aws_s3_bucket.flags", json!({}), json!({"id": true}), json!({})),
        (
            "aws_ebs_volume.data",
            json!({"size": 10}),
            json!({"encrypted": true, "kms_key_id": true, "snapshot_id": true}),
            json!({"encrypted": {"references": ["aws_s3_bucket.flags.id", "aws_s3_bucket.flags"]}}),
        ),
    ]);
    let model = model("plan.json", &text);
    let ResourceKind::EbsVolume(volume) = &model.resources[1].kind else { panic!("not a volume") };
    assert!(matches!(volume.encrypted.provenance(), Provenance::Unknown(_)));
}

#[test]
fn efs_without_key_uses_default_key() {
    let text = plan(&[("aws_efs_file_system.share", json!({"encrypted": true}), json!({"kms_key_id": true}), json!({}))]);
    let model = model("plan.json", &text);
    let ResourceKind::EfsFileSystem(file_system) = &model.resources[0].kind else { panic!("not a file system") };
    assert_eq!(file_system.encryption.known(), Some(&Encryption::AwsManaged));
    assert!(file_system.encryption.is_default());
}

#[test]
fn instance_inherits_launch_template_settings() {
    let template = r#"
Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: required
        NetworkInterfaces:
          - DeviceIndex: 0
            AssociatePublicIpAddress: "false"
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs:
              Encrypted: true
          - DeviceName: /dev/sdb
            VirtualName: ephemeral0
  Server:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate:
        LaunchTemplateId: !Ref Template
        Version: "1"
"#;
    let model = model("template.yaml", template);
    let ResourceKind::Ec2Instance(instance) = &model.find("Server").expect("instance").kind else { panic!("not an instance") };
    assert_eq!(instance.launch_template.as_deref(), Some("Template"));
    assert_eq!(instance.metadata.http_tokens.known(), Some(&Some("required".to_owned())));
    assert_eq!(instance.associate_public_ip.known(), Some(&Some(false)));
    assert_eq!(instance.block_devices.len(), 1, "the ephemeral device is not an EBS device");
    assert_eq!(instance.block_devices[0].encrypted.known(), Some(&true));
}

#[test]
fn instance_without_template_gets_ami_root() {
    let template = "Resources:\n  Server:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-12345678\n";
    let model = model("template.yaml", template);
    let ResourceKind::Ec2Instance(instance) = &model.resources[0].kind else { panic!("not an instance") };
    assert_eq!(instance.block_devices.len(), 1);
    assert_eq!(instance.block_devices[0].name, "root");
    assert!(instance.block_devices[0].encrypted.is_default());
    assert!(instance.metadata.http_tokens.is_default());
}

#[test]
fn block_device_from_snapshot_is_unknown() {
    let text = plan(&[(
        "aws_instance.server",
        json!({"ami": "ami-1", "root_block_device": [{"volume_size": 8}], "ebs_block_device": [{"device_name": "/dev/sdf", "snapshot_id": "snap-1"}]}),
        json!({}),
        json!({}),
    )]);
    let model = model("plan.json", &text);
    let ResourceKind::Ec2Instance(instance) = &model.resources[0].kind else { panic!("not an instance") };
    let device = instance.block_devices.iter().find(|device| device.name == "/dev/sdf").expect("data device");
    assert!(matches!(device.encrypted.provenance(), Provenance::Unknown(reason) if reason.contains("snap-1")));
}

#[test]
fn listener_links_and_defaults() {
    let template = r#"
Resources:
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
  Plain:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Balancer
      DefaultActions:
        - Type: redirect
          RedirectConfig:
            Port: "443"
  Secure:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Balancer
      Protocol: HTTPS
      DefaultActions:
        - Type: fixed-response
"#;
    let model = model("template.yaml", template);
    let ResourceKind::LoadBalancer(balancer) = &model.find("Balancer").expect("balancer").kind else { panic!("not a load balancer") };
    assert_eq!(balancer.lb_type.known().map(String::as_str), Some("application"));
    assert_eq!(balancer.internal.known(), Some(&true));
    let ResourceKind::LbListener(plain) = &model.find("Plain").expect("listener").kind else { panic!("not a listener") };
    assert_eq!(plain.load_balancer.as_deref(), Some("Balancer"));
    assert_eq!(plain.protocol.known().map(String::as_str), Some("HTTP"));
    assert_eq!(plain.default_actions.known(), Some(&vec![ListenerAction::Redirect { protocol: Some("#{protocol}".to_owned()) }]));
    let ResourceKind::LbListener(secure) = &model.find("Secure").expect("listener").kind else { panic!("not a listener") };
    assert_eq!(secure.ssl_policy.known(), Some(&Some("ELBSecurityPolicy-2016-08".to_owned())));
    assert!(secure.ssl_policy.is_default());
}

#[test]
fn separate_rules_join_their_group() {
    let text = plan(&[
        ("aws_security_group.app", json!({"name": "app"}), json!({"id": true, "ingress": true}), json!({})),
        (
            "aws_security_group_rule.ssh",
            json!({"type": "ingress", "protocol": "6", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}),
            json!({"security_group_id": true}),
            json!({"security_group_id": {"references": ["aws_security_group.app.id", "aws_security_group.app"]}}),
        ),
        (
            "aws_security_group_rule.elsewhere",
            json!({"type": "ingress", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"], "security_group_id": "sg-0abc"}),
            json!({}),
            json!({}),
        ),
        (
            "aws_security_group_rule.egress",
            json!({"type": "egress", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"], "security_group_id": "sg-0abc"}),
            json!({}),
            json!({}),
        ),
    ]);
    let model = model("plan.json", &text);
    let ResourceKind::SecurityGroup(group) = &model.resources[0].kind else { panic!("not a group") };
    assert_eq!(group.ingress.len(), 1, "the computed inline list is skipped and the linked rule joins");
    assert_eq!(group.ingress[0].protocol.known().map(String::as_str), Some("tcp"));
    assert!(matches!(model.resources[1].kind, ResourceKind::Other), "a linked rule is part of its group");
    let ResourceKind::SecurityGroup(standalone) = &model.resources[2].kind else { panic!("not modeled as a group") };
    assert_eq!(standalone.standalone_rule_for.as_deref(), Some("sg-0abc"));
    assert!(matches!(model.resources[3].kind, ResourceKind::Other), "egress rules are not modeled");
}

#[test]
fn flow_logs_link_to_their_vpc() {
    let template = r#"
Parameters:
  OtherVpc:
    Type: String
Resources:
  Network:
    Type: AWS::EC2::VPC
  NetworkLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: !Ref Network
  Quiet:
    Type: AWS::EC2::VPC
  SubnetLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: Subnet
      ResourceId: !Ref OtherVpc
  ParameterLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: !Ref OtherVpc
"#;
    let model = model("template.yaml", template);
    let ResourceKind::Vpc(network) = &model.find("Network").expect("vpc").kind else { panic!("not a VPC") };
    assert_eq!(network.flow_logs, vec!["NetworkLog".to_owned()]);
    let ResourceKind::Vpc(quiet) = &model.find("Quiet").expect("vpc").kind else { panic!("not a VPC") };
    assert!(quiet.flow_logs.is_empty());
    assert_eq!(quiet.unresolved_flow_logs, vec!["ParameterLog".to_owned()]);
}
