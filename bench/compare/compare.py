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
hand-written contestants (sqlite3, sqlite3-simple, psql, pandas) do not do those checks: the table
says they are skipped. sqlite3-simple is the simplest SQL (population_simple.sql): its numbers may
differ from the truth on the checks of SIMPLE_KNOWN_DIFFERENCES, which the table names and which do
not make the exit code 1 (a difference on any other check does).
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
CONTESTANTS = ["dqaudit", "dqaudit-in-process", "sqlite3", "sqlite3-simple", "pandas"]
# On the PostgreSQL copy of the province (--pg): run only when asked for.
POSTGRES_CONTESTANTS = ["dqaudit-postgres", "psql"]
TRUTH_FIELDS = ["violations", "rows_checked", "groups", "unparseable"]
# Check types that no hand-written contestant does (record linkage, encoding detection).
APPROXIMATE_TYPES = {"fuzzy_duplicate", "standard_text"}
# Check types that compare the table with other sources' databases (reconcile): out of this
# one-table comparison, compared with the ground truth in the whole-province scan (--province).
CROSS_SOURCE_TYPES = {"reconcile"}
# The checks where the simplest SQL (population_simple.sql) cannot see what the rule semantics see
# (docs/checks.md), with why: its numbers there differ from the truth and that is what it shows.
SIMPLE_KNOWN_DIFFERENCES = {
    "missing:cong_dan.ho_ten": "trim() strips the ASCII space only: tabs and Unicode spaces are not blank",
    "missing:cong_dan.so_dien_thoai": "trim() strips the ASCII space only: tabs and Unicode spaces are not blank",
    "allowed:cong_dan.gioi_tinh": "'Nữ' spelt in NFD is not 'Nữ'",
    "range:cong_dan.ngay_sinh": "a date of the right shape that does not exist (2024-02-30) is neither out of range nor unparseable",
    "ngay_sinh_moi_nhat": "impossible dates of the right shape are not unparseable",
    "freshness:cong_dan.ngay_cap_nhat": "impossible times of the right shape are not unparseable",
    "stale:cong_dan.ngay_cap_nhat": "impossible times of the right shape are neither stale nor unparseable",
}
# Checks that plain SQL cannot do at all: the drift check compares the column's profile with
# earlier runs' profiles in the history store.
SIMPLE_SKIPPED = {"ngay_sinh_on_dinh": "drift: compares with earlier runs' profiles, not a query"}


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


def problem_check(problem):
    """The check id a line of compare() is about ("missing:t.c violations: ..." -> "missing:t.c")."""
    return problem.split(" ")[0].rstrip(":")


def measure(name, command, parse, truth, rows, repeat, work, findings_exit=False, known=None,
            skipped=None):
    """Runs `command` `repeat` times; returns (its Markdown table row, whether every run's numbers
    equalled `truth`, the median wall time, the known differences of the last run). `parse(log)`
    reads a run's numbers; exit code 1 is accepted when `findings_exit` (dqaudit exits 1 when checks
    fail, which the demo data is made for). The checks of `skipped` are left out of `truth`;
    differences on the checks of `known` are named in the row (agreeing "8/15") but do not count
    as a disagreement."""
    truth = {cid: t for cid, t in truth.items() if cid not in (skipped or {})}
    walls, peaks, problems, expected = [], [], [], []
    for i in range(repeat):
        log = os.path.join(work, f"{name}.{i}.out".replace(" ", "_").replace(",", ""))
        code, wall, peak = timed(command, log)
        if code not in (0, 1) or (code == 1 and not findings_exit):
            problems = [f"exit code {code} (see {log})"]
            break
        walls.append(wall)
        peaks.append(peak)
        found = compare(truth, parse(log))
        expected = [p for p in found if problem_check(p) in (known or {})]
        problems = [p for p in found if problem_check(p) not in (known or {})]
    wall = statistics.median(walls) if walls else float("nan")
    rate = f"{rows / wall:,.0f}" if walls and wall > 0 else "-"
    differing = sorted({problem_check(p) for p in expected})
    verdict = f"{len(truth) - len(differing)}/{len(truth)}"
    notes = ([f"differs, as expected: {', '.join(differing)}"] if differing else []) + \
        ([f"skipped: {', '.join(sorted(skipped))}"] if skipped else [])
    if notes:
        verdict += " (" + "; ".join(notes) + ")"
    if problems:
        verdict = "NO: " + "; ".join(problems[:4])
    line = (f"| {name} | {wall:.2f} | {rate} | {max(peaks) if peaks else float('nan'):.0f} "
            f"| {verdict} |")
    print(line, flush=True)
    return line, not problems, wall, expected


def province_rules(folder, data, truth_doc, without=()):
    """Writes every rule file of rules/demo into `folder`, reading the province in `data`, without
    the checks whose ids are in `without`; returns (the truth of every remaining check as
    {"source/id": {field: value}}, the province's rows)."""
    os.makedirs(folder, exist_ok=True)
    demo = os.path.join(HERE, "..", "..", "rules", "demo")
    for name in sorted(os.listdir(demo)):
        if name.endswith(".yaml"):
            with open(os.path.join(demo, name), encoding="utf-8") as f:
                text = f.read().replace("sqlite:../../data/demo/", f"sqlite:{data}/")
            for check_id in without:
                text = drop_check(text, check_id)
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
    truth = {}
    for source, s in truth_doc["sources"].items():
        for cid, c in s["checks"].items():
            if cid not in without:
                truth[f"{source}/{cid}"] = {k: c[k] for k in TRUTH_FIELDS + ["outcome", "metrics", "tolerance"]
                                            if k in c}
    rows = sum(t["rows"] for s in truth_doc["sources"].values() for t in s["tables"].values())
    return truth, rows


def drop_check(text, check_id):
    """The rule file `text` without the check item (a "- type:" list item of a table's checks whose
    `id:` is `check_id`): the item's line and every line indented deeper than its dash."""
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            indent = len(line) - len(stripped)
            end = i + 1
            while end < len(lines) and (len(lines[end]) - len(lines[end].lstrip(" ")) > indent
                                        and lines[end].strip()):
                end += 1
            if re.search(r"\bid:\s*" + re.escape(check_id) + r"\b", "\n".join(lines[i:end])):
                i = end
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def province(args, data, truth_doc, work):
    """The whole demo province: every rule file of rules/demo (5 sources, built-in and sector-plugin
    checks) with dqaudit, as the nightly job runs it and in one process on one core. Returns the
    table lines and whether every result (numbers and outcome) equals the ground truth."""
    rules = os.path.join(work, "province-rules")
    truth, rows = province_rules(rules, data, truth_doc)
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
        line, exact, _, _ = measure(name, command,
                                    lambda log: parse_dqaudit_json(result_json, source=None), truth,
                                    rows, args.repeat, work, findings_exit=True)
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


def population_truth(truth_doc):
    """The truth of the table workload: ({check id: {field: int}}, the approximate check ids left
    out, the rows of cong_dan)."""
    population = truth_doc["sources"]["population"]
    # The built-in checks of the rows that every contestant does; the approximate ones are left to
    # the province scan (dqaudit only), and so are the schema contract (no row is read) and the
    # checks across sources.
    builtin = {cid: c for cid, c in population["checks"].items()
               if "." not in c["type"] and c["type"] != "schema"
               and c["type"] not in CROSS_SOURCE_TYPES}
    skipped = sorted(cid for cid, c in builtin.items()
                     if "tolerance" in c or c["type"] in APPROXIMATE_TYPES)
    truth = {cid: {k: c[k] for k in TRUTH_FIELDS if k in c}
             for cid, c in builtin.items() if cid not in skipped}
    return truth, skipped, population["tables"]["cong_dan"]["rows"]


def sqlite3_command(data, sql_file):
    """The sqlite3 shell running `sql_file` on the province's population.db, read-only."""
    return ["sh", "-c", 'exec sqlite3 -batch -readonly "$0" < "$1"',
            os.path.join(data, "population.db"), sql_file]


def ratio_lines(walls):
    """The ratios of the issue's targets between the median wall times `walls` ({contestant: s}) of
    the contestants that ran."""
    lines = []
    for a, b, target in [("dqaudit", "sqlite3-simple", "target <= 0.7"),
                         ("dqaudit", "sqlite3", "target <= 0.5"),
                         ("pandas", "dqaudit", "target >= 8")]:
        if a in walls and b in walls and walls[b] > 0:
            lines.append(f"- {a} / {b}: {walls[a] / walls[b]:.2f} ({target})")
    return ["", "Wall-time ratios (medians of this run):", ""] + lines if lines else []


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
    truth, skipped, rows = population_truth(truth_doc)

    work = args.work or tempfile.mkdtemp(prefix="dqa_compare_")
    os.makedirs(work, exist_ok=True)
    rules = os.path.join(work, "rules")
    write_rules(rules, data)
    sql_files = {}
    for name in ("population.sql", "population_simple.sql"):
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            sql = f.read().replace("{today}", today).replace("{catalog}",
                                                              os.path.join(data, "catalog.db"))
        sql_files[name] = os.path.join(work, name)
        with open(sql_files[name], "w", encoding="utf-8") as f:
            f.write(sql)

    result_json = os.path.join(work, "dqaudit.json")
    scan = [args.dqaudit, "scan", rules, "--no-history", "--today", today, "--json", result_json]
    chosen = [c for c in args.contestants.split(",") if c]
    if any(c in POSTGRES_CONTESTANTS for c in chosen) and not args.pg:
        ap.error(f"--pg is needed for {', '.join(POSTGRES_CONTESTANTS)}")
    commands = {
        "dqaudit": (scan, lambda log: parse_dqaudit_json(result_json)),
        "dqaudit-in-process": (scan + ["--in-process"], lambda log: parse_dqaudit_json(result_json)),
        "sqlite3": (sqlite3_command(data, sql_files["population.sql"]), parse_lines),
        "sqlite3-simple": (sqlite3_command(data, sql_files["population_simple.sql"]), parse_lines),
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
    walls, expected = {}, []
    for name in chosen:
        command, parse = commands[name]
        simple = name == "sqlite3-simple"
        line, exact, walls[name], known = measure(
            name, command, parse, truth, rows, args.repeat, work,
            findings_exit=name.startswith("dqaudit"), known=SIMPLE_KNOWN_DIFFERENCES if simple else None,
            skipped=SIMPLE_SKIPPED if simple else None)
        lines.append(line)
        all_exact &= exact
        expected += [f"- {name}: {p} ({SIMPLE_KNOWN_DIFFERENCES[problem_check(p)]})" for p in known]
    if expected:
        lines += ["", "Known differences of the simplest SQL (not counted as disagreements):", ""] + expected
    if "sqlite3-simple" in chosen:
        lines += ["", "Skipped for sqlite3-simple, as plain SQL cannot do them: " +
                  "; ".join(f"{c} ({why})" for c, why in sorted(SIMPLE_SKIPPED.items()))]
    lines += ratio_lines(walls)
    if args.province:
        more, exact = province(args, data, truth_doc, work)
        lines += more
        all_exact &= exact
    finish(lines, args.out, work, remove_work=all_exact and not args.work)
    return 0 if all_exact else 1


if __name__ == "__main__":
    sys.exit(main())
