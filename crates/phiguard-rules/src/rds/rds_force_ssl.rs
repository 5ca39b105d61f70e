//! RDS-003: RDS instances and clusters reject connections without TLS.

use phiguard_model::services::ParameterGroup;
use phiguard_model::{Location, Model, Resource, Severity};

use crate::citations::{TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY};
use crate::rds::{databases, on_cluster, Database};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct RdsForceSsl;

static META: RuleMeta = RuleMeta {
    id: "RDS-003",
    name: "rds-force-ssl",
    severity: Severity::High,
    citations: &[TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION],
    summary: "RDS instances and clusters reject client connections that do not use TLS",
    docs: RuleDocs {
        what: "Checks the parameter group linked to each RDS DB instance and DB cluster for the parameter \
that makes the engine reject unencrypted connections: `rds.force_ssl = 1` for PostgreSQL, Aurora PostgreSQL \
and SQL Server, and `require_secure_transport` set to `1` or `ON` for MySQL, MariaDB and Aurora MySQL. \
Aurora and Multi-AZ DB clusters set it in the cluster parameter group, so an instance of a cluster is not \
applicable. A group is linked by `parameter_group_name` or `db_cluster_parameter_group_name` (CloudFormation: \
`DBParameterGroupName` or `DBClusterParameterGroupName`), by reference or by name. When no group is linked, \
or the group leaves the parameter unset, the engine default applies: AWS documents that RDS for PostgreSQL \
15 and later defaults `rds.force_ssl` to 1, so those versions pass; every other engine defaults to allowing \
unencrypted connections and fails.",
        why: "RDS accepts TLS connections on every engine, but unless the server requires TLS a client \
decides: a driver with TLS off, or one that falls back to plain text as libpq's default `sslmode=prefer` \
does, sends queries, results and credentials unencrypted across the network. \
Requiring TLS at the server is the only setting that guarantees ePHI in transit to the database is encrypted.",
        fix: "Create a parameter group (Aurora: a cluster parameter group) for the engine family, set \
`rds.force_ssl` to `1`, or `require_secure_transport` to `1` or `ON` as the engine version allows, and link it \
to the instance or cluster. A group newly associated with an existing instance takes effect after the next \
reboot. Clients must then connect with TLS, ideally verifying the server certificate \
(`sslmode=verify-full`).",
        limitations: "A group named by the input but not declared in it (an existing group, or one from \
another stack or module) cannot be read, and the rule reports unknown with its name. With the engine's \
default group, a PostgreSQL instance or cluster without an engine version is unknown, because RDS then picks \
a version and the default depends on it. Oracle (the SSL option of an option group) and Db2 (the `db2comm` \
parameter) are reported as unknown. The rule does not check the client side or the minimum TLS version.",
        terraform_fail: include_str!("../../fixtures/RDS-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/RDS-003/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/RDS-003/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/RDS-003/pass.yaml"),
    },
};

/// The parameter that makes an engine reject unencrypted connections.
struct TlsParameter {
    name: &'static str,
    /// Values that turn it on, compared ignoring case.
    on: &'static [&'static str],
    /// The value the engine default leaves it at, for messages.
    default_off: &'static str,
}

const FORCE_SSL: TlsParameter = TlsParameter { name: "rds.force_ssl", on: &["1"], default_off: "0" };
const REQUIRE_SECURE_TRANSPORT: TlsParameter =
    TlsParameter { name: "require_secure_transport", on: &["1", "on"], default_off: "OFF" };

/// The first RDS for PostgreSQL major version whose default `rds.force_ssl`
/// is 1, as the RDS User Guide ("Requiring an SSL connection to a
/// PostgreSQL DB instance") documents.
const POSTGRES_FORCE_SSL_DEFAULT_VERSION: u32 = 15;

fn tls_parameter(engine: &str) -> Option<&'static TlsParameter> {
    match engine {
        "postgres" | "aurora-postgresql" => Some(&FORCE_SSL),
        _ if engine.starts_with("sqlserver") => Some(&FORCE_SSL),
        // `aurora` is the engine name of Aurora MySQL version 1.
        "mysql" | "mariadb" | "aurora-mysql" | "aurora" => Some(&REQUIRE_SECURE_TRANSPORT),
        _ => None,
    }
}

impl Rule for RdsForceSsl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        databases(model)
            .map(|(resource, database)| match database.cluster() {
                Some(cluster) => on_cluster(model, resource, cluster, "TLS requirement in the cluster parameter group"),
                None => check_database(resource, database),
            })
            .collect()
    }
}

fn check_database<'m>(resource: &'m Resource, database: Database<'m>) -> Check<'m> {
    let noun = database.noun();
    let engine_attr = database.engine();
    let engine = match Check::read(resource, engine_attr, "which engine the database runs") {
        Ok(Some(engine)) => engine.as_str(),
        Ok(None) => {
            return Check::unknown(
                resource,
                format!("cannot tell whether the {noun} requires TLS"),
                "the engine is not set, and the parameter that requires TLS depends on it",
                engine_attr.location(),
            )
        }
        Err(unknown) => return unknown,
    };
    let Some(parameter) = tls_parameter(engine) else {
        return Check::unknown(
            resource,
            format!("cannot tell whether the {noun} requires TLS"),
            format!(
                "the rule does not know how the {engine} engine requires TLS; it reads rds.force_ssl and \
                 require_secure_transport only"
            ),
            engine_attr.location(),
        );
    };

    let group_attr = database.parameter_group();
    let group = match Check::read(resource, group_attr, &format!("whether the {noun} requires TLS")) {
        Ok(group) => group,
        Err(unknown) => return unknown,
    };
    let location = group_attr.location();
    let Some(group) = group else {
        return engine_default(resource, database, engine, parameter, DefaultSource::DefaultGroup, location);
    };
    match lookup(group, parameter.name) {
        Some(value) if parameter.on.iter().any(|on| value.eq_ignore_ascii_case(on)) => Check::pass(
            resource,
            format!("the parameter group {} sets {} = {value}, so the {noun} rejects connections without TLS", group.name, parameter.name),
            location,
        ),
        Some(value) => Check::fail(
            resource,
            format!(
                "the parameter group {} sets {} = {value}, so the {noun} accepts connections without TLS",
                group.name, parameter.name
            ),
            location,
        ),
        None => engine_default(resource, database, engine, parameter, DefaultSource::UnsetIn(&group.name), location),
    }
}

/// The reason the engine's default value of the TLS parameter applies.
#[derive(Clone, Copy)]
enum DefaultSource<'a> {
    /// No parameter group is linked, or the engine's default group is named.
    DefaultGroup,
    /// The linked group, named here, leaves the parameter unset.
    UnsetIn(&'a str),
}

/// Decides from the engine's default value of the parameter.
fn engine_default<'m>(
    resource: &'m Resource,
    database: Database<'m>,
    engine: &str,
    parameter: &TlsParameter,
    source: DefaultSource<'_>,
    location: &Location,
) -> Check<'m> {
    let noun = database.noun();
    let name = parameter.name;
    // `subject` names the parameter after `context` without repeating it.
    let (context, subject) = match source {
        DefaultSource::DefaultGroup => (format!("the {noun} uses the engine's default parameter group"), name),
        DefaultSource::UnsetIn(group) => (format!("the parameter group {group} does not set {name}"), "it"),
    };
    if engine != "postgres" {
        return Check::fail(
            resource,
            format!("{context}, and {subject} defaults to {}, so the {noun} accepts connections without TLS", parameter.default_off),
            location,
        );
    }
    let cannot_tell = format!("cannot tell whether the {noun} requires TLS");
    let version_attr = database.engine_version();
    let version = match version_attr.get() {
        Ok(Some(version)) => version,
        Ok(None) => {
            return Check::unknown(
                resource,
                cannot_tell,
                format!(
                    "{context} and no engine version is set, so RDS picks one; {name} defaults to 1 only from \
                     PostgreSQL {POSTGRES_FORCE_SSL_DEFAULT_VERSION}"
                ),
                version_attr.location(),
            )
        }
        Err(reason) => {
            return Check::unknown(
                resource,
                cannot_tell,
                format!("{context} and the engine version, which decides its default, is unknown: {reason}"),
                version_attr.location(),
            )
        }
    };
    match major_version(version) {
        Some(major) if major >= POSTGRES_FORCE_SSL_DEFAULT_VERSION => Check::pass(
            resource,
            format!("{context}, and on PostgreSQL {major} {subject} defaults to 1, so the {noun} rejects connections without TLS"),
            location,
        ),
        Some(major) => Check::fail(
            resource,
            format!(
                "{context}, and on PostgreSQL {major} {subject} defaults to 0 (1 only from version \
                 {POSTGRES_FORCE_SSL_DEFAULT_VERSION}), so the {noun} accepts connections without TLS"
            ),
            location,
        ),
        None => Check::unknown(
            resource,
            cannot_tell,
            format!("{context} and the engine version {version} has no major version number, which decides its default"),
            version_attr.location(),
        ),
    }
}

/// Looks a parameter up by name, ignoring case as RDS does.
fn lookup<'g>(group: &'g ParameterGroup, name: &str) -> Option<&'g str> {
    group.parameters.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.trim())
}

/// Returns the major version of an engine version such as `15.4` or `9.6.22`.
fn major_version(version: &str) -> Option<u32> {
    version.split('.').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_version_of_engine_versions() {
        assert_eq!(major_version("15.4"), Some(15));
        assert_eq!(major_version("9.6.22"), Some(9));
        assert_eq!(major_version("16"), Some(16));
        assert_eq!(major_version("latest"), None);
    }

    #[test]
    fn tls_parameter_by_engine() {
        assert_eq!(tls_parameter("postgres").map(|p| p.name), Some("rds.force_ssl"));
        assert_eq!(tls_parameter("sqlserver-se").map(|p| p.name), Some("rds.force_ssl"));
        assert_eq!(tls_parameter("aurora-mysql").map(|p| p.name), Some("require_secure_transport"));
        assert!(tls_parameter("oracle-ee").is_none());
    }
}
