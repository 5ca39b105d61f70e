//! SG-001: security groups do not open SSH or RDP to the internet.

use phiguard_model::{Model, Severity};

use crate::citations::{ACCESS_CONTROL, TRANSMISSION_SECURITY};
use crate::network::{check_groups, describe_range, opens_tcp_port};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct SgNoAdminPortsFromInternet;

/// SSH (TCP 22) and RDP (TCP 3389, and UDP 3389 for RDP's UDP transport).
fn covers(protocol: &str, from: i64, to: i64) -> Option<String> {
    let ssh = opens_tcp_port(protocol, from, to, 22);
    let rdp = opens_tcp_port(protocol, from, to, 3389) || (protocol == "udp" && from <= 3389 && 3389 <= to);
    let service = match (ssh, rdp) {
        (true, true) => "SSH (22) and RDP (3389)",
        (true, false) => "SSH (22)",
        (false, true) => "RDP (3389)",
        (false, false) => return None,
    };
    Some(format!("{service} through {}", describe_range(protocol, from, to)))
}

static META: RuleMeta = RuleMeta {
    id: "SG-001",
    name: "sg-no-admin-ports-from-internet",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, TRANSMISSION_SECURITY],
    summary: "Security groups do not open SSH or RDP to the internet",
    docs: RuleDocs {
        what: "Checks every ingress rule of each security group (inline, `aws_security_group_rule`, \
`aws_vpc_security_group_ingress_rule`, `AWS::EC2::SecurityGroupIngress`) for TCP port 22 or port 3389 open \
to 0.0.0.0/0 or ::/0. A rule for all protocols, or a port range that contains either port, counts. A \
separate rule whose group is not in the input is checked on its own.",
        why: "SSH and RDP give an interactive session on the server, and from there access to every piece of \
ePHI the server can read. Ports open to the whole internet are scanned within minutes and face constant \
password guessing and exploits against the remote access service.",
        fix: "Remove the rule, and reach servers through Systems Manager Session Manager, a VPN or a bastion \
host that allows only known address ranges. If direct access is unavoidable, allow only the office or VPN \
CIDR blocks.",
        limitations: "Only the exact CIDR blocks 0.0.0.0/0 and ::/0 count as the internet; very broad blocks \
such as 0.0.0.0/1 do not. Prefix lists and referenced security groups are not followed. Network ACLs and \
whether the instances behind the group have public addresses are not considered.",
        terraform_fail: include_str!("../../fixtures/SG-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/SG-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/SG-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/SG-001/pass.yaml"),
    },
};

impl Rule for SgNoAdminPortsFromInternet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        check_groups(model, "SSH or RDP", &covers)
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn ranges_containing_admin_ports_match() {
        assert!(covers("tcp", 22, 22).is_some());
        assert!(covers("tcp", 0, 1024).is_some());
        assert!(covers("-1", 0, 0).is_some());
        assert!(covers("udp", 3389, 3389).is_some());
    }

    #[test]
    fn other_ranges_do_not_match() {
        assert!(covers("tcp", 23, 3388).is_none());
        assert!(covers("udp", 22, 22).is_none());
        assert!(covers("icmp", -1, -1).is_none());
    }
}
