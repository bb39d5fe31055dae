#!/usr/bin/env bash
# Scale sweep of dqaudit, the simplest SQL and pandas on the same province at several sizes
# (docs/benchmarks.md "Scale sweep").
# Usage: bench/compare/scale.sh [--scales LIST] [--repeat N] [--contestants LIST]
#   defaults: --scales 0.5,1,2,4 (0.7 to 5.6 million citizens) --repeat 3
#   --contestants dqaudit,dqaudit-in-process,sqlite3-simple,pandas,province (pandas up to scale 1
#   only: it needs about 2 GB per scale unit)
# Prepares like bench/compare/run.sh (scripts/setup.sh, python3-pandas, dqaudit and the generator
# built in ${DQA_BUILD_DIR:-build}/), generates each size once into data/bench-<scale>/ (about a
# minute per scale unit), runs bench/compare/scale.py and writes the table to out/bench/scale.md.
# Exit 1 when a dqaudit number differs from the ground truth or a contestant failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source bench/common.sh

scales=0.5,1,2,4
repeat=3
contestants=dqaudit,dqaudit-in-process,sqlite3-simple,pandas,province
usage_end=11
bench_parse_args "$@"
# A scale is written as run.sh writes it (1 -> 1.0), so that both reuse data/bench-1.0/.
normalise() { awk -v s="$1" 'BEGIN { if (s == int(s)) printf "%.1f", s; else print s + 0 }'; }
IFS=, read -r -a list <<<"${scales}"
scale=$(normalise "${list[0]}")
bench_prepare pandas python3-pandas
data_args=()
for s in "${list[@]}"; do
  bench_generate "$(normalise "$s")"
  data_args+=(--data "${data}")
done

echo "== scales ${scales}: ${contestants}, ${repeat} run(s) each"
/usr/bin/python3 bench/compare/scale.py "${data_args[@]}" --dqaudit "${DQA_BUILD_DIR}/dqaudit" \
  --repeat "${repeat}" --contestants "${contestants}" --out out/bench/scale.md
