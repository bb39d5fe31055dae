#!/usr/bin/env bash
# Builds dqaudit with warnings as errors and runs the whole test suite, then builds the unit tests
# with AddressSanitizer + UndefinedBehaviorSanitizer and runs them (DQA_SKIP_SANITIZE=1 skips that).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
jobs="$(nproc 2>/dev/null || echo 2)"

echo "== build (build/, -DDQA_WERROR=ON)"
cmake -S . -B build -DDQA_WERROR=ON
cmake --build build -j"${jobs}"
echo "== tests"
ctest --test-dir build --output-on-failure -j2

if [ "${DQA_SKIP_SANITIZE:-0}" = "1" ]; then
  echo "== sanitizer build skipped (DQA_SKIP_SANITIZE=1)"
  exit 0
fi

echo "== ASan+UBSan build (build-asan/)"
cmake -S . -B build-asan -DDQA_WERROR=ON -DDQA_SANITIZE=ON
cmake --build build-asan -j"${jobs}" --target dqa_tests
echo "== unit tests under ASan+UBSan"
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir build-asan -L unit --output-on-failure -j2
echo "== all tests passed"
