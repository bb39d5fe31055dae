// Small helpers shared by the unit tests. Defined once here rather than in each test file, so that
// a unity build (scripts/test.sh builds that way) sees no duplicate definitions.
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/util/dates.h"

namespace dqa {

// Tolerance for comparing computed scores and risks with hand-computed values.
inline constexpr double kEps = 1e-9;

// A day number from "YYYY-MM-DD" (the test's own literal, always valid).
inline int64_t D(const char* iso) { return *ParseIsoDay(iso); }

// Kills the test binary with SIGALRM after `seconds` unless destroyed first: a test that opens a
// FIFO or a device runs under one, so that a regression that blocks fails the suite instead of
// hanging it.
class HangGuard {
 public:
  explicit HangGuard(unsigned seconds) { alarm(seconds); }
  HangGuard(const HangGuard&) = delete;
  HangGuard& operator=(const HangGuard&) = delete;
  ~HangGuard() { alarm(0); }
};

// A fresh, empty folder for the running test: <temp>/<prefix><test name>_<pid>. The caller removes
// it (TearDown).
inline std::filesystem::path FreshTempDir(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    (prefix + info->name() + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace dqa
