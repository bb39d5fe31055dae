"""compare.py's verdicts: a contestant's known differences are named and excused, any other is not;
drop_check removes one check of a rule file and nothing else; scale.py's linear/flat verdict. Run by
ctest (CompareBenchTest)."""
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402
import scale  # noqa: E402

TRUTH = {"a": {"violations": 1, "rows_checked": 10}, "b": {"violations": 2, "rows_checked": 10},
         "c": {"violations": 0, "rows_checked": 0}}


def measure(output, known=None, skipped=None):
    """compare.measure on a command printing `output` (id|violations|rows|groups|unparseable lines)."""
    with tempfile.TemporaryDirectory() as work:
        line, exact, _, expected = compare.measure(
            "x", ["printf", output], compare.parse_lines, TRUTH, 10, 1, work, known=known,
            skipped=skipped)
    return line.split(" | ")[-1].rstrip(" |"), exact, expected


class MeasureTest(unittest.TestCase):
    def test_all_equal(self):
        self.assertEqual(measure("a|1|10||\nb|2|10||\nc|0|0||\n"), ("3/3", True, []))

    def test_a_known_difference_is_named_not_counted(self):
        verdict, exact, expected = measure("a|1|10||\nb|5|10||\n", known={"b": "why"}, skipped={"c": "no"})
        self.assertEqual(verdict, "1/2 (differs, as expected: b; skipped: c)")
        self.assertTrue(exact)
        self.assertEqual(expected, ["b violations: truth 2, got 5"])

    def test_another_difference_still_fails(self):
        verdict, exact, _ = measure("a|4|10||\nb|5|10||\n", known={"b": "why"}, skipped={"c": "no"})
        self.assertEqual(verdict, "NO: a violations: truth 1, got 4")
        self.assertFalse(exact)
        # Without the excuse, the same numbers fail on both.
        verdict, exact, _ = measure("a|1|10||\nb|5|10||\nc|0|0||\n")
        self.assertEqual(verdict, "NO: b violations: truth 2, got 5")
        self.assertFalse(exact)


class DropCheckTest(unittest.TestCase):
    def test_removes_only_the_named_item(self):
        text = ("tables:\n  t:\n    checks:\n      - row_count: {min: 1}\n"
                "      - fuzzy_duplicate:\n          id: dup\n          name: n\n"
                "      # a comment\n      - pattern: {id: dup_not, column: c, regex: 'x'}\n")
        self.assertEqual(compare.drop_check(text, "dup"),
                         "tables:\n  t:\n    checks:\n      - row_count: {min: 1}\n"
                         "      # a comment\n      - pattern: {id: dup_not, column: c, regex: 'x'}\n")
        self.assertEqual(compare.drop_check(text, "dup_not").count("dup_not"), 0)
        self.assertIn("fuzzy_duplicate", compare.drop_check(text, "dup_not"))


class VerdictTest(unittest.TestCase):
    def test_linear_and_flat_within_a_quarter(self):
        self.assertEqual(scale.verdict([2.0, 2.4, 2.5], "s"), "linear (largest / smallest 1.25)")
        self.assertEqual(scale.verdict([2.0, 2.6], "s"), "NOT linear (largest / smallest 1.30)")
        self.assertEqual(scale.verdict([20, 21], "MB"), "flat (largest / smallest 1.05)")


if __name__ == "__main__":
    unittest.main()
