#!/usr/bin/env bash
# Nightly benchmark: `dqaudit nightly` after 0%, 1% and 10% of the population table's rows changed,
# against a `nightly --full` rescan of the same data (docs/benchmarks.md "Nightly").
# Usage: bench/nightly/run.sh [--scale F] [--rules compare|demo] [--days-apart N] [--repeat N]
#   defaults: --scale 1.0 (1.4 million citizens; --scale 0.05 is a quick try) --rules compare
#   (bench/compare/rules: population and its catalog; demo: every rule file of rules/demo)
#   --days-apart 1 (the nights a day apart, as real nights are; 0: all on 2026-11-01)
#   --repeat 3 (each level's incremental and full runs alternated 3 times: median times)
# Prepares like bench/compare/run.sh (scripts/setup.sh, dqaudit and the generator built in
# ${DQA_BUILD_DIR:-build}/, the province generated once into data/bench-<scale>/), then runs
# bench/nightly/nightly.py on copies of it (clustered and scattered changes) and writes the table
# to out/bench/nightly-<scale>.md. Exit 1 when an incremental run's results differ from the full
# rescan's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source bench/common.sh

scale=1.0
rules=compare
days_apart=1
repeat=3
contestants=""
usage_end=13
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rules) rules=${2:?--rules needs a value}; shift 2 ;;
    --days-apart) days_apart=${2:?--days-apart needs a value}; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
bench_parse_args "${args[@]}"
bench_prepare none
echo "== nightly benchmark on ${data} (rules: ${rules})"
/usr/bin/python3 bench/nightly/nightly.py --data "${data}" --dqaudit "${DQA_BUILD_DIR}/dqaudit" \
  --rules "${rules}" --days-apart "${days_apart}" --repeat "${repeat}" --out "out/bench/nightly-${scale}.md"
