"""Nightly benchmark: `dqaudit nightly` after 0%, 1% and 10% of the population table's rows changed,
each timed against a `nightly --full` rescan of the same data, whose results the incremental run
must equal. See docs/benchmarks.md "Nightly"; bench/nightly/run.sh builds and generates.

Usage: nightly.py --data DIR --dqaudit BIN [--levels 0,1,10] [--variants clustered,scattered]
                  [--rules compare|demo] [--days-apart N] [--repeat N] [--out FILE] [--work DIR]
For each variant: the province's databases are copied into a work folder, a first nightly run
scans them whole; then for each level, change_rows.py changes that share of cong_dan's rows (none
for 0), `dqaudit nightly` runs (incremental: what a night does) and `dqaudit nightly --full` runs
on the same data with a copy of the history store as it was before. Every check's numbers (outcome,
violations, rows checked, percent, groups, unparseable, value) and its samples, failing rows and
metrics are read from both stores and must be equal; the table has a column for each kind. --rules compare (default): bench/compare/rules (population and its
catalog); demo: every rule file of rules/demo (5 sources, with the fuzzy duplicate check).
--days-apart (default 1): the nights are that many days apart (--today 2026-11-01 for the first,
then one step later for each level), as real nights are: the cutoffs of stale and the bounds on
today move, and the stored range states follow them; 0 pins every night on 2026-11-01.
--repeat N (default 1): each level's two runs are made N times, alternating (incremental, full,
incremental, full...), each incremental run from a copy of the store as it was before the night
(its SQLite file, range states and plugin answers); the table gives the median times and compares
the last pair's results.
Exit 1 when an incremental run's results differ from its full rescan's, or a run failed.
"""
import argparse
import datetime
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "compare"))
sys.path.insert(0, os.path.join(HERE, "..", "fuzzy"))
import compare  # noqa: E402
import fuzzy  # noqa: E402  (timed: wall time, the process tree's summed RSS, the largest process)

TODAY = "2026-11-01"


def results(history, run_id):
    """What a run recorded about its checks, without times and messages (a carried result keeps the
    words of the run that scanned it, "baseline recorded in run 1"): {(source, check id): (numbers,
    samples, failing rows, metrics)}."""
    con = sqlite3.connect(f"file:{history}?mode=ro", uri=True)
    out = {}
    for row in con.execute(
            'SELECT id, source, check_id, outcome, violations, rows_checked, percent, "groups", '
            'unparseable, value FROM check_results WHERE run_id = ?', (run_id,)):
        result_id, key = row[0], (row[1], row[2])
        samples = [s for (s,) in con.execute(
            'SELECT "key" FROM samples WHERE result_id = ? ORDER BY ordinal', (result_id,))]
        # A carried source keeps its failing rows in the run that scanned it, where
        # `dqaudit report --failing` follows them (sources.carried_from_run).
        try:
            origin = con.execute(
                "SELECT o.id FROM check_results r JOIN sources s ON s.id = r.source_id "
                "JOIN sources os ON os.run_id = s.carried_from_run AND os.source = s.source "
                "JOIN check_results o ON o.source_id = os.id AND o.check_id = r.check_id "
                "WHERE r.id = ?", (result_id,)).fetchone()
        except sqlite3.OperationalError:  # a store without the sources table (the unit test's)
            origin = None
        failing = con.execute('SELECT total, "rows" FROM failing_rows WHERE result_id = ?',
                              (origin[0] if origin else result_id,)).fetchone()
        metrics = sorted(con.execute("SELECT name, value FROM metrics WHERE result_id = ?",
                                     (result_id,)).fetchall())
        out[key] = (row[3:], samples, failing, metrics)
    con.close()
    return out


def newest_run(history):
    """The id of the newest run and how many of its sources were scanned (not carried over)."""
    con = sqlite3.connect(f"file:{history}?mode=ro", uri=True)
    run_id = con.execute("SELECT max(id) FROM runs").fetchone()[0]
    scanned, total = con.execute(
        "SELECT sum(carried_from_run IS NULL), count(*) FROM sources WHERE run_id = ?",
        (run_id,)).fetchone()
    con.close()
    return run_id, f"{scanned}/{total}"


def differences(a, b):
    """The checks whose recorded results differ between two runs' results(), named with what
    differs: (those whose numbers differ or that one run lacks, those whose samples, failing rows
    or metrics differ)."""
    numbers, lists = [], []
    for key in sorted(set(a) | set(b)):
        name = f"{key[0]}/{key[1]}"
        if key not in a or key not in b:
            numbers.append(f"{name} (missing in one run)")
        elif a[key][0] != b[key][0]:
            numbers.append(name)
        elif a[key] != b[key]:
            lists.append(f"{name} (" + ", ".join(
                what for what, x, y in zip(("samples", "failing rows", "metrics"), a[key][1:], b[key][1:])
                if x != y) + ")")
    return numbers, lists


def write_config(folder, rules):
    """The nightly configuration in `folder`: the rule folder, the history store `folder`/audit.db,
    no reports."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "nightly.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"rules: {rules}\nhistory: {os.path.join(folder, 'audit.db')}\n"
                "jobs: 0\nincremental: true\nrescan_after: 7d\n")
    return path


def snapshot(history, folder):
    """Copies the history store `history` with its range states and plugin answers into `folder`
    (replaced), for restore()."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    copy_store(history, os.path.join(folder, "audit.db"))
    for extra in (".ranges", ".plugins"):
        if os.path.isdir(history + extra):
            shutil.copytree(history + extra, os.path.join(folder, "audit.db" + extra))
        elif os.path.exists(history + extra):
            shutil.copy2(history + extra, os.path.join(folder, "audit.db" + extra))


def restore(folder, history):
    """Puts back the store snapshot() kept in `folder` as `history`."""
    copy_store(os.path.join(folder, "audit.db"), history)
    for extra in (".ranges", ".plugins"):
        if os.path.isdir(history + extra):
            shutil.rmtree(history + extra)
        elif os.path.exists(history + extra):
            os.remove(history + extra)
        kept = os.path.join(folder, "audit.db" + extra)
        if os.path.isdir(kept):
            shutil.copytree(kept, history + extra)
        elif os.path.exists(kept):
            shutil.copy2(kept, history + extra)


def copy_store(source, target):
    """Copies the history store `source` to `target` (SQLite's backup: the -wal part included)."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        if os.path.exists(target + suffix):
            os.remove(target + suffix)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="folder of the generated province")
    ap.add_argument("--dqaudit", required=True, help="the dqaudit binary")
    ap.add_argument("--levels", default="0,1,10", help="percent of cong_dan's rows changed, in order")
    ap.add_argument("--variants", default="clustered,scattered")
    ap.add_argument("--rules", choices=["compare", "demo"], default="compare")
    ap.add_argument("--days-apart", type=int, default=1,
                    help="days between two nights (0: every night on the same day)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each level, alternating incremental and full (medians reported)")
    ap.add_argument("--out", help="also write the table (Markdown) to this file")
    ap.add_argument("--work", help="work folder (default: a temporary one, removed when all went well)")
    args = ap.parse_args()
    data = os.path.abspath(args.data)
    work = args.work or tempfile.mkdtemp(prefix="dqa_nightly_")
    levels = [float(x) for x in args.levels.split(",") if x]
    truth_doc = json.load(open(os.path.join(data, "ground_truth.json"), encoding="utf-8"))
    rows = truth_doc["sources"]["population"]["tables"]["cong_dan"]["rows"]

    lines = [f"Province: {data} (scale {truth_doc['scale']}); table cong_dan: {rows} rows (test "
             f"records included: {rows_in(data)}); rules: {args.rules}; machine: {os.cpu_count()} "
             f"cores; nights {args.days_apart} day(s) apart from {TODAY}; "
             + ("one run of each" if args.repeat <= 1 else
                f"medians of {args.repeat} alternating runs of each"), "",
             "| variant | day | rows changed | updated / inserted / deleted | incremental (s) | sources scanned "
             "| full rescan (s) | incremental / full | peak RSS, tree (MB) | numbers equal "
             "| samples, failing rows, metrics |",
             "|---|---|---:|---|---:|---:|---:|---:|---:|---|---|"]
    failed = False
    firsts = []
    for variant in [v for v in args.variants.split(",") if v]:
        folder = os.path.join(work, variant)
        shutil.rmtree(folder, ignore_errors=True)
        copy = os.path.join(folder, "data")
        os.makedirs(copy)
        for name in os.listdir(data):
            if name.endswith(".db") or name == "ground_truth.json":
                shutil.copy2(os.path.join(data, name), copy)
        rules = os.path.join(folder, "rules")
        if args.rules == "compare":
            compare.write_rules(rules, copy)
        else:
            compare.province_rules(rules, copy, truth_doc)
        # The nights go on in `folder`/audit.db; each full rescan runs on a copy of the store as it
        # was before the incremental run (`folder`/full/audit.db), so that both runs have the same
        # history behind them (drift and schema checks compare with the previous run).
        config = write_config(folder, rules)
        full_config = write_config(os.path.join(folder, "full"), rules)

        def nights(day):
            return ([args.dqaudit, "nightly", "--config", config, "--today", day],
                    [args.dqaudit, "nightly", "--config", full_config, "--today", day, "--full"])
        history = os.path.join(folder, "audit.db")
        full_history = os.path.join(folder, "full", "audit.db")

        def run(label, command):
            # The harness's own writes (a store put back, a copy of it, the rows changed) are on
            # disk before the clock starts: a night does not pay for the benchmark's set-up.
            os.sync()
            code, wall, tree, _ = fuzzy.timed(command, os.path.join(folder, f"{label}.log"))
            if code not in (0, 1):
                raise RuntimeError(f"{variant} {label}: exit code {code} (see {folder}/{label}.log.err)")
            return wall, tree

        try:
            wall, tree = run("first", nights(TODAY)[0])
            firsts.append(f"{variant}: first night (every source scanned) {wall:.2f} s, {tree:.0f} MB")
            for n, level in enumerate(levels, start=1):
                label = f"{level:g}pct"
                day = (datetime.date.fromisoformat(TODAY)
                       + datetime.timedelta(days=n * args.days_apart)).isoformat()
                night, full_night = nights(day)
                changed = "none"
                if level > 0:
                    changed = subprocess.run(
                        ["/usr/bin/python3", os.path.join(HERE, "change_rows.py"),
                         os.path.join(copy, "population.db"), "--percent", str(level), "--mode", variant,
                         "--seed", str(20261101 + int(level * 100)), "--today", day],
                        check=True, capture_output=True, text=True).stdout.strip()
                    changed = " / ".join(changed.split()[1::2])
                before = os.path.join(folder, "before")
                if args.repeat > 1:
                    snapshot(history, before)
                times_i, times_f, trees = [], [], []
                for r in range(max(args.repeat, 1)):
                    if r > 0:
                        restore(before, history)
                    copy_store(os.path.join(before, "audit.db") if r > 0 else history, full_history)
                    incremental, tree_i = run(f"{label}-incremental", night)
                    full, tree_f = run(f"{label}-full", full_night)
                    times_i.append(incremental)
                    times_f.append(full)
                    trees += [tree_i, tree_f]
                incremental, full = statistics.median(times_i), statistics.median(times_f)
                tree_i = tree_f = max(trees)
                incremental_run, scanned = newest_run(history)
                full_run, _ = newest_run(full_history)
                full_results = results(full_history, full_run)
                numbers, lists = differences(results(history, incremental_run), full_results)
                verdict = f"yes ({len(full_results)} checks)" if not numbers else \
                    "NO: " + "; ".join(numbers[:4]) + ("..." if len(numbers) > 4 else "")
                detail = "equal" if not lists else \
                    f"{len(lists)} differ: " + "; ".join(lists[:3]) + ("..." if len(lists) > 3 else "")
                failed |= bool(numbers or lists)
                line = (f"| {variant} | {day} | {level:g}% | {changed} | {incremental:.3f} | {scanned} | {full:.2f} "
                        f"| {incremental / full:.3f} | {max(tree_i, tree_f):.0f} | {verdict} | {detail} |")
                print(line, flush=True)
                lines.append(line)
        except (RuntimeError, subprocess.CalledProcessError) as e:
            lines.append(f"| {variant} | | | | | | | | | NO: {e} | |")
            failed = True
    lines += ["", *[f"- {f}" for f in firsts]]
    compare.finish(lines, args.out, work, remove_work=not failed and not args.work)
    return 1 if failed else 0


def rows_in(data):
    """The rows of cong_dan in the generated file, test records included."""
    con = sqlite3.connect(f"file:{os.path.join(data, 'population.db')}?mode=ro", uri=True)
    n = con.execute("SELECT count(*) FROM cong_dan").fetchone()[0]
    con.close()
    return n


if __name__ == "__main__":
    sys.exit(main())
