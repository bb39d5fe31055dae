#!/usr/bin/env bash
# Fuzzy duplicates of the citizen register: dqaudit's fuzzy_duplicate against pandas + jellyfish,
# side by side on the same generated province (docs/benchmarks.md "Fuzzy duplicates").
# Usage: bench/fuzzy/run.sh [--scale F] [--repeat N] [--contestants LIST] [--threshold P]
#   defaults: --scale 1.0 (a real province: 1.4 million citizens) --repeat 3 --threshold 0.9
#   --contestants dqaudit,pandas (also: dqaudit-in-process)
# Installs what is missing (scripts/setup.sh, and Debian's python3-pandas and python3-jellyfish for
# the pandas contestant), builds dqaudit and the generator in ${DQA_BUILD_DIR:-build}/, generates
# the province once into data/bench-<scale>/ (seed 20261101, today 2026-11-01), runs the
# contestants alternately and writes the tables to out/bench/fuzzy-<scale>-t<threshold>.md. Exit 1 when dqaudit
# falls below the floors of issue 12 (pair recall 0.95, pair precision 0.98) or a contestant fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source bench/common.sh

scale=1.0
repeat=3
contestants=dqaudit,pandas
usage_end=12
threshold=0.9
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--threshold" ]; then
    threshold=${2:?--threshold needs a value}
    shift 2
  else
    args+=("$1")
    shift
  fi
done
bench_parse_args "${args[@]+"${args[@]}"}"
bench_prepare "pandas, jellyfish" python3-pandas python3-jellyfish

echo "== ${contestants}: ${repeat} run(s) each, alternately"
/usr/bin/python3 bench/fuzzy/fuzzy.py --data "${data}" --dqaudit "${DQA_BUILD_DIR}/dqaudit" \
  --repeat "${repeat}" --contestants "${contestants}" --threshold "${threshold}" \
  --out "out/bench/fuzzy-${scale}-t${threshold}.md"
