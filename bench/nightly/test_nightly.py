"""change_rows.py changes the rows it says, where it says, and nightly.py's comparison of two runs
names every check whose recorded results differ, and a run's wall time ends when it exits. Run by
ctest (NightlyBenchTest)."""
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import nightly  # noqa: E402


def make_population(path):
    """cong_dan with ids 1..100: 90 citizens, then 10 test records (ids 91..100)."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE cong_dan (id INTEGER PRIMARY KEY, so_cccd TEXT, ho_ten TEXT, ngay_sinh TEXT, "
                "gioi_tinh TEXT, ma_xa TEXT, so_dien_thoai TEXT, trang_thai TEXT, ngay_cap_nhat TEXT)")
    con.executemany("INSERT INTO cong_dan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(i, f"{i:012d}", f"Tên {i}", "1990-01-01", "Nam", "28249", "0912345678",
                      "thu_nghiem" if i > 90 else "song", "2020-01-01 00:00:00") for i in range(1, 101)])
    con.commit()
    con.close()


def change(path, mode):
    return subprocess.run([sys.executable, os.path.join(HERE, "change_rows.py"), path, "--percent", "10",
                           "--mode", mode, "--seed", "7", "--today", "2026-11-01"],
                          check=True, capture_output=True, text=True).stdout.strip()


class ChangeRowsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.dir.name, "population.db")
        make_population(self.db)

    def tearDown(self):
        self.dir.cleanup()

    def touched(self):
        """(ids updated, ids deleted among 1..100, ids inserted)."""
        con = sqlite3.connect(self.db)
        ids = {i for (i,) in con.execute("SELECT id FROM cong_dan")}
        updated = {i for (i,) in con.execute(
            "SELECT id FROM cong_dan WHERE ngay_cap_nhat LIKE '2026-10-31 %' AND id <= 100")}
        con.close()
        return updated, set(range(1, 101)) - ids, ids - set(range(1, 101))

    def test_clustered_changes_the_newest_citizens(self):
        # 10% of 100 rows: 7 updated, 2 deleted (round(1.5) = 2), 1 inserted.
        self.assertEqual(change(self.db, "clustered"), "updated 7 inserted 1 deleted 2")
        updated, deleted, inserted = self.touched()
        self.assertEqual(len(updated), 7)
        self.assertEqual(updated | deleted, set(range(82, 91)))  # the newest citizens, not test records
        self.assertEqual(inserted, {101})

    def test_scattered_changes_random_citizens(self):
        self.assertEqual(change(self.db, "scattered"), "updated 7 inserted 1 deleted 2")
        updated, deleted, inserted = self.touched()
        self.assertEqual(len(updated | deleted), 9)
        self.assertTrue(all(i <= 90 for i in updated | deleted))
        self.assertLess(min(updated | deleted), 60)  # seed 7: spread over the table
        self.assertEqual(inserted, {101})


class DifferencesTest(unittest.TestCase):
    def test_names_every_check_that_differs(self):
        with tempfile.TemporaryDirectory() as d:
            store = os.path.join(d, "audit.db")
            con = sqlite3.connect(store)
            con.executescript("""
                CREATE TABLE check_results (id INTEGER PRIMARY KEY, run_id INTEGER, source TEXT,
                  check_id TEXT, outcome TEXT, violations INTEGER, rows_checked INTEGER, percent REAL,
                  "groups" INTEGER, unparseable INTEGER, value REAL, message TEXT);
                CREATE TABLE samples (result_id INTEGER, ordinal INTEGER, "key" TEXT);
                CREATE TABLE failing_rows (result_id INTEGER, total INTEGER, "rows" TEXT);
                CREATE TABLE metrics (result_id INTEGER, name TEXT, value REAL);
                INSERT INTO check_results VALUES
                  (1, 1, 'p', 'a', 'fail', 3, 10, 30, NULL, NULL, NULL, 'scanned in run 1'),
                  (2, 1, 'p', 'b', 'pass', 0, 10, 0, NULL, NULL, NULL, ''),
                  (3, 1, 'p', 'c', 'fail', 1, 10, 10, NULL, NULL, NULL, ''),
                  (4, 2, 'p', 'a', 'fail', 3, 10, 30, NULL, NULL, NULL, 'scanned in run 2'),
                  (5, 2, 'p', 'b', 'pass', 0, 11, 0, NULL, NULL, NULL, ''),
                  (6, 2, 'p', 'c', 'fail', 1, 10, 10, NULL, NULL, NULL, '');
                INSERT INTO failing_rows VALUES (1, 3, '[[1],[2],[3]]'), (4, 3, '[[1],[2],[3]]'),
                                                (3, 1, '[[5]]');
                INSERT INTO samples VALUES (1, 0, '1'), (4, 0, '1');
            """)
            con.commit()
            con.close()
            one, two = nightly.results(store, 1), nightly.results(store, 2)
            self.assertEqual(len(one), 3)
            # The message is not compared (a carried result keeps its words); rows_checked and the
            # failing rows are.
            self.assertEqual(nightly.differences(one, two), (["p/b"], ["p/c (failing rows)"]))
            self.assertEqual(nightly.differences(one, one), ([], []))
            del two[("p", "c")]
            self.assertEqual(nightly.differences(one, two), (["p/b", "p/c (missing in one run)"], []))


class SnapshotTest(unittest.TestCase):
    def test_restore_puts_back_the_store_its_range_states_and_plugin_answers(self):
        with tempfile.TemporaryDirectory() as d:
            store = os.path.join(d, "audit.db")
            con = sqlite3.connect(store)
            con.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY)")
            con.execute("INSERT INTO runs VALUES (1)")
            con.commit()
            con.close()
            os.makedirs(store + ".ranges/t")
            with open(store + ".ranges/t/index", "w") as f:
                f.write("before")
            with open(store + ".plugins", "w") as f:
                f.write("answers")
            nightly.snapshot(store, os.path.join(d, "before"))
            # A night: a run recorded, a range file replaced and one added, the answers changed.
            con = sqlite3.connect(store)
            con.execute("INSERT INTO runs VALUES (2)")
            con.commit()
            con.close()
            with open(store + ".ranges/t/index", "w") as f:
                f.write("after")
            with open(store + ".ranges/t/new.range", "w") as f:
                f.write("x")
            os.remove(store + ".plugins")
            nightly.restore(os.path.join(d, "before"), store)
            con = sqlite3.connect(store)
            self.assertEqual(con.execute("SELECT max(id) FROM runs").fetchone()[0], 1)
            con.close()
            self.assertEqual(sorted(os.listdir(store + ".ranges/t")), ["index"])
            with open(store + ".ranges/t/index") as f:
                self.assertEqual(f.read(), "before")
            with open(store + ".plugins") as f:
                self.assertEqual(f.read(), "answers")


class TimedTest(unittest.TestCase):
    def test_wall_time_ends_when_the_command_exits_not_at_the_next_sample(self):
        # Samples 5 s apart: a wall time taken at the next sample would be 5 s.
        fuzzy = nightly.fuzzy
        saved = fuzzy.POLL_SECONDS
        fuzzy.POLL_SECONDS = 5.0
        try:
            with tempfile.TemporaryDirectory() as tmp:
                code, wall, _, _ = fuzzy.timed(["sleep", "0.2"], os.path.join(tmp, "sleep.log"))
        finally:
            fuzzy.POLL_SECONDS = saved
        self.assertEqual(code, 0)
        self.assertGreaterEqual(wall, 0.2)
        self.assertLess(wall, 2.0)

    def test_a_short_run_is_not_slowed_by_reading_the_process_tree(self):
        # /proc is first read FIRST_TREE_SECONDS after the start (1 s here, so that a loaded
        # machine cannot stretch `true` past it): not during a shorter run, and during a longer one.
        fuzzy = nightly.fuzzy
        saved = fuzzy.descendants, fuzzy.FIRST_TREE_SECONDS
        calls = []
        fuzzy.descendants = lambda pid: calls.append(pid) or [pid]
        fuzzy.FIRST_TREE_SECONDS = 1.0
        try:
            with tempfile.TemporaryDirectory() as tmp:
                code, _, _, _ = fuzzy.timed(["true"], os.path.join(tmp, "true.log"))
                self.assertEqual(code, 0)
                self.assertEqual(calls, [])
                fuzzy.timed(["sleep", "1.1"], os.path.join(tmp, "sleep.log"))
        finally:
            fuzzy.descendants, fuzzy.FIRST_TREE_SECONDS = saved
        self.assertGreaterEqual(len(calls), 1)

    def test_exit_code_and_the_largest_process_of_the_tree(self):
        # A grandchild (below sh) holding 80 MB: wait4's ru_maxrss covers the descendants waited
        # for, as GNU time's %M did.
        fuzzy = nightly.fuzzy
        hold = "b = bytearray(80 << 20); import time; time.sleep(0.3)"
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "hold.log")
            code, wall, tree, largest = fuzzy.timed(
                ["sh", "-c", f"/usr/bin/python3 -c '{hold}'; exit 3"], log)
        self.assertEqual(code, 3)
        self.assertGreaterEqual(wall, 0.3)
        self.assertGreaterEqual(largest, 80)
        self.assertLess(largest, 200)
        self.assertGreaterEqual(tree, largest)


if __name__ == "__main__":
    unittest.main()
