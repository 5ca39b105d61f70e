"""Score phiguard and Presidio findings against the generator's labels.

usage: score.py LABELS PHIGUARD_JSON PRESIDIO_JSONL PRESIDIO_THRESHOLD

A finding counts as a true positive when it overlaps a label of the same
identifier kind. Every other finding of a compared kind is a false
positive. Every label that no finding overlaps is a false negative.
Prints a Markdown table per tool.
"""

import bisect
import json
import sys

# Presidio entity types and the phiguard detector that finds the same thing.
PRESIDIO_KINDS = {
    "US_SSN": "ssn",
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "IP_ADDRESS": "ipv4",
    "US_NPI": "npi",
    "US_MBI": "mbi",
    "MEDICAL_LICENSE": "dea",
}
SHARED = ["ssn", "mbi", "npi", "dea", "phone", "email", "ipv4"]
PHIGUARD_ONLY = ["hicn", "mrn", "member_id", "dob", "address", "zip"]


def load_labels(path):
    labels = {}
    with open(path) as handle:
        for line in handle:
            label = json.loads(line)
            labels.setdefault(label["kind"], []).append((label["start"], label["end"]))
    for spans in labels.values():
        spans.sort()
    return labels


def score(findings, labels, kinds):
    """findings: kind -> list of (start, end). Returns kind -> (tp, fp, fn)."""
    table = {}
    for kind in kinds:
        spans = labels.get(kind, [])
        hit = [False] * len(spans)
        true_positive = false_positive = 0
        starts = [s for s, _ in spans]
        for start, end in findings.get(kind, []):
            index = bisect.bisect_right(starts, end) - 1
            matched = False
            while index >= 0 and spans[index][1] > start:
                if spans[index][0] < end:
                    hit[index] = True
                    matched = True
                index -= 1
                if matched:
                    break
            if matched:
                true_positive += 1
            else:
                false_positive += 1
        table[kind] = (true_positive, false_positive, hit.count(False))
    return table


def ratio(numerator, denominator):
    return numerator / denominator if denominator else float("nan")


def print_table(title, table):
    print(f"\n{title}\n")
    print("| kind | labels | TP | FP | FN | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals = [0, 0, 0]
    for kind, (tp, fp, fn) in table.items():
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        print(f"| {kind} | {tp + fn} | {tp} | {fp} | {fn} | {ratio(tp, tp + fp):.3f} | {ratio(tp, tp + fn):.3f} |")
    tp, fp, fn = totals
    print(f"| **all** | {tp + fn} | {tp} | {fp} | {fn} | {ratio(tp, tp + fp):.3f} | {ratio(tp, tp + fn):.3f} |")


def main():
    labels_path, phiguard_path, presidio_path, threshold = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    labels = load_labels(labels_path)

    with open(phiguard_path) as handle:
        report = json.load(handle)
    phiguard = {}
    for finding in report["findings"]:
        phiguard.setdefault(finding["detector"], []).append((finding["offset"], finding["offset"] + finding["length"]))

    presidio = {}
    with open(presidio_path) as handle:
        for line in handle:
            result = json.loads(line)
            kind = PRESIDIO_KINDS.get(result["entity"])
            if kind and result["score"] >= threshold:
                presidio.setdefault(kind, []).append((result["start"], result["end"]))

    print_table("phiguard, identifiers both tools support", score(phiguard, labels, SHARED))
    print_table(f"Presidio (score >= {threshold}), the same identifiers", score(presidio, labels, SHARED))
    print_table("phiguard, identifiers Presidio does not support", score(phiguard, labels, PHIGUARD_ONLY))


if __name__ == "__main__":
    main()
