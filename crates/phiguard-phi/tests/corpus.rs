//! Scores the detector on the generated labelled corpus, with precision and
//! recall floors per identifier kind and overall.

use std::collections::BTreeMap;

use phiguard_phi::generate::{self, Label};
use phiguard_phi::{scan_bytes, Detector, Finding, Kind, ScanOptions};

#[derive(Default, Debug)]
struct Counts {
    true_positive: usize,
    false_positive: usize,
    false_negative: usize,
}

fn overlaps(finding: &Finding, label: &Label) -> bool {
    let start = finding.offset as usize;
    let end = start + finding.length as usize;
    start < label.end && label.start < end
}

fn score(findings: &[Finding], labels: &[Label]) -> BTreeMap<&'static str, Counts> {
    let mut counts: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut matched = vec![false; labels.len()];
    let mut next = 0;
    for finding in findings {
        // Labels are in offset order, and so are findings.
        while next < labels.len() && labels[next].end <= finding.offset as usize {
            next += 1;
        }
        let hit = labels[next..]
            .iter()
            .enumerate()
            .take_while(|(_, label)| label.start < finding.offset as usize + finding.length as usize)
            .find(|(_, label)| label.kind == finding.kind && overlaps(finding, label));
        match hit {
            Some((index, _)) => {
                matched[next + index] = true;
                counts.entry(finding.kind.name()).or_default().true_positive += 1;
            }
            None => counts.entry(finding.kind.name()).or_default().false_positive += 1,
        }
    }
    for (label, found) in labels.iter().zip(matched) {
        if !found {
            counts.entry(label.kind.name()).or_default().false_negative += 1;
        }
    }
    counts
}

#[test]
fn corpus_meets_precision_and_recall_floors() {
    let corpus = generate::corpus(7, 4 << 20);
    let options = ScanOptions { include_health_codes: true, chunk_size: 64 * 1024, ..ScanOptions::default() };
    let findings = scan_bytes(&Detector::built_in(), &corpus.text, "corpus", &options);
    let counts = score(&findings, &corpus.labels);

    let mut total = Counts::default();
    for (kind, count) in &counts {
        total.true_positive += count.true_positive;
        total.false_positive += count.false_positive;
        total.false_negative += count.false_negative;
        let precision = count.true_positive as f64 / (count.true_positive + count.false_positive).max(1) as f64;
        let recall = count.true_positive as f64 / (count.true_positive + count.false_negative).max(1) as f64;
        assert!(precision >= 0.95, "{kind}: precision {precision:.3} below 0.95 ({count:?})");
        assert!(recall >= 0.95, "{kind}: recall {recall:.3} below 0.95 ({count:?})");
    }
    let precision = total.true_positive as f64 / (total.true_positive + total.false_positive) as f64;
    let recall = total.true_positive as f64 / (total.true_positive + total.false_negative) as f64;
    assert!(precision >= 0.99, "overall precision {precision:.4} below 0.99 ({total:?})");
    assert!(recall >= 0.99, "overall recall {recall:.4} below 0.99 ({total:?})");
}

#[test]
fn corpus_covers_every_built_in_kind() {
    let corpus = generate::corpus(7, 1 << 20);
    for kind in Kind::BUILT_IN {
        assert!(corpus.labels.iter().any(|label| label.kind == kind), "no {} label in the corpus", kind.name());
    }
}

#[test]
fn corpus_is_deterministic() {
    let first = generate::corpus(11, 64 * 1024);
    let second = generate::corpus(11, 64 * 1024);
    assert_eq!(first.text, second.text);
    assert_eq!(first.labels, second.labels);
}
