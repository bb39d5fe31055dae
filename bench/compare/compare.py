"""Runs the built-in checks of the demo population table with dqaudit, hand-written SQL and pandas,
side by side on the same generated province, and compares time, peak memory and every number with
the generator's ground truth. See docs/benchmarks.md; bench/compare/run.sh prepares everything.

Usage: compare.py --data DIR --dqaudit BIN [--repeat N] [--contestants a,b,...] [--pg DSN]
                  [--out FILE]
The PostgreSQL contestants (dqaudit-postgres, psql) read the same province copied by dqa_pgload
into the database of --pg (a libpq keyword string "host=SOCKETDIR port=N user=U dbname=DB"), one
schema per file (population, catalog, ...); bench/compare/run.sh --contestants ...,psql starts a
server and loads it. Exit 0 when every contestant that ran matched the ground truth, 1 otherwise: exactly, except the
numbers that the truth gives a tolerance (the approximate checks, fuzzy_duplicate and
standard_text, docs/demo-province.md "Approximate checks"), which dqaudit must meet within it. The
hand-written contestants (sqlite3, psql, pandas) do not do those checks: the table says they are skipped.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CONTESTANTS = ["dqaudit", "dqaudit-in-process", "sqlite3", "pandas"]
# On the PostgreSQL copy of the province (--pg): run only when asked for.
POSTGRES_CONTESTANTS = ["dqaudit-postgres", "psql"]
TRUTH_FIELDS = ["violations", "rows_checked", "groups", "unparseable"]
# Check types that no hand-written contestant does (record linkage, encoding detection).
APPROXIMATE_TYPES = {"fuzzy_duplicate", "standard_text"}
# Check types that compare the table with other sources' databases (reconcile): out of this
# one-table comparison, compared with the ground truth in the whole-province scan (--province).
CROSS_SOURCE_TYPES = {"reconcile"}


def parse_dsn(dsn):
    """A libpq keyword string ("host=/sock port=5432 user=postgres dbname=d") -> {keyword: value}
    (values without spaces or quotes: what scripts/pg_test_server.sh prints)."""
    return dict(item.split("=", 1) for item in dsn.split())


def postgres_uri(dsn, schema):
    """The `database:` of a rule file for the schema `schema` of the database of `dsn`."""
    k = parse_dsn(dsn)
    query = "&".join(f"{key}={k[key]}" for key in ("host", "port", "user") if key in k)
    return f"postgresql:///{k.get('dbname', 'postgres')}?{query}&schema={schema}"


def write_rules(folder, data, dsn=None):
    """Writes bench/compare/rules/*.yaml into `folder` with {data} replaced by the province's
    folder, or, given `dsn`, every `database: sqlite:{data}/X.db` by the schema X of that
    PostgreSQL database (dqa_pgload's copy; the attached catalog is then the schema catalog)."""
    os.makedirs(folder, exist_ok=True)
    for name in ("population.yaml", "catalog.yaml"):
        with open(os.path.join(HERE, "rules", name), encoding="utf-8") as f:
            text = f.read()
        if dsn is not None:
            text = re.sub(r"sqlite:\{data\}/(\w+)\.db",
                          lambda m: '"' + postgres_uri(dsn, m.group(1)) + '"', text)
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text.replace("{data}", data))


def timed(command, log):
    """Runs `command` under GNU time; returns (exit code, wall seconds, peak RSS in MB).

    The peak RSS is the largest of the process and every descendant it waited for (wait4 of
    the whole tree), so dqaudit's worker processes count."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        with open(log, "w") as out:
            code = subprocess.call(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + command,
                                   stdout=out, stderr=subprocess.STDOUT)
        wall, rss_kb = t.read().split()[-2:]
    return code, float(wall), int(rss_kb) / 1024.0


def parse_lines(path):
    """"id|violations|rows|groups|unparseable" lines -> {id: {field: int}}."""
    results = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("|")
            if len(parts) != 5:
                continue
            values = {}
            for field, text in zip(TRUTH_FIELDS, parts[1:]):
                if text != "":
                    values[field] = int(text)
            results[parts[0]] = values
    return results


def parse_dqaudit_json(path, source="population"):
    """dqaudit's results of `source` ({id: {field: int}}), or of every source ({"source/id": ...})
    when `source` is None."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    results = {}
    for r in doc["results"]:
        if source is not None and r["source"] != source:
            continue
        key = r["id"] if source is not None else f"{r['source']}/{r['id']}"
        results[key] = {k: r[k] for k in TRUTH_FIELDS if k in r and r[k] is not None}
        if source is None:
            results[key]["outcome"] = r["outcome"]
            results[key]["metrics"] = r.get("metrics") or {}
    return results


def within(got, expected, tolerance):
    """Whether `got` equals `expected`, or lies within `tolerance` ({"below_percent",
    "above_percent"} of the true number) when there is one."""
    if got is None:
        return False
    if tolerance is None:
        return got == expected
    low = expected - expected * tolerance.get("below_percent", 0) / 100
    high = expected + expected * tolerance.get("above_percent", 0) / 100
    return low - 1e-9 <= got <= high + 1e-9


def compare(truth, got):
    """Returns the list of differences between the ground truth and a contestant's numbers (and
    outcomes and metrics, where the truth has them), each within its tolerance when it has one."""
    problems = []
    for check_id, t in sorted(truth.items()):
        g = got.get(check_id)
        if g is None:
            problems.append(f"{check_id}: no result")
            continue
        tolerance = t.get("tolerance", {})
        for field in TRUTH_FIELDS + ["outcome"]:
            if field in t and not within(g.get(field), t[field], tolerance.get(field)):
                problems.append(f"{check_id} {field}: truth {t[field]}, got {g.get(field)}")
        for metric, value in t.get("metrics", {}).items():
            found = g.get("metrics", {}).get(metric)
            if not within(found, value, tolerance.get("metrics", {}).get(metric)):
                problems.append(f"{check_id} metrics.{metric}: truth {value}, got {found}")
    return problems


def measure(name, command, parse, truth, rows, repeat, work, findings_exit=False):
    """Runs `command` `repeat` times; returns (its Markdown table row, whether every run's numbers
    equalled `truth`). `parse(log)` reads a run's numbers; exit code 1 is accepted when
    `findings_exit` (dqaudit exits 1 when checks fail, which the demo data is made for)."""
    walls, peaks, problems = [], [], []
    for i in range(repeat):
        log = os.path.join(work, f"{name}.{i}.out".replace(" ", "_").replace(",", ""))
        code, wall, peak = timed(command, log)
        if code not in (0, 1) or (code == 1 and not findings_exit):
            problems = [f"exit code {code} (see {log})"]
            break
        walls.append(wall)
        peaks.append(peak)
        problems = compare(truth, parse(log))
    wall = statistics.median(walls) if walls else float("nan")
    rate = f"{rows / wall:,.0f}" if walls and wall > 0 else "-"
    verdict = f"{len(truth)}/{len(truth)}" if not problems else "NO: " + "; ".join(problems[:4])
    line = (f"| {name} | {wall:.2f} | {rate} | {max(peaks) if peaks else float('nan'):.0f} "
            f"| {verdict} |")
    print(line, flush=True)
    return line, not problems


def province(args, data, truth_doc, work):
    """The whole demo province: every rule file of rules/demo (5 sources, built-in and sector-plugin
    checks) with dqaudit, as the nightly job runs it and in one process on one core. Returns the
    table lines and whether every result (numbers and outcome) equals the ground truth."""
    rules = os.path.join(work, "province-rules")
    os.makedirs(rules, exist_ok=True)
    demo = os.path.join(HERE, "..", "..", "rules", "demo")
    for name in sorted(os.listdir(demo)):
        if name.endswith(".yaml"):
            with open(os.path.join(demo, name), encoding="utf-8") as f:
                text = f.read().replace("sqlite:../../data/demo/", f"sqlite:{data}/")
            with open(os.path.join(rules, name), "w", encoding="utf-8") as f:
                f.write(text)
    truth = {}
    for source, s in truth_doc["sources"].items():
        for cid, c in s["checks"].items():
            truth[f"{source}/{cid}"] = {k: c[k] for k in TRUTH_FIELDS + ["outcome", "metrics", "tolerance"]
                                        if k in c}
    rows = sum(t["rows"] for s in truth_doc["sources"].values() for t in s["tables"].values())
    result_json = os.path.join(work, "province.json")
    scan = [args.dqaudit, "scan", rules, "--no-history", "--today", truth_doc["today"], "--json",
            result_json]
    lines = ["", f"Whole province: 5 sources, {rows} rows, {len(truth)} checks (built-in and "
             f"sector plugins), median of {args.repeat} run(s)", "",
             "| dqaudit | wall time (s) | rows/s | peak RSS (MB) | results equal to the ground truth |",
             "|---|---:|---:|---:|---|"]
    exact_all = True
    for name, command in [("worker per source, parallel", scan),
                          ("in one process, one source at a time", scan + ["--in-process", "--jobs", "1"])]:
        line, exact = measure(name, command,
                              lambda log: parse_dqaudit_json(result_json, source=None), truth, rows,
                              args.repeat, work, findings_exit=True)
        lines.append(line)
        exact_all &= exact
    return lines, exact_all


def finish(lines, out, work, remove_work):
    """Prints the Markdown `lines`, writes them to `out` (when given), then removes the work folder
    or says where it is kept. Shared with bench/fuzzy/fuzzy.py."""
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    if out:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write(table)
    if remove_work:
        shutil.rmtree(work)
    else:
        print(f"outputs kept in {work}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="folder of the generated province")
    ap.add_argument("--dqaudit", required=True, help="the dqaudit binary")
    ap.add_argument("--repeat", type=int, default=3, help="runs per contestant (median time)")
    ap.add_argument("--contestants", default=",".join(CONTESTANTS),
                    help=f"any of {', '.join(CONTESTANTS + POSTGRES_CONTESTANTS)}")
    ap.add_argument("--pg", help="libpq keyword string of the PostgreSQL database holding the "
                    "province (dqa_pgload), for " + " and ".join(POSTGRES_CONTESTANTS))
    ap.add_argument("--out", help="also write the table (Markdown) to this file")
    ap.add_argument("--work", help="folder for rule files, outputs and logs (default: a new temporary "
                    "one, removed when every number matched)")
    ap.add_argument("--province", action="store_true",
                    help="also scan the whole province with every rule file of rules/demo")
    args = ap.parse_args()
    data = os.path.abspath(args.data)
    with open(os.path.join(data, "ground_truth.json"), encoding="utf-8") as f:
        truth_doc = json.load(f)
    today = truth_doc["today"]
    population = truth_doc["sources"]["population"]
    # The built-in checks of the rows that every contestant does; the approximate ones are left to
    # the province scan below (dqaudit only), and so are the schema contract (no row is read) and
    # the checks across sources.
    builtin = {cid: c for cid, c in population["checks"].items()
               if "." not in c["type"] and c["type"] != "schema"
               and c["type"] not in CROSS_SOURCE_TYPES}
    skipped = sorted(cid for cid, c in builtin.items()
                     if "tolerance" in c or c["type"] in APPROXIMATE_TYPES)
    truth = {cid: {k: c[k] for k in TRUTH_FIELDS if k in c}
             for cid, c in builtin.items() if cid not in skipped}
    rows = population["tables"]["cong_dan"]["rows"]

    work = args.work or tempfile.mkdtemp(prefix="dqa_compare_")
    os.makedirs(work, exist_ok=True)
    rules = os.path.join(work, "rules")
    write_rules(rules, data)
    with open(os.path.join(HERE, "population.sql"), encoding="utf-8") as f:
        sql = f.read().replace("{today}", today).replace("{catalog}",
                                                          os.path.join(data, "catalog.db"))
    sql_file = os.path.join(work, "population.sql")
    with open(sql_file, "w", encoding="utf-8") as f:
        f.write(sql)

    result_json = os.path.join(work, "dqaudit.json")
    scan = [args.dqaudit, "scan", rules, "--no-history", "--today", today, "--json", result_json]
    chosen = [c for c in args.contestants.split(",") if c]
    if any(c in POSTGRES_CONTESTANTS for c in chosen) and not args.pg:
        ap.error(f"--pg is needed for {', '.join(POSTGRES_CONTESTANTS)}")
    commands = {
        "dqaudit": (scan, lambda log: parse_dqaudit_json(result_json)),
        "dqaudit-in-process": (scan + ["--in-process"], lambda log: parse_dqaudit_json(result_json)),
        "sqlite3": (["sh", "-c", 'exec sqlite3 -batch -readonly "$0" < "$1"',
                     os.path.join(data, "population.db"), sql_file], parse_lines),
        "pandas": (["/usr/bin/python3", os.path.join(HERE, "pandas_checks.py"),
                    os.path.join(data, "population.db"), os.path.join(data, "catalog.db"), today],
                   parse_lines),
    }
    if args.pg:
        pg_rules = os.path.join(work, "rules-postgres")
        write_rules(pg_rules, data, dsn=args.pg)
        pg_json = os.path.join(work, "dqaudit-postgres.json")
        with open(os.path.join(HERE, "population_pg.sql"), encoding="utf-8") as f:
            pg_sql = f.read().replace("{today}", today)
        pg_sql_file = os.path.join(work, "population_pg.sql")
        with open(pg_sql_file, "w", encoding="utf-8") as f:
            f.write(pg_sql)
        commands["dqaudit-postgres"] = (
            [args.dqaudit, "scan", pg_rules, "--no-history", "--today", today, "--json", pg_json],
            lambda log: parse_dqaudit_json(pg_json))
        # Read-only twice over: the session's default and the file's READ ONLY transaction.
        commands["psql"] = (["env", "PGOPTIONS=-c default_transaction_read_only=on", "psql", "-X",
                             "-q", "-A", "-t", "-F|", "-v", "ON_ERROR_STOP=1", "-f", pg_sql_file,
                             args.pg], parse_lines)
    unknown = [c for c in chosen if c not in CONTESTANTS + POSTGRES_CONTESTANTS]
    if unknown:
        ap.error(f"unknown contestant(s) {', '.join(unknown)}; choose from "
                 f"{', '.join(CONTESTANTS + POSTGRES_CONTESTANTS)}")

    lines = [f"Province: {data} (scale {truth_doc['scale']}, seed {truth_doc['seed']}, "
             f"today {today}); table cong_dan: {rows} rows; {len(truth)} built-in checks; "
             f"median of {args.repeat} run(s), machine: {os.cpu_count()} cores",
             "",
             *([f"Skipped here, as no hand-written contestant does them (approximate: compared "
                f"within their tolerance in the whole-province scan with --province): "
                f"{', '.join(skipped)}", ""] if skipped else []),
             "| contestant | wall time (s) | rows/s | peak RSS (MB) | numbers equal to the ground truth |",
             "|---|---:|---:|---:|---|"]
    all_exact = True
    for name in chosen:
        command, parse = commands[name]
        line, exact = measure(name, command, parse, truth, rows, args.repeat, work,
                              findings_exit=name.startswith("dqaudit"))
        lines.append(line)
        all_exact &= exact
    if args.province:
        more, exact = province(args, data, truth_doc, work)
        lines += more
        all_exact &= exact
    finish(lines, args.out, work, remove_work=all_exact and not args.work)
    return 0 if all_exact else 1


if __name__ == "__main__":
    sys.exit(main())
