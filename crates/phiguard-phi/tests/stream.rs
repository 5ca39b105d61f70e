//! Streaming behaviour: matches that cross segment ends, lines of megabytes,
//! binary data, invalid UTF-8, compressed sources and redaction.

use std::io::{Read, Write};

use phiguard_phi::generate::{self, vectors};
use phiguard_phi::{redact_reader, scan_bytes, scan_reader, Detector, Finding, ScanOptions, Source};
use proptest::prelude::*;

fn options(chunk_size: usize) -> ScanOptions {
    ScanOptions { chunk_size, ..ScanOptions::default() }
}

fn spans(findings: &[Finding]) -> Vec<(u64, u32, String)> {
    findings.iter().map(|f| (f.offset, f.length, f.detector.clone())).collect()
}

#[test]
fn match_across_every_segment_end() {
    let detector = Detector::built_in();
    let chunk = 64;
    let mbi = vectors::CMS_EXAMPLE_MBI;
    // Slide the MBI across the first segment end byte by byte.
    for shift in 0..chunk {
        let mut text = "x".repeat(chunk - mbi.len() / 2 + shift - chunk / 2 + 8);
        text.push(' ');
        let offset = text.len() as u64;
        text.push_str(mbi);
        text.push_str(" tail\n");
        let findings = scan_bytes(&detector, text.as_bytes(), "t", &options(chunk));
        assert_eq!(spans(&findings), [(offset, mbi.len() as u32, "mbi".to_string())], "shift {shift}");
    }
}

#[test]
fn small_segments_match_one_segment() {
    let corpus = generate::corpus(3, 256 * 1024);
    let detector = Detector::built_in();
    let whole = scan_bytes(&detector, &corpus.text, "t", &options(1 << 20));
    for chunk in [97, 1000, 4096, 65_536] {
        let pieces = scan_bytes(&detector, &corpus.text, "t", &options(chunk));
        assert_eq!(spans(&whole), spans(&pieces), "chunk size {chunk}");
        let lines_whole: Vec<u64> = whole.iter().map(|f| f.line).collect();
        let lines_pieces: Vec<u64> = pieces.iter().map(|f| f.line).collect();
        assert_eq!(lines_whole, lines_pieces, "line numbers with chunk size {chunk}");
    }
}

#[test]
fn megabyte_line_scanned() {
    let mut text = vec![b'a'; 3 << 20];
    let position = text.len() / 2;
    text.splice(position..position, format!(" mbi {} ", vectors::CMS_EXAMPLE_MBI).bytes());
    let findings = scan_bytes(&Detector::built_in(), &text, "t", &options(1 << 20));
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].line, 1);
    assert_eq!(findings[0].offset, position as u64 + 5);
}

#[test]
fn binary_and_invalid_utf8_scanned() {
    let mut data: Vec<u8> = (0..=255u8).cycle().take(200_000).collect();
    data.extend_from_slice(b"\xff\xfe ssn ");
    let ssn = generate::Identifiers::new(9).ssn();
    data.extend_from_slice(ssn.as_bytes());
    data.extend_from_slice(b" \xc3\x28\x00\x00");
    let findings = scan_bytes(&Detector::built_in(), &data, "t", &options(4096));
    assert!(findings.iter().any(|f| f.detector == "ssn"));
    for finding in &findings {
        assert!(finding.redacted.is_ascii());
    }
}

#[test]
fn redaction_keeps_length_and_masks_values() {
    let corpus = generate::corpus(5, 200 * 1024);
    let detector = Detector::built_in();
    let mut out = Vec::new();
    let summary = redact_reader(&detector, &corpus.text[..], &mut out, &options(1000)).expect("in-memory redaction");
    assert_eq!(out.len(), corpus.text.len());
    assert!(summary.findings > 0);
    // Every identifier the scan reports must be gone from the output.
    for finding in scan_bytes(&detector, &corpus.text, "t", &options(1 << 20)) {
        let start = finding.offset as usize;
        let end = start + finding.length as usize;
        assert_ne!(&out[start..end], &corpus.text[start..end], "unmasked {} at {start}", finding.detector);
        assert_eq!(&out[start..end], finding.redacted.as_bytes());
    }
    // And a second pass finds nothing left to report.
    assert!(scan_bytes(&detector, &out, "t", &options(1 << 20)).is_empty());
}

#[test]
fn redaction_preserves_binary_bytes() {
    let data: Vec<u8> = (0..=255u8).cycle().take(50_000).collect();
    let mut out = Vec::new();
    redact_reader(&Detector::built_in(), &data[..], &mut out, &options(777)).expect("in-memory redaction");
    assert_eq!(out, data);
}

fn compressed_sources_roundtrip(compress: impl Fn(&[u8]) -> Vec<u8>, name: &str) {
    let text = format!("mbi {}\n", vectors::CMS_EXAMPLE_MBI).repeat(1000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, compress(text.as_bytes())).expect("write compressed file");
    let source = Source::open(&path).expect("open compressed file");
    let mut count = 0;
    let summary = scan_reader(&Detector::built_in(), source.reader, &source.label, &ScanOptions::default(), |_| count += 1)
        .expect("scan compressed file");
    assert_eq!(count, 1000);
    assert_eq!(summary.bytes, text.len() as u64);
}

#[test]
fn gzip_source_decompressed() {
    compressed_sources_roundtrip(
        |data| {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(data).expect("gzip in memory");
            encoder.finish().expect("gzip in memory")
        },
        "app.log.gz",
    );
}

#[test]
fn zstd_source_decompressed() {
    compressed_sources_roundtrip(|data| zstd::encode_all(data, 1).expect("zstd in memory"), "app.log.zst");
}

#[test]
fn truncated_gzip_reports_error() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&vec![b'x'; 100_000]).expect("gzip in memory");
    let mut bytes = encoder.finish().expect("gzip in memory");
    bytes.truncate(bytes.len() / 2);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("cut.gz");
    std::fs::write(&path, bytes).expect("write file");
    let source = Source::open(&path).expect("open");
    let result = scan_reader(&Detector::built_in(), source.reader, "cut.gz", &ScanOptions::default(), |_| {});
    assert!(result.is_err());
}

#[test]
fn directory_walk_sorted() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir(dir.path().join("b")).expect("mkdir");
    std::fs::write(dir.path().join("b/2.log"), "x").expect("write");
    std::fs::write(dir.path().join("a.log"), "x").expect("write");
    let (files, errors) = phiguard_phi::source::expand_paths(&[dir.path().to_path_buf()]);
    assert!(errors.is_empty());
    let names: Vec<String> = files.iter().map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
    assert_eq!(names, ["a.log", "b/2.log"]);
}

/// A reader that returns at most a few bytes per call, as pipes and
/// decompressors do.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let count = self.0.len().min(buf.len()).min(7);
        buf[..count].copy_from_slice(&self.0[..count]);
        self.0 = &self.0[count..];
        Ok(count)
    }
}

#[test]
fn short_reads_give_same_findings() {
    let corpus = generate::corpus(6, 50 * 1024);
    let detector = Detector::built_in();
    let mut trickled = Vec::new();
    scan_reader(&detector, Trickle(&corpus.text), "t", &options(500), |f| trickled.push(f)).expect("scan");
    let whole = scan_bytes(&detector, &corpus.text, "t", &options(1 << 20));
    assert_eq!(spans(&whole), spans(&trickled));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..4096), chunk in 1usize..300) {
        let detector = Detector::built_in();
        let all = ScanOptions { min_confidence: 0.0, include_health_codes: true, chunk_size: chunk };
        let findings = scan_bytes(&detector, &data, "t", &all);
        for finding in &findings {
            prop_assert!((finding.offset + u64::from(finding.length)) as usize <= data.len());
        }
        let mut out = Vec::new();
        redact_reader(&detector, &data[..], &mut out, &all).expect("in-memory redaction");
        prop_assert_eq!(out.len(), data.len());
    }

    #[test]
    fn planted_identifier_found_at_any_split(prefix in "[ a-z0-9:=\n]{0,200}", chunk in 16usize..128) {
        let text = format!("{prefix} mbi {} end", vectors::CMS_EXAMPLE_MBI);
        let findings = scan_bytes(&Detector::built_in(), text.as_bytes(), "t", &options(chunk));
        prop_assert!(findings.iter().any(|f| f.detector == "mbi"));
    }
}
