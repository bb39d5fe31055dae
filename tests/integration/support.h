// Small helpers shared by the integration tests: reading files, quoting for /bin/sh, running a
// shell command, hashing a file (the tests prove source databases are never modified).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/util/sha256.h"

namespace dqa::test_support {

// The whole file as bytes ("" when it cannot be read).
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `s` single-quoted for /bin/sh.
inline std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `command` with /bin/sh; its exit code, or -1 when it did not exit normally.
inline int RunShell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A fresh, empty folder for the running test: DQA_WORK_DIR/<suite>/<test name>.
inline std::filesystem::path FreshTestDir(const std::string& suite) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::path(DQA_WORK_DIR) / suite / info->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The SHA-256 of a file as 64 hex digits (sha256sum's form, dqaudit's own implementation), ""
// when it cannot be computed.
inline std::string Sha256(const std::filesystem::path& file) {
  Result<std::string> digest = Sha256File(file.string());
  return digest.ok() ? *digest : std::string();
}

// The demo province at test scale under `dir`: databases in dir/data/demo (dqa_datagen, scale 0.005,
// seed 42, reference day `today`) and the demo rule files copied to dir/rules/demo, where their
// relative database paths find them. False when the generator failed.
inline bool MakeDemoProvince(const std::filesystem::path& dir, const std::string& today) {
  namespace fs = std::filesystem;
  fs::create_directories(dir / "rules" / "demo");
  if (RunShell(std::string(DQA_DATAGEN) + " --out " + Quote((dir / "data" / "demo").string()) +
               " --scale 0.005 --seed 42 --today " + today + " 2>/dev/null") != 0) {
    return false;
  }
  for (const auto& entry : fs::directory_iterator(DQA_RULES_DIR)) {
    if (entry.path().extension() == ".yaml") {
      fs::copy_file(entry.path(), dir / "rules" / "demo" / entry.path().filename(),
                    fs::copy_options::overwrite_existing);
    }
  }
  return true;
}

}  // namespace dqa::test_support
