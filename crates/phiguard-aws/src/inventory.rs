//! The resource inventory of a live account: every resource that the
//! Resource Groups Tagging API returns in each scanned region (GetResources),
//! and every S3 bucket (ListBuckets), with their tags.
//!
//! The tagging API returns only resources that have or once had tags, so an
//! untagged resource of any service but S3 is not seen. S3 buckets are listed
//! apart for that reason.

use std::collections::{BTreeMap, BTreeSet};

use crate::arn::Arn;
use crate::connect::Aws;
use crate::errors::{describe, Attempt};

/// Resources per GetResources page; 100 is the API's maximum.
const RESOURCES_PER_PAGE: i32 = 100;

/// One resource of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveResource {
    pub arn: String,
    /// The region from the ARN, or for a global resource (an S3 bucket) the
    /// bucket's region when ListBuckets gives it, else the scanned region
    /// whose tagging API returned it. Empty when none of these is known.
    pub region: String,
    pub tags: BTreeMap<String, String>,
}

/// A listing that failed, with the region and the next step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveFailure {
    /// The listing that failed, such as `region eu-west-1` or `S3 buckets`.
    pub source: String,
    pub message: String,
}

/// The resources of the scanned regions, sorted by ARN.
#[derive(Clone, Debug, Default)]
pub struct Inventory {
    pub resources: Vec<LiveResource>,
    pub failures: Vec<LiveFailure>,
    /// Facts about what was left out, for the scan's notes.
    pub notes: Vec<String>,
}

/// Lists the tagged resources of each region in `regions` and the account's
/// S3 buckets. `partition` (`aws`, `aws-us-gov`, `aws-cn`) builds bucket
/// ARNs. `progress` is called with each region before it is listed.
///
/// A region that fails is recorded in the failures and the others are still
/// listed.
pub fn list_resources(aws: &Aws, partition: &str, regions: &[String], progress: &dyn Fn(&str)) -> Inventory {
    let mut inventory = Inventory::default();
    let mut found: BTreeMap<String, LiveResource> = BTreeMap::new();
    for region in regions {
        progress(region);
        match tagged_resources(aws, region) {
            Ok(resources) => {
                for resource in resources {
                    // Global resources come back from several regions; the
                    // first region that returned one is kept.
                    found.entry(resource.arn.clone()).or_insert(resource);
                }
            }
            Err(message) => inventory.failures.push(LiveFailure { source: format!("region {region}"), message }),
        }
    }

    match buckets(aws) {
        Ok(buckets) => {
            let scanned: BTreeSet<&str> = regions.iter().map(String::as_str).collect();
            let mut outside = 0;
            let mut region_unknown = 0;
            for (name, bucket_region) in buckets {
                if bucket_region.as_deref().is_some_and(|region| !scanned.contains(region)) {
                    outside += 1;
                    continue;
                }
                // Without a region the bucket may be outside the scanned
                // regions; it is kept, because leaving out a bucket that
                // stores ePHI is the worse mistake.
                if bucket_region.is_none() {
                    region_unknown += 1;
                }
                let arn = format!("arn:{partition}:s3:::{name}");
                // A bucket that the tagging API did not return has no tags.
                found.entry(arn.clone()).or_insert(LiveResource {
                    arn,
                    region: bucket_region.unwrap_or_default(),
                    tags: BTreeMap::new(),
                });
            }
            if region_unknown > 0 {
                inventory.notes.push(format!(
                    "{region_unknown} S3 bucket(s) came back from ListBuckets without a region, so they are included \
                     although some may be in regions that were not scanned"
                ));
            }
            if outside > 0 {
                inventory.notes.push(format!(
                    "{outside} S3 bucket(s) in regions outside the scanned ones were left out; add their regions \
                     with --region to scan them"
                ));
            }
        }
        Err(message) => inventory.failures.push(LiveFailure { source: "S3 buckets".to_string(), message }),
    }

    inventory.resources = found.into_values().collect();
    inventory
}

/// Returns every resource that GetResources returns in `region`.
fn tagged_resources(aws: &Aws, region: &str) -> Result<Vec<LiveResource>, String> {
    let client = aws.tagging(region);
    let attempt = Attempt { action: "tag:GetResources", resource: "*", not_found: "", region };
    let mut pages = client.get_resources().resources_per_page(RESOURCES_PER_PAGE).into_paginator().send();
    let mut resources = Vec::new();
    while let Some(page) = aws.block_on(pages.next()) {
        let page = page.map_err(|error| format!("failed to list tagged resources: {}", describe(&error, &attempt)))?;
        for mapping in page.resource_tag_mapping_list() {
            let Some(arn) = mapping.resource_arn() else { continue };
            let tags = mapping.tags().iter().map(|tag| (tag.key().to_string(), tag.value().to_string())).collect();
            let arn_region = Arn::parse(arn).map(|parsed| parsed.region).unwrap_or_default();
            let region = if arn_region.is_empty() { region } else { arn_region };
            resources.push(LiveResource { arn: arn.to_string(), region: region.to_string(), tags });
        }
    }
    Ok(resources)
}

/// Returns the name and, when S3 reports it, the region of every bucket.
fn buckets(aws: &Aws) -> Result<Vec<(String, Option<String>)>, String> {
    let client = aws.s3();
    let attempt = Attempt { action: "s3:ListAllMyBuckets", resource: "*", not_found: "", region: aws.region() };
    let mut pages = client.list_buckets().into_paginator().send();
    let mut buckets = Vec::new();
    while let Some(page) = aws.block_on(pages.next()) {
        let page = page.map_err(|error| format!("failed to list S3 buckets: {}", describe(&error, &attempt)))?;
        for bucket in page.buckets() {
            if let Some(name) = bucket.name() {
                buckets.push((name.to_string(), bucket.bucket_region().map(str::to_string)));
            }
        }
    }
    Ok(buckets)
}
