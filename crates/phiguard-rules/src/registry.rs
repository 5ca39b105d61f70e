//! The ordered registry of every rule. Ids are unique and never reused; the
//! tests below check that, and that every rule is documented.

use crate::Rule;

/// Every rule, grouped by service, in id order within a service.
pub fn registry() -> Vec<&'static dyn Rule> {
    let mut rules: Vec<&'static dyn Rule> = Vec::new();
    rules.extend_from_slice(crate::s3::RULES);
    rules.extend_from_slice(crate::rds::RULES);
    rules.extend_from_slice(crate::dynamodb::RULES);
    rules.extend_from_slice(crate::ebs::RULES);
    rules.extend_from_slice(crate::ec2::RULES);
    rules.extend_from_slice(crate::efs::RULES);
    rules.extend_from_slice(crate::elasticache::RULES);
    rules.extend_from_slice(crate::elb::RULES);
    rules.extend_from_slice(crate::network::RULES);
    rules.extend_from_slice(crate::cloudtrail::RULES);
    rules.extend_from_slice(crate::config::RULES);
    rules.extend_from_slice(crate::guardduty::RULES);
    rules.extend_from_slice(crate::logs::RULES);
    rules.extend_from_slice(crate::kms::RULES);
    rules.extend_from_slice(crate::sns::RULES);
    rules.extend_from_slice(crate::sqs::RULES);
    rules.extend_from_slice(crate::backup::RULES);
    rules.extend_from_slice(crate::iam::RULES);
    rules.extend_from_slice(crate::account::RULES);
    rules.extend_from_slice(crate::eligibility::RULES);
    rules.extend_from_slice(crate::organizations::RULES);
    rules
}

/// Finds a rule by id (`S3-001`) or name (`s3-bucket-customer-managed-key`),
/// ignoring case.
pub fn find(id_or_name: &str) -> Option<&'static dyn Rule> {
    registry().into_iter().find(|rule| {
        rule.meta().id.eq_ignore_ascii_case(id_or_name) || rule.meta().name.eq_ignore_ascii_case(id_or_name)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_and_names_are_unique() {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for rule in registry() {
            assert!(ids.insert(rule.meta().id), "duplicate rule id {}", rule.meta().id);
            assert!(names.insert(rule.meta().name), "duplicate rule name {}", rule.meta().name);
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in registry() {
            let meta = rule.meta();
            assert!(!meta.citations.is_empty(), "{} has no citation", meta.id);
            assert!(!meta.summary.is_empty(), "{} has no summary", meta.id);
            for (section, text) in [
                ("what", meta.docs.what),
                ("why", meta.docs.why),
                ("fix", meta.docs.fix),
                ("limitations", meta.docs.limitations),
            ] {
                assert!(!text.trim().is_empty(), "{} has an empty `{section}` section", meta.id);
            }
            assert!(
                rule.live_only() || !meta.docs.terraform_fail.is_empty() || !meta.docs.cloudformation_fail.is_empty(),
                "{} has no non-compliant example",
                meta.id
            );
        }
    }

    #[test]
    fn names_are_kebab_case() {
        for rule in registry() {
            let name = rule.meta().name;
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
        }
    }

    #[test]
    fn citations_come_from_the_catalog() {
        for rule in registry() {
            for citation in rule.meta().citations {
                assert!(
                    crate::citations::ALL.contains(citation),
                    "{} cites {} outside the citation catalog",
                    rule.meta().id,
                    citation.section
                );
            }
        }
    }
}
