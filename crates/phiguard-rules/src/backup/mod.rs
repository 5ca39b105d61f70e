//! Rules for AWS Backup plans and the resources they cover.

mod backup_coverage;
mod backup_plan_cross_region_copy;
mod selection;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] =
    &[&backup_coverage::BackupCoverage, &backup_plan_cross_region_copy::BackupPlanCrossRegionCopy];
