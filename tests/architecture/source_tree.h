// The source tree as the architecture tests read it: the C++ files of core/, reports/ and
// plugins/, and the folder they are read from. Shared by the layering and the check catalogue
// layout tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tests/unit_support.h"

namespace dqa::architecture {

// The source folder of the tree the tests run on (the real one).
inline const std::filesystem::path kSourceDir = DQA_SOURCE_DIR;

// The C++ files under root/core, root/reports and root/plugins, relative to root, sorted.
inline std::vector<std::string> SourceFiles(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  static const std::set<std::string> kExtensions = {".h", ".hh", ".hpp", ".cc", ".cpp", ".inc"};
  std::vector<std::string> files;
  for (const char* top : {"core", "reports", "plugins"}) {
    if (!fs::is_directory(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file() || !kExtensions.count(entry.path().extension().string())) {
        continue;
      }
      files.push_back(fs::relative(entry.path(), root).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// `lines`, one per line and indented, for a failure message.
inline std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += "  " + l + "\n";
  return out;
}

// A fixture for the checkers on small trees: a fresh folder per test, removed afterwards, and files
// written into it.
class SmallTreeTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = FreshTempDir("dqa_tree_"); }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void Write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories((root_ / path).parent_path());
    std::ofstream(root_ / path) << text;
  }
  std::filesystem::path root_;
};

}  // namespace dqa::architecture
