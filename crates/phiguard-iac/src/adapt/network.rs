//! VPCs with the flow logs that capture them, and security groups with
//! their ingress rules, inline or from separate rule resources linked back
//! to the group.
//!
//! A separate ingress rule whose group the input declares becomes part of
//! that group. One whose group is not in the input is modeled as a group of
//! that single rule, so that rules still check it.

use phiguard_model::services::{IngressRule, SecurityGroup, Vpc};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::{nested, Reader};
use crate::node::Node;
use crate::raw::{Dialect, RawResource, RawSet};

const TF_VPC: &[&str] = &["aws_vpc", "aws_default_vpc"];
const CFN_VPC: &[&str] = &["AWS::EC2::VPC"];
const TF_GROUP: &[&str] = &["aws_security_group", "aws_default_security_group"];
const CFN_GROUP: &[&str] = &["AWS::EC2::SecurityGroup"];

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    match raw.resource_type.as_str() {
        "aws_vpc" | "aws_default_vpc" | "AWS::EC2::VPC" => Some(ResourceKind::Vpc(vpc(set, raw))),
        "aws_security_group" | "aws_default_security_group" => Some(ResourceKind::SecurityGroup(terraform_group(set, raw))),
        "AWS::EC2::SecurityGroup" => Some(ResourceKind::SecurityGroup(cloudformation_group(set, raw))),
        "aws_security_group_rule" | "aws_vpc_security_group_ingress_rule" | "AWS::EC2::SecurityGroupIngress" => {
            standalone_rule(set, raw).map(ResourceKind::SecurityGroup)
        }
        _ => None,
    }
}

fn vpc(set: &RawSet, raw: &RawResource) -> Vpc {
    let (flow_log_type, path, vpc_types, id_keys): (&str, &str, &[&str], &[&str]) = match set.dialect {
        Dialect::Terraform => ("aws_flow_log", "vpc_id", TF_VPC, &["id"]),
        Dialect::CloudFormation => ("AWS::EC2::FlowLog", "ResourceId", CFN_VPC, &[]),
    };
    let flow_logs = set.children(raw, flow_log_type, path, vpc_types, id_keys).into_iter().map(|log| log.address.clone()).collect();
    // A flow log whose target is unknown and links to no resource may be
    // the one that captures this VPC.
    let unresolved_flow_logs = set
        .of_type(flow_log_type)
        .filter(|log| {
            let reader = Reader::new(set, log);
            // CloudFormation flow logs name their kind of target; one for a
            // subnet or network interface cannot capture the VPC.
            let other_kind = matches!(reader.string("ResourceType").known(), Some(Some(kind)) if kind != "VPC");
            let target = reader.string(path);
            !other_kind && target.known().is_none() && set.links(log, path).is_empty()
        })
        .map(|log| log.address.clone())
        .collect();
    Vpc { flow_logs, unresolved_flow_logs }
}

fn terraform_group(set: &RawSet, raw: &RawResource) -> SecurityGroup {
    let mut ingress = Vec::new();
    match raw.props.present("ingress") {
        // The provider computes `ingress` from the separate rule resources
        // when the configuration leaves it out; those are read below.
        Some(_) if Reader::new(set, raw).computed_by_provider("ingress") => {}
        Some(node) if node.unknown_reason().is_some() => {
            ingress.push(unknown_rule(&format!("`ingress` is {}", node.unknown_reason().unwrap_or_default()), raw, node));
        }
        Some(node) => {
            for item in node.as_seq().unwrap_or_default() {
                let element = nested(raw, item, "ingress");
                ingress.push(terraform_rule(&Reader::new(set, &element), "protocol"));
            }
        }
        None => {}
    }
    for rule in set.children(raw, "aws_security_group_rule", "security_group_id", TF_GROUP, &["id"]) {
        if is_terraform_ingress(rule) {
            ingress.push(terraform_rule(&Reader::new(set, rule), "protocol"));
        }
    }
    for rule in set.children(raw, "aws_vpc_security_group_ingress_rule", "security_group_id", TF_GROUP, &["id"]) {
        ingress.push(vpc_ingress_rule(&Reader::new(set, rule)));
    }
    SecurityGroup { ingress, standalone_rule_for: None }
}

fn cloudformation_group(set: &RawSet, raw: &RawResource) -> SecurityGroup {
    let mut ingress = Vec::new();
    match raw.props.present("SecurityGroupIngress") {
        Some(node) if node.unknown_reason().is_some() => {
            ingress.push(unknown_rule(
                &format!("`SecurityGroupIngress` is {}", node.unknown_reason().unwrap_or_default()),
                raw,
                node,
            ));
        }
        Some(node) => {
            for item in node.as_seq().unwrap_or_default() {
                let element = nested(raw, item, "SecurityGroupIngress");
                ingress.push(cloudformation_rule(&Reader::new(set, &element)));
            }
        }
        None => {}
    }
    for rule in set.children(raw, "AWS::EC2::SecurityGroupIngress", "GroupId", CFN_GROUP, &[]) {
        ingress.push(cloudformation_rule(&Reader::new(set, rule)));
    }
    SecurityGroup { ingress, standalone_rule_for: None }
}

/// Types a separate ingress rule resource whose group the input does not
/// declare. Returns `None` for egress rules and for rules that a declared
/// group already contains.
fn standalone_rule(set: &RawSet, raw: &RawResource) -> Option<SecurityGroup> {
    let (group_path, group_types, id_keys): (&str, &[&str], &[&str]) = match set.dialect {
        Dialect::Terraform => ("security_group_id", TF_GROUP, &["id"]),
        Dialect::CloudFormation => ("GroupId", CFN_GROUP, &[]),
    };
    if set.link_target(raw, group_path, group_types, id_keys).is_some() {
        return None;
    }
    let reader = Reader::new(set, raw);
    let rule = match raw.resource_type.as_str() {
        "aws_security_group_rule" if is_terraform_ingress(raw) => terraform_rule(&reader, "protocol"),
        "aws_security_group_rule" => return None,
        "aws_vpc_security_group_ingress_rule" => vpc_ingress_rule(&reader),
        _ => cloudformation_rule(&reader),
    };
    let group = match reader.string(group_path).get() {
        Ok(Some(id)) => id.clone(),
        Ok(None) => "(not set)".to_owned(),
        Err(reason) => format!("(unknown: {reason})"),
    };
    Some(SecurityGroup { ingress: vec![rule], standalone_rule_for: Some(group) })
}

fn is_terraform_ingress(raw: &RawResource) -> bool {
    raw.props.get("type").and_then(Node::as_str) == Some("ingress")
}

/// Reads a Terraform rule in the shape of `aws_security_group`'s inline
/// `ingress` blocks and `aws_security_group_rule`.
fn terraform_rule(reader: &Reader<'_>, protocol_key: &str) -> IngressRule {
    let protocol = protocol(reader, protocol_key);
    IngressRule {
        from_port: port(reader, "from_port", &protocol),
        to_port: port(reader, "to_port", &protocol),
        cidr_blocks: cidrs(vec![reader.strings("cidr_blocks"), reader.strings("ipv6_cidr_blocks")]),
        protocol,
    }
}

/// Reads `aws_vpc_security_group_ingress_rule`, which names one CIDR block.
fn vpc_ingress_rule(reader: &Reader<'_>) -> IngressRule {
    let protocol = protocol(reader, "ip_protocol");
    IngressRule {
        from_port: port(reader, "from_port", &protocol),
        to_port: port(reader, "to_port", &protocol),
        cidr_blocks: cidrs(vec![single(reader, "cidr_ipv4"), single(reader, "cidr_ipv6")]),
        protocol,
    }
}

fn cloudformation_rule(reader: &Reader<'_>) -> IngressRule {
    let protocol = protocol(reader, "IpProtocol");
    IngressRule {
        from_port: port(reader, "FromPort", &protocol),
        to_port: port(reader, "ToPort", &protocol),
        cidr_blocks: cidrs(vec![single(reader, "CidrIp"), single(reader, "CidrIpv6")]),
        protocol,
    }
}

fn unknown_rule(reason: &str, raw: &RawResource, node: &Node) -> IngressRule {
    let location = raw.location_of(node);
    IngressRule {
        protocol: Attr::unknown(reason, location.clone()),
        from_port: Attr::unknown(reason, location.clone()),
        to_port: Attr::unknown(reason, location.clone()),
        cidr_blocks: Attr::unknown(reason, location),
    }
}

/// Reads the protocol and normalizes it to the names the model uses: the
/// EC2 API accepts protocol numbers and `all` as well as names.
fn protocol(reader: &Reader<'_>, key: &str) -> Attr<String> {
    let value = reader.string(key);
    match value.get() {
        Ok(Some(text)) => {
            // A JSON template may write the protocol as the number -1, which
            // reads as the text "-1.0".
            let text = match text.parse::<f64>() {
                Ok(number) if number.fract() == 0.0 => (number as i64).to_string(),
                _ => text.to_ascii_lowercase(),
            };
            let normalized = match text.as_str() {
                "6" => "tcp".to_owned(),
                "17" => "udp".to_owned(),
                "1" => "icmp".to_owned(),
                "58" => "icmpv6".to_owned(),
                "all" => "-1".to_owned(),
                other => other.to_owned(),
            };
            Attr::explicit(normalized, value.location().clone())
        }
        Ok(None) => Attr::unknown(format!("`{key}` is not set"), value.location().clone()),
        Err(reason) => Attr::unknown(reason.to_owned(), value.location().clone()),
    }
}

/// Reads a port. A rule for all protocols opens every port regardless of
/// its ports, so its unset ports are -1. An unset port of a TCP or UDP rule
/// is unknown rather than guessed.
fn port(reader: &Reader<'_>, key: &str, protocol: &Attr<String>) -> Attr<i64> {
    if reader.node(key).is_none() {
        let location = reader.resource_location();
        return match protocol.known().map(String::as_str) {
            Some("-1") => Attr::default_value(-1, location),
            _ => Attr::unknown(format!("`{key}` is not set"), location),
        };
    }
    reader.i64(key, -1)
}

fn single(reader: &Reader<'_>, key: &str) -> Attr<Vec<String>> {
    reader.string(key).map(|value| value.into_iter().collect())
}

/// Joins CIDR lists; any unknown list makes the result unknown. The
/// location is that of the first list with a block in it.
fn cidrs(lists: Vec<Attr<Vec<String>>>) -> Attr<Vec<String>> {
    let mut all = Vec::new();
    let mut first_set = None;
    for list in &lists {
        match list.get() {
            Ok(values) if !values.is_empty() => {
                first_set.get_or_insert_with(|| list.location().clone());
                all.extend(values.iter().cloned());
            }
            Ok(_) => {}
            Err(reason) => return Attr::unknown(reason.to_owned(), list.location().clone()),
        }
    }
    match first_set {
        Some(location) => Attr::explicit(all, location),
        None => Attr::default_value(all, lists[0].location().clone()),
    }
}
