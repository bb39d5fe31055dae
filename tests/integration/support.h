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

// The SHA-256 of a file as 64 hex digits (sha256sum), "" when it cannot be computed.
inline std::string Sha256(const std::filesystem::path& file) {
  FILE* pipe = popen(("sha256sum " + Quote(file.string())).c_str(), "r");
  if (pipe == nullptr) return "";
  char buf[65] = {0};
  const size_t n = std::fread(buf, 1, 64, pipe);
  pclose(pipe);
  return std::string(buf, n);
}

}  // namespace dqa::test_support
