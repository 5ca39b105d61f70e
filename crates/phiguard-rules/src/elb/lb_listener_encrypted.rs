//! ELB-001: load balancer listeners accept only encrypted connections, or
//! redirect HTTP to HTTPS.

use phiguard_model::services::ListenerAction;
use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct LbListenerEncrypted;

static META: RuleMeta = RuleMeta {
    id: "ELB-001",
    name: "lb-listener-encrypted",
    severity: Severity::High,
    citations: &[TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION],
    summary: "Load balancer listeners use HTTPS or TLS, or redirect HTTP to HTTPS",
    docs: RuleDocs {
        what: "Checks the protocol of each Application, Network and Gateway Load Balancer listener. HTTPS \
and TLS listeners pass. An HTTP listener passes only when every default action is a redirect to HTTPS; \
any forward, fixed response, authentication or redirect that keeps HTTP fails it. TCP, UDP and TCP_UDP \
listeners on a Network Load Balancer fail. Gateway Load Balancer (GENEVE) listeners are not applicable, \
because they hand packets to appliances without terminating connections.",
        why: "ePHI sent over plain HTTP, TCP or UDP can be read and changed by anyone on the network path, \
which the transmission security standard requires guarding against. An HTTP listener that redirects to \
HTTPS keeps old links working while every request that carries data goes over TLS.",
        fix: "Serve HTTPS (Application Load Balancer) or TLS (Network Load Balancer) listeners with an ACM \
certificate and a TLS 1.2+ policy. Keep port 80 only as a listener whose default action is a redirect \
with `protocol = \"HTTPS\"` and `status_code = \"HTTP_301\"`.",
        limitations: "Listener rules (`aws_lb_listener_rule`) that forward HTTP requests before the default \
action are not read. A TCP listener that passes TLS through to targets that terminate it themselves fails; \
record an exception for it. Classic Load Balancers are not covered.",
        terraform_fail: include_str!("../../fixtures/ELB-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/ELB-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/ELB-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/ELB-001/pass.yaml"),
    },
};

impl Rule for LbListenerEncrypted {
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
                let location = listener.protocol.location();
                match protocol {
                    "HTTPS" | "TLS" => Check::pass(resource, format!("the listener uses {protocol}"), location),
                    "HTTP" => {
                        let actions = match Check::read(resource, &listener.default_actions, "the listener's default actions") {
                            Ok(value) => value,
                            Err(unknown) => return unknown,
                        };
                        http_check(resource, actions, listener.default_actions.location())
                    }
                    "TCP" | "UDP" | "TCP_UDP" => Check::fail(
                        resource,
                        format!("the listener uses {protocol}, which carries traffic unencrypted unless the targets terminate TLS themselves; use a TLS listener"),
                        location,
                    ),
                    "GENEVE" => Check::not_applicable(
                        resource,
                        "the listener belongs to a Gateway Load Balancer, which passes packets to appliances without terminating connections",
                    ),
                    other => Check::unknown(
                        resource,
                        "cannot tell whether the listener encrypts traffic",
                        format!("the protocol \"{other}\" is not one that phiguard recognizes"),
                        location,
                    ),
                }
            })
            .collect()
    }
}

fn http_check<'m>(resource: &'m phiguard_model::Resource, actions: &[ListenerAction], location: &phiguard_model::Location) -> Check<'m> {
    if actions.is_empty() {
        return Check::fail(resource, "the HTTP listener has no default action that redirects to HTTPS", location);
    }
    let not_https: Vec<String> = actions
        .iter()
        .filter(|action| !matches!(action, ListenerAction::Redirect { protocol: Some(protocol) } if protocol.eq_ignore_ascii_case("HTTPS")))
        .map(describe)
        .collect();
    if not_https.is_empty() {
        Check::pass(resource, "the HTTP listener redirects every request to HTTPS", location)
    } else {
        Check::fail(
            resource,
            format!("the listener accepts plain HTTP and its default actions include {} instead of only a redirect to HTTPS", not_https.join(", ")),
            location,
        )
    }
}

fn describe(action: &ListenerAction) -> String {
    match action {
        ListenerAction::Forward => "a forward".to_owned(),
        ListenerAction::FixedResponse => "a fixed response".to_owned(),
        ListenerAction::Authenticate => "an authentication action".to_owned(),
        ListenerAction::Redirect { protocol: Some(protocol) } => format!("a redirect to protocol {protocol}"),
        ListenerAction::Redirect { protocol: None } => "a redirect that keeps the request's protocol".to_owned(),
        ListenerAction::Other(kind) => format!("a `{kind}` action"),
    }
}
