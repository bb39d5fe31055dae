#include "core/nightly/nightly_run.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/nightly/history_queries.h"
#include "tests/unit_support.h"

namespace dqa::nightly {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMsPerDay = 86400000;
constexpr int64_t kPlanNow = 1795000000000;  // 2026-11-18
// Above any pid_max: no process has it, so ProcessAlive is false.
constexpr int64_t kNoSuchPid = 2147480000;

// A real history store and two real SQLite sources, a and b, in a fresh folder.
class NightlyRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir("dqa_nightly_run_");
    for (const char* id : {"a", "b"}) {
      auto db = SqliteDb::OpenReadWrite(DbPath(id), /*create=*/true);
      ASSERT_TRUE(db.ok()) << db.status().message();
      ASSERT_TRUE((*db)->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);")
                      .ok());
      SourcePlan plan;
      plan.source.id = id;
      plan.source.department = "Sở Tư pháp";
      plan.source.database = std::string("sqlite:") + id + ".db";
      plan.source.db_path = DbPath(id);
      plan.source.rule_file = (dir_ / (std::string(id) + ".yaml")).string();
      plans_.push_back(plan);
    }
    auto store = HistoryStore::Open((dir_ / "audit.db").string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string DbPath(const std::string& id) const { return (dir_ / (id + ".db")).string(); }

  // Begins a run of `kind` started `days_ago` before kPlanNow by `pid` on `host`.
  int64_t Begin(int64_t days_ago, const std::string& kind = "nightly", int64_t pid = kNoSuchPid,
                const std::string& host = HostName()) {
    RunStart start;
    start.started_unix_ms = kPlanNow - days_ago * kMsPerDay;
    start.today = "2026-11-01";
    start.version = "test";
    start.command_line = "dqaudit nightly";
    start.pid = pid;
    start.host = host;
    start.sources_planned = static_cast<int64_t>(plans_.size());
    start.kind = kind;
    auto id = store_->BeginRun(start);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  // Records a clean scan of each source with the fingerprint it has now and finishes the run.
  int64_t CleanRun(int64_t days_ago) {
    auto now = PlanIncremental(nullptr, plans_, config_, false, std::nullopt, false, kPlanNow);
    EXPECT_TRUE(now.ok()) << now.status().message();
    const int64_t run = Begin(days_ago);
    for (const SourcePlan& plan : plans_) {
      SourceResult r;
      r.source = plan.source.id;
      r.department = plan.source.department;
      r.database = plan.source.database;
      r.started_unix_ms = kPlanNow - days_ago * kMsPerDay + 1000;
      r.finished_unix_ms = r.started_unix_ms + 1000;
      r.fingerprint = now->fingerprints.at(plan.source.id);
      CheckResult c;
      c.id = "row_count:t";
      c.type = "row_count";
      c.source = plan.source.id;
      c.table = "t";
      c.outcome = Outcome::kPass;
      c.rows_checked = 1;
      r.results.push_back(c);
      EXPECT_TRUE(store_->RecordSource(run, r).ok());
    }
    EXPECT_TRUE(store_->FinishRun(run, 0).ok());
    return run;
  }

  std::string RunStatus(int64_t run) { return store_->GetRun(run)->status; }

  // The incremental plan of a run started at kPlanNow.
  Result<IncrementalPlan> Plan(bool full = false, bool mark = false) {
    return PlanIncremental(store_.get(), plans_, config_, full, std::nullopt, mark, kPlanNow);
  }

  fs::path dir_;
  std::vector<SourcePlan> plans_;
  NightlyConfig config_;
  std::unique_ptr<HistoryStore> store_;
};

std::vector<ScanReason> Reasons(const IncrementalPlan& plan) {
  std::vector<ScanReason> out;
  for (const SourceDecision& d : plan.decisions) out.push_back(d.reason);
  return out;
}

TEST_F(NightlyRunTest, NothingToResumeWithoutAnUnfinishedNightlyRun) {
  EXPECT_EQ(FindResumable(*store_, /*mark=*/true).value(), std::nullopt);
  // A dead `dqaudit scan` is not a nightly run: nightly never finishes it.
  const int64_t scan = Begin(1, "scan");
  EXPECT_EQ(FindResumable(*store_, true).value(), std::nullopt);
  EXPECT_EQ(RunStatus(scan), "running");
  // The newest nightly run is complete: an older interrupted one is not finished any more.
  const int64_t old = Begin(3);
  ASSERT_TRUE(MarkInterrupted(*store_, old).ok());
  CleanRun(2);
  EXPECT_EQ(FindResumable(*store_, true).value(), std::nullopt);
}

TEST_F(NightlyRunTest, DeadRunningNightlyRunIsResumedAndMarkedOnlyWhenAsked) {
  CleanRun(2);
  const int64_t dead = Begin(1);
  auto dry = FindResumable(*store_, /*mark=*/false);
  ASSERT_TRUE(dry.ok()) << dry.status().message();
  EXPECT_EQ(*dry, dead);
  EXPECT_EQ(RunStatus(dead), "running");  // --dry-run writes nothing

  auto real = FindResumable(*store_, /*mark=*/true);
  ASSERT_TRUE(real.ok()) << real.status().message();
  EXPECT_EQ(*real, dead);
  EXPECT_EQ(RunStatus(dead), "interrupted");
  EXPECT_EQ(FindResumable(*store_, false).value(), dead);  // interrupted: resumed as it stands
}

TEST_F(NightlyRunTest, LiveRunOfThisHostIsResumedOnlyUnderTheLock) {
  const int64_t live = Begin(1, "nightly", getpid());
  EXPECT_EQ(FindResumable(*store_, /*mark=*/false).value(), std::nullopt);
  EXPECT_EQ(RunStatus(live), "running");
  // Under the lock no nightly run of this host can be alive: the pid was reused.
  EXPECT_EQ(FindResumable(*store_, /*mark=*/true).value(), live);
  EXPECT_EQ(RunStatus(live), "interrupted");
}

TEST_F(NightlyRunTest, RunningNightlyRunOfAnotherHostIsLeftAlone) {
  const int64_t other = Begin(1, "nightly", kNoSuchPid, "another-host");
  EXPECT_EQ(FindResumable(*store_, true).value(), std::nullopt);
  EXPECT_EQ(RunStatus(other), "running");
}

TEST_F(NightlyRunTest, WithoutHistoryEverySourceIsScannedWithItsFingerprint) {
  auto plan = PlanIncremental(nullptr, plans_, config_, false, std::nullopt, true, kPlanNow);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(Reasons(*plan),
            (std::vector<ScanReason>{ScanReason::kNoEarlierScan, ScanReason::kNoEarlierScan}));
  EXPECT_EQ(plan->decisions[0].source, "a");
  EXPECT_EQ(plan->decisions[1].source, "b");
  ASSERT_EQ(plan->fingerprints.size(), 2u);
  EXPECT_TRUE(plan->fingerprints.at("a").starts_with("v1 plan=")) << plan->fingerprints.at("a");
  EXPECT_EQ(plan->resumed_from, std::nullopt);
}

TEST_F(NightlyRunTest, UnchangedSourceIsCarriedAndChangedOneRescanned) {
  const int64_t run = CleanRun(1);
  {
    auto db = SqliteDb::OpenReadWrite(DbPath("b"), false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (2)").ok());
  }
  auto plan = Plan();
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(Reasons(*plan), (std::vector<ScanReason>{ScanReason::kCarried, ScanReason::kChanged}));
  EXPECT_EQ(plan->decisions[0].last->run_id, run);
  EXPECT_EQ(plan->decisions[1].last->run_id, run);

  auto carried = LoadCarriedResults(*store_, *plan);
  ASSERT_TRUE(carried.ok()) << carried.status().message();
  ASSERT_EQ(carried->size(), 1u);
  const SourceResult& a = carried->at("a");
  EXPECT_EQ(a.carried_from_run, run);
  EXPECT_EQ(a.fingerprint, plan->fingerprints.at("a"));
  ASSERT_EQ(a.results.size(), 1u);
  EXPECT_EQ(a.results[0].id, "row_count:t");
}

TEST_F(NightlyRunTest, ChangedPlanFullAndOldScansAreRescanned) {
  CleanRun(1);
  plans_[0].samples = 7;  // a setting of the plan, not the database
  auto changed = Plan();
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(Reasons(*changed),
            (std::vector<ScanReason>{ScanReason::kPlanChanged, ScanReason::kCarried}));

  auto full = Plan(/*full=*/true);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(Reasons(*full), (std::vector<ScanReason>{ScanReason::kFull, ScanReason::kFull}));
  EXPECT_TRUE(LoadCarriedResults(*store_, *full)->empty());

  config_.rescan_after = Duration{12, Duration::Unit::kHours};
  auto old = Plan();
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(Reasons(*old), (std::vector<ScanReason>{ScanReason::kPlanChanged, ScanReason::kTooOld}));
}

TEST_F(NightlyRunTest, ResumedRunIsFoundAndFullResumesNothing) {
  CleanRun(2);
  const int64_t dead = Begin(1);
  auto plan = Plan(/*full=*/false, /*mark=*/false);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->resumed_from, dead);
  auto full = Plan(/*full=*/true, /*mark=*/true);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->resumed_from, std::nullopt);
  EXPECT_EQ(RunStatus(dead), "running");  // --full does not even look
}

TEST_F(NightlyRunTest, WithoutIncrementalOnlyTheResumedRunIsCarried) {
  CleanRun(2);  // clean, but incremental: false never carries it
  config_.incremental = false;
  auto plan = Plan();
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Reasons(*plan),
            (std::vector<ScanReason>{ScanReason::kNoEarlierScan, ScanReason::kNoEarlierScan}));

  // The interrupted run had recorded a before it died: a run that finishes it carries a only.
  auto now = Plan();
  const int64_t dead = Begin(1);
  SourceResult a;
  a.source = "a";
  a.department = "Sở Tư pháp";
  a.database = "sqlite:a.db";
  a.started_unix_ms = kPlanNow - kMsPerDay + 1000;
  a.finished_unix_ms = a.started_unix_ms + 1;
  a.fingerprint = now->fingerprints.at("a");
  ASSERT_TRUE(store_->RecordSource(dead, a).ok());
  auto resumed = Plan(false, /*mark=*/true);
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  EXPECT_EQ(resumed->resumed_from, dead);
  EXPECT_EQ(Reasons(*resumed),
            (std::vector<ScanReason>{ScanReason::kCarried, ScanReason::kNoEarlierScan}));
  EXPECT_EQ(resumed->decisions[0].last->run_id, dead);
}

TEST_F(NightlyRunTest, KeepHistoryDeletesRunsOlderThanKeep) {
  const int64_t old = CleanRun(40);
  const int64_t recent = CleanRun(2);
  ASSERT_TRUE(KeepHistory(*store_, Duration{30, Duration::Unit::kDays}, kPlanNow).ok());
  EXPECT_EQ(store_->GetRun(old).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(RunStatus(recent), "complete");
}

TEST_F(NightlyRunTest, AuditOptionsComeFromTheConfiguration) {
  config_.jobs = 3;
  config_.samples = 9;
  config_.utc_offset_minutes = 420;
  config_.sql_timeout_seconds = 1.5;
  const AuditOptions options = AuditOptionsFor(config_);
  EXPECT_EQ(options.jobs, 3);
  EXPECT_EQ(options.samples, 9);
  EXPECT_EQ(options.utc_offset_minutes, 420);
  EXPECT_EQ(options.statement_budget_ms, 1500);
  EXPECT_EQ(options.today_day, std::nullopt);
}

}  // namespace
}  // namespace dqa::nightly
