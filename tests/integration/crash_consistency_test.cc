// Crash consistency of the history store: `scan` and `nightly` killed with SIGKILL at every
// transaction boundary of audit.db (the crash points of core/util/crash_point.h) and at timed
// moments, and a store that hits a full disk. After each: audit.db passes PRAGMA integrity_check,
// the earlier run is intact, the interrupted run is marked, and the next run gives results identical
// to an uninterrupted one.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"

namespace dqa {
namespace crash_consistency_test {
namespace {

using dqa::test_support::Quote;
using dqa::test_support::ReadFile;
using dqa::test_support::RunShell;
using dqa::test_support::Sha256;
using nlohmann::json;

namespace fs = std::filesystem;

constexpr const char* kToday = "2026-11-01";
constexpr int kSources = 5;

// How a child ended: exit code, or the signal that killed it.
struct Ended {
  int code = -1;
  int signal = 0;
};

// Runs `dqaudit args` in `dir` with `env` added ("NAME=value" items), output in <name>.out/.err;
// `kill_after_ms` >= 0 sends SIGKILL after that long (if it still runs). Unlike
// test_support::RunDqaudit, it tells the signal that ended the process.
Ended RunKillable(const fs::path& dir, const std::string& args, const std::string& name,
                 const std::vector<std::string>& env = {}, int kill_after_ms = -1) {
  std::string command = "cd " + Quote(dir.string()) + " && exec env";
  for (const std::string& e : env) command += " " + Quote(e);
  command += " " + Quote(DQA_BINARY) + " " + args + " >" + name + ".out 2>" + name + ".err";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (kill_after_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Ended e;
  if (WIFEXITED(status)) e.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
  return e;
}

// What must be identical between an interrupted-then-finished run and an uninterrupted one: every
// check's outcome and figures, by source and check id. The schema_change findings are left out:
// they compare with what earlier runs recorded, and the interrupted run recorded some sources.
using Figures = std::map<std::pair<std::string, std::string>, std::string>;
Figures FiguresOf(const fs::path& results_json) {
  Figures out;
  const json j = json::parse(ReadFile(results_json), nullptr, false);
  if (j.is_discarded()) return out;
  for (const json& r : j["results"]) {
    if (r["type"] == "schema_change") continue;
    json kept = {{"outcome", r["outcome"]},         {"violations", r["violations"]},
                 {"rows_checked", r["rows_checked"]}, {"percent", r["percent"]},
                 {"samples", r.value("samples", json())}, {"message", r.value("message", "")}};
    // A drift check compares with the earlier runs of its store, which differ from store to
    // store here: its outcome and violations are what must not change.
    if (r["type"] == "drift") kept = {{"outcome", r["outcome"]}, {"violations", r["violations"]}};
    out[{r["source"], r["id"]}] = kept.dump();
  }
  return out;
}

class CrashConsistencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) / "crash" /
           (std::string(info->name()) + "-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    ASSERT_TRUE(test_support::MakeDemoProvince(dir_, kToday));
    for (const auto& entry : fs::directory_iterator(dir_ / "data" / "demo")) {
      hashes_[entry.path().filename()] = Sha256(entry.path());
    }
  }

  std::string Scan(const std::string& history, const std::string& json_name) const {
    return std::string("scan rules/demo --today ") + kToday + " --jobs 2 --quiet --history " +
           history + " --json " + json_name;
  }

  // One value of a query on a store (read-write, as the next dqaudit would open it).
  std::string One(const std::string& store, const std::string& sql) {
    auto db = SqliteDb::OpenReadWrite((dir_ / store).string(), false);
    EXPECT_TRUE(db.ok()) << store << ": " << db.status().message();
    if (!db.ok()) return "";
    auto stmt = (*db)->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    if (!stmt.ok()) return "";
    Result<bool> row = stmt->Step();
    if (!row.ok() || !*row) return "";
    return std::string(stmt->ColumnText(0));
  }

  // Every stored check result of run `run_id`, one line each, in source and check order.
  std::string StoredFigures(const std::string& store, int run_id) {
    return One(store, "SELECT group_concat(line, char(10)) FROM (SELECT s.source || ' ' || "
                      "c.check_id || ' ' || c.outcome || ' ' || c.violations || ' ' || "
                      "c.rows_checked || ' ' || c.percent || ' ' || c.message AS line FROM "
                      "check_results c JOIN sources s ON s.id = c.source_id WHERE c.type <> 'schema_change' "
                      "AND c.run_id = " +
                          std::to_string(run_id) + " ORDER BY s.source, c.ordinal)");
  }

  void ExpectSourcesUntouched() {
    for (const auto& [file, hash] : hashes_) EXPECT_EQ(Sha256(dir_ / "data" / "demo" / file), hash);
  }

  fs::path dir_;
  std::map<fs::path, std::string> hashes_;
};

TEST_F(CrashConsistencyTest, ScanKilledAtEveryStoreBoundaryLeavesAConsistentStore) {
  // The uninterrupted reference, and a store with one complete run that every case starts from.
  ASSERT_EQ(RunKillable(dir_, Scan("base.db", "reference.json"), "reference").code, 1);
  const Figures reference = FiguresOf(dir_ / "reference.json");
  ASSERT_EQ(reference.size(), 89u);

  struct Case {
    std::string crash_at;  // "" = killed by the test after kill_after_ms
    int kill_after_ms;
    int sources_kept;  // sources of the killed run left in the store; -1 = the run is not there
  };
  const std::vector<Case> cases = {
      {"history.begin_run", -1, -1},         {"history.record_source", -1, 0},
      {"history.record_source#3", -1, 2},    {"history.source_recorded", -1, 1},
      {"history.source_recorded#4", -1, 4},  {"history.source_recorded#5", -1, 5},
      {"history.finish_run", -1, 5},         {"", 0, -2},
      {"", 40, -2},                          {"", 120, -2},
      {"", 250, -2},                         {"", 400, -2},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    SCOPED_TRACE("crash at '" + c.crash_at + "' / kill after " + std::to_string(c.kill_after_ms) +
                 " ms");
    const std::string store = "case" + std::to_string(i) + ".db";
    ASSERT_FALSE(fs::exists(dir_ / "base.db-wal"));  // closed cleanly: one file is the store
    fs::copy_file(dir_ / "base.db", dir_ / store);
    std::vector<std::string> env;
    if (!c.crash_at.empty()) env.push_back("DQA_TEST_CRASH_AT=" + c.crash_at);
    const Ended killed =
        RunKillable(dir_, Scan(store, "killed.json"), "killed", env, c.kill_after_ms);
    if (c.kill_after_ms < 0) {
      EXPECT_EQ(killed.signal, SIGKILL) << ReadFile(dir_ / "killed.err");
    }

    EXPECT_EQ(One(store, "PRAGMA integrity_check"), "ok");
    EXPECT_EQ(One(store, "PRAGMA foreign_key_check"), "");
    EXPECT_EQ(One(store, "SELECT r.status || ' ' || COUNT(*) FROM sources s JOIN runs r ON "
                         "r.id = s.run_id WHERE r.id = 1"),
              "complete " + std::to_string(kSources));
    if (c.sources_kept == -1) {
      EXPECT_EQ(One(store, "SELECT COUNT(*) FROM runs"), "1");
    } else if (c.sources_kept >= 0) {
      EXPECT_EQ(One(store, "SELECT COUNT(*) FROM sources WHERE run_id = 2"),
                std::to_string(c.sources_kept));
      EXPECT_EQ(One(store, "SELECT status FROM runs WHERE id = 2"), "running");
    }
    // A source is all or nothing: every recorded source has all of its checks.
    EXPECT_EQ(One(store, "SELECT COUNT(*) FROM sources s WHERE (SELECT COUNT(*) FROM "
                         "check_results c WHERE c.source_id = s.id) = 0"),
              "0");

    // The next run marks the killed one and gives the uninterrupted results.
    const Ended next = RunKillable(dir_, Scan(store, "next.json"), "next");
    EXPECT_EQ(next.code, 1) << ReadFile(dir_ / "next.err");
    EXPECT_EQ(FiguresOf(dir_ / "next.json"), reference);
    EXPECT_EQ(One(store, "PRAGMA integrity_check"), "ok");
    const std::string killed_status = One(store, "SELECT status FROM runs WHERE id = 2");
    if (c.sources_kept >= 0) {
      EXPECT_EQ(killed_status, "interrupted");
    }
    if (c.sources_kept == -2) {
      // A timed kill may land anywhere, even after the run finished.
      EXPECT_TRUE(killed_status == "interrupted" || killed_status == "complete" ||
                  killed_status == "")
          << killed_status;
    }
    EXPECT_EQ(One(store, "SELECT COUNT(*) FROM runs WHERE status = 'running'"), "0");
  }
  ExpectSourcesUntouched();
}

TEST_F(CrashConsistencyTest, NightlyKilledIsFinishedByTheNextRunWithTheSameResults) {
  const std::string config_text =
      "rules: rules/demo\nhistory: STORE\njobs: 2\nlog: {file: log/nightly.log}\n";
  auto config = [&](const std::string& store) {
    std::string text = config_text;
    text.replace(text.find("STORE"), 5, store);
    const std::string name = store + ".yaml";
    std::ofstream(dir_ / name) << text;
    return std::string("nightly --config ") + name + " --today " + kToday;
  };
  ASSERT_EQ(RunKillable(dir_, config("reference.db"), "reference").code, 1);

  for (const std::string crash_at :
       {"history.record_source#2", "history.source_recorded#3", "history.finish_run"}) {
    SCOPED_TRACE(crash_at);
    const std::string store = "n-" + crash_at.substr(crash_at.find('.') + 1) + ".db";
    const Ended killed =
        RunKillable(dir_, config(store), "killed", {"DQA_TEST_CRASH_AT=" + crash_at});
    EXPECT_EQ(killed.signal, SIGKILL) << ReadFile(dir_ / "killed.err");
    EXPECT_EQ(One(store, "PRAGMA integrity_check"), "ok");

    const Ended next = RunKillable(dir_, config(store), "next");
    EXPECT_EQ(next.code, 1) << ReadFile(dir_ / "next.err");
    EXPECT_EQ(One(store, "SELECT status FROM runs WHERE id = 1"), "interrupted");
    EXPECT_EQ(One(store, "SELECT resumed_from || ' ' || status FROM runs WHERE id = 2"),
              "1 complete");
    // The finished run's results are the uninterrupted run's, check by check.
    EXPECT_EQ(StoredFigures(store, 2), StoredFigures("reference.db", 1));
    EXPECT_EQ(One(store, "SELECT COUNT(*) FROM check_results WHERE run_id = 2"), "94");
  }
  ExpectSourcesUntouched();
}

TEST_F(CrashConsistencyTest, FullDiskFailsTheRecordingAndTheNextRunRecovers) {
  ASSERT_EQ(RunKillable(dir_, Scan("full.db", "first.json"), "first").code, 1);
  // The store may not grow: write() fails with EFBIG (SIGXFSZ ignored), as on a full disk.
  const std::string limited =
      "sh -c " + Quote("trap '' XFSZ; ulimit -f " + std::to_string(fs::file_size(dir_ / "full.db") / 512) +
                       "; exec " + std::string(DQA_BINARY) + " " + Scan("full.db", "second.json"));
  const int code = RunShell("cd " + Quote(dir_.string()) + " && " + limited +
                            " >second.out 2>second.err");
  EXPECT_EQ(code, 3) << ReadFile(dir_ / "second.err");
  // The message names the source, the run and the system's reason, not just "disk I/O error".
  EXPECT_NE(ReadFile(dir_ / "second.err").find("history store: recording source "),
            std::string::npos)
      << ReadFile(dir_ / "second.err");
  EXPECT_NE(ReadFile(dir_ / "second.err").find("is the disk full"), std::string::npos)
      << ReadFile(dir_ / "second.err");
  EXPECT_EQ(One("full.db", "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(One("full.db", "SELECT status FROM runs WHERE id = 1"), "complete");

  const Ended next = RunKillable(dir_, Scan("full.db", "third.json"), "third");
  EXPECT_EQ(next.code, 1) << ReadFile(dir_ / "third.err");
  EXPECT_EQ(FiguresOf(dir_ / "third.json"), FiguresOf(dir_ / "first.json"));
  EXPECT_EQ(One("full.db", "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(One("full.db", "SELECT COUNT(*) FROM runs WHERE status = 'running'"), "0");
  ExpectSourcesUntouched();
}

}  // namespace
}  // namespace crash_consistency_test
}  // namespace dqa
