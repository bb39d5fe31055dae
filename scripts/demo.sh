#!/usr/bin/env bash
# Builds dqaudit, generates the synthetic demo province (data/demo/) and runs the nightly job on it
# with the demo rules (rules/demo/) and scripts/nightly/nightly.yaml: a full audit recorded in
# out/demo/audit.db, the reports (HTML, XLSX, JSON, CSV in Vietnamese and English) in
# out/demo/reports/, the inspection schedule (CSV, JSON, iCalendar) in out/demo/schedule/, then the
# monthly report of the run's month.
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

echo "== nightly job: audit, history, reports, schedule (scripts/nightly/nightly.yaml)"
mkdir -p out/demo
status=0
"${DQA_BUILD_DIR}/dqaudit" nightly --config scripts/nightly/nightly.yaml --today "${today}" || status=$?
# 1 means the audit found failing checks: that is what the demo data is made for.
if [ "${status}" -ne 0 ] && [ "${status}" -ne 1 ]; then
  echo "demo: dqaudit nightly failed with exit code ${status} (log: out/demo/log/nightly.log)" >&2
  exit "${status}"
fi

echo "== monthly report for ${today:0:7}"
"${DQA_BUILD_DIR}/dqaudit" report --history out/demo/audit.db --period "${today:0:7}" \
  --format html,xlsx,json,csv --lang vi --out out/demo/reports

echo
echo "demo: done (audit exit code ${status})"
echo "  reports:       out/demo/reports/       (open dqaudit-run-*-vi.html in a browser; docs/reports.md)"
echo "  schedule:      out/demo/schedule/      (CSV, JSON, iCalendar; docs/schedule.md)"
echo "  history store: out/demo/audit.db       (${DQA_BUILD_DIR}/dqaudit history --history out/demo/audit.db)"
echo "  log:           out/demo/log/nightly.log"
echo "  demo data:     data/demo/              (ground truth: data/demo/ground_truth.json)"
