//! Scans one file and prints throughput and findings per detector. A quick
//! check of the library alone; the `phiguard phi scan` command is the real
//! interface.

use std::collections::BTreeMap;
use std::time::Instant;

use phiguard_phi::{scan_reader, Detector, ScanOptions};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: scan_file FILE");
        std::process::exit(2);
    };
    let detector = Detector::built_in();
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("scan_file: failed to open {path}: {error}");
            std::process::exit(2);
        }
    };
    let mut per_detector: BTreeMap<String, u64> = BTreeMap::new();
    let started = Instant::now();
    let summary = scan_reader(&detector, file, &path, &ScanOptions::default(), |finding| {
        *per_detector.entry(finding.detector).or_default() += 1;
    });
    let elapsed = started.elapsed().as_secs_f64();
    match summary {
        Ok(summary) => {
            println!("{} bytes in {elapsed:.3} s: {:.1} MB/s", summary.bytes, summary.bytes as f64 / elapsed / 1e6);
            for (name, count) in per_detector {
                println!("{name}: {count}");
            }
        }
        Err(error) => {
            eprintln!("scan_file: failed to read {path}: {error}");
            std::process::exit(2);
        }
    }
}
