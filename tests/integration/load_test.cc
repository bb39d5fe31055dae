// Load: 50 sources scanned with 2 jobs while four plugins misbehave, two while loading (init_hang,
// init_segv: probed in a helper) and two while scanning (hang_loop, crash_segv: in workers). Every
// other result is exact, each misbehaviour is paid at most once per job, every later source says
// the plugin is quarantined, and the run ends within one probe timeout plus one worker timeout (a
// fixed margin aside). `scan` and `nightly` alike; each is timed against the same 50 sources
// without the misbehaving plugins.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"

namespace dqa {
namespace load_test {
namespace {

using test_support::CommandResult;
using test_support::Count;
using test_support::ReadFile;
using test_support::WriteFile;

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kSources = 50;
constexpr int kJobs = 2;
constexpr int kTimeout = 5;       // --timeout, nightly's `timeout`
constexpr int kProbeTimeout = 5;  // --plugin-probe-timeout (scan), plugin_probe_timeout (nightly)
// What the scanning itself may take on top of the two timeouts (50 tiny sources take about 3 s on
// two busy cores); a hang paid once per source would add 4 more timeouts per job.
constexpr double kMargin = 10;

// The plugins that misbehave while scanning, in the order their checks appear in a rule file:
// hang_loop first, so that s00, which uses both, hangs, is retried and then crashes.
const std::vector<std::string> kScanTime = {"hang_loop", "crash_segv"};
const std::vector<std::string> kLoadTime = {"init_hang", "init_segv"};

// One source's data and its defects, hence its exact results.
struct SourceSpec {
  std::string id;
  int rows = 0;        // row_count: rows_checked
  int nulls = 0;       // missing:t.v
  int duplicates = 0;  // duplicate:t.code (rows beyond the first of the one duplicated group)
  int odd = 0;         // testkit.odd:t.n
  std::vector<std::string> misbehaving;  // plugins whose `value` check the source runs, in order
};

SourceSpec Spec(int i) {
  SourceSpec s;
  s.id = (i < 10 ? "s0" : "s") + std::to_string(i);
  s.rows = 20 + i;
  s.nulls = i % 4;
  s.duplicates = i % 3;
  s.odd = i % 5;
  if (i % 5 == 0) s.misbehaving.push_back("hang_loop");
  if (i % 7 == 0) s.misbehaving.push_back("crash_segv");
  if (i % 11 == 0) s.misbehaving.push_back("init_hang");
  if (i % 13 == 0) s.misbehaving.push_back("init_segv");
  return s;
}

// One check's result as recorded (results JSON or history store).
struct Recorded {
  std::string outcome;
  int64_t violations = 0;
  int64_t rows_checked = 0;
  std::string message;
};
using Results = std::map<std::string, std::map<std::string, Recorded>>;  // source -> check id

class LoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::FreshTestDir("load");
    for (const char* sub : {"data", "rules", "clean", "plugins", "good_plugins"}) {
      fs::create_directories(dir_ / sub);
    }
    for (const char* p : {"hang_loop.so", "crash_segv.so", "init_hang.so", "init_segv.so"}) {
      test_support::InstallPlugin(fs::path(DQA_MISBEHAVING_PLUGIN_DIR) / p, dir_ / "plugins");
    }
    for (const char* to : {"plugins", "good_plugins"}) {
      test_support::InstallPlugin(fs::path(DQA_TEST_PLUGIN_DIR) / "testkit.so", dir_ / to);
    }
    for (int i = 0; i < kSources; ++i) {
      specs_.push_back(Spec(i));
      ASSERT_NO_FATAL_FAILURE(WriteSource(specs_.back()));
    }
    hashes_ = Hashes();
  }

  // The source's database in data/ and two rule files: rules/ with its misbehaving plugin checks,
  // clean/ without them.
  void WriteSource(const SourceSpec& s) const {
    auto db = SqliteDb::OpenReadWrite((dir_ / "data" / (s.id + ".db")).string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    // Row 1 always has a value in v, so a plugin check on v misbehaves on the first row.
    std::string sql = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, code TEXT, n INTEGER);";
    for (int id = 1; id <= s.rows; ++id) {
      const bool null = id >= 2 && id <= s.nulls + 1;
      const bool duplicate = id > s.rows - s.duplicates;  // same code as row 1
      const int n = id <= s.odd ? 2 * id + 1 : 2 * id;
      sql += "INSERT INTO t VALUES (" + std::to_string(id) + ", " +
             (null ? std::string("NULL") : "'v" + std::to_string(id) + "'") + ", 'C" +
             std::to_string(duplicate ? 1 : id) + "', " + std::to_string(n) + ");";
    }
    ASSERT_TRUE((*db)->Exec("BEGIN;" + sql + "COMMIT;").ok());
    const std::string head = "source: " + s.id + "\ndepartment: \"Sở " + s.id +
                             "\"\ndatabase: sqlite:../data/" + s.id +
                             ".db\ntoday: 2026-11-01\ntables:\n  t:\n    key: [id]\n    checks:\n"
                             "      - row_count: {min: 1}\n"
                             "      - missing: {columns: [v]}\n"
                             "      - duplicate: {columns: [code]}\n"
                             "      - testkit.odd: {column: n}\n";
    std::string misbehaving;
    for (const std::string& p : s.misbehaving)
      misbehaving += "      - " + p + ".value: {column: v}\n";
    WriteFile(dir_ / "rules" / (s.id + ".yaml"), head + misbehaving);
    WriteFile(dir_ / "clean" / (s.id + ".yaml"), head);
  }

  std::map<std::string, std::string> Hashes() const {
    std::map<std::string, std::string> out;
    for (const SourceSpec& s : specs_) {
      out[s.id] = test_support::Sha256(dir_ / "data" / (s.id + ".db"));
    }
    return out;
  }

  CommandResult Run(const std::string& args) const { return test_support::RunDqaudit(dir_, args); }

  Results FromJson(const std::string& file) const {
    Results out;
    const json doc = json::parse(ReadFile(dir_ / file));
    for (const json& r : doc.at("results")) {
      out[r.at("source").get<std::string>()][r.at("id").get<std::string>()] = {
          r.at("outcome").get<std::string>(), r.at("violations").get<int64_t>(),
          r.at("rows_checked").get<int64_t>(), r.at("message").get<std::string>()};
    }
    for (const json& source : doc.at("sources")) {
      EXPECT_TRUE(source.at("error").is_null()) << source;
    }
    return out;
  }

  // Every check result of the nightly run recorded in `history` (exactly one run, kind nightly,
  // complete, exit code `code`, every source ok), after PRAGMA integrity_check.
  Results FromHistory(const std::string& history, int code) const {
    Results out;
    auto db = SqliteDb::OpenReadOnly((dir_ / history).string());
    EXPECT_TRUE(db.ok()) << db.status().message();
    if (!db.ok()) return out;
    auto text = [&](const std::string& sql) {
      auto stmt = (*db)->Prepare(sql);
      EXPECT_TRUE(stmt.ok()) << sql;
      std::string row;
      while (stmt.ok() && *stmt->Step()) row += std::string(stmt->ColumnText(0)) + "\n";
      return row;
    };
    EXPECT_EQ(text("PRAGMA integrity_check"), "ok\n");
    EXPECT_EQ(text("SELECT id || ' ' || kind || ' ' || status || ' ' || exit_code || ' ' || "
                   "sources_planned FROM runs"),
              "1 nightly complete " + std::to_string(code) + " " + std::to_string(kSources) + "\n");
    EXPECT_EQ(
        text("SELECT status || ' ' || COUNT(*) FROM sources WHERE run_id = 1 GROUP BY status"),
        "ok " + std::to_string(kSources) + "\n");
    auto stmt = (*db)->Prepare(
        "SELECT s.source, c.check_id, c.outcome, c.violations, c.rows_checked, c.message "
        "FROM check_results c JOIN sources s ON s.id = c.source_id WHERE c.run_id = 1");
    EXPECT_TRUE(stmt.ok());
    while (stmt.ok() && *stmt->Step()) {
      Recorded& r = out[std::string(stmt->ColumnText(0))][std::string(stmt->ColumnText(1))];
      EXPECT_TRUE(r.outcome.empty()) << "recorded twice";
      r = {std::string(stmt->ColumnText(2)), stmt->ColumnInt(3), stmt->ColumnInt(4),
           std::string(stmt->ColumnText(5))};
    }
    return out;
  }

  // The canonical path of the installed plugin `plugin`, as its messages name it.
  std::string Library(const std::string& plugin) const {
    return fs::canonical(dir_ / "plugins" / (plugin + ".so")).string();
  }

  // Every source has exactly its checks; the built-in and testkit checks have their exact counts;
  // with `misbehaving`, the checks of the load-time plugins say why the library was refused
  // (`probe_timeout`), and those of the scan-time plugins were paid by at most kJobs sources (the
  // first that used them: `log` names the one that caused the quarantine) while every later
  // source says "quarantined". `hang_causes` are what a paid hang may be called. `recorded`: the
  // run was recorded in a history store, so each source also has its schema_change finding.
  void ExpectExact(const Results& results, bool misbehaving, const std::string& log,
                   int probe_timeout, const std::vector<std::string>& hang_causes,
                   bool recorded) const {
    ASSERT_EQ(results.size(), static_cast<size_t>(kSources));
    std::map<std::string, std::vector<std::string>> users;  // plugin -> sources, in scan order
    for (const SourceSpec& s : specs_) {
      SCOPED_TRACE(s.id);
      ASSERT_TRUE(results.contains(s.id));
      const auto& checks = results.at(s.id);
      auto expect = [&](const std::string& id, int64_t violations) {
        ASSERT_TRUE(checks.contains(id)) << id;
        const Recorded& r = checks.at(id);
        EXPECT_EQ(std::make_tuple(r.outcome, r.violations, r.rows_checked),
                  std::make_tuple(std::string(violations > 0 ? "fail" : "pass"), violations,
                                  int64_t{s.rows}))
            << id << ": " << r.message;
      };
      expect("row_count:t", 0);
      expect("missing:t.v", s.nulls);
      expect("duplicate:t.code", s.duplicates);
      expect("testkit.odd:t.n", s.odd);
      // 4 checks, and the schema_change finding of a recorded run.
      EXPECT_EQ(checks.contains("schema_change:" + s.id), recorded);
      EXPECT_EQ(checks.size(),
                (recorded ? 5u : 4u) + (misbehaving ? s.misbehaving.size() : 0));
      if (!misbehaving) continue;
      for (const std::string& p : s.misbehaving) {
        const std::string id = p + ".value:t.v";
        ASSERT_TRUE(checks.contains(id)) << id;
        EXPECT_EQ(checks.at(id).outcome, "error") << id;
        users[p].push_back(s.id);
      }
      for (const std::string& p : kLoadTime) {
        if (!checks.contains(p + ".value:t.v")) continue;
        const std::string cause = p == "init_hang"
                                      ? "did not answer within " + std::to_string(probe_timeout) +
                                            " s while loading (killed)"
                                      : std::string("killed by SIGSEGV while loading");
        EXPECT_EQ(checks.at(p + ".value:t.v").message,
                  "plugin " + p + " unavailable: plugin " + Library(p) + ": " + cause);
      }
    }
    if (!misbehaving) return;
    // Scan time: the sources that paid are a prefix of the plugin's users, at most one per job;
    // the quarantine names one of them, and every later user says so.
    for (const std::string& p : kScanTime) {
      SCOPED_TRACE(p);
      const std::string check = p + ".value:t.v";
      const std::string disabled = "plugin " + p + " disabled for this source: ";
      const std::string quarantined = disabled + "quarantined after it ";
      size_t paid = 0;
      while (paid < users[p].size() &&
             results.at(users[p][paid]).at(check).message.rfind(quarantined, 0) != 0) {
        ++paid;
      }
      EXPECT_GE(paid, 1u);
      EXPECT_LE(paid, static_cast<size_t>(kJobs));
      std::vector<std::string> causes = hang_causes;
      std::string how = "timed out (" + std::to_string(kTimeout) + " s)";
      if (p == "crash_segv") {
        causes = {"worker killed by SIGSEGV"};
        how = "crashed (SIGSEGV)";
      }
      for (size_t i = 0; i < paid; ++i) {
        const std::string& message = results.at(users[p][i]).at(check).message;
        bool known = false;
        for (const std::string& cause : causes) {
          known = known ||
                  message == disabled + cause + " while running check " + check + " of plugin " + p;
        }
        EXPECT_TRUE(known) << users[p][i] << ": " << message;
      }
      // The log line names the source whose failure was handled first.
      std::string first;
      for (size_t i = 0; i < paid; ++i) {
        for (const std::string& h : {how, std::string("exceeded the CPU time limit (") +
                                              std::to_string(kTimeout) + " s)"}) {
          if (log.find("plugin " + p + " quarantined after it " + h + " on source " + users[p][i] +
                       " in check " + check + ": not run again in this run") != std::string::npos) {
            first = users[p][i];
            how = h;
          }
        }
      }
      ASSERT_FALSE(first.empty()) << log;
      EXPECT_EQ(Count(log, "plugin " + p + " quarantined after"), 1u) << log;
      for (size_t i = paid; i < users[p].size(); ++i) {
        EXPECT_EQ(results.at(users[p][i]).at(check).message,
                  quarantined + how + " on source " + first + " in check " + check)
            << users[p][i];
      }
    }
  }

  // What the run paid: at most one timeout (or CPU limit) and one crash per job, each probe
  // failure reported once, and the source databases unchanged.
  void ExpectPaidOncePerJob(const std::string& log, int probe_timeout) const {
    const size_t hangs = Count(log, "timed out after " + std::to_string(kTimeout) + " s") +
                         Count(log, "worker killed by SIGXCPU");
    EXPECT_GE(hangs, 1u) << log;
    EXPECT_LE(hangs, static_cast<size_t>(kJobs)) << log;
    const size_t crashes = Count(log, "worker killed by SIGSEGV");
    EXPECT_GE(crashes, 1u) << log;
    EXPECT_LE(crashes, static_cast<size_t>(kJobs)) << log;
    // The probe's report (the rule warnings of each check quote it after "unavailable: ").
    EXPECT_EQ(Count(log, "warning: plugin " + Library("init_hang") + ": did not answer within " +
                             std::to_string(probe_timeout) + " s while loading (killed)\n"),
              1u)
        << log;
    EXPECT_EQ(Count(log, "warning: plugin " + Library("init_segv") +
                             ": killed by SIGSEGV while loading\n"),
              1u)
        << log;
    // s00 runs both scan-time plugins: it hangs, is retried without hang_loop, crashes, and is
    // retried once more without crash_segv, which gives every other check of s00 its result.
    EXPECT_EQ(Count(log, "source s00: retrying without plugin hang_loop\n"), 1u) << log;
    EXPECT_EQ(Count(log, "source s00: retrying without plugin crash_segv\n"), 1u) << log;
    EXPECT_EQ(Hashes(), hashes_);
  }

  fs::path dir_;
  std::vector<SourceSpec> specs_;
  std::map<std::string, std::string> hashes_;
};

// Prints a wall time for docs/isolation.md and the test's XML output.
void Report(const std::string& name, double seconds) {
  ::testing::Test::RecordProperty(name, std::to_string(seconds));
  std::cout << "[ load     ] " << name << ": " << seconds << " s\n";
}

TEST_F(LoadTest, ScanOfFiftySourcesPaysEachMisbehavingPluginOncePerJob) {
  const std::string common = "--no-history --jobs " + std::to_string(kJobs) + " --timeout " +
                             std::to_string(kTimeout) + " --plugin-probe-timeout " +
                             std::to_string(kProbeTimeout);
  const CommandResult clean =
      Run("scan clean " + common + " --plugin-dir good_plugins --json clean.json");
  EXPECT_EQ(clean.code, 1) << clean.err;  // defects fail their checks; nothing is in error
  ExpectExact(FromJson("clean.json"), false, clean.err, kProbeTimeout, {}, false);
  Report("scan_clean_seconds", clean.seconds);

  // A generous CPU limit: the hang is caught by the wall clock, whatever the scheduling.
  const CommandResult r =
      Run("scan rules " + common + " --plugin-dir plugins --worker-cpu 600 --json results.json");
  EXPECT_EQ(r.code, 3) << r.err;
  Report("scan_misbehaving_seconds", r.seconds);
  // The probe's hang and one round of worker timeouts are paid one after the other.
  EXPECT_GE(r.seconds, kProbeTimeout + kTimeout) << r.err;
  EXPECT_LT(r.seconds, kProbeTimeout + kTimeout + kMargin) << r.err;
  ExpectExact(FromJson("results.json"), true, r.err, kProbeTimeout,
              {"timed out after " + std::to_string(kTimeout) + " s"}, false);
  ExpectPaidOncePerJob(r.err, kProbeTimeout);
}

// The same through `dqaudit nightly`: the run is recorded (50 sources, integrity_check ok, exit
// code 3) with the quarantine messages, and the log shows what was paid. nightly's CPU limit is its
// timeout, so a spinning plugin may meet either first.
TEST_F(LoadTest, NightlyRunOfFiftySourcesPaysEachMisbehavingPluginOncePerJob) {
  const std::string common =
      "jobs: " + std::to_string(kJobs) + "\ntimeout: " + std::to_string(kTimeout) +
      "\nplugin_probe_timeout: " + std::to_string(kProbeTimeout) + "\n";
  WriteFile(dir_ / "clean.yaml",
            "rules: clean\nhistory: clean_state/audit.db\n"
            "plugin_dirs: [good_plugins]\nlog: {file: log/clean.log}\n" +
                common);
  WriteFile(dir_ / "nightly.yaml",
            "rules: rules\nhistory: state/audit.db\n"
            "plugin_dirs: [plugins]\nlog: {file: log/nightly.log}\n" +
                common);
  const CommandResult clean = Run("nightly --config clean.yaml --today 2026-11-01");
  EXPECT_EQ(clean.code, 1) << clean.err;
  ExpectExact(FromHistory("clean_state/audit.db", 1), false, "", kProbeTimeout, {}, true);
  Report("nightly_clean_seconds", clean.seconds);

  const CommandResult r = Run("nightly --config nightly.yaml --today 2026-11-01");
  EXPECT_EQ(r.code, 3) << r.err;
  Report("nightly_misbehaving_seconds", r.seconds);
  EXPECT_GE(r.seconds, kProbeTimeout + kTimeout) << r.err;
  EXPECT_LT(r.seconds, kProbeTimeout + kTimeout + kMargin) << r.err;
  const std::string log = ReadFile(dir_ / "log" / "nightly.log");
  ExpectExact(
      FromHistory("state/audit.db", 3), true, log, kProbeTimeout,
      {"timed out after " + std::to_string(kTimeout) + " s",
       "worker killed by SIGXCPU (CPU time limit of " + std::to_string(kTimeout) + " s exceeded)"},
      true);
  ExpectPaidOncePerJob(log, kProbeTimeout);
}

}  // namespace
}  // namespace load_test
}  // namespace dqa
