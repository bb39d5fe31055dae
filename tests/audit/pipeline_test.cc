#include "core/audit/pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/model/exit_codes.h"
#include "tests/unit_support.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

// Two sources in a fresh folder: `people` (one missing name: its `missing` check fails) and
// `places`, whose rule names a column its database does not have (schema drift).
class AuditPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir("dqa_audit_pipeline_");
    MakeDb("people.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);"
                        "INSERT INTO t VALUES (1, 'An'), (2, NULL);");
    MakeDb("places.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);"
                        "INSERT INTO t VALUES (1, 'Huế');");
    Write("people.yaml",
          "source: people\ndepartment: Công an tỉnh\ndatabase: sqlite:people.db\n"
          "today: 2026-11-01\ntables:\n  t:\n    key: [id]\n    checks:\n"
          "      - row_count: {min: 1}\n      - missing: {columns: [name]}\n");
    Write("places.yaml",
          "source: places\ndepartment: Sở Xây dựng\ndatabase: sqlite:places.db\n"
          "today: 2026-11-01\ntables:\n  t:\n    key: [id]\n    checks:\n"
          "      - row_count: {min: 1}\n      - missing: {columns: [gone]}\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void MakeDb(const std::string& name, const std::string& sql) {
    auto db = SqliteDb::OpenReadWrite((dir_ / name).string(), /*create=*/true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec(sql).ok()) << sql;
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  Result<PreparedAudit> Prepare() {
    PrepareOptions options;
    options.rule_paths = {(dir_ / "people.yaml").string(), (dir_ / "places.yaml").string()};
    options.plugins.dirs = {dir_.string()};  // no plugin here; the default folders as usual
    return PrepareAudit(options);
  }

  fs::path dir_;
};

// What RunRecordedAudit told its RunProgress, in order.
class RecordedProgress : public RunProgress {
 public:
  void OnRunStarted(size_t total, size_t carried) override {
    events.push_back("start " + std::to_string(total) + " " + std::to_string(carried));
  }
  void OnSourceDone(const SourceResult& r, size_t done, size_t total) override {
    events.push_back(r.source + " " + std::to_string(done) + "/" + std::to_string(total) +
                     (r.carried_from_run ? " carried" : ""));
  }
  std::vector<std::string> events;
};

TEST(RunTodayTest, TodayBeatsTheRulesWhichBeatTheClock) {
  std::vector<SourcePlan> plans(2);
  plans[0].today_day = D("2026-11-01");
  plans[1].today_day = D("2026-11-01");
  AuditOptions options;
  options.now_unix = D("2030-01-02") * 86400 + 3600;
  options.utc_offset_minutes = 0;
  EXPECT_EQ(RunToday(options, plans), D("2026-11-01"));  // every source agrees
  plans[1].today_day = D("2026-10-31");
  EXPECT_EQ(RunToday(options, plans), D("2030-01-02"));  // they disagree: the clock
  options.today_day = D("2025-05-05");
  EXPECT_EQ(RunToday(options, plans), D("2025-05-05"));  // --today
}

TEST_F(AuditPipelineTest, PrepareAuditPlansEverySourceAndSetsBrokenChecksAside) {
  auto audit = Prepare();
  ASSERT_TRUE(audit.ok()) << audit.status().message();
  ASSERT_EQ(audit->plans.size(), 2u);
  EXPECT_EQ(audit->plans[0].source.id, "people");
  EXPECT_EQ(audit->plans[1].source.id, "places");
  EXPECT_EQ(audit->today_day, D("2026-11-01"));
  ASSERT_EQ(audit->broken.size(), 1u);
  ASSERT_EQ(audit->broken.at("places").size(), 1u);
  EXPECT_NE(audit->broken.at("places").begin()->second.find("gone"), std::string::npos);
}

TEST_F(AuditPipelineTest, PrepareAuditRefusesWrongRulesWithTheirPosition) {
  Write("people.yaml", "source: people\ndepartment: x\ndatabase: sqlite:people.db\ntables:\n"
                       "  t:\n    checks:\n      - row_cnt: {min: 1}\n");
  auto audit = Prepare();
  ASSERT_FALSE(audit.ok());
  EXPECT_EQ(audit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(audit.status().message().find("people.yaml:7:"), std::string::npos)
      << audit.status().message();
}

TEST_F(AuditPipelineTest, RecordsCarriedSourcesFirstAndEverySourceOnce) {
  auto audit = Prepare();
  ASSERT_TRUE(audit.ok()) << audit.status().message();
  auto store = HistoryStore::Open((dir_ / "audit.db").string());
  ASSERT_TRUE(store.ok()) << store.status().message();

  RecordedRunOptions options;
  options.kind = "nightly";
  options.in_process = true;
  options.command_line = "dqaudit nightly --config n.yaml";
  SourceResult carried;
  carried.source = "places";
  carried.department = "Sở Xây dựng";
  carried.database = "sqlite:places.db";
  carried.carried_from_run = 7;
  carried.fingerprint = "v1 plan=old";
  options.carried["places"] = carried;
  options.carried["not-in-the-plan"] = carried;  // ignored
  options.fingerprints["people"] = "v1 plan=now";
  RecordedProgress progress;
  auto run = RunRecordedAudit(store->get(), *audit, options, progress);
  ASSERT_TRUE(run.ok()) << run.status().message();

  EXPECT_EQ(progress.events, (std::vector<std::string>{"start 2 1", "places 1/2 carried",
                                                       "people 2/2"}));
  ASSERT_TRUE(run->run_id.has_value());
  EXPECT_EQ(run->carried, 1u);
  EXPECT_FALSE(run->history_failed);
  EXPECT_EQ(run->exit_code, kExitFindings);  // people: one missing name
  ASSERT_EQ(run->results.size(), 2u);
  EXPECT_EQ(run->results[0].source, "people");  // plan order
  EXPECT_EQ(run->results[0].fingerprint, "v1 plan=now");
  EXPECT_EQ(run->results[1].carried_from_run, 7);

  // Recorded as it happened (carried first), the run left running for the caller to finish.
  auto record = (*store)->GetRun(*run->run_id);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->status, "running");
  EXPECT_EQ(record->kind, "nightly");
  EXPECT_EQ(record->sources_planned, 2);
  EXPECT_EQ(record->today, "2026-11-01");
  auto stored = (*store)->LoadRun(*run->run_id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[0].source, "places");
  EXPECT_EQ((*stored)[0].carried_from_run, 7);
  EXPECT_EQ((*stored)[1].source, "people");
  EXPECT_EQ((*stored)[1].fingerprint, "v1 plan=now");
}

TEST_F(AuditPipelineTest, BrokenChecksEndInErrorAndTheRestIsScanned) {
  auto audit = Prepare();
  ASSERT_TRUE(audit.ok()) << audit.status().message();
  RecordedRunOptions options;
  options.in_process = true;
  RecordedProgress progress;
  auto run = RunRecordedAudit(nullptr, *audit, options, progress);  // nothing recorded
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_FALSE(run->run_id.has_value());
  EXPECT_EQ(run->exit_code, kExitRuntime);
  ASSERT_EQ(run->results.size(), 2u);
  const SourceResult& places = run->results[1];
  ASSERT_EQ(places.results.size(), 2u);
  EXPECT_EQ(places.results[0].outcome, Outcome::kPass);  // row_count still scanned
  EXPECT_EQ(places.results[1].outcome, Outcome::kError);
  EXPECT_TRUE(IsSchemaDrift(places.results[1])) << places.results[1].message;
  EXPECT_EQ(run->results[0].results[1].outcome, Outcome::kFail);
  EXPECT_EQ(run->results[0].results[1].violations, 1);
}

}  // namespace
}  // namespace dqa
