#!/usr/bin/env bash
# dqaudit against hand-written SQL and pandas on the same generated province (docs/benchmarks.md).
# Usage: bench/compare/run.sh [--scale F] [--repeat N] [--contestants LIST]
#   defaults: --scale 1.0 (a real province: 1.4 million citizens) --repeat 3
#   --contestants dqaudit,dqaudit-in-process,sqlite3,sqlite3-simple,pandas
#   PostgreSQL: --contestants dqaudit,dqaudit-postgres,psql starts a throwaway server, copies the
#   province's population and catalog into it with dqa_pgload (load time printed) and stops it at exit
# Installs what is missing (scripts/setup.sh, and Debian's python3-pandas for the pandas
# contestant), builds dqaudit and the generator in ${DQA_BUILD_DIR:-build}/, generates the province
# once into data/bench-<scale>/ (seed 20261101, today 2026-11-01) and writes the table to
# out/bench/compare-<scale>.md, then scans the whole province (every rule file of rules/demo) the
# same way, and times its built-in part against the simplest SQL (bench/compare/province/: dqaudit
# <= 0.8 x their sum). Exit 1 when a number or outcome differs from the ground truth.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source bench/common.sh

scale=1.0
repeat=3
contestants=dqaudit,dqaudit-in-process,sqlite3,sqlite3-simple,pandas
usage_end=13
bench_parse_args "$@"
bench_prepare pandas python3-pandas
bench_postgres

echo "== ${contestants}: ${repeat} run(s) each"
/usr/bin/python3 bench/compare/compare.py --data "${data}" --dqaudit "${DQA_BUILD_DIR}/dqaudit" \
  --repeat "${repeat}" --contestants "${contestants}" "${pg_args[@]}" --province --out "out/bench/compare-${scale}.md"
