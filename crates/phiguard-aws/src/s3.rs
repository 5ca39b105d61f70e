//! The live S3 source. It lists the objects under `s3://bucket/prefix`, picks
//! a deterministic sample within an object count and a byte budget, and
//! streams each object through the detector as a [`Source`] labelled
//! `s3://bucket/key`. Only ListObjectsV2 and GetObject are called.

use std::fmt;
use std::io::{self, BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Object, ObjectStorageClass};
use bytes::Bytes;
use phiguard_phi::output::SourceFailure;

use crate::Report;
use phiguard_phi::{Detector, ScanOptions, Source};
use tokio::runtime::Handle;

use crate::connect::Aws;
use crate::errors::{describe, Attempt};
use crate::scan_into_report;

/// A bucket and key prefix parsed from `s3://bucket/prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    /// Key prefix; empty for the whole bucket.
    pub prefix: String,
}

impl S3Url {
    /// Parses `s3://bucket` or `s3://bucket/prefix`.
    pub fn parse(text: &str) -> Result<S3Url, String> {
        let invalid = || format!("invalid S3 URL {text:?}: expected s3://BUCKET or s3://BUCKET/PREFIX");
        let rest = text.strip_prefix("s3://").ok_or_else(invalid)?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        // Current bucket names are 3 to 63 lowercase letters, digits, dots and
        // hyphens. Buckets made in us-east-1 before March 2018 may also have
        // uppercase letters and underscores, and up to 255 characters.
        let valid_bucket = (3..=255).contains(&bucket.len())
            && bucket.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_'));
        if !valid_bucket {
            return Err(invalid());
        }
        Ok(S3Url { bucket: bucket.to_string(), prefix: prefix.to_string() })
    }
}

impl fmt::Display for S3Url {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "s3://{}/{}", self.bucket, self.prefix)
    }
}

/// Limits on the objects to read and the bytes to download.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct S3Sampling {
    /// Percentage (above 0, at most 100) of the listed objects to scan. The
    /// choice is a hash of the key, so reruns pick the same objects and an
    /// object's choice does not change when others are added.
    pub sample_percent: f64,
    /// Maximum objects to scan across all S3 URLs, taken in listing order
    /// (ascending key order in general purpose buckets).
    pub max_objects: Option<u64>,
    /// Maximum bytes to download across all S3 URLs, counted as stored
    /// (compressed) bytes. The object that crosses the budget is read only up
    /// to it with a range request, and the scan of S3 then stops.
    pub max_bytes: Option<u64>,
}

impl Default for S3Sampling {
    fn default() -> Self {
        S3Sampling { sample_percent: 100.0, max_objects: None, max_bytes: None }
    }
}

/// Parses a sample percentage: a number above 0 and at most 100.
pub fn parse_sample_percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(value) if value > 0.0 && value <= 100.0 => Ok(value),
        _ => Err(format!("invalid sample percentage {text:?}: expected a number above 0 and at most 100")),
    }
}

/// Parses a byte count: a whole number, optionally followed by `K`, `M` or
/// `G` (powers of 1024, with or without `iB`/`B`).
pub fn parse_byte_size(text: &str) -> Result<u64, String> {
    let invalid = || format!("invalid byte size {text:?}: expected a whole number above 0, optionally with K, M or G");
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    let number: u64 = digits.parse().map_err(|_| invalid())?;
    let multiplier: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(invalid()),
    };
    match number.checked_mul(multiplier) {
        Some(bytes) if bytes > 0 => Ok(bytes),
        _ => Err(invalid()),
    }
}

/// Counts from one S3 scan, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct S3Summary {
    /// Objects listed under the prefixes (up to where listing stopped).
    pub listed: u64,
    /// Objects downloaded and scanned, including a truncated one.
    pub scanned: u64,
    /// Objects left out by `sample_percent`.
    pub not_sampled: u64,
    /// Objects in archive storage classes, which GetObject cannot read
    /// without a restore.
    pub archived: u64,
    /// Stored bytes requested from S3.
    pub bytes_downloaded: u64,
    /// True when an object was cut at the byte budget.
    pub truncated: bool,
    /// True when `max_objects` or `max_bytes` stopped the listing early.
    pub stopped_at_limit: bool,
}

/// Scans the objects under each URL in turn and adds findings, sources,
/// bytes and failures to `report`. A failed listing or download is recorded
/// as a failure for that URL or object, and the scan goes on.
pub fn scan_s3(
    aws: &Aws,
    detector: &Detector,
    options: &ScanOptions,
    urls: &[S3Url],
    sampling: &S3Sampling,
    report: &mut Report,
) -> S3Summary {
    let client = aws.s3();
    let mut scan = S3Scan { aws, client: &client, detector, options, sampling, summary: S3Summary::default() };
    for url in urls {
        if scan.limit_reached() {
            scan.summary.stopped_at_limit = true;
            break;
        }
        scan.scan_url(url, report);
    }
    scan.summary
}

struct S3Scan<'a> {
    aws: &'a Aws,
    client: &'a aws_sdk_s3::Client,
    detector: &'a Detector,
    options: &'a ScanOptions,
    sampling: &'a S3Sampling,
    summary: S3Summary,
}

impl S3Scan<'_> {
    fn limit_reached(&self) -> bool {
        let objects_done = self.sampling.max_objects.is_some_and(|max| self.summary.scanned >= max);
        let bytes_done = self.sampling.max_bytes.is_some_and(|max| self.summary.bytes_downloaded >= max);
        objects_done || bytes_done
    }

    fn scan_url(&mut self, url: &S3Url, report: &mut Report) {
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&url.bucket)
            .prefix(&url.prefix)
            .into_paginator()
            .send();
        loop {
            let page = match self.aws.block_on(pages.next()) {
                None => return,
                Some(Ok(page)) => page,
                Some(Err(error)) => {
                    let resource = format!("arn:aws:s3:::{}", url.bucket);
                    let not_found =
                        format!("bucket {} not found in region {}: check the bucket name and --region", url.bucket, self.aws.region());
                    let attempt =
                        Attempt { action: "s3:ListBucket", resource: &resource, not_found: &not_found, region: self.aws.region() };
                    report.errors.push(SourceFailure {
                        source: url.to_string(),
                        message: format!("failed to list objects: {}", describe(&error, &attempt)),
                    });
                    return;
                }
            };
            for object in page.contents() {
                if self.limit_reached() {
                    self.summary.stopped_at_limit = true;
                    return;
                }
                self.consider(url, object, report);
            }
        }
    }

    /// Applies the sampling rules to one listed object and scans it if chosen.
    fn consider(&mut self, url: &S3Url, object: &Object, report: &mut Report) {
        let Some(key) = object.key() else { return };
        let size = u64::try_from(object.size().unwrap_or(0)).unwrap_or(0);
        // The console's "folder" markers are empty keys ending in '/'.
        if key.ends_with('/') && size == 0 {
            return;
        }
        self.summary.listed += 1;
        if matches!(object.storage_class(), Some(ObjectStorageClass::Glacier | ObjectStorageClass::DeepArchive)) {
            self.summary.archived += 1;
            return;
        }
        if !is_sampled(key, self.sampling.sample_percent) {
            self.summary.not_sampled += 1;
            return;
        }

        let mut length = size;
        if let Some(max) = self.sampling.max_bytes {
            let remaining = max.saturating_sub(self.summary.bytes_downloaded);
            if size > remaining {
                length = remaining;
                self.summary.truncated = true;
            }
        }
        self.summary.bytes_downloaded += length;
        self.summary.scanned += 1;

        let label = format!("s3://{}/{}", url.bucket, key);
        match self.open(&url.bucket, key, length < size, length) {
            Ok(source) => scan_into_report(self.detector, self.options, source, report),
            Err(message) => {
                report.sources += 1;
                report.errors.push(SourceFailure { source: label, message });
            }
        }
    }

    /// Starts the download of one object, or of its first `length` bytes when
    /// `truncate` is set, and returns it as a decompressing source.
    fn open(&self, bucket: &str, key: &str, truncate: bool, length: u64) -> Result<Source, String> {
        let mut request = self.client.get_object().bucket(bucket).key(key);
        if truncate {
            // A zero-length range is invalid, and a zero budget never gets
            // here because the limit check runs first.
            request = request.range(format!("bytes=0-{}", length.saturating_sub(1)));
        }
        let output = self.aws.block_on(request.send()).map_err(|error| {
            let resource = format!("arn:aws:s3:::{bucket}/{key}");
            let not_found = format!("object s3://{bucket}/{key} not found: it was deleted after the listing");
            let attempt = Attempt { action: "s3:GetObject", resource: &resource, not_found: &not_found, region: self.aws.region() };
            format!("failed to download: {}", describe(&error, &attempt))
        })?;

        let body_ended = Arc::new(AtomicBool::new(false));
        let body = BodyReader { body: output.body, handle: self.aws.handle(), chunk: Bytes::new(), ended: Arc::clone(&body_ended) };
        let reader = phiguard_phi::source::decompress(BufReader::with_capacity(256 * 1024, body))
            .map_err(|error| format!("failed to read: {error}"))?;
        let label = format!("s3://{bucket}/{key}");
        if truncate {
            Ok(Source::new(label, CutStream { inner: reader, body_ended }))
        } else {
            Ok(Source { label, reader })
        }
    }
}

/// Returns true when `key` falls in the sample. FNV-1a is used because its
/// output is fixed by its definition, unlike std's hasher, so samples stay
/// the same across Rust versions and platforms.
fn is_sampled(key: &str, percent: f64) -> bool {
    if percent >= 100.0 {
        return true;
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // Hundredths of a percent, so 0.01% steps are honoured.
    let threshold = (percent * 100.0).round() as u64;
    hash % 10_000 < threshold
}

/// A blocking `Read` over an object body, for the detector's sync reader.
struct BodyReader {
    body: ByteStream,
    handle: Handle,
    /// The rest of the last chunk the body returned.
    chunk: Bytes,
    /// Set when the body has returned all its bytes.
    ended: Arc<AtomicBool>,
}

impl Read for BodyReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            match self.handle.block_on(self.body.next()) {
                None => {
                    self.ended.store(true, Ordering::Release);
                    return Ok(0);
                }
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(error)) => {
                    return Err(io::Error::other(format!(
                        "the download failed: {}",
                        aws_sdk_s3::error::DisplayErrorContext(&error)
                    )))
                }
            }
        }
        let count = buffer.len().min(self.chunk.len());
        buffer[..count].copy_from_slice(&self.chunk[..count]);
        let _ = self.chunk.split_to(count);
        Ok(count)
    }
}

/// The decompressed stream of an object that was cut at the byte budget. A
/// gzip or zstd stream cut in the middle fails to decode at the cut, so a
/// read error after the whole (ranged) body arrived is the end of the data.
struct CutStream {
    inner: Box<dyn Read + Send>,
    body_ended: Arc<AtomicBool>,
}

impl Read for CutStream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buffer) {
            Err(_) if self.body_ended.load(Ordering::Acquire) => Ok(0),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_with_prefix() {
        let url = S3Url::parse("s3://claims-archive/2026/12/").unwrap();
        assert_eq!(url.bucket, "claims-archive");
        assert_eq!(url.prefix, "2026/12/");
        assert_eq!(url.to_string(), "s3://claims-archive/2026/12/");
    }

    #[test]
    fn url_with_legacy_bucket_name() {
        let url = S3Url::parse("s3://Legacy_Claims/x").unwrap();
        assert_eq!(url.bucket, "Legacy_Claims");
    }

    #[test]
    fn url_without_prefix() {
        let url = S3Url::parse("s3://claims-archive").unwrap();
        assert_eq!(url.bucket, "claims-archive");
        assert_eq!(url.prefix, "");
    }

    #[test]
    fn url_rejects_bad_input() {
        for text in ["claims-archive", "s3://", "s3:///key", "s3://claims archive/key", "https://claims.s3.amazonaws.com/x", "s3://ab"] {
            let error = S3Url::parse(text).unwrap_err();
            assert!(error.contains("expected s3://BUCKET"), "{text}: {error}");
        }
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(parse_byte_size("1500"), Ok(1500));
        assert_eq!(parse_byte_size("4K"), Ok(4096));
        assert_eq!(parse_byte_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_byte_size("2gb"), Ok(2 << 30));
        for text in ["", "0", "K", "1.5M", "12T", "-4", "99999999999999999999G"] {
            assert!(parse_byte_size(text).is_err(), "{text:?} should be rejected");
        }
    }

    #[test]
    fn sample_percentages() {
        assert_eq!(parse_sample_percent("25"), Ok(25.0));
        assert_eq!(parse_sample_percent("0.5%"), Ok(0.5));
        for text in ["0", "100.1", "-3", "all", "NaN"] {
            assert!(parse_sample_percent(text).is_err(), "{text:?} should be rejected");
        }
    }

    #[test]
    fn sampling_is_stable_and_proportional() {
        let keys: Vec<String> = (0..10_000).map(|index| format!("logs/app-{index:05}.log")).collect();
        let chosen: Vec<&String> = keys.iter().filter(|key| is_sampled(key, 10.0)).collect();
        let again: Vec<&String> = keys.iter().filter(|key| is_sampled(key, 10.0)).collect();
        assert_eq!(chosen, again);
        assert!((800..1200).contains(&chosen.len()), "10% of 10000 keys chose {}", chosen.len());
        assert!(keys.iter().all(|key| is_sampled(key, 100.0)));
    }

    #[test]
    fn smaller_sample_is_a_subset() {
        let keys: Vec<String> = (0..2_000).map(|index| format!("exports/{index}.json.gz")).collect();
        for key in &keys {
            if is_sampled(key, 5.0) {
                assert!(is_sampled(key, 50.0), "{key} is in the 5% sample but not the 50% one");
            }
        }
    }
}
