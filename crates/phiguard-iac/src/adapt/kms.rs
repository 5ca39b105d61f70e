//! Adapter for kms resources.

use phiguard_model::ResourceKind;

use crate::raw::{RawResource, RawSet};

pub fn adapt(_set: &RawSet, _raw: &RawResource) -> Option<ResourceKind> {
    None
}
