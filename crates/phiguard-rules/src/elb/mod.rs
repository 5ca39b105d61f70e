//! Rules for Elastic Load Balancing v2 load balancers and their listeners.

mod lb_access_logs;
mod lb_listener_encrypted;
mod lb_listener_tls_policy;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &lb_listener_encrypted::LbListenerEncrypted,
    &lb_listener_tls_policy::LbListenerTlsPolicy,
    &lb_access_logs::LbAccessLogs,
];
