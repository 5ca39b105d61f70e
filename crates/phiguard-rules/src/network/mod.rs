//! Rules for security groups and VPCs, and the reading of ingress rules
//! that the security group rules share.

mod sg_no_admin_ports_from_internet;
mod sg_no_all_ports_from_internet;
mod sg_no_database_ports_from_internet;
mod vpc_flow_logs_enabled;

use phiguard_model::services::{IngressRule, SecurityGroup};
use phiguard_model::{Location, Model, Resource, ResourceKind};

use crate::{Check, Rule};

pub(crate) const RULES: &[&dyn Rule] = &[
    &sg_no_admin_ports_from_internet::SgNoAdminPortsFromInternet,
    &sg_no_database_ports_from_internet::SgNoDatabasePortsFromInternet,
    &sg_no_all_ports_from_internet::SgNoAllPortsFromInternet,
    &vpc_flow_logs_enabled::VpcFlowLogsEnabled,
];

/// The CIDR blocks that mean "any address": all of IPv4 and all of IPv6.
const INTERNET: &[&str] = &["0.0.0.0/0", "::/0"];

/// The verdict on one ingress rule for one security group rule.
enum Exposure {
    /// The rule opens what the rule checks for to the internet; the string
    /// describes it for messages.
    Open(String),
    /// The input does not determine whether it does.
    Unknown(String, Location),
    Closed,
}

/// Decides whether `rule` opens to the internet something that `covers`
/// matches. `covers` gets the normalized protocol (`tcp`, `udp`, `-1` ...)
/// and the port range, and returns a description of what the range opens.
fn exposure(rule: &IngressRule, covers: &dyn Fn(&str, i64, i64) -> Option<String>) -> Exposure {
    let open_cidrs: Vec<&str> = match rule.cidr_blocks.get() {
        Ok(cidrs) => cidrs.iter().map(String::as_str).filter(|cidr| INTERNET.contains(cidr)).collect(),
        Err(reason) => return Exposure::Unknown(format!("its CIDR blocks are unknown: {reason}"), rule.cidr_blocks.location().clone()),
    };
    if open_cidrs.is_empty() {
        return Exposure::Closed;
    }
    let protocol = match rule.protocol.get() {
        Ok(protocol) => protocol.as_str(),
        Err(reason) => return Exposure::Unknown(format!("its protocol is unknown: {reason}"), rule.protocol.location().clone()),
    };
    let (from, to) = if protocol == "-1" {
        (0, 65535)
    } else {
        match (rule.from_port.get(), rule.to_port.get()) {
            (Ok(from), Ok(to)) => (*from, *to),
            (Err(reason), _) => return Exposure::Unknown(format!("its port range is unknown: {reason}"), rule.from_port.location().clone()),
            (_, Err(reason)) => return Exposure::Unknown(format!("its port range is unknown: {reason}"), rule.to_port.location().clone()),
        }
    };
    match covers(protocol, from, to) {
        Some(what) => Exposure::Open(format!("{what} to {}", open_cidrs.join(" and "))),
        None => Exposure::Closed,
    }
}

/// Describes a rule's protocol and port range for messages.
pub(crate) fn describe_range(protocol: &str, from: i64, to: i64) -> String {
    match protocol {
        "-1" => "all protocols and ports".to_owned(),
        _ if from == to => format!("{protocol} port {from}"),
        _ => format!("{protocol} ports {from}-{to}"),
    }
}

/// True when a rule is for all protocols, which opens every port whatever
/// its range, or for TCP with a range that contains `port`.
pub(crate) fn opens_tcp_port(protocol: &str, from: i64, to: i64, port: i64) -> bool {
    protocol == "-1" || (protocol == "tcp" && from <= port && port <= to)
}

/// Checks every security group, and every standalone ingress rule whose group
/// is not in the input, with `covers` (see [`exposure`]). `subject` names
/// what the rule looks for, as in "SSH or RDP".
pub(crate) fn check_groups<'m>(
    model: &'m Model,
    subject: &str,
    covers: &dyn Fn(&str, i64, i64) -> Option<String>,
) -> Vec<Check<'m>> {
    model
        .each(|kind| match kind {
            ResourceKind::SecurityGroup(group) => Some(group),
            _ => None,
        })
        .map(|(resource, group)| check_group(resource, group, subject, covers))
        .collect()
}

fn check_group<'m>(
    resource: &'m Resource,
    group: &SecurityGroup,
    subject: &str,
    covers: &dyn Fn(&str, i64, i64) -> Option<String>,
) -> Check<'m> {
    let owner = match &group.standalone_rule_for {
        Some(group_id) => format!("the ingress rule for security group {group_id}"),
        None => "the security group".to_owned(),
    };
    let mut first_unknown = None;
    for rule in &group.ingress {
        match exposure(rule, covers) {
            Exposure::Open(what) => {
                return Check::fail(resource, format!("{owner} opens {what}"), rule.protocol.location());
            }
            Exposure::Unknown(reason, location) => {
                first_unknown.get_or_insert((reason, location));
            }
            Exposure::Closed => {}
        }
    }
    match first_unknown {
        Some((reason, location)) => Check::unknown(
            resource,
            format!("cannot tell whether {owner} opens {subject} to the internet"),
            format!("an ingress rule may: {reason}"),
            &location,
        ),
        None => Check::pass(resource, format!("no ingress rule of {owner} opens {subject} to the internet"), &resource.location),
    }
}
