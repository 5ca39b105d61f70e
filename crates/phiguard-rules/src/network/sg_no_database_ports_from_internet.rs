//! SG-002: security groups do not open database and cache ports to the
//! internet.

use phiguard_model::{Model, Severity};

use crate::citations::{ACCESS_CONTROL, TRANSMISSION_SECURITY};
use crate::network::{check_groups, describe_range, opens_tcp_port};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct SgNoDatabasePortsFromInternet;

/// The default TCP ports of common databases, caches and search engines.
const DATABASE_PORTS: &[(i64, &str)] = &[
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

fn covers(protocol: &str, from: i64, to: i64) -> Option<String> {
    let open: Vec<String> = DATABASE_PORTS
        .iter()
        .filter(|(port, _)| opens_tcp_port(protocol, from, to, *port))
        .map(|(port, service)| format!("{service} ({port})"))
        .collect();
    if open.is_empty() {
        None
    } else {
        Some(format!("{} through {}", open.join(", "), describe_range(protocol, from, to)))
    }
}

static META: RuleMeta = RuleMeta {
    id: "SG-002",
    name: "sg-no-database-ports-from-internet",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, TRANSMISSION_SECURITY],
    summary: "Security groups do not open database ports to the internet",
    docs: RuleDocs {
        what: "Checks every ingress rule of each security group for the default ports of SQL Server (1433), \
Oracle (1521), MySQL (3306), PostgreSQL (5432), Redis (6379), Elasticsearch (9200), Memcached (11211) and \
MongoDB (27017) open to 0.0.0.0/0 or ::/0 over TCP. A rule for all protocols, or a port range that contains \
one of the ports, counts.",
        why: "Databases and caches are where ePHI is stored in bulk. Exposed database ports are found by \
internet-wide scans, and a weak password, a default account or an unpatched server then gives away every \
record at once. Redis, Memcached and Elasticsearch often run without any authentication.",
        fix: "Allow database ports only from the application's security group (`source_security_group_id` or \
`SourceSecurityGroupId`) or from private CIDR blocks, and keep databases in private subnets.",
        limitations: "Only the listed default ports are checked; a database on another port is not \
recognized. Only the exact CIDR blocks 0.0.0.0/0 and ::/0 count as the internet. Prefix lists and \
referenced security groups are not followed.",
        terraform_fail: include_str!("../../fixtures/SG-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/SG-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/SG-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/SG-002/pass.yaml"),
    },
};

impl Rule for SgNoDatabasePortsFromInternet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        check_groups(model, "database ports", &covers)
    }
}
