"""Scores a contestant's clusters of population.cong_dan against the generator's record-linkage truth
(ground_truth.json "fuzzy_duplicates"; docs/demo-province.md "Re-entered citizens").

Usage: evaluate.py --truth ground_truth.json --clusters clusters.csv [--json FILE]
The clusters file is what `dqaudit report --failing` prints: UTF-8 CSV (a byte-order mark is
allowed), a header row naming the table's key columns and `group` (the cluster's number), in any
order, and other columns (ignored); one row per record of a cluster. Prints the figures; --json also writes them.

Pairs: the true pairs are every pair within each true cluster (the truth lists them, with the
corruptions that separate the two records); the predicted pairs are every pair within each
predicted cluster. Precision, recall and F1 are over those pairs. Records: the records beyond the
first of each cluster (what the check counts as violations), and how many of the records of
predicted clusters belong to a true cluster. Near misses: twins and namesakes of the truth, who
are different people, found in one predicted cluster.
"""
import argparse
import collections
import csv
import json
import sys

TABLE = "population.cong_dan"


def key_of(values):
    """A record's key as a tuple of strings (the truth writes integers, the CSV text)."""
    return tuple(str(v) for v in values)


def read_clusters(path, key_columns):
    """{group: [key, ...]} from a clusters CSV whose header names `group` and `key_columns`."""
    clusters = collections.defaultdict(list)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return {}
        missing = [c for c in ["group"] + key_columns if c not in header]
        if missing:
            raise ValueError(f"{path}: header {header} has no column {missing}")
        group_at = header.index("group")
        key_at = [header.index(c) for c in key_columns]
        for row in reader:
            if not row:
                continue
            clusters[row[group_at]].append(key_of(row[i] for i in key_at))
    return clusters


def ratio(num, den):
    return num / den if den else 0.0


def evaluate(truth_doc, clusters):
    """The figures (a dict) of `clusters` ({group: [key, ...]}) against the truth document."""
    t = truth_doc["fuzzy_duplicates"][TABLE]
    cluster_of = {}
    for group, members in clusters.items():
        for k in members:
            if k in cluster_of and cluster_of[k] != group:
                raise ValueError(f"record {k} is in clusters {cluster_of[k]} and {group}")
            cluster_of[k] = group
    sizes = [len(set(m)) for m in clusters.values()]
    predicted_pairs = sum(n * (n - 1) // 2 for n in sizes)

    found = 0
    per_kind = collections.defaultdict(lambda: [0, 0])  # corruption -> [found, pairs]
    for p in t["pairs"]:
        a, b = cluster_of.get(key_of(p["a"])), cluster_of.get(key_of(p["b"]))
        hit = a is not None and a == b
        found += hit
        # A pair without corruptions (an exact CCCD duplicate) is counted under its cluster kind.
        for kind in p["corruptions"] or [p["kind"]]:
            per_kind[kind][0] += hit
            per_kind[kind][1] += 1
    true_pairs = len(t["pairs"])
    precision = ratio(found, predicted_pairs)
    recall = ratio(found, true_pairs)
    f1 = ratio(2 * precision * recall, precision + recall)

    true_records = set()
    true_beyond_first = 0
    for c in t["clusters"]:
        true_records.add(key_of(c["original"]))
        for copy in c["copies"]:
            true_records.add(key_of(copy["key"]))
        true_beyond_first += len(c["copies"])
    flagged = set(cluster_of)
    flagged_true = len(flagged & true_records)

    merged = collections.Counter()
    for m in t["near_misses"]:
        a, b = cluster_of.get(key_of(m["a"])), cluster_of.get(key_of(m["b"]))
        if a is not None and a == b:
            merged[m["kind"]] += 1

    return {
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "found_pairs": found,
        "pair_precision": precision,
        "pair_recall": recall,
        "pair_f1": f1,
        "true_clusters": len(t["clusters"]),
        "predicted_clusters": sum(1 for n in sizes if n > 1),
        "true_records_beyond_first": true_beyond_first,
        "predicted_records_beyond_first": sum(n - 1 for n in sizes if n > 1),
        "records_in_true_clusters": len(true_records),
        "records_flagged": len(flagged),
        "record_recall": ratio(flagged_true, len(true_records)),
        "record_precision": ratio(flagged_true, len(flagged)),
        "near_misses": len(t["near_misses"]),
        "near_misses_merged": sum(merged.values()),
        "near_misses_merged_by_kind": dict(sorted(merged.items())),
        "recall_by_corruption": {k: {"found": v[0], "pairs": v[1], "recall": ratio(v[0], v[1])}
                                 for k, v in sorted(per_kind.items())},
    }


def summary(fig):
    """Human-readable lines of the figures."""
    lines = [
        f"pairs: {fig['found_pairs']} of {fig['true_pairs']} true pairs found, "
        f"{fig['predicted_pairs']} predicted: precision {fig['pair_precision']:.4f}, "
        f"recall {fig['pair_recall']:.4f}, F1 {fig['pair_f1']:.4f}",
        f"records: {fig['records_flagged']} flagged, {fig['records_in_true_clusters']} in true "
        f"clusters: precision {fig['record_precision']:.4f}, recall {fig['record_recall']:.4f}; "
        f"records beyond the first: {fig['predicted_records_beyond_first']} predicted, "
        f"{fig['true_records_beyond_first']} true",
        f"near misses merged: {fig['near_misses_merged']} of {fig['near_misses']} "
        f"{fig['near_misses_merged_by_kind']}",
    ]
    for kind, v in fig["recall_by_corruption"].items():
        lines.append(f"  {kind}: {v['found']}/{v['pairs']} ({v['recall']:.3f})")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truth", required=True, help="ground_truth.json of the generated province")
    ap.add_argument("--clusters", required=True, help="the contestant's clusters (CSV)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    with open(args.truth, encoding="utf-8") as f:
        truth_doc = json.load(f)
    key_columns = truth_doc["fuzzy_duplicates"][TABLE]["key"]
    fig = evaluate(truth_doc, read_clusters(args.clusters, key_columns))
    print(summary(fig))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(fig, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
