#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in build-fuzz/ (clang++, -fsanitize=fuzzer,address,
# undefined) and runs one, or each (one per core at a time), for SECONDS (docs/fuzzing.md):
#   scripts/fuzz.sh TARGET SECONDS     TARGET: rule_parser dates cccd_phone worker_stream text
#                                      sqlite_btree
#   scripts/fuzz.sh all SECONDS
# A run starts from the seed corpus tests/fuzz/corpus/TARGET, copied into build-fuzz/corpus/TARGET
# (the work corpus, kept between runs so coverage accumulates; the repository is never written),
# with the dictionary tests/fuzz/TARGET.dict when there is one. It prints the executions and the
# coverage of the run; a crash, a sanitizer report, a timeout or a leak is saved in
# build-fuzz/crashes/TARGET/ and printed, and the script exits 1.
# Extra libFuzzer flags: DQA_FUZZ_FLAGS="-max_len=100000".
# Another tree: DQA_FUZZ_BUILD=DIR (build-fuzz by default) is configured as above when it has no
# CMakeCache.txt, and must have been configured with -DDQA_FUZZ=ON when it has one (scripts/test.sh
# builds the targets in its sanitized tree, build-asan/); the corpus, crashes and logs are in DIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

targets=(rule_parser dates cccd_phone worker_stream text sqlite_btree)
usage() { echo "usage: scripts/fuzz.sh {$(IFS='|'; echo "${targets[*]}")|all} SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
[[ "$2" =~ ^[0-9]+$ ]] || usage
if [ "$1" = "all" ]; then
  selected=("${targets[@]}")
else
  [[ " ${targets[*]} " == *" $1 "* ]] || usage
  selected=("$1")
fi
seconds=$2

build="${DQA_FUZZ_BUILD:-build-fuzz}"
if [ ! -f "${build}/CMakeCache.txt" ]; then
  cmake -S . -B "${build}" -DDQA_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O1" -DCMAKE_UNITY_BUILD=ON -DDQA_BUILD_TESTS=OFF \
    -DDQA_BUILD_BENCH=OFF >/dev/null
elif ! grep -q '^DQA_FUZZ:BOOL=ON$' "${build}/CMakeCache.txt"; then
  echo "fuzz.sh: ${build} was configured without -DDQA_FUZZ=ON" >&2
  exit 2
fi
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --build "${build}" -j"${jobs}" --target "${selected[@]/%/_fuzz}"

# Runs target $1 for `seconds` into its log; its exit code is libFuzzer's.
run_target() {
  local t=$1
  local corpus="${build}/corpus/${t}"
  local crashes="${build}/crashes/${t}"
  local log="${build}/logs/${t}.log"
  mkdir -p "${corpus}" "${crashes}" "$(dirname "${log}")"
  cp -r tests/fuzz/corpus/"${t}"/. "${corpus}"/
  local flags=(-max_total_time="${seconds}" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
               -artifact_prefix="${crashes}/")
  [ -f "tests/fuzz/${t}.dict" ] && flags+=(-dict="tests/fuzz/${t}.dict")
  # shellcheck disable=SC2086  # DQA_FUZZ_FLAGS is a list of flags
  nice -n 10 /usr/bin/time -f "cpu: %U s user, %S s system, %e s wall" \
    "${build}/fuzz/${t}_fuzz" "${flags[@]}" ${DQA_FUZZ_FLAGS:-} "${corpus}" >"${log}" 2>&1
}

# Prints what target $1's run gave (exit code $2); a failure sets `status`.
report_target() {
  local t=$1 rc=$2
  local log="${build}/logs/${t}.log"
  echo "== fuzz ${t}: ${seconds} s"
  # libFuzzer's last status line (executions, cov: edges, ft: features, corpus) and its totals.
  grep -E '^#[0-9]+[[:space:]]' "${log}" | tail -n 1 || true
  grep -E '^Done [0-9]+ runs|^stat::(number_of_executed_units|peak_rss_mb)|^cpu: ' "${log}" || true
  if [ "${rc}" -ne 0 ]; then
    status=1
    echo "!! fuzz ${t} FAILED (exit ${rc}); log: ${log}"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz property violated|.*runtime error)' "${log}" | head -n 5 || true
    grep -E 'Test unit written to' "${log}" || true
  fi
}

# The targets run one per core at a time (each is one process), reported in order.
status=0
for ((first = 0; first < ${#selected[@]}; first += jobs)); do
  pids=()
  for ((i = first; i < first + jobs && i < ${#selected[@]}; ++i)); do
    run_target "${selected[${i}]}" &
    pids+=($!)
  done
  for ((i = first; i < first + jobs && i < ${#selected[@]}; ++i)); do
    if wait "${pids[$((i - first))]}"; then rc=0; else rc=$?; fi
    report_target "${selected[${i}]}" "${rc}"
  done
done
exit "${status}"
