//! Service adapters: turn raw resources into the typed model.
//!
//! One module per service. Each exposes `adapt(set, raw) -> Option<ResourceKind>`
//! and returns `None` for types it does not handle; [`adapt`] asks each in
//! turn, and a resource that no module types becomes `ResourceKind::Other`.
//! An adapter links resources that the input keeps apart (a bucket's
//! encryption resource to its bucket) and fills in documented defaults.

pub mod policy;
pub mod read;
mod s3;

use phiguard_model::{Resource, ResourceKind};

use crate::raw::{RawResource, RawSet};
pub use read::Reader;

type AdaptFn = fn(&RawSet, &RawResource) -> Option<ResourceKind>;

/// The service adapters, in the order they are asked.
const ADAPTERS: &[AdaptFn] = &[s3::adapt];

/// Builds the model resources of one raw set, in input order.
pub fn adapt(set: &RawSet) -> Vec<Resource> {
    set.resources
        .iter()
        .map(|raw| {
            let kind = ADAPTERS.iter().find_map(|adapter| adapter(set, raw)).unwrap_or(ResourceKind::Other);
            let mut resource = Resource::new(raw.address.clone(), raw.resource_type.clone(), raw.location.clone(), kind);
            resource.tags = Reader::new(set, raw).tags();
            resource
        })
        .collect()
}
