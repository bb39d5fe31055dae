// `dqaudit scores` on a hand-made history store (output captured from stdout/stderr).
#include "core/cli/scores_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/cli/commands.h"
#include "core/history/store.h"

namespace dqa::cli {
namespace {

namespace fs = std::filesystem;

CheckResult Pattern(Outcome outcome, int64_t violations) {
  CheckResult r;
  r.id = "pattern:cong_dan.so_cccd";
  r.type = "pattern";
  r.source = "population";
  r.table = "cong_dan";
  r.columns = {"so_cccd"};
  r.dimension = Dimension::kValidity;
  r.outcome = outcome;
  r.violations = violations;
  r.rows_checked = 1000;
  r.percent = static_cast<double>(violations) / 10;
  r.thresholds.fail = {10, std::nullopt};
  r.message = outcome == Outcome::kPass ? "" : "sai định dạng";
  return r;
}

class ScoresCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dqa_scores_cli_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.history_path = (dir_ / "audit.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Record(Outcome outcome, int64_t violations) {
    auto store = HistoryStore::Open(options_.history_path);
    ASSERT_TRUE(store.ok()) << store.status().message();
    RunStart start;
    start.today = "2026-11-01";
    start.pid = getpid();
    start.host = HostName();
    start.sources_planned = 1;
    auto id = (*store)->BeginRun(start);
    ASSERT_TRUE(id.ok());
    SourceResult s;
    s.source = "population";
    s.department = "Công an tỉnh";
    s.database = "sqlite:population.db";
    s.results = {Pattern(outcome, violations)};
    ASSERT_TRUE((*store)->RecordSource(*id, s).ok());
    ASSERT_TRUE((*store)->FinishRun(*id, outcome == Outcome::kFail ? 1 : 0).ok());
  }

  int Run(std::string& out, std::string& err) {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    const int rc = RunScoresCommand(options_);
    out = ::testing::internal::GetCapturedStdout();
    err = ::testing::internal::GetCapturedStderr();
    return rc;
  }

  fs::path dir_;
  ScoresOptions options_;
};

TEST_F(ScoresCommandTest, PrintsScoresGradeDeltaAndNewFailures) {
  Record(Outcome::kPass, 0);
  Record(Outcome::kFail, 20);  // 2x the limit of 10: loss 0.625, score 37.5
  options_.sources = true;
  std::string out, err;
  ASSERT_EQ(Run(out, err), kExitOk) << err;
  EXPECT_NE(out.find("run 2 (2026-11-01, complete), compared with 1 earlier run(s)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Công an tỉnh"), std::string::npos) << out;
  EXPECT_NE(out.find("37.5      -      -      -     37.5  Kém (Bad)"), std::string::npos) << out;
  EXPECT_NE(out.find("-62.5"), std::string::npos) << out;
  EXPECT_NE(out.find("NEW FAILURE  population/pattern:cong_dan.so_cccd (fail): pass -> fail, "
                     "violations 0 -> 20 (run 1)"),
            std::string::npos)
      << out;

  options_.run_id = 1;
  ASSERT_EQ(Run(out, err), kExitOk) << err;
  EXPECT_NE(out.find("100.0  Tốt (Good)"), std::string::npos) << out;
  EXPECT_EQ(out.find("NEW FAILURE"), std::string::npos) << out;
}

TEST_F(ScoresCommandTest, UsageErrors) {
  std::string out, err;
  EXPECT_EQ(Run(out, err), kExitUsage);  // no store
  EXPECT_NE(err.find("history store not found"), std::string::npos) << err;
  Record(Outcome::kPass, 0);
  options_.run_id = 7;
  EXPECT_EQ(Run(out, err), kExitUsage);
  EXPECT_NE(err.find("no run 7"), std::string::npos) << err;
  options_.run_id = 0;
  const fs::path config = dir_ / "scoring.yaml";
  std::ofstream(config) << "weights: {validty: 2}\n";
  options_.config_path = config.string();
  EXPECT_EQ(Run(out, err), kExitUsage);
  EXPECT_NE(err.find("unknown key 'validty' (did you mean 'validity'?)"), std::string::npos) << err;
}

}  // namespace
}  // namespace dqa::cli
