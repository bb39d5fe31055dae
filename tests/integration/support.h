// Small helpers shared by the integration tests: reading and writing files, quoting for /bin/sh,
// running a shell command or dqaudit itself (timed), counting occurrences in a log, hashing a file
// (the tests prove source databases are never modified), a fresh folder per test, installing a
// test plugin.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
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

// Writes `text` to `path`, replacing it.
inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// How many times `what` occurs in `text`.
inline size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
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

// What one dqaudit command did: its exit code (-1 when it did not exit normally), its stdout and
// stderr, and its wall time.
struct CommandResult {
  int code = -1;
  std::string out;
  std::string err;
  double seconds = 0;
};

// Runs `dqaudit <args>` in `dir` with NO_COLOR=1 and `env` (e.g. "A=1 B=2") set; killed after
// 120 s (exit 137), so that a hang fails the test instead of blocking it. Its stdout and stderr are
// kept in dir/stdout.txt and dir/stderr.txt.
inline CommandResult RunDqaudit(const std::filesystem::path& dir, const std::string& args,
                                const std::string& env = "") {
  const std::string command = "cd " + Quote(dir.string()) + " && NO_COLOR=1 " + env +
                              " timeout -s KILL 120 " + Quote(DQA_BINARY) + " " + args +
                              " >stdout.txt 2>stderr.txt";
  CommandResult r;
  const auto start = std::chrono::steady_clock::now();
  r.code = RunShell(command);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.out = ReadFile(dir / "stdout.txt");
  r.err = ReadFile(dir / "stderr.txt");
  return r;
}

// The SHA-256 of a file as 64 hex digits (sha256sum's form, dqaudit's own implementation), ""
// when it cannot be computed.
inline std::string Sha256(const std::filesystem::path& file) {
  Result<std::string> digest = Sha256File(file.string());
  return digest.ok() ? *digest : std::string();
}

// Copies the plugin library `library` (a test plugin of the build) into the folder `to` with
// `perms`; the default passes the plugin permission checks.
inline void InstallPlugin(const std::filesystem::path& library, const std::filesystem::path& to,
                          std::filesystem::perms perms = std::filesystem::perms::owner_all |
                                                         std::filesystem::perms::group_read |
                                                         std::filesystem::perms::group_exec |
                                                         std::filesystem::perms::others_read |
                                                         std::filesystem::perms::others_exec) {
  namespace fs = std::filesystem;
  const fs::path file = to / library.filename();
  fs::copy_file(library, file, fs::copy_options::overwrite_existing);
  fs::permissions(file, perms);
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
