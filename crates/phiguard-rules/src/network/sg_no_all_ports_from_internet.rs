//! SG-003: security groups do not open every port to the internet.

use phiguard_model::{Model, Severity};

use crate::citations::{ACCESS_CONTROL, TRANSMISSION_SECURITY};
use crate::network::{check_groups, describe_range};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct SgNoAllPortsFromInternet;

/// Matches all protocols, or a TCP or UDP range from port 0 or 1 through
/// 65535.
fn covers(protocol: &str, from: i64, to: i64) -> Option<String> {
    let all = protocol == "-1" || (matches!(protocol, "tcp" | "udp") && from <= 1 && to >= 65535);
    all.then(|| describe_range(protocol, from, to))
}

static META: RuleMeta = RuleMeta {
    id: "SG-003",
    name: "sg-no-all-ports-from-internet",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, TRANSMISSION_SECURITY],
    summary: "Security groups do not open all ports to the internet",
    docs: RuleDocs {
        what: "Checks every ingress rule of each security group for all traffic open to 0.0.0.0/0 or ::/0: \
a rule for all protocols (`-1`), or a TCP or UDP rule whose range covers ports 1 through 65535.",
        why: "A group that admits all traffic from the internet turns every service on its instances, \
including management agents and debugging ports nobody meant to publish, into an entry point to ePHI. It \
also removes the security group's role as a record of which access was intended.",
        fix: "Replace the rule with rules for the specific ports the service needs, and limit their source \
to known CIDR blocks or security groups.",
        limitations: "Only the exact CIDR blocks 0.0.0.0/0 and ::/0 count as the internet. A range that \
leaves out a few ports does not count as all ports, though SG-001 and SG-002 still report the sensitive \
ones.",
        terraform_fail: include_str!("../../fixtures/SG-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/SG-003/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/SG-003/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/SG-003/pass.yaml"),
    },
};

impl Rule for SgNoAllPortsFromInternet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        check_groups(model, "all ports", &covers)
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn full_ranges_match() {
        assert!(covers("-1", 0, 0).is_some());
        assert!(covers("tcp", 0, 65535).is_some());
        assert!(covers("udp", 1, 65535).is_some());
    }

    #[test]
    fn partial_ranges_do_not_match() {
        assert!(covers("tcp", 1024, 65535).is_none());
        assert!(covers("tcp", 0, 65534).is_none());
        assert!(covers("icmp", 0, 65535).is_none());
    }
}
