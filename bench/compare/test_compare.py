"""compare.py's verdicts: a contestant's known differences are named and excused, any other is not;
drop_check removes one check of a rule file and nothing else; scale.py's linear/flat verdict; the
whole province's built-in part: what is in and out, and the simplest SQL of every source
(bench/compare/province/) against the ground truth of a province generated at test scale. Run by
ctest (CompareBenchTest)."""
import datetime
import json
import os
import re
import sqlite3
import subprocess
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


class ValueTest(unittest.TestCase):
    def test_a_sixth_field_is_the_value_compared_up_to_rounding(self):
        truth = {"a": {"violations": 0, "rows_checked": 3, "value": 797762.1245326394},
                 "b": {"violations": 1, "rows_checked": 1, "value": -1548.0}}
        with tempfile.NamedTemporaryFile("w", suffix=".out") as f:
            # The sqlite3 shell prints 15 significant digits; an empty sixth field is no value.
            f.write("a|0|3|||797762.124532639\nb|1|1|||-1548\nc|0|2|||\n")
            f.flush()
            got = compare.parse_lines(f.name)
        self.assertEqual(got["b"], {"violations": 1, "rows_checked": 1, "value": -1548.0})
        self.assertEqual(got["c"], {"violations": 0, "rows_checked": 2})
        self.assertEqual(compare.compare(truth, got), [])
        got["b"]["value"] = -1547.0
        del got["a"]["value"]
        self.assertEqual(compare.compare(truth, got), ["a value: truth 797762.1245326394, got None",
                                                       "b value: truth -1548.0, got -1547.0"])


class DropFindingTest(unittest.TestCase):
    TEXT = ("source: civil\ndelivery: {every: 1d, by: \"07:00\"}\ntables:\n  khai_tu:\n    key: [id]\n"
            "    schema:\n      allow_extra: false\n      columns:\n        id: integer\n\n"
            "    checks:\n      - row_count: {min: 1}\n  khai_sinh:\n    schema: {columns: {id: integer}}\n"
            "    checks:\n      - row_count: {min: 1}\n")

    def test_schema_drops_the_block_of_that_table_only(self):
        self.assertEqual(compare.drop_check(self.TEXT, "schema:khai_tu"),
                         self.TEXT.replace("    schema:\n      allow_extra: false\n      columns:\n"
                                           "        id: integer\n", ""))
        self.assertEqual(compare.drop_check(self.TEXT, "schema:khai_sinh"),
                         self.TEXT.replace("    schema: {columns: {id: integer}}\n", ""))

    def test_delivery_drops_the_line_of_that_source_only(self):
        self.assertEqual(compare.drop_check(self.TEXT, "delivery:civil"),
                         self.TEXT.replace("delivery: {every: 1d, by: \"07:00\"}\n", ""))
        self.assertEqual(compare.drop_check(self.TEXT, "delivery:social"), self.TEXT)


# The whole province's built-in part on a province generated at test scale (as
# DemoProvinceTest: scale 0.005, seed 42), by the generator of the build (DQA_DATAGEN, else
# ${DQA_BUILD_DIR:-build}/dqa_datagen of this repository).
DATAGEN = os.environ.get("DQA_DATAGEN") or os.path.join(
    HERE, "..", "..", os.environ.get("DQA_BUILD_DIR", "build"), "dqa_datagen")
SCALE, SEED, TODAY = "0.005", "42", "2026-11-01"


def unicode_blank(text):
    """Whether `text` is blank for the rule semantics (docs/checks.md "Text helpers")."""
    spaces = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000\u200b\ufeff" + \
        "".join(chr(c) for c in range(0x2000, 0x200B))
    return text.strip(spaces) == ""


def impossible_dmy(text):
    """Whether `text` has the shape D/M/YYYY (one or two digits) of a day that does not exist."""
    m = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", text or "")
    if not m:
        return False
    try:
        datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return False
    except ValueError:
        return True


@unittest.skipUnless(os.path.exists(DATAGEN), f"no generator at {DATAGEN} (build dqa_datagen)")
class ProvinceBuiltinTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.data = cls.dir.name
        subprocess.run([DATAGEN, "--out", cls.data, "--scale", SCALE, "--seed", SEED, "--today", TODAY],
                       check=True, capture_output=True)
        with open(os.path.join(cls.data, "ground_truth.json"), encoding="utf-8") as f:
            cls.truth_doc = json.load(f)
        cls.inside, cls.outside = compare.builtin_part(cls.truth_doc)
        cls.got = {}
        for source in compare.PROVINCE_SOURCES:
            sql = compare.write_sql(os.path.join(HERE, "province", f"{source}_simple.sql"),
                                    os.path.join(cls.data, "sql"), cls.data, TODAY)
            out = os.path.join(cls.data, f"{source}.out")
            with open(out, "w", encoding="utf-8") as f:
                subprocess.run(compare.sqlite3_command(cls.data, sql, f"{source}.db"), stdout=f, check=True)
            cls.got[source] = compare.parse_lines(out)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def query(self, source, sql):
        con = sqlite3.connect(f"file:{os.path.join(self.data, source + '.db')}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def test_the_built_in_part_is_every_built_in_check_but_those_no_query_does(self):
        types = {}
        for source, checks in self.inside.items():
            for c in checks.values():
                types[c["type"]] = types.get(c["type"], 0) + 1
        self.assertEqual(types, {"row_count": 8, "missing": 11, "duplicate": 7, "pattern": 5, "allowed": 5,
                                 "range": 4, "freshness": 4, "stale": 2, "reference": 4, "coverage": 1,
                                 "metric": 4, "reconcile": 3, "condition": 2, "sql": 2, "indicator": 3})
        self.assertEqual({s: len(c) for s, c in self.inside.items()},
                         {"catalog": 7, "civil": 10, "population": 17, "services": 15, "social": 16})
        left_out = {}
        for key in self.outside:
            source, cid = key.split("/", 1)
            kind = self.truth_doc["sources"][source]["checks"][cid]["type"]
            kind = "plugin" if "." in kind else kind
            left_out[kind] = left_out.get(kind, 0) + 1
        self.assertEqual(left_out, {"plugin": 17, "fuzzy_duplicate": 1, "standard_text": 1, "schema": 2,
                                    "drift": 1, "delivery": 2})

    def test_the_simplest_sql_equals_the_truth_but_where_it_cannot_see_the_semantics(self):
        for source in compare.PROVINCE_SOURCES:
            truth = {cid: {k: c[k] for k in compare.TRUTH_FIELDS + ["value"] if k in c}
                     for cid, c in self.inside[source].items()}
            got = self.got[source]
            self.assertEqual(sorted(got), sorted(truth), source)  # every check, once, and no other
            differing = {compare.problem_check(p) for p in compare.compare(truth, got)}
            # Exactly the known differences: none is stale, no other is excused.
            self.assertEqual(differing, set(compare.PROVINCE_SIMPLE_KNOWN_DIFFERENCES[source]), source)

    def test_the_numbers_across_sources_and_the_values(self):
        checks = {s: self.truth_doc["sources"][s]["checks"] for s in compare.PROVINCE_SOURCES}
        for source, cid in [("population", "tu_vong_khop_ho_tich"), ("population", "huong_tro_cap_khop_dan_cu"),
                            ("services", "ho_so_khop_bao_cao")]:
            t = checks[source][cid]
            self.assertEqual(self.got[source][cid],
                             {"violations": t["violations"], "rows_checked": t["rows_checked"], "value": t["value"]},
                             cid)
            self.assertEqual(t["value"], t["metrics"]["left_total"] - t["metrics"]["right_total"])
        self.assertEqual(self.got["social"]["muc_huong_p95"]["value"],
                         checks["social"]["muc_huong_p95"]["value"])
        self.assertEqual(self.got["services"]["da_tra_khong_co_ngay_tra"],
                         {"violations": 1, "rows_checked": 1,
                          "value": checks["services"]["da_tra_khong_co_ngay_tra"]["value"]})
        self.assertGreater(checks["services"]["da_tra_khong_co_ngay_tra"]["value"], 0)

    def test_each_known_difference_is_what_its_reason_says(self):
        civil = self.truth_doc["sources"]["civil"]["checks"]
        nfd = "'Nu' || char(795, 771)"
        (births_nfd,), = self.query("civil", f"SELECT count(*) FROM khai_sinh WHERE gioi_tinh = {nfd}")
        self.assertGreater(births_nfd, 0)
        self.assertEqual(self.got["civil"]["allowed:khai_sinh.gioi_tinh"]["violations"],
                         civil["allowed:khai_sinh.gioi_tinh"]["violations"] + births_nfd)
        impossible = sum(impossible_dmy(d) for (d,) in self.query("civil", "SELECT ngay_mat FROM khai_tu"))
        self.assertGreater(impossible, 0)
        range_ = self.got["civil"]["range:khai_tu.ngay_mat"]
        self.assertEqual(range_["violations"], civil["range:khai_tu.ngay_mat"]["violations"] - impossible)
        self.assertEqual(range_["unparseable"], civil["range:khai_tu.ngay_mat"]["unparseable"] - impossible)
        self.assertEqual(range_["rows_checked"], civil["range:khai_tu.ngay_mat"]["rows_checked"])

        population = self.truth_doc["sources"]["population"]["checks"]
        (citizens_nfd,), = self.query("population", "SELECT count(*) FROM cong_dan WHERE trang_thai <> "
                                      f"'thu_nghiem' AND gioi_tinh = {nfd}")
        self.assertGreater(citizens_nfd, 0)
        self.assertEqual(self.got["population"]["allowed:cong_dan.gioi_tinh"]["violations"],
                         population["allowed:cong_dan.gioi_tinh"]["violations"] + citizens_nfd)

        services = self.truth_doc["sources"]["services"]["checks"]
        unicode_only = sum(v is not None and v.strip(" ") != "" and unicode_blank(v)
                           for (v,) in self.query("services", "SELECT linh_vuc FROM ho_so"))
        self.assertGreater(unicode_only, 0)
        self.assertEqual(self.got["services"]["missing:ho_so.linh_vuc"]["violations"],
                         services["missing:ho_so.linh_vuc"]["violations"] - unicode_only)


class VerdictTest(unittest.TestCase):
    def test_linear_and_flat_within_a_quarter(self):
        self.assertEqual(scale.verdict([2.0, 2.4, 2.5], "s"), "linear (largest / smallest 1.25)")
        self.assertEqual(scale.verdict([2.0, 2.6], "s"), "NOT linear (largest / smallest 1.30)")
        self.assertEqual(scale.verdict([20, 21], "MB"), "flat (largest / smallest 1.05)")


if __name__ == "__main__":
    unittest.main()
