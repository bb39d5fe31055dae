"""evaluate.py counts right: a tiny truth and clusters file whose precision, recall, per-corruption
recall and merged near misses are known by hand. Run by ctest (FuzzyBenchEvaluateTest)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate  # noqa: E402

TRUTH = {"fuzzy_duplicates": {"population.cong_dan": {
    "key": ["id"],
    "clusters": [
        {"kind": "reentry", "original": [1],
         "copies": [{"key": [2], "corruptions": ["nfd"]},
                    {"key": [3], "corruptions": ["typo_deletion"]}]},
        {"kind": "same_cccd", "original": [10], "copies": [{"key": [11], "corruptions": []}]},
    ],
    "pairs": [
        {"a": [1], "b": [2], "kind": "reentry", "corruptions": ["nfd"]},
        {"a": [1], "b": [3], "kind": "reentry", "corruptions": ["typo_deletion"]},
        {"a": [2], "b": [3], "kind": "reentry", "corruptions": ["nfd", "typo_deletion"]},
        {"a": [10], "b": [11], "kind": "same_cccd", "corruptions": []},
    ],
    "near_misses": [{"a": [20], "b": [21], "kind": "twins"},
                    {"a": [30], "b": [31], "kind": "common_name"}],
}}}

# 1 and 2 found; 3 joined with a stranger (99); 10-11 found but merged with the twins 20-21.
CLUSTERS = ("\ufeffid,group,matched_with,probability,agreement\n"
            "1,1,2,0.99,x\n2,1,1,0.99,x\n"
            "3,2,99,0.95,x\n99,2,3,0.95,x\n"
            "10,3,11,1,x\n11,3,10,1,x\n20,3,10,0.91,x\n21,3,20,0.92,x\n")


class EvaluateTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.truth = os.path.join(self.dir.name, "ground_truth.json")
        with open(self.truth, "w", encoding="utf-8") as f:
            json.dump(TRUTH, f)
        self.clusters = self.write("clusters.csv", CLUSTERS)

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_counts_pairs_records_kinds_and_near_misses(self):
        fig = evaluate.evaluate(TRUTH, evaluate.read_clusters(self.clusters, ["id"]))
        # Predicted pairs: 1 + 1 + 6 (a cluster of four); found: 1-2 and 10-11 of 4 true pairs.
        self.assertEqual(fig["predicted_pairs"], 8)
        self.assertEqual(fig["found_pairs"], 2)
        self.assertEqual(fig["true_pairs"], 4)
        self.assertAlmostEqual(fig["pair_precision"], 0.25)
        self.assertAlmostEqual(fig["pair_recall"], 0.5)
        self.assertAlmostEqual(fig["pair_f1"], 2 * 0.25 * 0.5 / 0.75)
        self.assertEqual(fig["predicted_clusters"], 3)
        self.assertEqual(fig["true_records_beyond_first"], 3)
        self.assertEqual(fig["predicted_records_beyond_first"], 5)
        self.assertEqual(fig["records_flagged"], 8)
        self.assertAlmostEqual(fig["record_recall"], 1.0)
        self.assertAlmostEqual(fig["record_precision"], 5 / 8)
        self.assertEqual(fig["near_misses_merged"], 1)
        self.assertEqual(fig["near_misses_merged_by_kind"], {"twins": 1})
        by_kind = {k: (v["found"], v["pairs"]) for k, v in fig["recall_by_corruption"].items()}
        self.assertEqual(by_kind, {"nfd": (1, 2), "typo_deletion": (0, 2), "same_cccd": (1, 1)})

    def test_perfect_clusters_score_one(self):
        path = self.write("perfect.csv", "group,id\n1,1\n1,2\n1,3\n2,10\n2,11\n")
        fig = evaluate.evaluate(TRUTH, evaluate.read_clusters(path, ["id"]))
        self.assertEqual((fig["pair_precision"], fig["pair_recall"], fig["near_misses_merged"]),
                         (1.0, 1.0, 0))

    def test_refuses_a_wrong_header_and_a_record_in_two_clusters(self):
        with self.assertRaisesRegex(ValueError, "has no column"):
            evaluate.read_clusters(self.write("bad.csv", "group,cccd\n1,1\n"), ["id"])
        twice = evaluate.read_clusters(self.write("twice.csv", "group,id\n1,1\n1,2\n2,1\n2,3\n"),
                                       ["id"])
        with self.assertRaisesRegex(ValueError, r"record \('1',\) is in clusters 1 and 2"):
            evaluate.evaluate(TRUTH, twice)

    def test_command_line_prints_and_writes_the_figures(self):
        out = os.path.join(self.dir.name, "fig.json")
        text = subprocess.run([sys.executable, os.path.join(HERE, "evaluate.py"), "--truth",
                               self.truth, "--clusters", self.clusters, "--json", out],
                              check=True, capture_output=True, text=True).stdout
        self.assertIn("pairs: 2 of 4 true pairs found, 8 predicted: precision 0.2500, "
                      "recall 0.5000", text)
        self.assertIn("  typo_deletion: 0/2 (0.000)", text)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(json.load(f)["found_pairs"], 2)


if __name__ == "__main__":
    unittest.main()
