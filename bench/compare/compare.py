"""Runs the built-in checks of the demo population table with dqaudit, hand-written SQL and pandas,
side by side on the same generated province, and compares time, peak memory and every number with
the generator's ground truth. See docs/benchmarks.md; bench/compare/run.sh prepares everything.

Usage: compare.py --data DIR --dqaudit BIN [--repeat N] [--contestants a,b,...] [--pg DSN]
                  [--province [all|full|builtin]] [--out FILE]
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

--province adds the whole province (every rule file of rules/demo, 5 sources): `full` scans it with
dqaudit and compares every check (built-in, sector-plugin and approximate) with the truth; `builtin`
is the whole province's built-in part, dqaudit against the simplest SQL of every built-in check
(bench/compare/province/<source>_simple.sql, run one after the other: the sum of their times), in
alternating runs, with the ratio of the target "dqaudit <= 0.8 x the sum of the simplest SQL"
(BUILTIN_LEFT_OUT says what is not in that part and why; PROVINCE_SIMPLE_KNOWN_DIFFERENCES where
the simplest SQL differs from the truth); `all` (the default of a bare --province) does both.
"""
import argparse
import json
import math
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

# The whole province's built-in part (--province builtin): every check of rules/demo whose type is
# built-in (no dot: not a sector plugin's `<sector>.<check>`), but for the types below, left out
# because no plain query does what they do. Everything else is in, `reconcile` included (a GROUP BY
# per side across the attached databases, matched on the group key).
PROVINCE_SOURCES = ["catalog", "civil", "population", "services", "social"]
BUILTIN_LEFT_OUT = {
    "fuzzy_duplicate": "approximate: record linkage (Fellegi-Sunter scores of candidate pairs), no "
                       "query gives its clusters",
    "standard_text": "approximate: legacy-encoding (TCVN3, VNI) and NFC detection, no query does it",
    "schema": "reads no rows: the declared columns against the table's contract",
    "drift": "compares the column's profile with earlier runs' profiles in the history store, not a "
             "query",
    "delivery": "not a check of the rows: judged from the recorded deliveries of the database file",
}
PLUGIN_LEFT_OUT = "the sector's own code (`<sector>.<check>`), not a built-in type"
# The checks of the built-in part where the simplest SQL (bench/compare/province/*_simple.sql)
# cannot see what the rule semantics see, per source, with why.
PROVINCE_SIMPLE_KNOWN_DIFFERENCES = {
    "catalog": {},
    "civil": {
        "range:khai_tu.ngay_mat": "a DD/MM/YYYY date of the right shape that does not exist "
                                  "(31/02/2025, 30/2/2024) is neither out of range nor unparseable",
        "allowed:khai_sinh.gioi_tinh": "'Nữ' spelt in NFD is not 'Nữ'",
    },
    "population": SIMPLE_KNOWN_DIFFERENCES,
    "services": {
        "missing:ho_so.linh_vuc": "trim() strips the ASCII space only: a no-break space is not blank",
    },
    "social": {},
}


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
    """"id|violations|rows|groups|unparseable" lines, optionally followed by "|value" (a number, or
    empty), -> {id: {field: int, "value": float}}."""
    results = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("|")
            if len(parts) not in (5, 6):
                continue
            values = {}
            for field, text in zip(TRUTH_FIELDS, parts[1:5]):
                if text != "":
                    values[field] = int(text)
            if len(parts) == 6 and parts[5] != "":
                values["value"] = float(parts[5])
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
        results[key] = {k: r[k] for k in TRUTH_FIELDS + ["value"] if k in r and r[k] is not None}
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
        # A check's value (a row count, a statistic, a share, a difference of totals), where the
        # truth has one: equal up to the rounding of a printed or differently summed double.
        if "value" in t and (g.get("value") is None or
                             not math.isclose(g["value"], t["value"], rel_tol=1e-9, abs_tol=1e-9)):
            problems.append(f"{check_id} value: truth {t['value']}, got {g.get('value')}")
        for metric, value in t.get("metrics", {}).items():
            found = g.get("metrics", {}).get(metric)
            if not within(found, value, tolerance.get("metrics", {}).get(metric)):
                problems.append(f"{check_id} metrics.{metric}: truth {value}, got {found}")
    return problems


def problem_check(problem):
    """The check id a line of compare() is about ("missing:t.c violations: ..." -> "missing:t.c")."""
    return problem.split(" ")[0].rstrip(":")


def contestant(name, command, parse, truth, rows, findings_exit=False, known=None, skipped=None,
               only_truth=False, note=""):
    """One contestant of a table: `command` run under GNU time, `parse(log)` reading a run's numbers,
    compared with `truth` ({check id: {field: value}}) over `rows` rows. Exit code 1 is accepted
    when `findings_exit` (dqaudit exits 1 when checks fail, which the demo data is made for). The
    checks of `skipped` are left out of `truth`; differences on the checks of `known` are named in
    its row but do not count as a disagreement; with `only_truth`, a result of a check that is not
    in `truth` is a disagreement (the contestant ran more than the workload). `note` is added to the
    verdict ("with the values of 6 checks")."""
    return {"name": name, "command": command, "parse": parse, "truth": truth, "rows": rows,
            "findings_exit": findings_exit, "known": known or {}, "skipped": skipped or {},
            "only_truth": only_truth, "note": note}


def run_alternating(contestants, repeat, work):
    """Runs each of `contestants` once per round, in their order, for `repeat` rounds (so that a load
    that comes and goes on a shared machine falls on all of them alike), and compares every run's
    numbers with the contestant's truth. Returns, per contestant, {"walls", "peaks", "problems",
    "expected"}: the wall times (s) and peak RSS (MB) of its runs, the differences of any run that
    are not known (or its exit code), the known differences of its last run."""
    results = [{"walls": [], "peaks": [], "problems": [], "expected": [], "stopped": False}
               for _ in contestants]
    for i in range(repeat):
        for c, r in zip(contestants, results):
            if r["stopped"]:
                continue
            log = os.path.join(work, re.sub(r"[^\w.-]+", "_", c["name"]).strip("_") + f".{i}.out")
            code, wall, peak = timed(c["command"], log)
            if code not in (0, 1) or (code == 1 and not c["findings_exit"]):
                r["problems"] = [f"exit code {code} (see {log})"]
                r["stopped"] = True
                continue
            r["walls"].append(wall)
            r["peaks"].append(peak)
            got = c["parse"](log)
            truth = {cid: t for cid, t in c["truth"].items() if cid not in c["skipped"]}
            found = compare(truth, got)
            if c["only_truth"]:
                found += [f"{cid}: not a check of the workload"
                          for cid in sorted(set(got) - set(c["truth"]))]
            r["expected"] = [p for p in found if problem_check(p) in c["known"]]
            r["problems"] += [p for p in found
                              if problem_check(p) not in c["known"] and p not in r["problems"]]
    return results


def table_row(c, r):
    """The Markdown table row of contestant `c` (contestant()) from its runs `r` (run_alternating());
    returns (the row, whether every run's numbers equalled the truth but for the known differences,
    the median wall time, the checks that differed as expected)."""
    n = len([cid for cid in c["truth"] if cid not in c["skipped"]])
    wall = statistics.median(r["walls"]) if r["walls"] else float("nan")
    rate = f"{c['rows'] / wall:,.0f}" if r["walls"] and wall > 0 else "-"
    differing = sorted({problem_check(p) for p in r["expected"]})
    verdict = f"{n - len(differing)}/{n}"
    notes = ([f"differs, as expected: {', '.join(differing)}"] if differing else []) + \
        ([f"skipped: {', '.join(sorted(c['skipped']))}"] if c["skipped"] else []) + \
        ([c["note"]] if c["note"] else [])
    if notes:
        verdict += " (" + "; ".join(notes) + ")"
    if r["problems"]:
        verdict = "NO: " + "; ".join(r["problems"][:4])
    line = (f"| {c['name']} | {wall:.2f} | {rate} | {max(r['peaks']) if r['peaks'] else float('nan'):.0f} "
            f"| {verdict} |")
    return line, not r["problems"], wall, differing


def measure(name, command, parse, truth, rows, repeat, work, findings_exit=False, known=None,
            skipped=None):
    """Runs `command` `repeat` times; returns (its Markdown table row, whether every run's numbers
    equalled `truth`, the median wall time, the known differences of the last run). `parse(log)`
    reads a run's numbers; exit code 1 is accepted when `findings_exit` (dqaudit exits 1 when checks
    fail, which the demo data is made for). The checks of `skipped` are left out of `truth`;
    differences on the checks of `known` are named in the row (agreeing "8/15") but do not count
    as a disagreement."""
    c = contestant(name, command, parse, truth, rows, findings_exit=findings_exit, known=known,
                   skipped=skipped)
    r = run_alternating([c], repeat, work)[0]
    line, exact, wall, _ = table_row(c, r)
    print(line, flush=True)
    return line, exact, wall, r["expected"]


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
    `id:` is `check_id`): the item's line and every line indented deeper than its dash. The two
    findings that are not items of `checks:` go as well: `schema:<table>` drops that table's
    `schema:` block, `delivery:<source>` the `delivery:` line of the file of that source."""
    if check_id.startswith("schema:"):
        return drop_key(text, ["tables", check_id[len("schema:"):], "schema"])
    if check_id.startswith("delivery:"):
        source = re.search(r"^source:\s*(\S+)", text, re.M)
        if source and source.group(1).strip("'\"") == check_id[len("delivery:"):]:
            return drop_key(text, ["delivery"])
        return text
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


def drop_key(text, path):
    """The YAML `text` without the mapping entry at `path` (["tables", "cong_dan", "schema"]): its
    line and every line below it indented deeper (blank lines within it too). Block mappings only,
    as the rule files write them; comments and list items do not open a key."""
    lines = text.split("\n")
    out, stack, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^( *)([A-Za-z_][\w.]*):(\s|$)", line)
        if m:
            indent = len(m.group(1))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, m.group(2)))
            if [key for _, key in stack] == path:
                end = i + 1
                while end < len(lines) and (not lines[end].strip() or
                                            len(lines[end]) - len(lines[end].lstrip(" ")) > indent):
                    end += 1
                while end > i + 1 and not lines[end - 1].strip():
                    end -= 1  # the blank lines after the entry stay
                stack.pop()
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


def sqlite3_command(data, sql_file, db="population.db"):
    """The sqlite3 shell running `sql_file` on the province's `db`, read-only."""
    return ["sh", "-c", 'exec sqlite3 -batch -readonly "$0" < "$1"', os.path.join(data, db), sql_file]


def write_sql(template, folder, data, today):
    """Writes the SQL file `template` into `folder` with {today} and {catalog}, {civil}, ... (the path
    of each database of the province in `data`) substituted; returns the path written."""
    with open(template, encoding="utf-8") as f:
        sql = f.read().replace("{today}", today)
    for source in PROVINCE_SOURCES:
        sql = sql.replace("{" + source + "}", os.path.join(data, f"{source}.db"))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, os.path.basename(template))
    with open(path, "w", encoding="utf-8") as f:
        f.write(sql)
    return path


def builtin_part(truth_doc):
    """The whole province's built-in part: ({source: {check id: its truth}} of the checks in it, in
    every source of PROVINCE_SOURCES, {"source/id": why} of the checks of rules/demo left out)."""
    inside, outside = {source: {} for source in PROVINCE_SOURCES}, {}
    for source, s in truth_doc["sources"].items():
        for cid, c in s["checks"].items():
            why = PLUGIN_LEFT_OUT if "." in c["type"] else BUILTIN_LEFT_OUT.get(c["type"])
            if why:
                outside[f"{source}/{cid}"] = why
            else:
                inside[source][cid] = c
    return inside, outside


def province_builtin(args, data, truth_doc, work):
    """The whole province's built-in part (docs/benchmarks.md "The whole province, built-in part"):
    dqaudit scanning rules/demo without the checks builtin_part() leaves out, as the nightly job
    runs it (a worker per source), against the sqlite3 shell running the simplest SQL of each
    source (bench/compare/province/<source>_simple.sql) one after the other, in alternating runs.
    Returns the table lines and whether every number equals the ground truth (the simplest SQL: but
    for PROVINCE_SIMPLE_KNOWN_DIFFERENCES)."""
    today = truth_doc["today"]
    inside, outside = builtin_part(truth_doc)
    missing = sorted(set(truth_doc["sources"]) - set(PROVINCE_SOURCES))
    if missing:
        raise SystemExit(f"compare.py: no simplest SQL for the source(s) {', '.join(missing)}")
    rules = os.path.join(work, "province-builtin-rules")
    _, rows = province_rules(rules, data, truth_doc, without={key.split("/", 1)[1] for key in outside})
    result_json = os.path.join(work, "province-builtin.json")
    scan = [args.dqaudit, "scan", rules, "--no-history", "--today", today, "--json", result_json]
    dqaudit_truth = {f"{source}/{cid}": {k: c[k] for k in TRUTH_FIELDS + ["value", "outcome", "metrics"]
                                         if k in c}
                     for source, checks in inside.items() for cid, c in checks.items()}
    values = sum("value" in t for t in dqaudit_truth.values())
    entries = [contestant("dqaudit scan, worker per source", scan,
                          lambda log: parse_dqaudit_json(result_json, source=None), dqaudit_truth, rows,
                          findings_exit=True, only_truth=True,
                          note=f"with outcomes and the values of {values} checks")]
    for source in PROVINCE_SOURCES:
        truth = {cid: {k: c[k] for k in TRUTH_FIELDS + ["value"] if k in c}
                 for cid, c in inside[source].items()}
        source_rows = sum(t["rows"] for t in truth_doc["sources"][source]["tables"].values())
        sql_file = write_sql(os.path.join(HERE, "province", f"{source}_simple.sql"),
                             os.path.join(work, "province-sql"), data, today)
        entries.append(contestant(
            f"{source}_simple.sql", sqlite3_command(data, sql_file, f"{source}.db"), parse_lines, truth,
            source_rows, known=PROVINCE_SIMPLE_KNOWN_DIFFERENCES[source], only_truth=True,
            note=f"with the values of {sum('value' in t for t in truth.values())} checks"))

    by_reason = {}
    for key, why in sorted(outside.items()):
        by_reason.setdefault(why, []).append(key)
    left_out = [f"{len(keys)} sector-plugin checks ({why})" if why == PLUGIN_LEFT_OUT
                else f"{', '.join(keys)} ({why})" for why, keys in by_reason.items()]
    lines = ["", f"Whole province, built-in part: {len(PROVINCE_SOURCES)} sources, {rows} rows, "
             f"{len(dqaudit_truth)} checks of rules/demo (every check of a built-in type but those "
             f"left out below), dqaudit against the simplest SQL of each source run one after the "
             f"other; median of {args.repeat} alternating run(s)", "",
             "Left out: " + "; ".join(left_out), "",
             "| contestant | wall time (s) | rows/s | peak RSS (MB) | numbers equal to the ground truth |",
             "|---|---:|---:|---:|---|"]
    exact_all, walls, peaks, differing, sql_exact, expected = True, [], [], 0, True, []
    for c, r in zip(entries, run_alternating(entries, args.repeat, work)):
        line, exact, wall, differs = table_row(c, r)
        print(line, flush=True)
        lines.append(line)
        exact_all &= exact
        walls.append(wall)
        if c is not entries[0]:
            peaks += r["peaks"]
            differing += len(differs)
            sql_exact &= exact
        expected += [f"- {c['name']}: {p} ({c['known'][problem_check(p)]})" for p in r["expected"]]
    # The simplest SQL of the whole province: the 5 files one after the other, the sum of their medians.
    sql_wall = sum(walls[1:])
    sql_checks = sum(len(c["truth"]) for c in entries[1:])
    verdict = f"{sql_checks - differing}/{sql_checks}" + \
        (f" (differs, as expected: {differing} checks, listed below)" if differing else "")
    if not sql_exact:
        verdict = "NO: see the rows above"
    rate = f"{rows / sql_wall:,.0f}" if sql_wall > 0 else "-"
    lines.append(f"| sum of the {len(entries) - 1} SQL files | {sql_wall:.2f} | {rate} | "
                 f"{max(peaks) if peaks else float('nan'):.0f} | {verdict} |")
    print(lines[-1], flush=True)
    if expected:
        lines += ["", "Known differences of the simplest SQL (not counted as disagreements):", ""] + expected
    if sql_wall > 0 and not math.isnan(walls[0]):
        lines += ["", f"- dqaudit / sum of simplest SQL (whole province, built-in part): "
                  f"{walls[0] / sql_wall:.2f} (target <= 0.8)"]
    return lines, exact_all


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
    ap.add_argument("--province", nargs="?", const="all", choices=["all", "full", "builtin"],
                    help="also the whole province, every rule file of rules/demo: `full` scans it "
                    "with dqaudit (every check), `builtin` times dqaudit against the simplest SQL of "
                    "every built-in check (bench/compare/province/), `all` (a bare --province) both")
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
    sql_files = {name: write_sql(os.path.join(HERE, name), work, data, today)
                 for name in ("population.sql", "population_simple.sql")}

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
    if args.province in ("all", "full"):
        more, exact = province(args, data, truth_doc, work)
        lines += more
        all_exact &= exact
    if args.province in ("all", "builtin"):
        more, exact = province_builtin(args, data, truth_doc, work)
        lines += more
        all_exact &= exact
    finish(lines, args.out, work, remove_work=all_exact and not args.work)
    return 0 if all_exact else 1


if __name__ == "__main__":
    sys.exit(main())
