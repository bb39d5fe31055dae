// Small helpers shared by the unit tests. Defined once here rather than in each test file, so that
// a unity build (scripts/test.sh builds that way) sees no duplicate definitions.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
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

// The catalog keys a folder of the source tree names as literals: the first group of `literal`
// in every .cc file under `<source root>/<folder>` (tests compare them with the catalogs).
inline std::set<std::string> KeyLiteralsIn(const std::string& folder, const std::regex& literal) {
  const std::filesystem::path dir =
      std::filesystem::path(DQA_TEST_DATA_DIR).parent_path().parent_path() / folder;
  std::set<std::string> keys;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".cc") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (auto it = std::sregex_iterator(s.begin(), s.end(), literal); it != std::sregex_iterator();
         ++it) {
      keys.insert((*it)[1].str());
    }
  }
  return keys;
}

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

// A fresh folder <temp>/<prefix>XXXXXX (mkdtemp), removed with everything in it when the object
// goes: for tests that make files in a folder of their own, so that no run leaves any behind.
class ScopedTempDir {
 public:
  explicit ScopedTempDir(const std::string& prefix) {
    std::string tmpl = (std::filesystem::path(::testing::TempDir()) / (prefix + "XXXXXX")).string();
    const char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr) << tmpl;
    if (made != nullptr) path_ = made;
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace dqa
