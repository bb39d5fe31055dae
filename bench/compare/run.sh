#!/usr/bin/env bash
# dqaudit against hand-written SQL and pandas on the same generated province (docs/benchmarks.md).
# Usage: bench/compare/run.sh [--scale F] [--repeat N] [--contestants LIST]
#   defaults: --scale 1.0 (a real province: 1.4 million citizens) --repeat 3
#   --contestants dqaudit,dqaudit-in-process,sqlite3,pandas
# Installs what is missing (scripts/setup.sh, and Debian's python3-pandas for the pandas
# contestant), builds dqaudit and the generator in ${DQA_BUILD_DIR:-build}/, generates the province
# once into data/bench-<scale>/ (seed 20261101, today 2026-11-01) and writes the table to
# out/bench/compare-<scale>.md, then scans the whole province (every rule file of rules/demo) the
# same way. Exit 1 when a number or outcome differs from the ground truth.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

scale=1.0
repeat=3
contestants=dqaudit,dqaudit-in-process,sqlite3,pandas
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=${2:?--scale needs a value}; shift 2 ;;
    --repeat) repeat=${2:?--repeat needs a value}; shift 2 ;;
    --contestants) contestants=${2:?--contestants needs a value}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
export DQA_BUILD_DIR="${DQA_BUILD_DIR:-build}"

scripts/setup.sh
if [[ ",${contestants}," == *",pandas,"* ]] && ! /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
  echo "run.sh: installing python3-pandas (Debian) for the pandas contestant"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-pandas
fi
cmake -S . -B "${DQA_BUILD_DIR}" >/dev/null
cmake --build "${DQA_BUILD_DIR}" -j"$(nproc 2>/dev/null || echo 2)" --target dqaudit dqa_datagen

data="data/bench-${scale}"
if [ ! -f "${data}/ground_truth.json" ]; then
  echo "== generating the province at scale ${scale} (${data}/)"
  scripts/generate_province.sh --scale "${scale}" --today 2026-11-01 --out "${data}"
fi
echo "== ${contestants}: ${repeat} run(s) each"
/usr/bin/python3 bench/compare/compare.py --data "${data}" --dqaudit "${DQA_BUILD_DIR}/dqaudit" \
  --repeat "${repeat}" --contestants "${contestants}" --province --out "out/bench/compare-${scale}.md"
