//! Rules for AWS Config configuration recorders.

mod config_recorder_all_resources;
mod config_recorder_enabled;

use phiguard_model::services::ConfigRecorder;
use phiguard_model::{Model, Resource, ResourceKind};

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] =
    &[&config_recorder_all_resources::ConfigRecorderAllResources, &config_recorder_enabled::ConfigRecorderEnabled];

/// Iterates over the configuration recorders of a model.
fn recorders(model: &Model) -> impl Iterator<Item = (&Resource, &ConfigRecorder)> {
    model.each(|kind| match kind {
        ResourceKind::ConfigRecorder(recorder) => Some(recorder),
        _ => None,
    })
}
