//! CT-004: CloudTrail trails deliver events to CloudWatch Logs.

use phiguard_model::{Model, Severity};

use crate::citations::{ACTIVITY_REVIEW, LOGIN_MONITORING};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct CloudtrailCloudwatchLogs;

static META: RuleMeta = RuleMeta {
    id: "CT-004",
    name: "cloudtrail-cloudwatch-logs",
    severity: Severity::Low,
    citations: &[ACTIVITY_REVIEW, LOGIN_MONITORING],
    summary: "CloudTrail trail sends events to a CloudWatch Logs log group",
    docs: RuleDocs {
        what: "Checks that the trail names a CloudWatch Logs log group (`cloud_watch_logs_group_arn` \
in Terraform, `CloudWatchLogsLogGroupArn` in CloudFormation). Without one, events reach only the \
S3 bucket.",
        why: "Log files in S3 arrive in batches and nobody reads them unprompted. Delivered to CloudWatch \
Logs, the same events can drive metric filters and alarms for root logins, failed console sign-ins, \
policy changes and disabled logging, which is how activity review and log-in monitoring happen \
in practice rather than after an incident.",
        fix: "Create a log group (encrypted, with a retention of at least six years), a role that \
CloudTrail can assume to write to it, and set `cloud_watch_logs_group_arn` with \
`cloud_watch_logs_role_arn` (or `CloudWatchLogsLogGroupArn` with `CloudWatchLogsRoleArn`). Then add \
metric filters and alarms.",
        limitations: "The rule checks only that a log group is named. It does not check the role, \
nor that any metric filter or alarm reads the log group.",
        terraform_fail: include_str!("../../fixtures/CT-004/fail.tf"),
        terraform_pass: include_str!("../../fixtures/CT-004/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/CT-004/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/CT-004/pass.yaml"),
    },
};

impl Rule for CloudtrailCloudwatchLogs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::trails(model)
            .map(|(resource, trail)| {
                let delivered = match Check::read(resource, &trail.cloudwatch_logs, "whether the trail sends events to CloudWatch Logs") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = trail.cloudwatch_logs.location();
                if delivered {
                    Check::pass(resource, "the trail sends events to a CloudWatch Logs log group", location)
                } else {
                    Check::fail(resource, "the trail names no CloudWatch Logs log group, so events reach only S3", location)
                }
            })
            .collect()
    }
}
