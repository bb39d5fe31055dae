#!/usr/bin/env bash
# Generates the synthetic demo province (five department databases + ground_truth.json) with the
# already built generator. Builds nothing: run cmake/make first (see README).
# Usage: scripts/generate_province.sh [--scale F] [--seed N] [--today YYYY-MM-DD] [--out DIR]
#          [--defects SOURCE=FACTOR,...]
#   defaults: --scale 0.05 --seed 20261101 --today <today's UTC date> --out data/demo
#   DQA_BUILD_DIR selects the build folder (default: build).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${DQA_BUILD_DIR:-build}
case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac
datagen="$build_dir/dqa_datagen"

scale=0.05
seed=20261101
today=""
defects=""
out="$root/data/demo"
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=${2:?--scale needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --today) today=${2:?--today needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    --defects) defects=${2:?--defects needs a value}; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "generate_province.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ ! -x "$datagen" ]; then
  echo "generate_province.sh: $datagen not found; build it first: make -C $build_dir dqa_datagen" >&2
  exit 2
fi
args=(--out "$out" --scale "$scale" --seed "$seed")
[ -n "$today" ] && args+=(--today "$today")
[ -n "$defects" ] && args+=(--defects "$defects")
exec "$datagen" "${args[@]}"
