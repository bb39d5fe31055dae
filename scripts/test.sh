#!/usr/bin/env bash
# Runs the whole test suite. CI runs exactly this.
#   1. build-test/: dqaudit, the generator, the plugins and the integration tests with -Werror;
#      runs the integration tests (the real binaries on generated databases, worker processes with
#      their rlimits and signals, headless Chromium).
#   2. build-asan/: the unit tests with AddressSanitizer + UndefinedBehaviorSanitizer, -Werror,
#      compiled by clang++ (the product stays g++'s: step 1), and in the same build the libFuzzer
#      targets of tests/fuzz (-DDQA_FUZZ=ON: their own core sources, -O1); runs the unit tests (the
#      gtest binary in one process per core, gtest's sharding).
#   3. the libFuzzer targets, each run for DQA_FUZZ_SECONDS (20 by default) from its seed corpus
#      (DQA_FUZZ_BUILD=build-asan scripts/fuzz.sh, docs/fuzzing.md); a crash fails. With
#      DQA_SKIP_SANITIZE=1 scripts/fuzz.sh builds them in build-fuzz/ as it does for a developer.
# The PostgreSQL tests use one throwaway server started here (scripts/pg_test_server.sh).
# DQA_SKIP_SANITIZE=1 builds and runs the unit tests in build-test/ instead of step 2.
# DQA_SKIP_FUZZ=1 skips step 3 (and the fuzz targets' build in step 2).
#
# The trees are the suite's own, so the developer build in build/ keeps its configuration. All are
# unity builds of 16 files a source (not CMake's 8: the templates every file instantiates, JSON's
# above all, are compiled half as often; build-test took 240 s instead of 333 s) without full debug
# information (-O1 in build-test; -O0 and line tables under the sanitizers, the fuzz targets at -O1). The sanitized unit tests are compiled by clang++, which
# compiles them at -O0 in about half of g++'s time (on the 2-core CI machine 5.5 minutes instead of
# 10); a second compiler's warnings and its order of evaluation are a check of their own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=${SECONDS}
stamp() { echo "== $* (at $((SECONDS - started)) s)"; }

scripts/setup.sh
# One throwaway PostgreSQL server (scripts/pg_test_server.sh) for every test that needs one,
# stopped on exit even when a step fails; the tests find it through DQA_TEST_PG.
pg_dir="$(mktemp -d)"
trap 'scripts/pg_test_server.sh stop "${pg_dir}" >/dev/null 2>&1 || true' EXIT
DQA_TEST_PG="$(scripts/pg_test_server.sh start "${pg_dir}")"
export DQA_TEST_PG
stamp "PostgreSQL test server: ${DQA_TEST_PG}"
jobs="$(nproc 2>/dev/null || echo 2)"
unity=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16
       -DDQA_WERROR=ON)
sanitize=1
[ "${DQA_SKIP_SANITIZE:-0}" = "1" ] && sanitize=0
fuzz=1
[ "${DQA_SKIP_FUZZ:-0}" = "1" ] && fuzz=0

stamp "build (build-test/, -Werror)"
cmake -S . -B build-test "${unity[@]}" "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG"
if [ "${sanitize}" = "1" ]; then
  # Everything but the unit tests, which step 2 builds and runs under the sanitizers: the
  # integration tests and the benchmark as one goal (CMakeLists.txt).
  cmake --build build-test -j"${jobs}" --target dqa_integration_tests_and_bench
  stamp "integration tests"
  ctest --test-dir build-test -L integration --output-on-failure -j2
else
  cmake --build build-test -j"${jobs}"
  stamp "all tests (sanitizer build skipped: DQA_SKIP_SANITIZE=1)"
  ctest --test-dir build-test --output-on-failure -j2
fi

if [ "${sanitize}" = "1" ]; then
  stamp "ASan+UBSan build (build-asan/, -Werror)"
  cmake -S . -B build-asan "${unity[@]}" "-DCMAKE_CXX_FLAGS_RELEASE=-O0 -gline-tables-only" \
    -DDQA_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++ "-DDQA_FUZZ=$([ "${fuzz}" = 1 ] && echo ON || echo OFF)"
  # One goal for both when fuzzing (tests/fuzz/CMakeLists.txt), so that they are built side by side.
  target=dqa_tests
  [ "${fuzz}" = "1" ] && target=dqa_tests_and_fuzzers
  cmake --build build-asan -j"${jobs}" --target "${target}"
  stamp "unit tests under ASan+UBSan"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  # The gtest binary in one process per core (gtest's shards), not one process per test as ctest
  # runs it: under the sanitizers a process costs more to start than most tests take (about 10
  # minutes for 819 processes on the 2-core CI machine). The other unit tests (the benchmarks'
  # own checks, label `bench`) through ctest.
  shard_dir="$(mktemp -d)"
  pids=()
  for ((shard = 0; shard < jobs; ++shard)); do
    # (in build-asan/tests, where ctest would run it)
    (cd build-asan/tests && GTEST_TOTAL_SHARDS="${jobs}" GTEST_SHARD_INDEX="${shard}" \
      ./dqa_tests --gtest_brief=1) >"${shard_dir}/${shard}.log" 2>&1 &
    pids+=($!)
  done
  failed=0
  for ((shard = 0; shard < jobs; ++shard)); do
    if ! wait "${pids[${shard}]}"; then
      failed=1
      echo "== unit tests, shard ${shard} of ${jobs}: FAILED"
      cat "${shard_dir}/${shard}.log"
    else
      tail -n 2 "${shard_dir}/${shard}.log"
    fi
  done
  rm -rf "${shard_dir}"
  [ "${failed}" = 0 ] || exit 1
  ctest --test-dir build-asan -L bench --output-on-failure -j2
fi

if [ "${fuzz}" = "1" ]; then
  fuzz_build=build-fuzz
  [ "${sanitize}" = "1" ] && fuzz_build=build-asan
  stamp "fuzz targets (${fuzz_build}/, ${DQA_FUZZ_SECONDS:-20} s each)"
  DQA_FUZZ_BUILD="${fuzz_build}" scripts/fuzz.sh all "${DQA_FUZZ_SECONDS:-20}"
fi
stamp "all tests passed"
