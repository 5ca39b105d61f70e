//! VPCs, security groups, load balancers and listeners.

use crate::attr::Attr;

#[derive(Clone, Debug)]
pub struct Vpc {
    /// Addresses of the flow logs that capture this VPC's traffic.
    pub flow_logs: Vec<String>,
    /// Addresses of flow logs whose target the input does not determine (an
    /// id known only after apply with no reference, or an unresolved
    /// parameter). Any of them may capture this VPC.
    pub unresolved_flow_logs: Vec<String>,
}

/// One ingress rule of a security group.
#[derive(Clone, Debug)]
pub struct IngressRule {
    /// `tcp`, `udp`, `icmp` or `-1` for all protocols.
    pub protocol: Attr<String>,
    pub from_port: Attr<i64>,
    pub to_port: Attr<i64>,
    /// IPv4 and IPv6 CIDR blocks the rule opens to.
    pub cidr_blocks: Attr<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct SecurityGroup {
    pub ingress: Vec<IngressRule>,
    /// For a standalone ingress rule resource whose group is not declared in
    /// the input, the group id as the input gives it. The rule is then
    /// modeled as a group of one rule, so that it is still checked. `None`
    /// for a declared group.
    pub standalone_rule_for: Option<String>,
}

#[derive(Clone, Debug)]
pub struct LoadBalancer {
    /// `application`, `network` or `gateway`.
    pub lb_type: Attr<String>,
    pub internal: Attr<bool>,
    pub access_logs: Attr<bool>,
}

/// The default action of a listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenerAction {
    Forward,
    /// A redirect, with the protocol it redirects to (`HTTPS`, or `#{protocol}`
    /// which keeps the request's protocol).
    Redirect { protocol: Option<String> },
    FixedResponse,
    Authenticate,
    Other(String),
}

#[derive(Clone, Debug)]
pub struct LbListener {
    /// The load balancer's address, when linked.
    pub load_balancer: Option<String>,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP` or `GENEVE`.
    pub protocol: Attr<String>,
    pub port: Attr<Option<i64>>,
    pub ssl_policy: Attr<Option<String>>,
    pub default_actions: Attr<Vec<ListenerAction>>,
}
