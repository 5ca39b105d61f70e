//! CT-005: CloudTrail trails record S3 object-level data events.

use phiguard_model::{Model, Severity};

use crate::citations::{ACTIVITY_REVIEW, AUDIT_CONTROLS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct CloudtrailS3DataEvents;

static META: RuleMeta = RuleMeta {
    id: "CT-005",
    name: "cloudtrail-s3-data-events",
    severity: Severity::Medium,
    citations: &[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    summary: "CloudTrail trail records S3 object-level data events",
    docs: RuleDocs {
        what: "Checks that an event selector of the trail selects data resources of type \
`AWS::S3::Object`: a basic selector (`event_selector` with `data_resource`, or `EventSelectors` with \
`DataResources`) or an advanced selector with a `resources.type` field selector equal to \
`AWS::S3::Object`. A trail without selectors records management events only.",
        why: "Management events show who changed a bucket, not who read or wrote the objects in it. \
When ePHI is stored in S3, only data events record each `GetObject` and `PutObject` with the caller, \
which is the record needed to tell who accessed a patient's files and to scope a breach.",
        fix: "Add an event selector with a data resource of type `AWS::S3::Object` and the ARNs of the \
buckets that hold ePHI (or `arn:aws:s3` for every bucket), or an advanced event selector with \
`eventCategory` equal to `Data` and `resources.type` equal to `AWS::S3::Object`.",
        limitations: "The rule does not check which buckets the selector covers, whether it records \
reads as well as writes (`read_write_type`), or other field selectors of an advanced selector that \
narrow it. Data events for other services are not checked.",
        terraform_fail: include_str!("../../fixtures/CT-005/fail.tf"),
        terraform_pass: include_str!("../../fixtures/CT-005/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/CT-005/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/CT-005/pass.yaml"),
    },
};

impl Rule for CloudtrailS3DataEvents {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::trails(model)
            .map(|(resource, trail)| {
                let logged = match Check::read(resource, &trail.s3_data_events, "whether the trail records S3 data events") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = trail.s3_data_events.location();
                if logged {
                    Check::pass(resource, "an event selector records S3 object-level data events", location)
                } else if trail.s3_data_events.is_default() {
                    Check::fail(resource, "the trail has no event selectors, so it records management events only and no S3 object access", location)
                } else {
                    Check::fail(resource, "no event selector of the trail selects AWS::S3::Object data events", location)
                }
            })
            .collect()
    }
}
