#!/usr/bin/env bash
# Builds dqaudit, generates the synthetic demo province (data/demo/) and audits it with the demo
# rules (rules/demo/). Results: out/demo/results.json and the history store out/demo/audit.db.
# DQA_DEMO_TODAY=YYYY-MM-DD fixes the reference date (default: today, UTC); DQA_BUILD_DIR selects
# the build folder (default: build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

today="${DQA_DEMO_TODAY:-$(date -u +%F)}"
jobs="$(nproc 2>/dev/null || echo 2)"
export DQA_BUILD_DIR="${DQA_BUILD_DIR:-build}"  # generate_province.sh reads it too

scripts/setup.sh
echo "== build (${DQA_BUILD_DIR}/)"
cmake -S . -B "${DQA_BUILD_DIR}"
# rules/demo uses the sector plugins (plugins/*), which dqaudit finds in ${DQA_BUILD_DIR}/plugins.
cmake --build "${DQA_BUILD_DIR}" -j"${jobs}" --target dqaudit dqa_datagen population civil_registration \
  social_protection public_services

echo "== generating the demo province for ${today} (data/demo/)"
scripts/generate_province.sh --today "${today}" --out data/demo

echo "== scanning"
mkdir -p out/demo
status=0
"${DQA_BUILD_DIR}/dqaudit" scan rules/demo --json out/demo/results.json --history out/demo/audit.db \
  --today "${today}" || status=$?
# 1 means the audit found failing checks: that is what the demo data is made for.
if [ "${status}" -ne 0 ] && [ "${status}" -ne 1 ]; then
  echo "demo: dqaudit scan failed with exit code ${status}" >&2
  exit "${status}"
fi

echo
echo "demo: done (dqaudit exit code ${status})"
echo "  results JSON:  out/demo/results.json   (format: docs/results-json.md)"
echo "  history store: out/demo/audit.db       (${DQA_BUILD_DIR}/dqaudit history --history out/demo/audit.db)"
echo "  demo data:     data/demo/              (ground truth: data/demo/ground_truth.json)"
