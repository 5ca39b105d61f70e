//! Scanning and redacting any `Read` in bounded memory. The stream is cut into
//! fixed-size segments. Each segment also carries the bytes just before it,
//! for context and word boundaries, and the bytes just after it, so that a
//! match that starts in the segment is seen whole. Segments are scanned in
//! parallel with rayon and their results merged in stream order.

use std::io::{self, Read, Write};

use rayon::prelude::*;

use crate::engine::{CsvHeader, Detector, RawMatch};
use crate::finding::Finding;
use crate::redact;

/// Bytes kept before each segment. They cover the keyword window, the line
/// start for CSV columns, and let the regex resynchronise on matches that
/// began in the previous segment.
pub const LOOKBACK: usize = 1024;
/// Bytes read past each segment. A match that starts in a segment and is at
/// most this long is always seen whole.
// NOTE: a match longer than this (only possible with an unbounded custom
// pattern or an email address over 4 KiB) may be cut at the segment end.
pub const OVERLAP: usize = 4096;
/// Default segment size.
pub const DEFAULT_CHUNK_SIZE: usize = 1 << 20;

/// Settings for one scan or redaction.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Findings below this confidence (0.0-1.0) are neither reported nor
    /// masked.
    pub min_confidence: f32,
    /// Also report and mask ICD-10 and NDC codes, which are health information
    /// rather than identifiers.
    pub include_health_codes: bool,
    /// Segment size in bytes. Memory use is about
    /// `2 * threads * (chunk_size + 5 KiB)`.
    pub chunk_size: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { min_confidence: 0.5, include_health_codes: false, chunk_size: DEFAULT_CHUNK_SIZE }
    }
}

impl ScanOptions {
    fn keeps(&self, found: &RawMatch) -> bool {
        found.confidence >= self.min_confidence && (self.include_health_codes || !found.kind.is_health_info())
    }
}

/// Totals for one stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamSummary {
    pub bytes: u64,
    pub lines: u64,
    /// Findings reported, or values masked when redacting.
    pub findings: u64,
}

/// One piece of the stream with its surrounding bytes.
struct Segment {
    /// Stream offset of `data[0]`.
    base: u64,
    data: Vec<u8>,
    /// The bytes this segment owns: `data[from..to]`.
    from: usize,
    to: usize,
}

/// The scan result of one segment.
struct Scanned {
    matches: Vec<RawMatch>,
    /// Per match, the newlines between `from` and its start.
    newlines_before: Vec<u64>,
    /// Newlines in `data[from..to]`.
    newlines: u64,
}

/// Cuts a reader into segments. It keeps at most one segment's worth of
/// bytes plus the lookback and overlap.
struct Segmenter<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Stream offset of `buffer[0]`.
    base: u64,
    /// How many bytes at the front of `buffer` belong to earlier segments.
    lookback: usize,
    chunk_size: usize,
    eof: bool,
    /// Buffers of finished segments, reused so that each segment costs no
    /// allocation or page faults.
    spare: Vec<Vec<u8>>,
}

impl<R: Read> Segmenter<R> {
    fn new(reader: R, chunk_size: usize) -> Self {
        let chunk_size = chunk_size.max(1);
        Segmenter { reader, buffer: Vec::new(), base: 0, lookback: 0, chunk_size, eof: false, spare: Vec::new() }
    }

    fn recycle(&mut self, buffer: Vec<u8>) {
        self.spare.push(buffer);
    }

    fn next_segment(&mut self) -> io::Result<Option<Segment>> {
        let target = self.lookback + self.chunk_size + OVERLAP;
        while self.buffer.len() < target && !self.eof {
            let filled = self.buffer.len();
            self.buffer.resize(target, 0);
            match self.reader.read(&mut self.buffer[filled..]) {
                Ok(0) => {
                    self.buffer.truncate(filled);
                    self.eof = true;
                }
                Ok(read) => self.buffer.truncate(filled + read),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => self.buffer.truncate(filled),
                Err(error) => {
                    self.buffer.truncate(filled);
                    return Err(error);
                }
            }
        }
        if self.buffer.len() <= self.lookback {
            return Ok(None);
        }
        let from = self.lookback;
        let to = if self.eof { self.buffer.len() } else { from + self.chunk_size };

        // The segment takes the whole buffer; the next buffer starts with the
        // lookback and overlap bytes, which the next segment shares.
        let keep_from = to.saturating_sub(LOOKBACK);
        let mut next = self.spare.pop().unwrap_or_default();
        next.clear();
        next.extend_from_slice(&self.buffer[keep_from..]);
        let data = std::mem::replace(&mut self.buffer, next);
        let segment = Segment { base: self.base, data, from, to };
        self.base += keep_from as u64;
        self.lookback = to - keep_from;
        Ok(Some(segment))
    }
}

fn scan_one(detector: &Detector, segment: &Segment, header: Option<&CsvHeader>, min_confidence: f32) -> Scanned {
    let found = detector.scan_segment(&segment.data, 0, segment.base == 0, header, min_confidence);
    let mut matches = Vec::new();
    let mut newlines_before = Vec::new();
    let mut counted_to = segment.from;
    let mut count = 0u64;
    for raw in found {
        if raw.start < segment.from || raw.start >= segment.to {
            continue;
        }
        count += memchr::memchr_iter(b'\n', &segment.data[counted_to..raw.start]).count() as u64;
        counted_to = raw.start;
        matches.push(raw);
        newlines_before.push(count);
    }
    count += memchr::memchr_iter(b'\n', &segment.data[counted_to..segment.to]).count() as u64;
    Scanned { matches, newlines_before, newlines: count }
}

/// Drives the segmenter, scanning batches of segments in parallel and
/// handing each segment with its result to `visit` in stream order.
fn for_each_segment<R: Read>(
    detector: &Detector,
    reader: R,
    options: &ScanOptions,
    mut visit: impl FnMut(&mut Segment, Scanned) -> io::Result<()>,
) -> io::Result<()> {
    let mut segmenter = Segmenter::new(reader, options.chunk_size);
    let batch_size = (rayon::current_num_threads() * 2).max(1);
    let mut header: Option<CsvHeader> = None;
    let mut first = true;
    loop {
        let mut batch = Vec::with_capacity(batch_size);
        while batch.len() < batch_size {
            match segmenter.next_segment()? {
                Some(segment) => batch.push(segment),
                None => break,
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        if first {
            first = false;
            let data = &batch[0].data;
            let line_end = memchr::memchr(b'\n', &data[..data.len().min(64 * 1024)]);
            header = line_end.and_then(|end| CsvHeader::detect(&data[..end]));
        }
        let results: Vec<Scanned> = if batch.len() == 1 {
            vec![scan_one(detector, &batch[0], header.as_ref(), options.min_confidence)]
        } else {
            batch.par_iter().map(|segment| scan_one(detector, segment, header.as_ref(), options.min_confidence)).collect()
        };
        for (mut segment, scanned) in batch.into_iter().zip(results) {
            visit(&mut segment, scanned)?;
            segmenter.recycle(segment.data);
        }
    }
}

/// Scans `reader` and calls `sink` with every finding at or above
/// `options.min_confidence`, in stream order. `label` names the source in
/// each finding.
pub fn scan_reader<R: Read>(
    detector: &Detector,
    reader: R,
    label: &str,
    options: &ScanOptions,
    mut sink: impl FnMut(Finding),
) -> io::Result<StreamSummary> {
    let mut summary = StreamSummary::default();
    for_each_segment(detector, reader, options, |segment, scanned| {
        for (found, newlines) in scanned.matches.iter().zip(&scanned.newlines_before) {
            if !options.keeps(found) {
                continue;
            }
            summary.findings += 1;
            sink(Finding {
                detector: detector.name_of(found.kind).to_string(),
                kind: found.kind,
                confidence: (found.confidence * 100.0).round() / 100.0,
                severity: found.severity,
                source: label.to_string(),
                line: summary.lines + newlines + 1,
                offset: segment.base + found.start as u64,
                length: (found.end - found.start) as u32,
                redacted: redact::mask(found.kind, &segment.data[found.start..found.end]),
            });
        }
        summary.lines += scanned.newlines;
        summary.bytes += (segment.to - segment.from) as u64;
        Ok(())
    })?;
    if summary.bytes > 0 {
        // A last line without a trailing newline still counts as a line.
        summary.lines += 1;
    }
    Ok(summary)
}

/// Scans an in-memory buffer and returns its findings.
pub fn scan_bytes(detector: &Detector, data: &[u8], label: &str, options: &ScanOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Reading from a slice cannot fail, so the result carries no error.
    let _ = scan_reader(detector, data, label, options, |finding| findings.push(finding));
    findings
}

/// Copies `reader` to `writer` with every finding at or above
/// `options.min_confidence` masked in place. Everything else, including
/// invalid UTF-8 and binary bytes, is copied unchanged, and the output has
/// the same length as the input.
pub fn redact_reader<R: Read, W: Write>(
    detector: &Detector,
    reader: R,
    mut writer: W,
    options: &ScanOptions,
) -> io::Result<StreamSummary> {
    let mut summary = StreamSummary::default();
    // Masked bytes of a match that runs past its segment's end, by stream
    // offset, still to be written over the next segment.
    let mut carried: Vec<(u64, Vec<u8>)> = Vec::new();
    for_each_segment(detector, reader, options, |segment, scanned| {
        let owned_end = segment.base + segment.to as u64;
        for (offset, bytes) in carried.drain(..) {
            overwrite(segment, offset, &bytes);
        }
        for found in scanned.matches.iter().filter(|m| options.keeps(m)) {
            summary.findings += 1;
            let mut masked = segment.data[found.start..found.end].to_vec();
            redact::mask_in_place(found.kind, &mut masked);
            let offset = segment.base + found.start as u64;
            overwrite(segment, offset, &masked);
            if offset + masked.len() as u64 > owned_end {
                carried.push((offset, masked));
            }
        }
        writer.write_all(&segment.data[segment.from..segment.to])?;
        summary.lines += scanned.newlines;
        summary.bytes += (segment.to - segment.from) as u64;
        Ok(())
    })?;
    writer.flush()?;
    Ok(summary)
}

/// Writes `bytes`, which belong at stream `offset`, over the part of the
/// segment's owned range that they cover.
fn overwrite(segment: &mut Segment, offset: u64, bytes: &[u8]) {
    let owned_start = segment.base + segment.from as u64;
    let owned_end = segment.base + segment.to as u64;
    let start = offset.max(owned_start);
    let end = (offset + bytes.len() as u64).min(owned_end);
    if start >= end {
        return;
    }
    let source = (start - offset) as usize..(end - offset) as usize;
    let target = (start - segment.base) as usize..(end - segment.base) as usize;
    segment.data[target].copy_from_slice(&bytes[source]);
}
