//! Elastic Load Balancing v2 load balancers and listeners: the load
//! balancer's type, scheme and access logs, and each listener's protocol,
//! TLS policy and default actions, linked to its load balancer.

use phiguard_model::services::{LbListener, ListenerAction, LoadBalancer};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::Reader;
use crate::node::{Node, NodeKind};
use crate::raw::{Dialect, RawResource, RawSet};

const TF_LOAD_BALANCERS: &[&str] = &["aws_lb", "aws_alb"];
const CFN_LOAD_BALANCERS: &[&str] = &["AWS::ElasticLoadBalancingV2::LoadBalancer"];

/// The load balancer type when the input leaves it out. The ELBv2 API
/// reference for CreateLoadBalancer gives `application` as the default
/// `Type`, and the Terraform provider uses the same default.
const DEFAULT_TYPE: &str = "application";

/// The redirect protocol when a redirect action leaves it out. The ELBv2
/// API reference for RedirectActionConfig gives `#{protocol}`, which keeps
/// the request's protocol.
const DEFAULT_REDIRECT_PROTOCOL: &str = "#{protocol}";

/// The TLS policy of an HTTPS or TLS listener that does not name one. The
/// "Security policies" pages of the Application and Network Load Balancer
/// guides give `ELBSecurityPolicy-2016-08` for listeners created through the
/// API, the CLI, CloudFormation or the CDK; only the console picks a newer
/// policy. The Terraform provider creates listeners through the API.
pub const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-2016-08";

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    match raw.resource_type.as_str() {
        "aws_lb" | "aws_alb" => Some(ResourceKind::LoadBalancer(terraform_load_balancer(set, raw))),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => Some(ResourceKind::LoadBalancer(cloudformation_load_balancer(set, raw))),
        "aws_lb_listener" | "aws_alb_listener" | "AWS::ElasticLoadBalancingV2::Listener" => Some(ResourceKind::LbListener(listener(set, raw))),
        _ => None,
    }
}

fn terraform_load_balancer(set: &RawSet, raw: &RawResource) -> LoadBalancer {
    let reader = Reader::new(set, raw);
    let access_logs = match reader.node("access_logs") {
        Some(node) if node.unknown_reason().is_some() => {
            Attr::unknown(format!("`access_logs` is {}", node.unknown_reason().unwrap_or_default()), reader.location(node))
        }
        // The provider documents `enabled` as false unless set, even when a
        // bucket is given.
        _ => reader.bool("access_logs.enabled", false),
    };
    LoadBalancer {
        lb_type: lb_type(&reader, "load_balancer_type"),
        // The API's default scheme is internet-facing.
        internal: if Reader::new(set, raw).computed_by_provider("internal") {
            Attr::default_value(false, reader.resource_location())
        } else {
            reader.bool("internal", false)
        },
        access_logs,
    }
}

fn cloudformation_load_balancer(set: &RawSet, raw: &RawResource) -> LoadBalancer {
    let reader = Reader::new(set, raw);
    let internal = reader.string("Scheme").map(|scheme| scheme.as_deref() == Some("internal"));
    LoadBalancer {
        lb_type: lb_type(&reader, "Type"),
        internal,
        access_logs: attribute_flag(&reader, "LoadBalancerAttributes", "access_logs.s3.enabled"),
    }
}

fn lb_type(reader: &Reader<'_>, path: &str) -> Attr<String> {
    reader.string(path).map(|value| value.unwrap_or_else(|| DEFAULT_TYPE.to_owned()))
}

/// Reads a boolean from a CloudFormation `Key`/`Value` attribute list. An
/// absent key is false: the ELBv2 load balancer attributes default every
/// `*.enabled` attribute that phiguard reads to false.
fn attribute_flag(reader: &Reader<'_>, list_key: &str, key: &str) -> Attr<bool> {
    let Some(list) = reader.raw.props.present(list_key) else {
        return Attr::default_value(false, reader.resource_location());
    };
    if let Some(reason) = list.unknown_reason() {
        return Attr::unknown(format!("`{list_key}` is {reason}"), reader.location(list));
    }
    for item in list.as_seq().unwrap_or_default() {
        match item.get("Key") {
            Some(name) if name.as_str() == Some(key) => {}
            Some(name) if name.unknown_reason().is_some() => {
                return Attr::unknown(format!("a key in `{list_key}` is {}", name.unknown_reason().unwrap_or_default()), reader.location(name))
            }
            _ => continue,
        }
        let Some(value) = item.present("Value") else { continue };
        if let Some(reason) = value.unknown_reason() {
            return Attr::unknown(format!("`{key}` is {reason}"), reader.location(value));
        }
        return match value.as_bool() {
            Some(flag) => Attr::explicit(flag, reader.location(value)),
            None => Attr::unknown(format!("`{key}` is {}, expected \"true\" or \"false\"", value.to_json()), reader.location(value)),
        };
    }
    Attr::default_value(false, reader.resource_location())
}

/// Property names of a listener in one dialect.
struct ListenerKeys {
    load_balancer: &'static str,
    protocol: &'static str,
    port: &'static str,
    ssl_policy: &'static str,
    actions: &'static str,
    action_type: &'static str,
    redirect: &'static str,
    redirect_protocol: &'static str,
    load_balancer_types: &'static [&'static str],
}

const TF_LISTENER: ListenerKeys = ListenerKeys {
    load_balancer: "load_balancer_arn",
    protocol: "protocol",
    port: "port",
    ssl_policy: "ssl_policy",
    actions: "default_action",
    action_type: "type",
    redirect: "redirect",
    redirect_protocol: "protocol",
    load_balancer_types: TF_LOAD_BALANCERS,
};

const CFN_LISTENER: ListenerKeys = ListenerKeys {
    load_balancer: "LoadBalancerArn",
    protocol: "Protocol",
    port: "Port",
    ssl_policy: "SslPolicy",
    actions: "DefaultActions",
    action_type: "Type",
    redirect: "RedirectConfig",
    redirect_protocol: "Protocol",
    load_balancer_types: CFN_LOAD_BALANCERS,
};

fn listener(set: &RawSet, raw: &RawResource) -> LbListener {
    let keys = match set.dialect {
        Dialect::Terraform => &TF_LISTENER,
        Dialect::CloudFormation => &CFN_LISTENER,
    };
    let reader = Reader::new(set, raw);
    let load_balancer = set.link_target(raw, keys.load_balancer, keys.load_balancer_types, &["arn", "id"]);
    let protocol_value = if Reader::new(set, raw).computed_by_provider(keys.protocol) {
        Attr::default_value(None, reader.resource_location())
    } else {
        reader.string(keys.protocol)
    };
    let protocol = match protocol_value.get() {
        Ok(Some(protocol)) => Attr::explicit(protocol.to_ascii_uppercase(), protocol_value.location().clone()),
        Ok(None) => default_protocol(set, load_balancer, &reader),
        Err(reason) => Attr::unknown(reason.to_owned(), protocol_value.location().clone()),
    };
    let mut ssl_policy = reader.string(keys.ssl_policy);
    if Reader::new(set, raw).computed_by_provider(keys.ssl_policy) {
        ssl_policy = Attr::default_value(None, reader.resource_location());
    }
    let uses_tls = matches!(protocol.known().map(String::as_str), Some("HTTPS" | "TLS"));
    if ssl_policy.is_default() && uses_tls {
        ssl_policy = Attr::default_value(Some(DEFAULT_SSL_POLICY.to_owned()), ssl_policy.location().clone());
    }
    let port = match reader.node(keys.port) {
        None => Attr::default_value(None, reader.resource_location()),
        Some(_) => reader.i64(keys.port, 0).map(Some),
    };
    LbListener {
        load_balancer: load_balancer.map(|target| target.address.clone()),
        protocol,
        port,
        ssl_policy,
        default_actions: default_actions(&reader, keys),
    }
}

/// Returns the protocol of a listener that does not set one. The Terraform provider
/// and the ELBv2 API default an Application Load Balancer listener to HTTP,
/// and a Gateway Load Balancer listener is always GENEVE. A Network Load
/// Balancer listener must set its protocol, so it stays unknown.
fn default_protocol(set: &RawSet, load_balancer: Option<&RawResource>, reader: &Reader<'_>) -> Attr<String> {
    let location = reader.resource_location();
    let Some(load_balancer) = load_balancer else {
        return Attr::unknown("the protocol is not set and the load balancer is not declared in the input", location);
    };
    let type_key = match set.dialect {
        Dialect::Terraform => "load_balancer_type",
        Dialect::CloudFormation => "Type",
    };
    match lb_type(&Reader::new(set, load_balancer), type_key).get() {
        Ok(kind) if kind == "application" => Attr::default_value("HTTP".to_owned(), location),
        Ok(kind) if kind == "gateway" => Attr::default_value("GENEVE".to_owned(), location),
        Ok(kind) => Attr::unknown(format!("the protocol is not set on a listener of a {kind} load balancer"), location),
        Err(reason) => Attr::unknown(format!("the protocol is not set and the load balancer's type is unknown: {reason}"), location),
    }
}

fn default_actions(reader: &Reader<'_>, keys: &ListenerKeys) -> Attr<Vec<ListenerAction>> {
    let Some(list) = reader.raw.props.present(keys.actions) else {
        return Attr::default_value(Vec::new(), reader.resource_location());
    };
    if let Some(reason) = list.unknown_reason() {
        return Attr::unknown(format!("`{}` is {reason}", keys.actions), reader.location(list));
    }
    let items: Vec<&Node> = match &list.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        NodeKind::Map(_) => vec![list],
        _ => Vec::new(),
    };
    let mut actions = Vec::new();
    for item in items {
        let Some(kind) = item.present(keys.action_type) else {
            return Attr::unknown(format!("a default action has no `{}`", keys.action_type), reader.location(item));
        };
        if let Some(reason) = kind.unknown_reason() {
            return Attr::unknown(format!("the type of a default action is {reason}"), reader.location(kind));
        }
        let Some(kind) = kind.as_str() else {
            return Attr::unknown(format!("the type of a default action is a {}", kind.type_name()), reader.location(kind));
        };
        let action = match kind.to_ascii_lowercase().as_str() {
            "forward" => ListenerAction::Forward,
            "fixed-response" => ListenerAction::FixedResponse,
            "authenticate-oidc" | "authenticate-cognito" => ListenerAction::Authenticate,
            "redirect" => match redirect_protocol(item, keys) {
                Ok(protocol) => ListenerAction::Redirect { protocol: Some(protocol) },
                Err(reason) => return Attr::unknown(reason, reader.location(item)),
            },
            other => ListenerAction::Other(other.to_owned()),
        };
        actions.push(action);
    }
    Attr::explicit(actions, reader.location(list))
}

fn redirect_protocol(action: &Node, keys: &ListenerKeys) -> Result<String, String> {
    let protocol = action.block(keys.redirect).and_then(|redirect| redirect.present(keys.redirect_protocol));
    match protocol {
        None => Ok(DEFAULT_REDIRECT_PROTOCOL.to_owned()),
        Some(node) => match (&node.kind, node.as_str()) {
            (NodeKind::Unknown(reason), _) => Err(format!("the redirect protocol is {reason}")),
            (_, Some(text)) => Ok(text.to_owned()),
            _ => Err(format!("the redirect protocol is a {}, expected a string", node.type_name())),
        },
    }
}
