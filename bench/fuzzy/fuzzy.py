"""Fuzzy duplicates of the citizen register with dqaudit's fuzzy_duplicate and with pandas +
jellyfish, side by side on the same generated province: time, peak memory, candidate pairs, and
pair precision / recall against the generator's truth (evaluate.py). See docs/benchmarks.md
"Fuzzy duplicates"; bench/fuzzy/run.sh prepares everything.

Usage: fuzzy.py --data DIR --dqaudit BIN [--repeat N] [--contestants a,b] [--out FILE] [--work DIR]
Exit 0 when dqaudit reached the floors of issue 12 (pair recall >= 0.95, pair precision >= 0.98),
1 when it did not or a contestant failed to run.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "compare"))
import compare  # noqa: E402
import evaluate  # noqa: E402

CONTESTANTS = ["dqaudit", "dqaudit-in-process", "pandas"]
CHECK_ID = "trung_cong_dan_gan_dung"
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.98
POLL_SECONDS = 0.05  # RSS of the known processes
TREE_SECONDS = 0.2   # the process tree, re-read from /proc (5 ms of CPU on a 100-process machine)
# The tree is first read this long after the start, not at once: 5 ms of CPU taken from the
# measured program in its first milliseconds is a few percent of a 0.15 s run on two busy cores
# (a nightly run with little to do). A shorter run reports its largest process (ru_maxrss).
FIRST_TREE_SECONDS = 0.1


def descendants(pid):
    """pid and every process below it (read from /proc/*/stat: this kernel has no
    /proc/PID/task/TID/children)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields follow the last ')'.
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(command, stdout_path):
    """Runs `command`, its stdout to `stdout_path`, stderr to `stdout_path`.err. Returns (exit
    code, wall seconds, peak of the tree's summed RSS in MB, largest single process in MB). The
    summed RSS is sampled every POLL_SECONDS from /proc (the processes that run at the same time,
    e.g. dqaudit and its worker, add up); the largest is the ru_maxrss that wait4 reports for the
    command, the largest of it and every descendant it waited for, exact but per process (what
    GNU time's %M reports, without a GNU time process in between). The tree is first read
    FIRST_TREE_SECONDS after the start: a shorter run reports its largest process."""
    with open(stdout_path, "w") as out, open(stdout_path + ".err", "w") as err:
        started = time.monotonic()
        proc = subprocess.Popen(command, stdout=out, stderr=err)
        # The end is taken when the process exits (a thread waits for it), not at the next sample:
        # sampling every POLL_SECONDS added up to 50 ms to every run, a fifth of a short night.
        ended = []

        def wait():
            _, status, usage = os.wait4(proc.pid, 0)
            ended.append((time.monotonic(), os.waitstatus_to_exitcode(status), usage.ru_maxrss))

        waiter = threading.Thread(target=wait)
        waiter.start()
        peak, tree = 0, []
        tree_read = started + FIRST_TREE_SECONDS - TREE_SECONDS
        while waiter.is_alive():
            now = time.monotonic()
            if now - tree_read >= TREE_SECONDS:
                tree = descendants(proc.pid)
                tree_read = now
            peak = max(peak, sum(rss_kb(p) for p in tree))
            waiter.join(POLL_SECONDS)
        end, code, largest_kb = ended[0]
        proc.returncode = code  # reaped by wait4: Popen must not wait for it again
    largest = largest_kb / 1024.0
    return code, end - started, max(peak / 1024.0, largest), largest


def run_dqaudit(args, data, work, rules, truth_doc, in_process, i):
    """One dqaudit scan into a new history store, then its clusters with `report --failing`."""
    name = "dqaudit-in-process" if in_process else "dqaudit"
    history = os.path.join(work, f"{name}.{i}.audit.db")
    for suffix in ("", "-wal", "-shm", ".lock"):
        if os.path.exists(history + suffix):
            os.remove(history + suffix)
    result_json = os.path.join(work, f"{name}.{i}.json")
    scan = [args.dqaudit, "scan", rules, "--history", history, "--today", truth_doc["today"],
            "--json", result_json, "-q"] + (["--in-process"] if in_process else [])
    log = os.path.join(work, f"{name}.{i}.log")
    code, wall, peak, largest = timed(scan, log)
    if code not in (0, 1):
        raise RuntimeError(f"{name}: exit code {code} (see {log}.err)")
    with open(result_json, encoding="utf-8") as f:
        result = next(r for r in json.load(f)["results"] if r["id"] == CHECK_ID)
    if result["outcome"] == "error":
        raise RuntimeError(f"{name}: {result.get('message')}")
    metrics = result.get("metrics", {})
    clusters = os.path.join(work, f"{name}.{i}.clusters.csv")
    export = [args.dqaudit, "report", "--failing", CHECK_ID, "--source", "population",
              "--history", history]
    started = time.monotonic()
    with open(clusters, "w", encoding="utf-8") as out, open(clusters + ".err", "w") as err:
        code = subprocess.call(export, stdout=out, stderr=err)
    export_seconds = time.monotonic() - started
    export_error = None
    if code != 0:
        # The scan's figures still count; the quality columns say why they are missing.
        export_error = f"`{' '.join(export[1:3])}` exit code {code} (see {clusters}.err)"
    return {"export_error": export_error,"wall": wall, "peak": peak, "largest": largest, "clusters": clusters,
            "candidate_pairs": metrics.get("candidate_pairs"),
            "matched_pairs": metrics.get("matched_pairs"),
            "compare_seconds": result["duration_ms"] / 1000.0, "export_seconds": export_seconds}


def run_pandas(args, data, work, i):
    clusters = os.path.join(work, f"pandas.{i}.clusters.csv")
    log = os.path.join(work, f"pandas.{i}.log")
    code, wall, peak, largest = timed(["/usr/bin/python3", os.path.join(HERE, "pandas_fuzzy.py"),
                                       os.path.join(data, "population.db"), clusters,
                                       "--threshold", str(args.threshold)], log)
    if code != 0:
        raise RuntimeError(f"pandas: exit code {code} (see {log}.err)")
    with open(log, encoding="utf-8") as f:
        candidate, matched, _, seconds = f.read().strip().splitlines()[-1].split("|")
    return {"export_error": None, "wall": wall, "peak": peak, "largest": largest,
            "clusters": clusters, "candidate_pairs": int(candidate), "matched_pairs": int(matched),
            "compare_seconds": float(seconds), "export_seconds": 0.0}


def fmt_rate(run):
    if not run["candidate_pairs"] or not run["compare_seconds"]:
        return "-"
    return f"{run['candidate_pairs'] / run['compare_seconds']:,.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="folder of the generated province")
    ap.add_argument("--dqaudit", required=True, help="the dqaudit binary")
    ap.add_argument("--repeat", type=int, default=3, help="runs per contestant (median time)")
    ap.add_argument("--contestants", default="dqaudit,pandas",
                    help=f"comma-separated, among {','.join(CONTESTANTS)}")
    ap.add_argument("--threshold", type=float, default=0.9,
                    help="match probability from which a pair is joined, for every contestant "
                    "(fuzzy_duplicate's default: 0.9)")
    ap.add_argument("--out", help="also write the tables (Markdown) to this file")
    ap.add_argument("--work", help="folder for rule files, outputs and logs (default: a new "
                    "temporary one, removed when everything ran)")
    args = ap.parse_args()
    chosen = [c for c in args.contestants.split(",") if c]
    unknown = [c for c in chosen if c not in CONTESTANTS]
    if unknown or not chosen:
        ap.error(f"unknown contestant(s) {', '.join(unknown)}; choose from {', '.join(CONTESTANTS)}")
    data = os.path.abspath(args.data)
    truth_path = os.path.join(data, "ground_truth.json")
    with open(truth_path, encoding="utf-8") as f:
        truth_doc = json.load(f)
    key_columns = truth_doc["fuzzy_duplicates"][evaluate.TABLE]["key"]
    rows = truth_doc["sources"]["population"]["tables"]["cong_dan"]["rows"]

    work = args.work or tempfile.mkdtemp(prefix="dqa_fuzzy_")
    os.makedirs(work, exist_ok=True)
    rules = os.path.join(work, "rules")
    os.makedirs(rules, exist_ok=True)
    with open(os.path.join(HERE, "rules", "population.yaml"), encoding="utf-8") as f:
        text = f.read().replace("{data}", data).replace("{threshold}", str(args.threshold))
    with open(os.path.join(rules, "population.yaml"), "w", encoding="utf-8") as f:
        f.write(text)

    runs = {c: [] for c in chosen}
    failed = []
    for i in range(args.repeat):  # alternately, so that a busy moment hurts every contestant
        for c in chosen:
            if c in failed:
                continue
            try:
                run = (run_pandas(args, data, work, i) if c == "pandas" else
                       run_dqaudit(args, data, work, rules, truth_doc, c == "dqaudit-in-process", i))
            except (RuntimeError, OSError, StopIteration, ValueError) as e:
                print(f"{c}: {e}", flush=True)
                failed.append(c)
                continue
            runs[c].append(run)
            quality = run["export_error"]
            if quality is None:
                run["figures"] = evaluate.evaluate(
                    truth_doc, evaluate.read_clusters(run["clusters"], key_columns))
                quality = (f"precision {run['figures']['pair_precision']:.4f}, "
                           f"recall {run['figures']['pair_recall']:.4f}")
            print(f"{c} run {i + 1}: {run['wall']:.2f} s, {run['peak']:.0f} MB, {quality}",
                  flush=True)

    t = truth_doc["fuzzy_duplicates"][evaluate.TABLE]
    lines = [f"Province: {data} (scale {truth_doc['scale']}, seed {truth_doc['seed']}, today "
             f"{truth_doc['today']}); cong_dan: {rows} rows, {len(t['clusters'])} true clusters, "
             f"{len(t['pairs'])} true pairs, {len(t['near_misses'])} near misses; median of "
             f"{args.repeat} run(s); machine: {os.cpu_count()} cores", "",
             "| contestant | wall time (s) | peak RSS, tree (MB) | largest process (MB) "
             "| candidate pairs | pairs/s/core | pair precision | pair recall | F1 "
             "| record precision | record recall | near misses merged |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    summary = {}
    ok = not failed
    for c in chosen:
        if not runs[c]:
            lines.append(f"| {c} | did not run | | | | | | | | | | |")
            continue
        med = {k: statistics.median(r[k] for r in runs[c])
               for k in ("wall", "peak", "largest", "compare_seconds")}
        last = dict(runs[c][-1], **med)
        speed = (f"| {c} | {med['wall']:.2f} | {med['peak']:.0f} | {med['largest']:.0f} "
                 f"| {int(last['candidate_pairs']) if last['candidate_pairs'] is not None else '-'} "
                 f"| {fmt_rate(last)} ")
        if "figures" not in last:
            lines.append(speed + f"| no clusters: {last['export_error']} | | | | | |")
            ok = False
            continue
        fig = last["figures"]
        summary[c] = last
        lines.append(
            speed + f"| {fig['pair_precision']:.4f} | {fig['pair_recall']:.4f} "
            f"| {fig['pair_f1']:.4f} | {fig['record_precision']:.4f} | {fig['record_recall']:.4f} "
            f"| {fig['near_misses_merged']} of {fig['near_misses']} |")
    kinds = sorted({k for s in summary.values() for k in s["figures"]["recall_by_corruption"]})
    if summary:
        lines += ["", "Pair recall per corruption kind (pairs found / true pairs with that "
                  "corruption; a pair may carry several):", "",
                  "| corruption | " + " | ".join(summary) + " |",
                  "|---|" + "---:|" * len(summary)]
        for k in kinds:
            cells = []
            for s in summary.values():
                v = s["figures"]["recall_by_corruption"].get(k)
                cells.append(f"{v['found']}/{v['pairs']} ({v['recall']:.3f})" if v else "-")
            lines.append(f"| {k} | " + " | ".join(cells) + " |")
    for c in ("dqaudit", "dqaudit-in-process"):
        if c in summary:
            fig = summary[c]["figures"]
            reached = (fig["pair_recall"] >= RECALL_FLOOR and
                       fig["pair_precision"] >= PRECISION_FLOOR)
            lines += ["", f"{c}: pair recall {fig['pair_recall']:.4f} (floor {RECALL_FLOOR}), "
                      f"pair precision {fig['pair_precision']:.4f} (floor {PRECISION_FLOOR}): "
                      f"{'reached' if reached else 'NOT reached'}; clusters exported by "
                      f"`report --failing` in {summary[c]['export_seconds']:.2f} s (not in the "
                      f"wall time)"]
            ok &= reached
    compare.finish(lines, args.out, work, remove_work=not failed and not args.work)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
