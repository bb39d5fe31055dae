"""Scale sweep: the population workload of compare.py and the whole province at several sizes of the
same generated province, to show whether time grows linearly with the rows and memory stays flat.
See docs/benchmarks.md; bench/compare/scale.sh generates the provinces and builds dqaudit.

Usage: scale.py --data DIR [--data DIR ...] --dqaudit BIN [--repeat N] [--contestants a,b,...]
                [--pandas-max-scale F] [--out FILE] [--work DIR]
Contestants (each timed at every size, alternately, `--repeat` times):
  dqaudit             the rules of bench/compare/rules (population and its catalog), worker per source
  dqaudit-in-process  the same in one process, one source at a time (--in-process --jobs 1): the
                      population table's scan alone sets its memory (the catalog has 138 rows)
  sqlite3-simple      bench/compare/population_simple.sql in the sqlite3 shell
  pandas              bench/compare/pandas_checks.py, only up to --pandas-max-scale (8 GB at 4x)
  province            every rule file of rules/demo without the fuzzy duplicate check, worker per
                      source (the fuzzy check alone is 20 s and 1.2 GB at 1x: bench/fuzzy measures it)
Exit 1 when a dqaudit run's numbers differ from the ground truth (or a contestant failed).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fuzzy"))
import compare  # noqa: E402
import fuzzy  # noqa: E402  (timed: wall time, the process tree's summed RSS and GNU time's %M)

CONTESTANTS = ["dqaudit", "dqaudit-in-process", "sqlite3-simple", "pandas", "province"]
FUZZY_CHECK = "trung_cong_dan_gan_dung"
MEMORY_TARGET_MB = 250  # issue 16: the whole province's peak
LINEAR_SLACK = 1.25  # "linear" / "flat": the largest per-size figure within 25% of the smallest


def prepare(data, work, dqaudit):
    """The commands of every contestant on the province in `data` ({name: (command, rows, parse of
    the numbers or None, truth)}), their files written below `work`."""
    with open(os.path.join(data, "ground_truth.json"), encoding="utf-8") as f:
        truth_doc = json.load(f)
    today = truth_doc["today"]
    truth, _, rows = compare.population_truth(truth_doc)
    os.makedirs(work, exist_ok=True)
    rules = os.path.join(work, "rules")
    compare.write_rules(rules, data)
    with open(os.path.join(HERE, "population_simple.sql"), encoding="utf-8") as f:
        sql = f.read().replace("{today}", today).replace("{catalog}", os.path.join(data, "catalog.db"))
    sql_file = os.path.join(work, "population_simple.sql")
    with open(sql_file, "w", encoding="utf-8") as f:
        f.write(sql)
    province_truth, province_rows = compare.province_rules(os.path.join(work, "province-rules"), data,
                                                           truth_doc, without=(FUZZY_CHECK,))

    def scan(folder, json_name, *extra):
        out = os.path.join(work, json_name)
        return [dqaudit, "scan", folder, "--no-history", "--today", today, "--json", out, *extra], out

    table_scan, table_json = scan(rules, "dqaudit.json")
    alone_scan, alone_json = scan(rules, "dqaudit-in-process.json", "--in-process", "--jobs", "1")
    province_scan, province_json = scan(os.path.join(work, "province-rules"), "province.json")
    return truth_doc, {
        "dqaudit": (table_scan, rows, lambda: compare.parse_dqaudit_json(table_json), truth),
        "dqaudit-in-process": (alone_scan, rows, lambda: compare.parse_dqaudit_json(alone_json), truth),
        "sqlite3-simple": (compare.sqlite3_command(data, sql_file), rows, None, None),
        "pandas": (["/usr/bin/python3", os.path.join(HERE, "pandas_checks.py"),
                    os.path.join(data, "population.db"), os.path.join(data, "catalog.db"), today],
                   rows, None, None),
        "province": (province_scan, province_rows,
                     lambda: compare.parse_dqaudit_json(province_json, source=None), province_truth),
    }


def verdict(values, unit):
    """"linear"/"flat" when the largest of `values` is within LINEAR_SLACK of the smallest."""
    low, high = min(values), max(values)
    ratio = high / low if low > 0 else float("inf")
    word = {"s": "linear", "MB": "flat"}[unit]
    return f"{word} (largest / smallest {ratio:.2f})" if ratio <= LINEAR_SLACK else \
        f"NOT {word} (largest / smallest {ratio:.2f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", action="append", required=True, help="folder of a generated province")
    ap.add_argument("--dqaudit", required=True, help="the dqaudit binary")
    ap.add_argument("--repeat", type=int, default=3, help="runs per contestant and size (median)")
    ap.add_argument("--contestants", default=",".join(CONTESTANTS), help=f"any of {', '.join(CONTESTANTS)}")
    ap.add_argument("--pandas-max-scale", type=float, default=1.0,
                    help="largest scale pandas runs at (it needs about 2 GB per scale unit)")
    ap.add_argument("--out", help="also write the tables (Markdown) to this file")
    ap.add_argument("--work", help="folder for rule files and outputs (default: a temporary one)")
    args = ap.parse_args()
    chosen = [c for c in args.contestants.split(",") if c]
    unknown = [c for c in chosen if c not in CONTESTANTS]
    if unknown:
        ap.error(f"unknown contestant(s) {', '.join(unknown)}; choose from {', '.join(CONTESTANTS)}")
    work = args.work or tempfile.mkdtemp(prefix="dqa_scale_")

    sizes = []  # (scale, truth_doc, commands)
    for i, data in enumerate(args.data):
        data = os.path.abspath(data)
        truth_doc, commands = prepare(data, os.path.join(work, f"size{i}"), args.dqaudit)
        sizes.append((float(truth_doc["scale"]), truth_doc, commands))
    sizes.sort(key=lambda s: s[0])

    runs = {}  # (scale, name) -> [(wall, tree MB, largest MB)]
    problems = []
    for r in range(args.repeat):
        for scale, _, commands in sizes:
            for name in chosen:
                if name == "pandas" and scale > args.pandas_max_scale:
                    continue
                command, _, parse, truth = commands[name]
                log = os.path.join(work, f"{name}-{scale}-{r}.out")
                code, wall, tree, largest = fuzzy.timed(command, log)
                ok_codes = (0, 1) if name != "sqlite3-simple" and name != "pandas" else (0,)
                if code not in ok_codes:
                    problems.append(f"{name} at scale {scale}: exit code {code} (see {log})")
                    continue
                if parse is not None:
                    found = compare.compare(truth, parse())
                    problems += [f"{name} at scale {scale}: {p}" for p in found]
                runs.setdefault((scale, name), []).append((wall, tree, largest))
                print(f"scale {scale} {name}: {wall:.2f} s, {tree:.0f} MB", flush=True)

    lines = [f"Scale sweep: scales {', '.join(str(s[0]) for s in sizes)} (seed "
             f"{sizes[0][1]['seed']}, today {sizes[0][1]['today']}); median of {args.repeat} "
             f"alternating run(s); machine: {os.cpu_count()} cores; peak RSS, tree: the summed "
             f"resident memory of the command's processes (dqaudit and its workers), sampled every "
             f"50 ms; largest process: GNU time's %M",
             "",
             "| scale | contestant | rows | wall time (s) | rows/s | s per million rows "
             "| peak RSS, tree (MB) | largest process (MB) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    per_million, peaks = {}, {}
    for name in chosen:
        for scale, _, commands in sizes:
            got = runs.get((scale, name))
            if not got:
                continue
            rows = commands[name][1]
            wall = statistics.median(w for w, _, _ in got)
            tree = max(t for _, t, _ in got)
            largest = max(m for _, _, m in got)
            per_million.setdefault(name, []).append(wall / rows * 1e6)
            peaks.setdefault(name, []).append(tree)
            lines.append(f"| {scale} | {name} | {rows} | {wall:.2f} | {rows / wall:,.0f} "
                         f"| {wall / rows * 1e6:.2f} | {tree:.0f} | {largest:.0f} |")
    lines += ["", "Linear time and flat memory (from the smallest to the largest size that ran):", ""]
    for name in chosen:
        if len(per_million.get(name, [])) < 2:
            continue
        lines.append(f"- {name}: time per million rows "
                     f"{', '.join(f'{v:.2f}' for v in per_million[name])} s: "
                     f"{verdict(per_million[name], 's')}; peak memory "
                     f"{', '.join(f'{v:.0f}' for v in peaks[name])} MB: {verdict(peaks[name], 'MB')}")
    if "province" in peaks:
        top = max(peaks["province"])
        lines.append(f"- province (without {FUZZY_CHECK}): largest peak {top:.0f} MB, "
                     f"{'within' if top <= MEMORY_TARGET_MB else 'ABOVE'} the {MEMORY_TARGET_MB} MB target")
    if problems:
        lines += ["", "Problems:", ""] + [f"- {p}" for p in problems[:20]]
    compare.finish(lines, args.out, work, remove_work=not problems and not args.work)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
