#!/usr/bin/env bash
# Builds dqaudit, generates the synthetic demo province (data/demo/) and runs the nightly job on it
# with the demo rules (rules/demo/) and scripts/nightly/nightly.yaml, twice, as the committee sees
# it: first on the departments' first delivery (the public-service centre with three times the
# standard defects, Sở LĐTBXH with a third), then on their redelivery (the standard demo province,
# whose exact ground truth is data/demo/ground_truth.json: the centre corrected its data, two
# failures resolved; LĐTBXH's got worse, one new failure); only the databases that changed are
# replaced, so the second run carries the unchanged sources over. out/demo/ starts afresh; each run is recorded in
# out/demo/audit.db with its reports (HTML, XLSX, JSON, CSV in Vietnamese and English) in
# out/demo/reports/ and the inspection schedule (CSV, JSON, iCalendar) in out/demo/schedule/;
# then the monthly report of the runs' month and, beside the reports, the full list of the probable
# duplicate citizens (every cluster of the fuzzy_duplicate check trung_cong_dan_gan_dung).
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

# Runs the nightly job; exit code 1 means the audit found failing checks: what the demo data is
# made for.
nightly() {
  local status=0
  "${DQA_BUILD_DIR}/dqaudit" nightly --config scripts/nightly/nightly.yaml --today "${today}" ||
    status=$?
  if [ "${status}" -ne 0 ] && [ "${status}" -ne 1 ]; then
    echo "demo: dqaudit nightly failed with exit code ${status} (log: out/demo/log/nightly.log)" >&2
    exit "${status}"
  fi
  audit_status=${status}
}
# The demo's history starts afresh, so run 1 is the first delivery and run 2 the redelivery.
rm -rf out/demo
mkdir -p out/demo

echo "== the departments' first delivery for ${today} (data/demo/)"
scripts/generate_province.sh --today "${today}" --out data/demo --defects services=3,social=0.3
echo "== nightly job: audit, history, reports, schedule (scripts/nightly/nightly.yaml)"
nightly

echo "== the redelivery: the standard demo province; only the changed databases are replaced"
rm -rf data/demo.next
scripts/generate_province.sh --today "${today}" --out data/demo.next
for db in data/demo.next/*.db; do
  cmp -s "${db}" "data/demo/$(basename "${db}")" || mv -f "${db}" data/demo/
done
mv -f data/demo.next/ground_truth.json data/demo/ground_truth.json
rm -rf data/demo.next
echo "== nightly job on the redelivery"
nightly

echo "== monthly report for ${today:0:7}"
"${DQA_BUILD_DIR}/dqaudit" report --history out/demo/audit.db --period "${today:0:7}" \
  --format html,xlsx,json,csv --lang vi --out out/demo/reports \
  --issuer "Ban Chỉ đạo chuyển đổi số tỉnh" --province "Tỉnh mẫu (dữ liệu tổng hợp)"

# Every record of every probable duplicate citizen of the last run, for Công an tỉnh to merge
# (the samples in the reports show a few clusters only).
echo "== fuzzy duplicates of the last run: every cluster (docs/reports.md \"Every failing row of a check\")"
fuzzy_list="$("${DQA_BUILD_DIR}/dqaudit" report --history out/demo/audit.db --failing trung_cong_dan_gan_dung \
  --out out/demo/reports)"

echo
echo "demo: done (exit code of the last audit: ${audit_status})"
echo "  reports:       out/demo/reports/       (open dqaudit-run-*-vi.html in a browser; docs/reports.md)"
echo "  duplicates:    ${fuzzy_list}  (every cluster of trung_cong_dan_gan_dung)"
echo "  schedule:      out/demo/schedule/      (CSV, JSON, iCalendar; docs/schedule.md)"
echo "  history store: out/demo/audit.db       (${DQA_BUILD_DIR}/dqaudit history --history out/demo/audit.db)"
echo "  IOC feed:      out/demo/feed/latest.json (docs/nightly.md \"Feeds\", docs/feed.schema.json)"
echo "  metrics:       out/demo/metrics/dqaudit.prom (node_exporter textfile; docs/nightly.md \"Metrics\")"
echo "  log:           out/demo/log/nightly.log"
echo "  demo data:     data/demo/              (ground truth: data/demo/ground_truth.json)"
