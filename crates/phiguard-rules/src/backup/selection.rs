//! Whether a backup selection selects a resource: by linked reference, by
//! ARN pattern, by tag, narrowed by tag conditions and excluded resources.
//! Each test has three outcomes, because an input may leave a selection's
//! values unknown.

use phiguard_model::services::{BackupSelection, ConditionOperator};
use phiguard_model::Resource;

/// The outcome of a selection test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Selected {
    Yes,
    No,
    /// The input does not determine it; the string gives the reason.
    Unknown(String),
}

impl Selected {
    fn or(self, other: Selected) -> Selected {
        match (self, other) {
            (Selected::Yes, _) | (_, Selected::Yes) => Selected::Yes,
            (Selected::Unknown(reason), _) | (_, Selected::Unknown(reason)) => Selected::Unknown(reason),
            _ => Selected::No,
        }
    }

    fn and(self, other: Selected) -> Selected {
        match (self, other) {
            (Selected::No, _) | (_, Selected::No) => Selected::No,
            (Selected::Unknown(reason), _) | (_, Selected::Unknown(reason)) => Selected::Unknown(reason),
            _ => Selected::Yes,
        }
    }

    fn not(self) -> Selected {
        match self {
            Selected::Yes => Selected::No,
            Selected::No => Selected::Yes,
            unknown => unknown,
        }
    }

    fn from_bool(value: bool) -> Selected {
        if value {
            Selected::Yes
        } else {
            Selected::No
        }
    }
}

/// The ARN shape of a resource type that backups cover: the service and
/// the start of the resource part, such as `rds` and `db:`.
#[derive(Clone, Copy, Debug)]
pub(super) struct ArnShape {
    pub service: &'static str,
    pub resource_prefix: &'static str,
}

/// Tests whether `selection` selects `resource`: (a listed resource or a
/// matching `selection_tag`) and every condition and not an excluded
/// resource.
pub(super) fn selects(selection: &BackupSelection, resource: &Resource, shape: ArnShape) -> Selected {
    let listed = match selection.resources.get() {
        Ok(entries) => entries.iter().fold(Selected::No, |found, entry| found.or(entry_matches(entry, resource, shape))),
        Err(reason) => Selected::Unknown(format!("the selected resources are unknown: {reason}")),
    };
    let tagged = match selection.tag_conditions.get() {
        Ok(tags) => Selected::from_bool(tags.iter().any(|tag| resource.tags.get(&tag.key) == Some(&tag.value))),
        Err(reason) => Selected::Unknown(format!("the selection tags are unknown: {reason}")),
    };
    let conditions = match selection.conditions.get() {
        Ok(conditions) => Selected::from_bool(conditions.iter().all(|condition| {
            let value = resource.tags.get(&condition.key).map(String::as_str);
            match condition.operator {
                ConditionOperator::StringEquals => value == Some(condition.value.as_str()),
                ConditionOperator::StringNotEquals => value != Some(condition.value.as_str()),
                ConditionOperator::StringLike => value.is_some_and(|value| glob_matches(&condition.value, value)),
                ConditionOperator::StringNotLike => !value.is_some_and(|value| glob_matches(&condition.value, value)),
            }
        })),
        Err(reason) => Selected::Unknown(format!("the selection conditions are unknown: {reason}")),
    };
    let excluded = match selection.not_resources.get() {
        Ok(entries) => entries.iter().fold(Selected::No, |found, entry| found.or(entry_matches(entry, resource, shape))),
        Err(reason) => Selected::Unknown(format!("the excluded resources are unknown: {reason}")),
    };
    listed.or(tagged).and(conditions).and(excluded.not())
}

/// Tests one entry of a selection's resource list: `*`, an ARN or ARN
/// pattern, or the address of a linked resource.
fn entry_matches(entry: &str, resource: &Resource, shape: ArnShape) -> Selected {
    if entry == "*" {
        return Selected::Yes;
    }
    if !entry.starts_with("arn:") {
        return Selected::from_bool(entry == resource.address);
    }
    arn_pattern_covers(entry, shape, &resource.address)
}

/// Tests whether an ARN pattern covers a resource of the given shape whose
/// name the model does not record. The partition, region and account
/// are not compared, because the input does not give them for the
/// resource. A pattern that names one resource may or may not be this one.
fn arn_pattern_covers(pattern: &str, shape: ArnShape, address: &str) -> Selected {
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    let [_, _, service, _, _, resource_part] = parts.as_slice() else {
        return Selected::No;
    };
    if !glob_matches(service, shape.service) {
        return Selected::No;
    }
    let pattern: Vec<char> = resource_part.chars().collect();
    let states = consume(&pattern, closure(&pattern, vec![0]), shape.resource_prefix);
    if states.iter().any(|&state| state < pattern.len() && pattern[state..].iter().all(|&c| c == '*')) {
        return Selected::Yes;
    }
    if states.iter().any(|&state| state < pattern.len()) {
        return Selected::Unknown(format!(
            "the ARN pattern {pattern_text} names specific resources, and the input does not give the name of {address}",
            pattern_text = parts.join(":")
        ));
    }
    Selected::No
}

/// Matches a whole text against a pattern in which `*` stands for any text.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    consume(&pattern, closure(&pattern, vec![0]), text).contains(&pattern.len())
}

/// Returns the pattern positions reachable after consuming `text`.
fn consume(pattern: &[char], mut states: Vec<usize>, text: &str) -> Vec<usize> {
    for c in text.chars() {
        let mut next = Vec::new();
        for &state in &states {
            match pattern.get(state) {
                Some('*') => next.push(state),
                Some(&literal) if literal == c => next.push(state + 1),
                _ => {}
            }
        }
        states = closure(pattern, next);
    }
    states
}

/// Adds the positions after each `*`, which can match empty text.
fn closure(pattern: &[char], mut states: Vec<usize>) -> Vec<usize> {
    let mut index = 0;
    while index < states.len() {
        let state = states[index];
        if pattern.get(state) == Some(&'*') && !states.contains(&(state + 1)) {
            states.push(state + 1);
        }
        index += 1;
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;

    const RDS_DB: ArnShape = ArnShape { service: "rds", resource_prefix: "db:" };

    #[test]
    fn wildcard_pattern_covers_type() {
        assert_eq!(arn_pattern_covers("arn:aws:rds:*:*:db:*", RDS_DB, "db"), Selected::Yes);
        assert_eq!(arn_pattern_covers("arn:aws:rds:us-east-1:111122223333:db:*", RDS_DB, "db"), Selected::Yes);
        assert_eq!(arn_pattern_covers("arn:aws:*:*:*:*", RDS_DB, "db"), Selected::Yes);
    }

    #[test]
    fn other_type_pattern_does_not_cover() {
        assert_eq!(arn_pattern_covers("arn:aws:rds:*:*:cluster:*", RDS_DB, "db"), Selected::No);
        assert_eq!(arn_pattern_covers("arn:aws:dynamodb:*:*:table/*", RDS_DB, "db"), Selected::No);
    }

    #[test]
    fn named_resource_pattern_is_unknown() {
        assert!(matches!(arn_pattern_covers("arn:aws:rds:*:*:db:patients", RDS_DB, "db"), Selected::Unknown(_)));
        assert!(matches!(arn_pattern_covers("arn:aws:rds:*:*:db:prod-*", RDS_DB, "db"), Selected::Unknown(_)));
    }

    #[test]
    fn glob_matches_whole_text() {
        assert!(glob_matches("prod-*", "prod-db"));
        assert!(glob_matches("*", ""));
        assert!(!glob_matches("prod-*", "dev-db"));
        assert!(!glob_matches("rds", "rdsx"));
    }
}
