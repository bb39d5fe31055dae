// `dqaudit nightly` end to end on the demo province: the lock, incremental skips, --full, resume
// after SIGKILL, retention, log formats, and source databases that stay byte-identical.
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <ctime>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/history/store.h"
#include "core/output/console_summary.h"
#include "core/scoring/score.h"
#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"
#include "tests/schema_validator.h"

namespace dqa {
namespace nightly_test {
namespace {

using dqa::test_support::ReadFile;
using dqa::test_support::Quote;
using dqa::test_support::RunShell;
using dqa::test_support::Sha256;

namespace fs = std::filesystem;

constexpr const char* kToday = "2026-11-01";
const std::vector<std::string> kSources = {"catalog", "civil", "population", "services", "social"};
// The demo's findings: some checks fail, none ends in error (DemoProvinceTest).
constexpr int kFindings = 1;

struct Outcome {
  int code = -1;
  std::string err;
};

// One source of a recorded run, as the tests compare it.
struct RecordedSource {
  std::string status;
  std::optional<int64_t> carried_from_run;
  std::string fingerprint;
};

class NightlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) / "nightly" / (std::string(info->name()) + "-" +
                                                  std::to_string(getpid()));
    fs::remove_all(dir_);
    ASSERT_TRUE(test_support::MakeDemoProvince(dir_, kToday));
    WriteConfig("");
  }

  void WriteConfig(const std::string& extra) {
    std::ofstream(dir_ / "nightly.yaml") << "rules: rules/demo\n"
                                            "history: state/audit.db\n"
                                            "jobs: 2\n"
                                            "log: {file: log/nightly.log, max_size: 1M, files: 3}\n"
                                            "keep: 400d\n"
                                            "rescan_after: 7d\n"
                                         << extra;
  }

  std::string Command(const std::string& args, const std::string& env, const std::string& name,
                      const std::string& today = kToday) {
    return "cd " + Quote(dir_.string()) + " && exec env " + env + " " + Quote(DQA_BINARY) +
           " nightly --config nightly.yaml --today " + today + " " + args + " >" + name +
           ".out 2>" + name + ".err";
  }

  // Runs `dqaudit nightly` to completion; stderr is kept in <name>.err.
  Outcome Nightly(const std::string& args = "", const std::string& name = "run",
                  const std::string& env = "", const std::string& today = kToday) {
    Outcome o;
    o.code = RunShell(Command(args, env, name, today));
    o.err = ReadFile(dir_ / (name + ".err"));
    return o;
  }

  // Starts `dqaudit nightly` in the background; returns its pid (the shell execs the binary).
  pid_t StartNightly(const std::string& env, const std::string& name,
                     const std::string& today = kToday) {
    const pid_t pid = fork();
    if (pid == 0) {
      execl("/bin/sh", "sh", "-c", Command("", env, name, today).c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    return pid;
  }

  std::string HistoryPath() const { return (dir_ / "state" / "audit.db").string(); }

  std::unique_ptr<HistoryStore> Store() {
    auto store = HistoryStore::Open(HistoryPath(), /*create=*/false);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Writes to the history store between runs (to age runs as if time had passed).
  bool ExecHistory(const std::string& sql) {
    auto db = SqliteDb::OpenReadWrite(HistoryPath(), false);
    return db.ok() && (*db)->Exec(sql).ok();
  }

  int64_t Count(const std::string& sql) {
    auto db = SqliteDb::OpenReadOnly(HistoryPath());
    if (!db.ok()) return -1;
    auto n = (*db)->QueryNumber(sql);
    return n.ok() && n->has_value() ? static_cast<int64_t>(**n) : -1;
  }

  std::map<std::string, RecordedSource> Sources(int64_t run_id) {
    std::map<std::string, RecordedSource> out;
    auto db = SqliteDb::OpenReadOnly(HistoryPath());
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return out;
    auto stmt = (*db)->Prepare(
        "SELECT source, status, carried_from_run, COALESCE(fingerprint, '') FROM sources "
        "WHERE run_id = " + std::to_string(run_id));
    EXPECT_TRUE(stmt.ok());
    while (stmt.ok() && *stmt->Step()) {
      RecordedSource s;
      s.status = stmt->ColumnText(1);
      if (!stmt->IsNull(2)) s.carried_from_run = stmt->ColumnInt(2);
      s.fingerprint = stmt->ColumnText(3);
      EXPECT_TRUE(out.emplace(std::string(stmt->ColumnText(0)), s).second) << "recorded twice";
    }
    return out;
  }

  std::map<std::string, std::string> Hashes() {
    std::map<std::string, std::string> out;
    for (const std::string& s : kSources) out[s] = Sha256(dir_ / "data" / "demo" / (s + ".db"));
    return out;
  }

  // Every check result of a run as text (source, id, outcome, numbers, message, samples), by
  // source: what must be equal between a carried and a scanned source. The schema_change finding is
  // left out: a carried source keeps the one of its run, a rescan compares with the last run.
  std::map<std::string, std::string> Results(int64_t run_id) {
    std::map<std::string, std::string> out;
    auto store = Store();
    if (store == nullptr) return out;
    auto run = store->LoadRun(run_id);
    EXPECT_TRUE(run.ok()) << run.status().message();
    if (!run.ok()) return out;
    for (const SourceResult& s : *run) {
      std::string text = s.department + "|" + s.database + "|" + s.error + "\n";
      for (const CheckResult& r : s.results) {
        if (r.type == "schema_change") continue;
        // A drift check compares with the earlier runs (none on a first run: 0 stats compared),
        // so its count, message and the comparison its profile keeps ("compared") change from
        // run to run; its outcome, violations and the profile's own figures (kept by a carried
        // source) must not.
        const bool drift = r.type == "drift";
        std::string profile = r.profile;
        if (drift && !profile.empty()) {
          nlohmann::json figures = nlohmann::json::parse(profile);
          figures.erase("compared");
          profile = figures.dump();
        }
        text += r.id + " " + std::string(ToString(r.outcome)) + " v=" +
                std::to_string(r.violations) +
                (drift ? "" : " n=" + std::to_string(r.rows_checked) +
                                  " p=" + std::to_string(r.percent)) +
                " g=" + (r.groups ? std::to_string(*r.groups) : "-") +
                " u=" + (r.unparseable ? std::to_string(*r.unparseable) : "-") +
                " value=" + (r.value ? std::to_string(*r.value) : "-") +
                (drift ? "" : " m=" + r.message) + " profile=" + profile;
        for (const auto& sample : r.samples) {
          text += " [";
          for (const std::string& v : sample) text += v + ",";
          text += "]";
        }
        for (const auto& [name, value] : r.metrics) text += " " + name + "=" + std::to_string(value);
        text += "\n";
      }
      out[s.source] = text;
    }
    return out;
  }

  int64_t LatestRun() { return Count("SELECT MAX(id) FROM runs"); }

  fs::path dir_;
};

TEST_F(NightlyTest, SecondConcurrentRunIsRefusedWhileTheLockIsHeld) {
  fs::create_directories(dir_ / "state");
  const std::string lock_path = HistoryPath() + ".lock";
  const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);
  const std::string pid = std::to_string(getpid()) + "\n";
  ASSERT_EQ(write(fd, pid.data(), pid.size()), static_cast<ssize_t>(pid.size()));

  const Outcome refused = Nightly();
  EXPECT_EQ(refused.code, 4) << refused.err;  // not 0 (warn) nor 3 (a scan error)
  EXPECT_NE(refused.err.find("another dqaudit nightly run holds the lock " + lock_path + " (pid " +
                             std::to_string(getpid()) + "); this run exits without scanning"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(HistoryPath())) << "nothing may be recorded";

  close(fd);  // released: the next run goes ahead
  const Outcome ran = Nightly();
  EXPECT_EQ(ran.code, kFindings) << ran.err;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE kind = 'nightly' AND status = 'complete'"), 1);
}

TEST_F(NightlyTest, UnchangedSourcesAreCarriedChangedOnesRescannedFullRescansAll) {
  const auto generated = Hashes();
  const Outcome first = Nightly("", "first");
  ASSERT_EQ(first.code, kFindings) << first.err;
  const int64_t run1 = LatestRun();
  auto s1 = Sources(run1);
  ASSERT_EQ(s1.size(), kSources.size());
  for (const auto& [id, s] : s1) {
    EXPECT_EQ(s.status, "ok") << id;
    EXPECT_FALSE(s.carried_from_run) << id;
    EXPECT_EQ(s.fingerprint.rfind("v1 plan=", 0), 0u) << id << ": " << s.fingerprint;
  }

  // Nothing changed: every source is carried over from run 1, with equal results.
  const Outcome second = Nightly("", "second");
  ASSERT_EQ(second.code, kFindings) << second.err;
  const int64_t run2 = LatestRun();
  EXPECT_EQ(run2, run1 + 1);
  auto s2 = Sources(run2);
  ASSERT_EQ(s2.size(), kSources.size());
  for (const auto& [id, s] : s2) {
    EXPECT_EQ(s.carried_from_run, run1) << id;
    EXPECT_EQ(s.fingerprint, s1[id].fingerprint) << id;
  }
  EXPECT_EQ(Results(run2), Results(run1));
  // Every carried source keeps the schema of the run it was carried from.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM source_schemas s JOIN source_schemas f ON f.source = "
                  "s.source AND f.run_id = " + std::to_string(run1) + " WHERE s.run_id = " +
                  std::to_string(run2) + " AND s.schema = f.schema AND s.since_run = " +
                  std::to_string(run1)),
            static_cast<int64_t>(kSources.size()));
  // The carried population keeps its birth-date profile (drift), stored again with run 2.
  EXPECT_NE(Results(run2)["population"].find("ngay_sinh_on_dinh pass v=0 g=-"), std::string::npos);
  EXPECT_NE(Results(run2)["population"].find(" profile={\"distinct\":"), std::string::npos)
      << Results(run2)["population"];
  EXPECT_EQ(Count("SELECT COUNT(*) FROM check_profiles p JOIN check_results r ON r.id = "
                  "p.result_id WHERE r.check_id = 'ngay_sinh_on_dinh' AND r.run_id = " +
                  std::to_string(run2)),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE status = 'complete'"), 2);
  EXPECT_NE(second.err.find("population: unchanged since run " + std::to_string(run1)),
            std::string::npos)
      << second.err;
  EXPECT_EQ(Hashes(), generated);

  // One row of (our copy of) civil.db changes: civil and the sources that attach it (population,
  // social) are rescanned; catalog and services stay carried.
  {
    auto db = SqliteDb::OpenReadWrite((dir_ / "data/demo/civil.db").string(), false);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("UPDATE khai_sinh SET gioi_tinh = 'Khác' WHERE id = (SELECT MIN(id) "
                            "FROM khai_sinh WHERE gioi_tinh IN ('Nam', 'Nữ'))")
                    .ok());
    ASSERT_EQ(sqlite3_changes((*db)->raw()), 1);
  }
  auto changed_hashes = Hashes();
  EXPECT_NE(changed_hashes["civil"], generated.at("civil"));
  const Outcome third = Nightly("", "third");
  ASSERT_EQ(third.code, kFindings) << third.err;
  const int64_t run3 = LatestRun();
  auto s3 = Sources(run3);
  ASSERT_EQ(s3.size(), kSources.size());
  const std::set<std::string> rescanned = {"civil", "population", "social"};
  for (const auto& [id, s] : s3) {
    if (rescanned.count(id)) {
      EXPECT_FALSE(s.carried_from_run) << id;
      EXPECT_NE(s.fingerprint, s1[id].fingerprint) << id;
    } else {
      EXPECT_EQ(s.carried_from_run, run1) << id;
    }
  }
  EXPECT_NE(third.err.find("civil: database changed since run " + std::to_string(run1)),
            std::string::npos)
      << third.err;
  // The changed row is one more value outside the allowed list.
  const std::string allowed = "SELECT violations FROM check_results WHERE source = 'civil' AND "
                              "check_id = 'allowed:khai_sinh.gioi_tinh' AND run_id = ";
  EXPECT_EQ(Count(allowed + std::to_string(run3)), Count(allowed + std::to_string(run1)) + 1);

  // --full scans everything again; its results equal the incremental run's.
  const Outcome full = Nightly("--full", "full");
  ASSERT_EQ(full.code, kFindings) << full.err;
  const int64_t run4 = LatestRun();
  for (const auto& [id, s] : Sources(run4)) EXPECT_FALSE(s.carried_from_run) << id;
  EXPECT_EQ(Sources(run4).size(), kSources.size());
  EXPECT_EQ(Results(run4), Results(run3));
  EXPECT_EQ(Hashes(), changed_hashes);  // nightly runs never change a source

  // A clean scan older than rescan_after (7d) is rescanned even though nothing changed.
  ASSERT_TRUE(ExecHistory("UPDATE sources SET started_at = started_at - 8 * 86400000"));
  const Outcome aged = Nightly("", "aged");
  ASSERT_EQ(aged.code, kFindings) << aged.err;
  for (const auto& [id, s] : Sources(LatestRun())) EXPECT_FALSE(s.carried_from_run) << id;
  EXPECT_NE(aged.err.find("older than rescan_after: scanning"), std::string::npos) << aged.err;
  EXPECT_EQ(Hashes(), changed_hashes);
}

// The next night (--today a day later, nothing changed): a source none of whose checks can change
// with the day (catalog: row counts, duplicates, missing values, patterns) is carried over; one
// with a check that reads the day (stale, freshness, range or metric bounds, a plugin's check) is
// scanned again. A full rescan that day gives the carried source's results.
TEST_F(NightlyTest, ADayLaterOnlySourcesWithChecksThatReadTheDayAreScannedAgain) {
  const Outcome first = Nightly("", "first");
  ASSERT_EQ(first.code, kFindings) << first.err;
  const int64_t run1 = LatestRun();
  const Outcome next = Nightly("", "next", "", "2026-11-02");
  ASSERT_EQ(next.code, kFindings) << next.err;
  const int64_t run2 = LatestRun();
  auto sources = Sources(run2);
  ASSERT_EQ(sources.size(), kSources.size());
  for (const auto& [id, s] : sources) {
    if (id == "catalog") {
      EXPECT_EQ(s.carried_from_run, run1) << id;
    } else {
      EXPECT_FALSE(s.carried_from_run) << id;
    }
  }
  EXPECT_NE(next.err.find("catalog: unchanged since run " + std::to_string(run1)),
            std::string::npos)
      << next.err;
  EXPECT_NE(next.err.find("civil: rules, settings, reference day, dqaudit or plugins changed "
                          "since run " + std::to_string(run1) + ": scanning"),
            std::string::npos)
      << next.err;
  const Outcome full = Nightly("--full", "full", "", "2026-11-02");
  ASSERT_EQ(full.code, kFindings) << full.err;
  EXPECT_NE(Results(run2)["catalog"].find("row_count:dm_xa pass"), std::string::npos)
      << Results(run2)["catalog"];
  EXPECT_EQ(Results(LatestRun())["catalog"], Results(run2)["catalog"]);
}

TEST_F(NightlyTest, CarriedSourcesAreRecordedWhileTheOthersAreStillScanned) {
  const Outcome first = Nightly("", "first");
  ASSERT_EQ(first.code, kFindings) << first.err;
  const int64_t run1 = LatestRun();
  // A day later the catalog is carried over and population scanned again, whose worker stops
  // after its first check (a test hook of the worker): the run stays mid-scan.
  const pid_t next = StartNightly("DQA_WORKER_TEST_FAULT=hang@row_count:cong_dan", "next",
                                  "2026-11-02");
  ASSERT_GT(next, 0);
  const std::string carried = "SELECT COUNT(*) FROM sources WHERE run_id > " +
                              std::to_string(run1) + " AND source = 'catalog' AND " +
                              "carried_from_run = " + std::to_string(run1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (Count(carried) != 1) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << ReadFile(dir_ / "next.err");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sources WHERE run_id > " + std::to_string(run1) +
                  " AND source = 'population'"),
            0);
  ASSERT_EQ(kill(next, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(next, &status, 0), next);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST_F(NightlyTest, RunKilledMidScanIsFinishedByTheNextRun) {
  const auto generated = Hashes();
  // The population worker stops after its first check (a test hook of the worker) so the run
  // is reliably mid-scan when it is killed; the sources before it are recorded.
  const pid_t first = StartNightly("DQA_WORKER_TEST_FAULT=hang@row_count:cong_dan", "killed");
  ASSERT_GT(first, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (Count("SELECT COUNT(*) FROM sources") < 1) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << ReadFile(dir_ / "killed.err");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // While it runs, a second run is refused and names it.
  const Outcome refused = Nightly("", "refused");
  EXPECT_EQ(refused.code, 4) << refused.err;
  EXPECT_NE(refused.err.find("holds the lock " + HistoryPath() + ".lock (pid " +
                             std::to_string(first) + ")"),
            std::string::npos)
      << refused.err;

  ASSERT_EQ(kill(first, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(first, &status, 0), first);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  const int64_t killed = LatestRun();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE status = 'running'"), 1);
  const auto recorded_by_killed = Sources(killed);
  ASSERT_GE(recorded_by_killed.size(), 1u);
  ASSERT_LT(recorded_by_killed.size(), kSources.size());  // population never finishes
  EXPECT_EQ(recorded_by_killed.count("population"), 0u);

  const Outcome resumed = Nightly("", "resumed");
  ASSERT_EQ(resumed.code, kFindings) << resumed.err;
  const int64_t run = LatestRun();
  EXPECT_EQ(Count("SELECT resumed_from FROM runs WHERE id = " + std::to_string(run)), killed);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE status = 'interrupted' AND id = " +
                  std::to_string(killed)),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE status = 'complete' AND id = " +
                  std::to_string(run)),
            1);
  EXPECT_NE(resumed.err.find("run " + std::to_string(killed) +
                             " was interrupted; this run finishes it"),
            std::string::npos)
      << resumed.err;
  const auto sources = Sources(run);
  ASSERT_EQ(sources.size(), kSources.size());  // every source once (Sources checks duplicates)
  for (const auto& [id, s] : sources) {
    if (recorded_by_killed.count(id)) {
      EXPECT_EQ(s.carried_from_run, killed) << id;
    } else {
      EXPECT_FALSE(s.carried_from_run) << id;
    }
  }
  {
    auto db = SqliteDb::OpenReadOnly(HistoryPath());
    ASSERT_TRUE(db.ok());
    auto stmt = (*db)->Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(stmt.ok());
    ASSERT_TRUE(*stmt->Step());
    EXPECT_EQ(stmt->ColumnText(0), "ok");
    ASSERT_FALSE(*stmt->Step());
  }

  // The finished run's results equal a full scan's.
  const Outcome full = Nightly("--full", "full");
  ASSERT_EQ(full.code, kFindings) << full.err;
  EXPECT_EQ(Results(LatestRun()), Results(run));
  EXPECT_EQ(Hashes(), generated);
}

TEST_F(NightlyTest, RetentionDeletesOldRunsAndKeepsTheRest) {
  ASSERT_EQ(Nightly("--full", "a").code, kFindings);
  ASSERT_EQ(Nightly("--full", "b").code, kFindings);
  // Run 1 becomes 500 days old; an inspection of the same age must survive.
  ASSERT_TRUE(ExecHistory(
      "UPDATE runs SET started_at = started_at - 500 * 86400000 WHERE id = 1; "
      "INSERT INTO inspections (department, inspected_on, recorded_at) VALUES "
      "('Sở Tư pháp', '2025-06-01', 1)"));
  const int64_t results_of_run1 = Count("SELECT COUNT(*) FROM check_results WHERE run_id = 1");
  ASSERT_GT(results_of_run1, 0);
  const Outcome third = Nightly("", "c");
  ASSERT_EQ(third.code, kFindings) << third.err;
  EXPECT_NE(third.err.find("history retention (keep 400d): deleted 1 run(s) started before"),
            std::string::npos)
      << third.err;
  EXPECT_NE(third.err.find("(1): 5 source(s), " + std::to_string(results_of_run1) +
                           " check result(s)"),
            std::string::npos)
      << third.err;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs"), 2);
  EXPECT_EQ(Count("SELECT MIN(id) FROM runs"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM check_results WHERE run_id = 1"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sources WHERE run_id = 1"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inspections"), 1);
  // The pages of one deleted run are few and the next runs reuse them: no VACUUM (that needs a
  // quarter of the store free; NightlyHistoryTest.CompactionGivesTheSpaceOfDeletedRunsBack).
  EXPECT_GT(Count("PRAGMA freelist_count"), 0);
  EXPECT_LT(Count("PRAGMA freelist_count") * 4, Count("PRAGMA page_count"));
  EXPECT_EQ(third.err.find("store compacted"), std::string::npos) << third.err;
  // Run 3 carried everything from run 2, which is kept.
  for (const auto& [id, s] : Sources(3)) EXPECT_EQ(s.carried_from_run, 2) << id;
}

TEST_F(NightlyTest, LogsGoToTheRotatingFileAndToJournaldWithPriorities) {
  const fs::path err = dir_ / "journal.err";
  std::ofstream(err).close();
  struct stat st {};
  ASSERT_EQ(stat(err.c_str(), &st), 0);
  // systemd sets JOURNAL_STREAM=<dev>:<ino> of the stream it connects to stderr.
  const std::string journal = "JOURNAL_STREAM=" + std::to_string(st.st_dev) + ":" +
                              std::to_string(st.st_ino);
  const int code = RunShell("cd " + Quote(dir_.string()) + " && env " + journal + " " +
                            Quote(DQA_BINARY) + " nightly --config nightly.yaml --today " +
                            kToday + " >journal.out 2>>journal.err");
  EXPECT_EQ(code, kFindings);
  const std::string text = ReadFile(err);
  std::istringstream lines(text);
  std::string line;
  int info = 0;
  while (std::getline(lines, line)) {
    ASSERT_GE(line.size(), 3u);
    EXPECT_TRUE(line.rfind("<6>", 0) == 0 || line.rfind("<4>", 0) == 0 || line.rfind("<3>", 0) == 0)
        << line;
    info += line.rfind("<6>", 0) == 0;
  }
  EXPECT_GE(info, 7);  // start, 5 decisions, 5 sources, summary, retention
  EXPECT_NE(text.find("<6>[5/5] "), std::string::npos) << text;

  // Not a journal, not a terminal: timestamped plain lines (cron mail).
  const Outcome plain = Nightly("", "plain");
  EXPECT_EQ(plain.code, kFindings);
  EXPECT_NE(plain.err.find("Z dqaudit["), std::string::npos) << plain.err;
  EXPECT_NE(plain.err.find("]: info: nightly run (pid "), std::string::npos) << plain.err;

  const std::string log = ReadFile(dir_ / "log" / "nightly.log");
  EXPECT_NE(log.find(" info: nightly run (pid "), std::string::npos) << log;
  EXPECT_NE(log.find("nightly run finished with exit code 1"), std::string::npos) << log;
}

// On a terminal (stderr a pty, as when an operator runs the job by hand): the log lines in the
// reader's form, a progress line redrawn in place between them ("[===>  ] 2/5 sources ..."), and
// no progress line left behind when the run ends.
TEST_F(NightlyTest, OnATerminalAProgressLineIsDrawnBetweenTheLogLinesAndClearedAtTheEnd) {
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (chdir(dir_.c_str()) != 0) _exit(126);
    setenv("TERM", "xterm", 1);
    unsetenv("JOURNAL_STREAM");
    execl(DQA_BINARY, DQA_BINARY, "nightly", "--config", "nightly.yaml", "--today", kToday,
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string out;
  char buf[4096];
  while (true) {
    const ssize_t n = read(master, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EIO once the child and its workers closed the terminal
  }
  close(master);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), kFindings) << out;
  // Log lines: the line cleared, then "dqaudit: info: ..." with the level dimmed.
  EXPECT_NE(out.find("\r\033[Kdqaudit: \033[2minfo\033[0m: nightly run (pid "), std::string::npos)
      << out;
  EXPECT_EQ(out.find("Z dqaudit["), std::string::npos) << out;  // not the plain, timestamped form
  // The progress line, drawn in place, counting the sources up to all five.
  EXPECT_NE(out.find("\r\033[K[>"), std::string::npos) << out;
  EXPECT_NE(out.find("] 5/5 sources"), std::string::npos) << out;
  // Nothing after the last line but the clearing of the progress line.
  std::string tail = out.substr(out.rfind('\n') + 1);
  for (size_t at; (at = tail.find("\r\033[K")) != std::string::npos;) tail.erase(at, 4);
  EXPECT_EQ(tail, "") << out;
  EXPECT_NE(out.find("nightly run finished with exit code 1"), std::string::npos) << out;
}

// What scripts/demo.sh shows (README): the departments' first delivery (services with three times
// the standard defects, social with a third), then the standard redelivery with only the changed
// files replaced. The second run carries the unchanged catalog and civil, rescans the two others
// and population (which attaches social: a changed attached database is a change of its own), and
// its report lists one new failure and two resolved ones.
TEST_F(NightlyTest, DemoDeliveriesGiveNewAndResolvedFailures) {
  WriteConfig("reports: {out: reports, formats: [json], languages: [en]}\n");
  const fs::path data = dir_ / "data" / "demo";
  const fs::path next = dir_ / "data" / "next";
  ASSERT_EQ(RunShell(std::string(DQA_DATAGEN) + " --out " + Quote(data.string()) +
                     " --scale 0.005 --seed 42 --today " + kToday +
                     " --defects services=3,social=0.3 2>/dev/null"),
            0);
  ASSERT_EQ(Nightly("", "first").code, kFindings);
  ASSERT_EQ(RunShell(std::string(DQA_DATAGEN) + " --out " + Quote(next.string()) +
                     " --scale 0.005 --seed 42 --today " + kToday + " 2>/dev/null"),
            0);
  std::set<std::string> replaced;
  for (const std::string& source : kSources) {
    const std::string db = source + ".db";
    if (Sha256(next / db) != Sha256(data / db)) {
      fs::rename(next / db, data / db);
      replaced.insert(source);
    }
  }
  EXPECT_EQ(replaced, (std::set<std::string>{"services", "social"}));
  const Outcome second = Nightly("", "second");
  ASSERT_EQ(second.code, kFindings) << second.err;
  for (const auto& [id, s] : Sources(2)) {
    EXPECT_EQ(s.carried_from_run.has_value(), !replaced.contains(id) && id != "population") << id;
  }

  const auto report = nlohmann::json::parse(ReadFile(dir_ / "reports" / "dqaudit-run-2-en.json"));
  std::set<std::string> new_failures, resolved;
  for (const auto& change : report.at("changes")) {
    const std::string id = change.at("source").get<std::string>() + "/" +
                           change.at("check_id").get<std::string>();
    (change.at("kind") == "new_failure" ? new_failures : resolved).insert(id);
  }
  EXPECT_EQ(new_failures, (std::set<std::string>{"social/missing:doi_tuong.so_cccd"}));
  EXPECT_EQ(resolved,
            (std::set<std::string>{"services/ho_so_treo", "services/reference:ho_so.ma_xa"}));
}

// --dry-run: configuration and rules checked, each source's decision said, nothing written (no
// history store, no log file, no lock taken; an existing store stays byte-identical).
TEST_F(NightlyTest, DryRunSaysWhatARunWouldDoAndWritesNothing) {
  Outcome dry = Nightly("--dry-run", "dry1");
  ASSERT_EQ(dry.code, 0) << dry.err;
  std::string out = ReadFile(dir_ / "dry1.out");
  EXPECT_NE(out.find("5 source(s), 87 checks, reference day 2026-11-01"), std::string::npos) << out;
  EXPECT_NE(out.find("history " + HistoryPath() + ": none yet"), std::string::npos) << out;
  for (const std::string& source : kSources) {
    EXPECT_NE(out.find("  " + source + ": no earlier clean scan: scanning\n"), std::string::npos)
        << out;
  }
  EXPECT_NE(out.find("would scan 5 source(s) and carry over 0"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(HistoryPath()));
  EXPECT_FALSE(fs::exists(dir_ / "log" / "nightly.log"));

  ASSERT_EQ(Nightly("", "first").code, kFindings);
  const std::string before = Sha256(HistoryPath());
  dry = Nightly("--dry-run", "dry2");
  ASSERT_EQ(dry.code, 0) << dry.err;
  out = ReadFile(dir_ / "dry2.out");
  for (const std::string& source : kSources) {
    EXPECT_NE(out.find("  " + source + ": unchanged since run 1 ("), std::string::npos) << out;
  }
  EXPECT_NE(out.find("would scan 0 source(s) and carry over 5"), std::string::npos) << out;
  dry = Nightly("--dry-run --full", "dry3");
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(ReadFile(dir_ / "dry3.out").find("  civil: --full: scanning"), std::string::npos);
  EXPECT_EQ(Sha256(HistoryPath()), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs"), 1);

  std::ofstream(dir_ / "rules" / "demo" / "civil.yaml", std::ios::app) << "bogus: 1\n";
  dry = Nightly("--dry-run", "dry4");
  EXPECT_EQ(dry.code, 2) << dry.err;
  EXPECT_NE(dry.err.find("unknown key 'bogus'"), std::string::npos) << dry.err;
}

TEST_F(NightlyTest, ReportsOfEveryRunAreWrittenInEachFormatAndLanguage) {
  const fs::path schedule = fs::path(DQA_RULES_DIR).parent_path() / "schedule" / "schedule.yaml";
  WriteConfig("reports: {out: reports, formats: [json, html], languages: [vi, en]}\n"
              "schedule: {config: " + schedule.string() + ", out: plan}\n");
  ASSERT_EQ(Nightly("", "first").code, kFindings);
  const Outcome second = Nightly("", "second");
  ASSERT_EQ(second.code, kFindings) << second.err;
  for (std::string lang : {"vi", "en"}) {
    for (std::string ext : {"json", "html"}) {
      const fs::path file = dir_ / "reports" / ("dqaudit-run-2-" + lang + "." + ext);
      EXPECT_TRUE(fs::exists(file)) << file;
      EXPECT_NE(second.err.find("report: " + file.string()), std::string::npos) << second.err;
    }
  }
  for (const std::string file : {"schedule.csv", "schedule.json", "schedule.ics"}) {
    EXPECT_TRUE(fs::exists(dir_ / "plan" / file)) << file;
    EXPECT_NE(second.err.find("schedule: " + (dir_ / "plan" / file).string()), std::string::npos)
        << second.err;
  }
  EXPECT_NE(ReadFile(dir_ / "plan" / "schedule.ics").find("BEGIN:VCALENDAR"), std::string::npos);
  // The HTML report carries the plan (catalog core/i18n/catalogs/*/html.yaml: schedule_heading).
  EXPECT_NE(ReadFile(dir_ / "reports" / "dqaudit-run-2-vi.html").find("Kế hoạch kiểm tra"),
            std::string::npos);
  EXPECT_NE(second.err.find(" inspection(s) planned from 2026-11-02 to "), std::string::npos)
      << second.err;
  // The second run carried every source over; its report says so and is complete.
  const auto report = nlohmann::json::parse(ReadFile(dir_ / "reports" / "dqaudit-run-2-en.json"));
  ASSERT_TRUE(report.contains("sources"));
  ASSERT_EQ(report["sources"].size(), kSources.size());
  for (const auto& source : report["sources"]) {
    EXPECT_EQ(source["carried_from_run"], 1) << source["source"];
    EXPECT_FALSE(source["checks"].empty()) << source["source"];
  }
}

// The first night of a year closes a month, a quarter and a year: their reports are written with
// the run's, then the index page links them, the run reports and the failing-row lists.
TEST_F(NightlyTest, FirstNightOfAYearWritesTheClosedPeriodsReportsAndTheIndex) {
  WriteConfig("reports: {out: reports, formats: [html], languages: [vi], "
              "periods: [month, quarter, year]}\n");
  const auto night = [&](const std::string& today, const std::string& name) {
    return RunShell("cd " + Quote(dir_.string()) + " && " + Quote(DQA_BINARY) +
                    " nightly --config nightly.yaml --full --today " + today + " >" + name +
                    ".out 2>" + name + ".err");
  };
  ASSERT_EQ(night("2026-12-31", "first"), kFindings) << ReadFile(dir_ / "first.err");
  const fs::path reports = dir_ / "reports";
  EXPECT_FALSE(fs::exists(reports / "dqaudit-2026-12-vi.html"));  // December is not over
  ASSERT_EQ(night("2027-01-01", "second"), kFindings) << ReadFile(dir_ / "second.err");
  const std::string err = ReadFile(dir_ / "second.err");
  for (const std::string period : {"2026-12", "2026-Q4", "2026"}) {
    const fs::path file = reports / ("dqaudit-" + period + "-vi.html");
    EXPECT_TRUE(fs::exists(file)) << file;
    EXPECT_NE(err.find("report: " + file.string()), std::string::npos) << err;
  }
  EXPECT_FALSE(fs::exists(reports / "dqaudit-2027-01-vi.html"));
  // The fuzzy duplicates of the citizen register are listed in full beside each run's report.
  const fs::path failing = reports / "failing-run-2-population-trung_cong_dan_gan_dung.csv";
  ASSERT_TRUE(fs::exists(failing));
  EXPECT_NE(ReadFile(reports / "dqaudit-run-2-vi.html")
                .find("href=\"./failing-run-2-population-trung_cong_dan_gan_dung.csv\""),
            std::string::npos);
  const std::string index = ReadFile(reports / "index-vi.html");
  for (const std::string name :
       {"dqaudit-run-1-vi.html", "dqaudit-run-2-vi.html", "dqaudit-2026-12-vi.html",
        "dqaudit-2026-Q4-vi.html", "dqaudit-2026-vi.html",
        "failing-run-2-population-trung_cong_dan_gan_dung.csv"}) {
    EXPECT_NE(index.find("href=\"./" + name + "\""), std::string::npos) << name;
  }
  EXPECT_NE(err.find("index: " + (reports / "index-vi.html").string()), std::string::npos) << err;
}

TEST_F(NightlyTest, ConfigurationErrorsExitTwoWithPosition) {
  std::ofstream(dir_ / "nightly.yaml") << "rules: rules/demo\nkeep: forever\n";
  const Outcome bad = Nightly();
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("nightly.yaml:2:7: keep: expected a duration"), std::string::npos)
      << bad.err;
  EXPECT_FALSE(fs::exists(HistoryPath()));
}

// The feed folder's feed files (not latest.json), sorted by name.
std::vector<std::string> FeedFiles(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("feed-", 0) == 0) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// An OpenMetrics text file read back: every sample "name{labels}" -> value. Fails the test when a
// line is neither a HELP/TYPE line nor a sample, a sample comes before its family's HELP and TYPE,
// or the file does not end with "# EOF".
std::map<std::string, double> ParseMetrics(const std::string& text) {
  std::map<std::string, double> samples;
  std::set<std::string> help;
  std::set<std::string> type;
  EXPECT_TRUE(text.size() >= 6 && text.substr(text.size() - 6) == "# EOF\n") << text;
  std::istringstream in(text);
  std::string line;
  const std::regex sample(R"(^(dqaudit_[a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+]+)$)");
  const std::regex meta(R"(^# (HELP|TYPE) (dqaudit_[a-z_]+) (.+)$)");
  while (std::getline(in, line)) {
    std::smatch m;
    if (line == "# EOF") {
      EXPECT_EQ(in.peek(), EOF) << "text after # EOF";
    } else if (std::regex_match(line, m, meta)) {
      (m[1] == "HELP" ? help : type).insert(m[2]);
      if (m[1] == "TYPE") {
        EXPECT_EQ(m[3], "gauge") << line;
      }
    } else if (std::regex_match(line, m, sample)) {
      EXPECT_TRUE(help.count(m[1]) && type.count(m[1])) << "no HELP/TYPE before " << line;
      EXPECT_TRUE(samples.emplace(m[1].str() + m[2].str(), std::stod(m[4].str())).second) << line;
    } else {
      ADD_FAILURE() << "not an OpenMetrics line: " << line;
    }
  }
  return samples;
}

TEST_F(NightlyTest, FeedAndMetricsOfEveryRunEqualItsResultsAndKeepPrunes) {
  WriteConfig("feed: {out: feed, keep: 2}\nmetrics_file: textfile/dqaudit.prom\n");
  const Outcome first = Nightly("", "first");
  ASSERT_EQ(first.code, kFindings) << first.err;
  ASSERT_EQ(FeedFiles(dir_ / "feed").size(), 1u);
  const std::string file1 = FeedFiles(dir_ / "feed")[0];
  EXPECT_TRUE(std::regex_match(file1, std::regex(R"(feed-\d{8}T\d{6}Z-run-1\.json)"))) << file1;
  EXPECT_NE(first.err.find("feed: " + (dir_ / "feed" / file1).string()), std::string::npos)
      << first.err;
  EXPECT_EQ(ReadFile(dir_ / "feed" / "latest.json"), ReadFile(dir_ / "feed" / file1));

  // The document is what docs/feed.schema.json says.
  const auto feed = nlohmann::json::parse(ReadFile(dir_ / "feed" / "latest.json"));
  const auto schema =
      nlohmann::json::parse(ReadFile(fs::path(DQA_SOURCE_DIR) / "docs" / "feed.schema.json"));
  std::vector<std::string> errors;
  testing::SchemaValidator(schema).Validate(feed, schema, "$", errors);
  EXPECT_TRUE(errors.empty()) << errors.size() << " schema errors, first: " << errors.front();
  EXPECT_EQ(feed["schema_version"], 1);
  EXPECT_EQ(feed["run"]["id"], 1);
  EXPECT_EQ(feed["run"]["today"], kToday);

  // Its figures are the run's: the scores of the recorded results (default weights), what
  // `dqaudit scores` prints, and every non-passing check as a finding of its department.
  auto store = Store();
  ASSERT_NE(store, nullptr);
  auto results = store->LoadRun(1);
  ASSERT_TRUE(results.ok()) << results.status().message();
  const RunScores scores = ScoreRun(*results, ScoringConfig{});
  const test_support::CommandResult printed =
      test_support::RunDqaudit(dir_, "scores --history state/audit.db --run 1");
  ASSERT_EQ(printed.code, 0) << printed.err;
  ASSERT_EQ(feed["departments"].size(), scores.departments.size());
  size_t units = 0;
  size_t indicators = 0;
  for (const auto& d : feed["departments"]) {
    const std::string name = d["department"];
    const DepartmentScore* expected = scores.FindDepartment(name);
    ASSERT_NE(expected, nullptr) << name;
    ASSERT_TRUE(expected->scores.overall.has_value()) << name;
    EXPECT_DOUBLE_EQ(d["scores"]["overall"].get<double>(), *expected->scores.overall) << name;
    // The department's line (after its rank).
    const size_t at = printed.out.find(name);
    ASSERT_NE(at, std::string::npos) << name << " in\n" << printed.out;
    const std::string row = printed.out.substr(printed.out.rfind('\n', at) + 1);
    EXPECT_NE(row.substr(0, row.find('\n')).find(fmt::format("{:.1f}", *expected->scores.overall)),
              std::string::npos)
        << name << " in\n" << printed.out;
    std::map<std::string, int> open;
    for (const SourceResult& s : *results) {
      if (s.department != name) continue;
      for (const CheckResult& r : s.results) {
        if (r.outcome != dqa::Outcome::kPass) ++open[std::string(ToString(r.outcome))];
      }
    }
    int findings = 0;
    for (std::string outcome : {"warn", "fail", "error"}) {
      EXPECT_EQ(d["open_findings"][outcome], open[outcome]) << name << " " << outcome;
      findings += open[outcome];
    }
    EXPECT_EQ(d["findings"].size(), static_cast<size_t>(findings)) << name;
    units += d["units"].size();
    indicators += d["indicators"].size();
  }
  // The demo has `by:` breakdowns and indicators with targets (rules/demo).
  EXPECT_GT(units, 0u);
  EXPECT_GT(indicators, 0u);

  // The metrics: a successful night, its checks per outcome, every source's scan time.
  const OutcomeTotals totals = CountOutcomes(*results);
  std::map<std::string, double> metrics = ParseMetrics(ReadFile(dir_ / "textfile" / "dqaudit.prom"));
  EXPECT_EQ(metrics["dqaudit_last_run_success"], 1);
  EXPECT_EQ(metrics["dqaudit_last_run_exit_code"], kFindings);
  EXPECT_EQ(metrics["dqaudit_last_run_id"], 1);
  EXPECT_EQ(metrics["dqaudit_last_run_checks{outcome=\"pass\"}"], static_cast<double>(totals.pass));
  EXPECT_EQ(metrics["dqaudit_last_run_checks{outcome=\"warn\"}"], static_cast<double>(totals.warn));
  EXPECT_EQ(metrics["dqaudit_last_run_checks{outcome=\"fail\"}"], static_cast<double>(totals.fail));
  EXPECT_EQ(metrics["dqaudit_last_run_checks{outcome=\"error\"}"], 0);
  EXPECT_GT(totals.fail, 0);
  EXPECT_EQ(metrics["dqaudit_last_run_sources"], static_cast<double>(kSources.size()));
  EXPECT_EQ(metrics["dqaudit_last_run_sources_error"], 0);
  EXPECT_EQ(metrics["dqaudit_last_run_plugins_quarantined"], 0);
  EXPECT_GE(metrics["dqaudit_last_run_duration_seconds"], 0);
  const double started = metrics["dqaudit_last_run_timestamp_seconds"];
  EXPECT_NEAR(started, static_cast<double>(std::time(nullptr)), 600);
  for (const SourceResult& s : *results) {
    const std::string labels = "{source=\"" + s.source + "\",department=\"" + s.department + "\"}";
    EXPECT_EQ(metrics["dqaudit_source_last_scan_timestamp_seconds" + labels],
              static_cast<double>(s.started_unix_ms) / 1000.0)
        << s.source;
    EXPECT_EQ(metrics["dqaudit_source_up" + labels], 1) << s.source;
  }

  // A second run adds a file and moves latest.json; the third deletes the first (keep: 2).
  ASSERT_EQ(Nightly("", "second").code, kFindings);
  std::vector<std::string> files = FeedFiles(dir_ / "feed");
  ASSERT_EQ(files.size(), 2u);
  const std::string file2 = files[0] == file1 ? files[1] : files[0];
  EXPECT_NE(file2.find("-run-2.json"), std::string::npos) << file2;
  EXPECT_EQ(ReadFile(dir_ / "feed" / "latest.json"), ReadFile(dir_ / "feed" / file2));
  EXPECT_EQ(ParseMetrics(ReadFile(dir_ / "textfile" / "dqaudit.prom"))["dqaudit_last_run_id"], 2);
  const Outcome third = Nightly("", "third");
  ASSERT_EQ(third.code, kFindings) << third.err;
  files = FeedFiles(dir_ / "feed");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(std::count(files.begin(), files.end(), file1), 0);
  EXPECT_EQ(std::count(files.begin(), files.end(), file2), 1);
  EXPECT_NE(third.err.find("feed: deleted " + (dir_ / "feed" / file1).string() + " (keep 2)"),
            std::string::npos)
      << third.err;
  EXPECT_EQ(nlohmann::json::parse(ReadFile(dir_ / "feed" / "latest.json"))["run"]["id"], 3);
}

TEST_F(NightlyTest, FailedNightShowsInTheMetricsAndAnUnwritableFeedIsAnError) {
  // The feed folder cannot be made (a file is in the way); a source's database is gone.
  test_support::WriteFile(dir_ / "blocked", "not a folder\n");
  WriteConfig("feed: {out: blocked/feed}\nmetrics_file: dqaudit.prom\n");
  fs::remove(dir_ / "data" / "demo" / "catalog.db");
  const Outcome run = Nightly();
  EXPECT_EQ(run.code, 3) << run.err;
  const std::string log = ReadFile(dir_ / "log" / "nightly.log");
  EXPECT_NE(log.find("error: feed: cannot create the feed folder " + (dir_ / "blocked" / "feed").string()),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("nightly run finished with exit code 3"), std::string::npos) << log;
  // The audit itself was recorded whole.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sources WHERE run_id = 1"),
            static_cast<int64_t>(kSources.size()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs WHERE id = 1 AND status = 'partial'"), 1);
  std::map<std::string, double> metrics = ParseMetrics(ReadFile(dir_ / "dqaudit.prom"));
  EXPECT_EQ(metrics["dqaudit_last_run_success"], 0);
  EXPECT_EQ(metrics["dqaudit_last_run_exit_code"], 3);
  // catalog, and the sources that attach it, could not be scanned.
  auto store = Store();
  ASSERT_NE(store, nullptr);
  auto results = store->LoadRun(1);
  ASSERT_TRUE(results.ok()) << results.status().message();
  const OutcomeTotals totals = CountOutcomes(*results);
  EXPECT_GE(totals.source_errors, 1);
  EXPECT_EQ(metrics["dqaudit_last_run_sources_error"], static_cast<double>(totals.source_errors));
  EXPECT_EQ(metrics["dqaudit_last_run_checks{outcome=\"error\"}"], static_cast<double>(totals.error));
  const std::string catalog_up = "dqaudit_source_up{source=\"catalog\",department=\"Sở Nội vụ\"}";
  ASSERT_EQ(metrics.count(catalog_up), 1u);
  EXPECT_EQ(metrics[catalog_up], 0);
  EXPECT_GT(metrics["dqaudit_last_run_checks{outcome=\"error\"}"], 0);
}

// A plugin that kills its worker is quarantined; the metrics count it and the night as failed.
TEST_F(NightlyTest, QuarantinedPluginShowsInTheMetrics) {
  const fs::path q = dir_ / "quarantine";
  fs::create_directories(q / "rules");
  fs::create_directories(q / "plugins");
  test_support::InstallPlugin(fs::path(DQA_MISBEHAVING_PLUGIN_DIR) / "crash_segv.so", q / "plugins");
  for (const std::string id : {"s0", "s1"}) {
    auto db = SqliteDb::OpenReadWrite((q / "rules" / (id + ".db")).string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
                            "INSERT INTO t VALUES (1, 'a'), (2, 'b');")
                    .ok());
    test_support::WriteFile(q / "rules" / (id + ".yaml"),
                            "source: " + id + "\ndepartment: D\ndatabase: sqlite:" + id +
                                ".db\ntables:\n  t:\n    key: [id]\n    checks:\n"
                                "      - row_count: {min: 1}\n      - crash_segv.value: {column: v}\n");
  }
  test_support::WriteFile(q / "nightly.yaml",
                          "rules: rules\nhistory: audit.db\njobs: 1\nplugin_dirs: [plugins]\n"
                          "metrics_file: dqaudit.prom\n");
  const int code = RunShell("cd " + Quote(q.string()) + " && " + Quote(DQA_BINARY) +
                            " nightly --config nightly.yaml --today " + kToday +
                            " >run.out 2>run.err");
  EXPECT_EQ(code, 3) << ReadFile(q / "run.err");
  std::map<std::string, double> metrics = ParseMetrics(ReadFile(q / "dqaudit.prom"));
  EXPECT_EQ(metrics["dqaudit_last_run_plugins_quarantined"], 1);
  EXPECT_EQ(metrics["dqaudit_last_run_success"], 0);
  EXPECT_EQ(metrics["dqaudit_last_run_checks{outcome=\"error\"}"], 2);  // crash_segv.value twice
  auto store = HistoryStore::Open((q / "audit.db").string(), /*create=*/false);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto results = (*store)->LoadRun(1);
  ASSERT_TRUE(results.ok()) << results.status().message();
  EXPECT_EQ(metrics["dqaudit_last_run_checks{outcome=\"pass\"}"],
            static_cast<double>(CountOutcomes(*results).pass));
}

}  // namespace
}  // namespace nightly_test
}  // namespace dqa
