//! The read-only guard: an SDK interceptor that the account scan attaches to
//! every client it builds. It rejects any operation whose name does not start
//! with `Get`, `List`, `Describe` or `Head` before the request is serialized,
//! so nothing is sent, and it records every operation a client attempted.
//!
//! The SDK's own credential providers build their clients apart from these,
//! so calls that obtain credentials (STS AssumeRole for a profile's
//! `role_arn`, SSO GetRoleCredentials) are outside the guard.

use std::sync::{Arc, Mutex, PoisonError};

use aws_sdk_sts::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_sts::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::Metadata;

/// Operation name prefixes that AWS uses for calls that only read.
pub const READ_ONLY_PREFIXES: [&str; 4] = ["Get", "List", "Describe", "Head"];

/// One operation that a guarded client attempted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The SDK's service name, such as `STS` or `Organizations`.
    pub service: String,
    /// The operation name, such as `GetCallerIdentity`.
    pub name: String,
    /// False when the guard rejected the operation.
    pub allowed: bool,
}

/// The interceptor and its log of attempted operations. Clones share the log.
#[derive(Clone, Debug, Default)]
pub struct ReadOnlyGuard {
    operations: Arc<Mutex<Vec<Operation>>>,
}

impl ReadOnlyGuard {
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the operations attempted so far, in order.
    pub fn operations(&self) -> Vec<Operation> {
        self.operations.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn record(&self, operation: Operation) {
        self.operations.lock().unwrap_or_else(PoisonError::into_inner).push(operation);
    }
}

/// Returns whether an operation name starts with one of [`READ_ONLY_PREFIXES`]
/// followed by an upper-case letter, so that `Getaway` or `Lists` would not pass.
pub fn is_read_only(operation: &str) -> bool {
    READ_ONLY_PREFIXES.iter().any(|prefix| {
        operation
            .strip_prefix(prefix)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|next| next.is_ascii_uppercase())
    })
}

impl Intercept for ReadOnlyGuard {
    fn name(&self) -> &'static str {
        "PhiguardReadOnlyGuard"
    }

    // The hook runs after the operation's configuration (and its metadata)
    // is in the config bag and before the request is serialized, so a
    // rejected request is never sent. Client-level `read_before_execution`
    // hooks run before the operation metadata is stored.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(metadata) = cfg.load::<Metadata>() else {
            // Every generated operation stores its metadata, so a request
            // without it is not one the guard can vouch for.
            self.record(Operation { service: String::new(), name: String::new(), allowed: false });
            return Err("phiguard's read-only guard rejected a request without an operation name".into());
        };
        let (service, name) = (metadata.service().to_string(), metadata.name().to_string());
        let allowed = is_read_only(&name);
        self.record(Operation { service: service.clone(), name: name.clone(), allowed });
        if allowed {
            Ok(())
        } else {
            Err(format!(
                "phiguard's read-only guard rejected {service} {name}: a live scan makes only Get, List, Describe and \
                 Head calls"
            )
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_prefixes_pass() {
        for name in ["GetResources", "ListParents", "DescribePolicy", "HeadBucket", "GetCallerIdentity"] {
            assert!(is_read_only(name), "{name}");
        }
    }

    #[test]
    fn write_and_lookalike_names_fail() {
        for name in ["CreateBucket", "PutObject", "TagResources", "AttachPolicy", "Getaway", "Lists", "Get", ""] {
            assert!(!is_read_only(name), "{name}");
        }
    }
}
