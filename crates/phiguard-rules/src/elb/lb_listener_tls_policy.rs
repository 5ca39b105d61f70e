//! ELB-002: HTTPS and TLS listeners use a security policy that accepts only
//! TLS 1.2 or later.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct LbListenerTlsPolicy;

/// The accepted policy names, one per line, with `#` comments.
const ACCEPTED_POLICIES: &str = include_str!("../../data/elb_tls12_policies.txt");

fn is_accepted(policy: &str) -> bool {
    ACCEPTED_POLICIES.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')).any(|name| name == policy)
}

static META: RuleMeta = RuleMeta {
    id: "ELB-002",
    name: "lb-listener-tls-policy",
    severity: Severity::High,
    citations: &[TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION],
    summary: "HTTPS and TLS listeners use a TLS 1.2 or later security policy",
    docs: RuleDocs {
        what: "Checks that each HTTPS or TLS listener names a predefined security policy that accepts only \
TLS 1.2 or later: the ELBSecurityPolicy-TLS13-1-2 and -1-3 families, including the FIPS, RFC 9151 and \
post-quantum variants, ELBSecurityPolicy-TLS-1-2-2017-01, ELBSecurityPolicy-TLS-1-2-Ext-2018-06 and the \
ELBSecurityPolicy-FS-1-2 family. A listener without a policy gets ELBSecurityPolicy-2016-08, the default \
for listeners created through the API, CloudFormation or Terraform, which accepts TLS 1.0 and fails. \
Listeners on other protocols are not applicable.",
        why: "TLS 1.0 and 1.1 have known weaknesses, and the IETF deprecated both in RFC 8996. A policy \
that still accepts them lets an old client, or an attacker who interferes with the handshake, settle on \
weaker protection for ePHI in transit.",
        fix: "Set `ssl_policy` (CloudFormation: `SslPolicy`) to `ELBSecurityPolicy-TLS13-1-2-2021-06`, or to \
`ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04` where FIPS 140 validated cryptography is required.",
        limitations: "The accepted list covers the policies AWS published up to those dated 2025-09; a newer \
TLS 1.2+ policy fails until the list is updated. The list applies to Application and Network Load \
Balancers; Classic Load Balancers are not covered.",
        terraform_fail: include_str!("../../fixtures/ELB-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/ELB-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/ELB-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/ELB-002/pass.yaml"),
    },
};

impl Rule for LbListenerTlsPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::LbListener(listener) => Some(listener),
                _ => None,
            })
            .map(|(resource, listener)| {
                let protocol = match Check::read(resource, &listener.protocol, "the listener's protocol") {
                    Ok(value) => value.as_str(),
                    Err(unknown) => return unknown,
                };
                if !matches!(protocol, "HTTPS" | "TLS") {
                    return Check::not_applicable(resource, format!("the listener uses {protocol}, which has no TLS policy"));
                }
                let policy = match Check::read(resource, &listener.ssl_policy, "the listener's TLS policy") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = listener.ssl_policy.location();
                match policy {
                    Some(policy) if is_accepted(policy) => {
                        Check::pass(resource, format!("the listener uses {policy}, which accepts TLS 1.2 or later only"), location)
                    }
                    Some(policy) if listener.ssl_policy.is_default() => Check::fail(
                        resource,
                        format!("the listener sets no TLS policy, so AWS applies {policy}, which accepts TLS 1.0 and 1.1"),
                        location,
                    ),
                    Some(policy) => Check::fail(
                        resource,
                        format!("the listener uses {policy}, which is not a TLS 1.2+ policy; use ELBSecurityPolicy-TLS13-1-2-2021-06"),
                        location,
                    ),
                    None => Check::unknown(resource, "cannot tell the listener's TLS policy", "the policy is not set", location),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::is_accepted;

    #[test]
    fn tls12_policies_are_accepted() {
        assert!(is_accepted("ELBSecurityPolicy-TLS13-1-2-2021-06"));
        assert!(is_accepted("ELBSecurityPolicy-TLS-1-2-Ext-2018-06"));
        assert!(is_accepted("ELBSecurityPolicy-FS-1-2-Res-2020-10"));
        assert!(is_accepted("ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04"));
    }

    #[test]
    fn older_policies_are_rejected() {
        assert!(!is_accepted("ELBSecurityPolicy-2016-08"));
        assert!(!is_accepted("ELBSecurityPolicy-TLS13-1-0-2021-06"));
        assert!(!is_accepted("ELBSecurityPolicy-FS-1-1-2019-08"));
        assert!(!is_accepted("# TLS 1.2 only"));
    }
}
