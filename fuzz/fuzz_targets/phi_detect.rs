//! Fuzzes the PHI detector: scanning and redacting arbitrary bytes with
//! arbitrary segment sizes must not panic, must report spans inside the
//! input, must mask part of every reported value, and must keep the length of
//! a redacted stream.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use phiguard_phi::{redact_reader, scan_bytes, Detector, ScanOptions};

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(Detector::built_in)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    // Small segments put segment ends inside most matches.
    let chunk_size = usize::from(selector) + 1;
    let options = ScanOptions { min_confidence: 0.0, include_health_codes: true, chunk_size };

    for finding in scan_bytes(detector(), input, "fuzz", &options) {
        let start = finding.offset as usize;
        let end = start + finding.length as usize;
        assert!(end <= input.len(), "finding past the end of the input");
        assert_ne!(finding.redacted.as_bytes(), &input[start..end], "{} value left unmasked", finding.detector);
    }

    let mut out = Vec::with_capacity(input.len());
    redact_reader(detector(), input, &mut out, &options).expect("redacting a slice into a Vec cannot fail");
    assert_eq!(out.len(), input.len(), "redaction changed the stream length");
});
