// Trends and anomalies on synthetic histories; expected numbers are worked in docs/trends.md.
#include "core/trends/trends.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>
#include "tests/unit_support.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

CheckResult Check(std::string id, Outcome outcome, int64_t violations,
                  std::optional<double> value = std::nullopt, int64_t rows = 1000) {
  CheckResult r;
  r.id = std::move(id);
  r.type = "pattern";
  r.source = "population";
  r.table = "cong_dan";
  r.dimension = Dimension::kValidity;
  r.severity = Severity::kFail;
  r.outcome = outcome;
  r.violations = violations;
  r.rows_checked = rows;
  r.percent = 100.0 * static_cast<double>(violations) / static_cast<double>(rows);
  r.thresholds.fail = {100, std::nullopt};
  r.value = value;
  if (outcome != Outcome::kPass) r.message = "x";
  return r;
}

SourceResult Source(std::vector<CheckResult> results, std::string name = "population",
                    std::string department = "Công an tỉnh") {
  SourceResult s;
  s.source = std::move(name);
  s.department = std::move(department);
  s.database = "sqlite:population.db";
  for (CheckResult& r : results) r.source = s.source;
  s.results = std::move(results);
  return s;
}

// Runs oldest first -> RunResults with ids 1..n, history newest first.
struct Timeline {
  RunResults current;
  std::vector<RunResults> history;
};
Timeline Build(const std::vector<std::vector<SourceResult>>& runs) {
  Timeline t;
  for (size_t i = 0; i < runs.size(); ++i) {
    RunResults r{static_cast<int64_t>(i + 1), "2026-11-" + std::to_string(10 + i), runs[i]};
    if (i + 1 == runs.size()) {
      t.current = std::move(r);
    } else {
      t.history.insert(t.history.begin(), std::move(r));
    }
  }
  return t;
}

// Violations of one check over runs (oldest first, the last is the current run).
TrendReport ViolationSeries(const std::vector<int64_t>& series, const TrendConfig& config) {
  std::vector<std::vector<SourceResult>> runs;
  for (int64_t v : series) runs.push_back({Source({Check("c", Outcome::kPass, v)})});
  Timeline t = Build(runs);
  return AnalyzeTrends(t.current, t.history, config, ScoringConfig{});
}

TEST(TrendAnomalyTest, BandOfMeanAndThreeSigmas) {
  // History 8, 12, 8, 12, 8, 12: mean 10, sample stddev sqrt(24 / 5) = 2.19089..., band
  // [3.42733..., 16.57267...]. Every value is under the check's limit (100): outcome pass.
  const double sd = std::sqrt(4.8);
  struct Case {
    int64_t current;
    bool flagged;
    int direction;
  };
  for (const Case& c : {Case{17, true, 1}, Case{16, false, 0}, Case{3, true, -1}, Case{4, false, 0},
                        Case{10, false, 0}}) {
    SCOPED_TRACE(c.current);
    const TrendReport r = ViolationSeries({8, 12, 8, 12, 8, 12, c.current}, TrendConfig{});
    ASSERT_EQ(r.anomalies.size(), c.flagged ? 1u : 0u);
    if (!c.flagged) continue;
    const Anomaly& a = r.anomalies[0];
    EXPECT_EQ(a.method, Anomaly::Method::kBand);
    EXPECT_EQ(a.metric, "violations");
    EXPECT_EQ(a.check_id, "c");
    EXPECT_EQ(a.source, "population");
    EXPECT_EQ(a.outcome, Outcome::kPass);
    EXPECT_EQ(a.points, 6);
    EXPECT_NEAR(a.mean, 10, kEps);
    EXPECT_NEAR(a.stddev, sd, kEps);
    EXPECT_NEAR(a.low, 10 - 3 * sd, kEps);
    EXPECT_NEAR(a.high, 10 + 3 * sd, kEps);
    EXPECT_EQ(a.current, static_cast<double>(c.current));
    EXPECT_EQ(a.direction, c.direction);
  }
}

TEST(TrendAnomalyTest, ConstantHistoryFlagsAChangeOfAtLeastTheMinimum) {
  // stddev 0: the band is the single value; min_abs_change (5) keeps small moves quiet.
  EXPECT_EQ(ViolationSeries({0, 0, 0, 0, 0, 4}, TrendConfig{}).anomalies.size(), 0u);
  const TrendReport r = ViolationSeries({0, 0, 0, 0, 0, 5}, TrendConfig{});
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].method, Anomaly::Method::kBand);
  EXPECT_EQ(r.anomalies[0].stddev, 0);
  TrendConfig loose;
  loose.min_abs_change = 10;
  EXPECT_EQ(ViolationSeries({0, 0, 0, 0, 0, 9}, loose).anomalies.size(), 0u);
}

TEST(TrendAnomalyTest, RelativeJumpForShortHistories) {
  struct Case {
    std::vector<int64_t> series;
    bool flagged;
  };
  const std::vector<Case> cases = {
      {{20, 40, 61}, true},   // |61 - 40| = 21 > 0.5 * 40 and >= 5
      {{20, 40, 60}, false},  // exactly 50 %: not above
      {{40, 19}, true},       // a fall counts too
      {{0, 5}, true},         // from 0 any change of at least 5
      {{0, 4}, false},        // below the absolute minimum
      {{7}, false},           // no history
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.series));
    const TrendReport r = ViolationSeries(c.series, TrendConfig{});
    ASSERT_EQ(r.anomalies.size(), c.flagged ? 1u : 0u);
    if (!c.flagged) continue;
    const Anomaly& a = r.anomalies[0];
    EXPECT_EQ(a.method, Anomaly::Method::kJump);
    EXPECT_EQ(a.points, static_cast<int>(c.series.size()) - 1);
    const double previous = static_cast<double>(c.series[c.series.size() - 2]);
    EXPECT_EQ(a.mean, previous);
    EXPECT_EQ(a.low, previous * 0.5);
    EXPECT_EQ(a.high, previous * 1.5);
    EXPECT_EQ(a.direction, a.current > previous ? 1 : -1);
  }
}

TEST(TrendAnomalyTest, WindowLimitsTheHistory) {
  // Ten old runs at 1000 then 4 at 10: with window 4 only the 10s count (jump: 4 < 5 points),
  // so 10 -> 16 is flagged; 16 is within the band of the full history of 14.
  std::vector<int64_t> series(10, 1000);
  for (int i = 0; i < 4; ++i) series.push_back(10);
  series.push_back(16);
  TrendConfig config;
  config.window = 4;
  {
    std::vector<std::vector<SourceResult>> runs;
    for (int64_t v : series) runs.push_back({Source({Check("c", Outcome::kPass, v)})});
    Timeline t = Build(runs);
    // The store hands AnalyzeTrends only the window; the pure function uses what it is given.
    t.history.resize(4);
    const TrendReport r = AnalyzeTrends(t.current, t.history, config, ScoringConfig{});
    ASSERT_EQ(r.anomalies.size(), 1u);
    EXPECT_EQ(r.anomalies[0].method, Anomaly::Method::kJump);
    EXPECT_EQ(r.previous_run_ids, (std::vector<int64_t>{14, 13, 12, 11}));
  }
  config.window = 14;
  // 14 points: band around mean 717.1 with a stddev of about 464: 16 is inside.
  EXPECT_EQ(ViolationSeries(series, config).anomalies.size(), 0u);
}

TEST(TrendAnomalyTest, ValueMetricAndErrorsSkipped) {
  // row counts 5000 five times, an error run in between (ignored), then 4000: value anomaly;
  // violations stay 0.
  std::vector<std::vector<SourceResult>> runs;
  for (int i = 0; i < 5; ++i) runs.push_back({Source({Check("rows", Outcome::kPass, 0, 5000)})});
  runs.push_back({Source({Check("rows", Outcome::kError, 0)})});
  runs.push_back({Source({Check("rows", Outcome::kPass, 0, 4000)})});
  Timeline t = Build(runs);
  const TrendReport r = AnalyzeTrends(t.current, t.history, TrendConfig{}, ScoringConfig{});
  ASSERT_EQ(r.anomalies.size(), 1u);
  ASSERT_EQ(r.checks.size(), 1u);
  ASSERT_EQ(r.checks[0].points.size(), 7u);
  EXPECT_EQ(r.checks[0].points[5].outcome, Outcome::kError);
  EXPECT_EQ(r.checks[0].points[6].value, 4000);
  EXPECT_EQ(r.anomalies[0].metric, "value");
  EXPECT_EQ(r.anomalies[0].points, 5);
  EXPECT_EQ(r.anomalies[0].mean, 5000);
  EXPECT_EQ(r.anomalies[0].direction, -1);
}

TEST(TrendChangeTest, NewAndResolvedFailuresAgainstTheLastRealOutcome) {
  const std::vector<std::vector<SourceResult>> runs = {
      {Source({Check("a", Outcome::kPass, 0), Check("b", Outcome::kFail, 150),
               Check("c", Outcome::kWarn, 50)})},
      {Source({Check("a", Outcome::kFail, 120), Check("b", Outcome::kPass, 10),
               Check("c", Outcome::kError, 0)})},
      {Source({Check("a", Outcome::kFail, 130), Check("b", Outcome::kPass, 12),
               Check("c", Outcome::kFail, 101), Check("d", Outcome::kFail, 200)})},
  };
  TrendConfig quiet;
  quiet.min_abs_change = 1e9;  // this test is about outcomes
  {
    Timeline t = Build({runs[0], runs[1]});
    const TrendReport r = AnalyzeTrends(t.current, t.history, quiet, ScoringConfig{});
    ASSERT_EQ(r.changes.size(), 2u);
    EXPECT_EQ(r.changes[0].check_id, "a");
    EXPECT_EQ(r.changes[0].kind, CheckChange::Kind::kNewFailure);
    EXPECT_EQ(r.changes[0].previous_outcome, Outcome::kPass);
    EXPECT_EQ(r.changes[0].previous_run_id, 1);
    EXPECT_EQ(r.changes[0].previous_violations, 0);
    EXPECT_EQ(r.changes[0].current_violations, 120);
    EXPECT_EQ(r.changes[0].department, "Công an tỉnh");
    EXPECT_EQ(r.changes[1].check_id, "b");
    EXPECT_EQ(r.changes[1].kind, CheckChange::Kind::kResolved);
    EXPECT_EQ(r.changes[1].current_outcome, Outcome::kPass);
  }
  Timeline t = Build(runs);
  const TrendReport r = AnalyzeTrends(t.current, t.history, quiet, ScoringConfig{});
  // a: still failing; b: still passing; c: error in run 2 is skipped, warn in run 1 -> new
  // failure; d: no history, not a change.
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].check_id, "c");
  EXPECT_EQ(r.changes[0].kind, CheckChange::Kind::kNewFailure);
  EXPECT_EQ(r.changes[0].previous_outcome, Outcome::kWarn);
  EXPECT_EQ(r.changes[0].previous_run_id, 1);
  EXPECT_EQ(ToString(r.changes[0].kind), "new_failure");
}

TEST(TrendScoreTest, DeltaAndSlopePerSourceAndDepartment) {
  // One validity check of weight 2 per run, 50 % violating against max_count 100 (ratio >= 5 for
  // fail: loss 1). Scores: run 1 = 100, run 2 = 0 + 100 over two checks = 50, run 3 = 50.
  auto pass = [](const std::string& id) { return Check(id, Outcome::kPass, 0); };
  auto fail = [](const std::string& id) { return Check(id, Outcome::kFail, 500); };
  Timeline t =
      Build({{Source({pass("x"), pass("y")})},
             {Source({fail("x"), pass("y")})},
             {Source({fail("x"), pass("y")}), Source({pass("z")}, "civil", "Sở Tư pháp")}});
  const TrendReport r = AnalyzeTrends(t.current, t.history, TrendConfig{}, ScoringConfig{});
  ASSERT_EQ(r.sources.size(), 2u);
  const ScoreTrend& p = r.sources[0];
  EXPECT_EQ(p.name, "population");
  EXPECT_NEAR(*p.overall.current, 50, kEps);
  EXPECT_NEAR(*p.overall.previous, 50, kEps);
  EXPECT_NEAR(*p.overall.delta, 0, kEps);
  EXPECT_NEAR(*p.overall.slope, -25, kEps);  // least squares over (0,100), (1,50), (2,50)
  EXPECT_EQ(p.overall.points, 3);
  const SeriesTrend& validity = p.dimensions[static_cast<size_t>(Dimension::kValidity)];
  EXPECT_NEAR(*validity.slope, -25, kEps);
  const SeriesTrend& freshness = p.dimensions[static_cast<size_t>(Dimension::kFreshness)];
  EXPECT_FALSE(freshness.current.has_value());
  EXPECT_EQ(freshness.points, 0);
  ASSERT_EQ(p.history.size(), 3u);
  EXPECT_EQ(p.history[0].run_id, 1);
  EXPECT_EQ(p.history[0].today, "2026-11-10");
  EXPECT_NEAR(*p.history[0].scores.overall, 100, kEps);
  EXPECT_EQ(p.history[2].run_id, 3);

  // A source seen for the first time: current only.
  const ScoreTrend& civil = r.sources[1];
  EXPECT_NEAR(*civil.overall.current, 100, kEps);
  EXPECT_FALSE(civil.overall.previous.has_value());
  EXPECT_FALSE(civil.overall.delta.has_value());
  EXPECT_FALSE(civil.overall.slope.has_value());
  EXPECT_EQ(civil.history.size(), 1u);

  ASSERT_EQ(r.departments.size(), 2u);
  EXPECT_EQ(r.departments[0].name, "Công an tỉnh");
  EXPECT_NEAR(*r.departments[0].overall.slope, -25, kEps);
  EXPECT_EQ(r.departments[1].name, "Sở Tư pháp");
}

TEST(TrendScoreTest, GapsKeepTheirSpacing) {
  // population in runs 1 and 3 only: slope over x = 0 and 2 is (0 - 100) / 2.
  auto fail = Check("x", Outcome::kFail, 500);
  Timeline t = Build({{Source({Check("x", Outcome::kPass, 0)})},
                      {Source({Check("z", Outcome::kPass, 0)}, "civil", "Sở Tư pháp")},
                      {Source({fail})}});
  const TrendReport r = AnalyzeTrends(t.current, t.history, TrendConfig{}, ScoringConfig{});
  const ScoreTrend& p = r.sources[0];
  EXPECT_NEAR(*p.overall.previous, 100, kEps);
  EXPECT_NEAR(*p.overall.delta, -100, kEps);
  EXPECT_NEAR(*p.overall.slope, -50, kEps);
  EXPECT_EQ(p.overall.points, 2);
}

class TrendStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("dqa_trends_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = HistoryStore::Open((dir_ / "audit.db").string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  int64_t Record(const std::string& today, const std::vector<SourceResult>& sources) {
    RunStart start;
    start.started_unix_ms = 1793500000000;
    start.today = today;
    start.version = "0.1.0";
    start.command_line = "dqaudit scan";
    start.pid = getpid();
    start.host = HostName();
    start.sources_planned = static_cast<int64_t>(sources.size());
    auto id = store_->BeginRun(start);
    EXPECT_TRUE(id.ok()) << id.status().message();
    for (const SourceResult& s : sources) {
      Status st = store_->RecordSource(*id, s);
      EXPECT_TRUE(st.ok()) << st.message();
    }
    EXPECT_TRUE(store_->FinishRun(*id, 0).ok());
    return *id;
  }

  fs::path dir_;
  std::unique_ptr<HistoryStore> store_;
};

TEST_F(TrendStoreTest, AnalyzesARecordedHistory) {
  // Six nights: "pattern" at 8/12 alternating, then 40 (under its limit of 100: an anomaly, not a
  // failure); "dup" passes then fails on the last night.
  const std::vector<int64_t> pattern = {8, 12, 8, 12, 8, 12, 40};
  std::vector<int64_t> ids;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const bool last = i + 1 == pattern.size();
    ids.push_back(
        Record("2026-11-0" + std::to_string(i + 1),
               {Source({Check("pattern", Outcome::kPass, pattern[i]),
                        Check("dup", last ? Outcome::kFail : Outcome::kPass, last ? 150 : 0)})}));
  }
  auto report = AnalyzeTrends(*store_, ids.back(), TrendConfig{}, ScoringConfig{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->run_id, ids.back());
  EXPECT_EQ(report->previous_run_ids.size(), 6u);
  EXPECT_EQ(report->previous_run_ids.front(), ids[5]);
  ASSERT_EQ(report->changes.size(), 1u);
  EXPECT_EQ(report->changes[0].check_id, "dup");
  EXPECT_EQ(report->changes[0].kind, CheckChange::Kind::kNewFailure);
  EXPECT_EQ(report->changes[0].previous_run_id, ids[5]);
  // dup: 0 six times then 150 (band, stddev 0); pattern: 40 above [3.43, 16.57].
  ASSERT_EQ(report->anomalies.size(), 2u);
  EXPECT_EQ(report->anomalies[0].check_id, "pattern");
  EXPECT_EQ(report->anomalies[0].outcome, Outcome::kPass);
  EXPECT_NEAR(report->anomalies[0].mean, 10, kEps);
  EXPECT_EQ(report->anomalies[1].check_id, "dup");
  // dup fails at 150 / 100 = 1.5x: loss 0.5625, score (2 + 2 * 0.4375) / 4 = 71.875.
  ASSERT_EQ(report->sources.size(), 1u);
  EXPECT_NEAR(*report->sources[0].overall.current, 71.875, kEps);
  EXPECT_NEAR(*report->sources[0].overall.delta, -28.125, kEps);
  EXPECT_EQ(report->sources[0].history.size(), 7u);
  EXPECT_EQ(report->sources[0].history.front().today, "2026-11-01");

  // Every check's history for charts, oldest first, this run last.
  ASSERT_EQ(report->checks.size(), 2u);
  EXPECT_EQ(report->checks[0].check_id, "pattern");
  ASSERT_EQ(report->checks[0].points.size(), 7u);
  for (size_t i = 0; i < pattern.size(); ++i) {
    EXPECT_EQ(report->checks[0].points[i].violations, pattern[i]);
    EXPECT_EQ(report->checks[0].points[i].run_id, ids[i]);
  }
  EXPECT_EQ(report->checks[1].points.back().outcome, Outcome::kFail);
  EXPECT_DOUBLE_EQ(report->checks[1].points.back().percent, 15);

  // The first run has no history; a window of 2 reads two runs.
  auto first = AnalyzeTrends(*store_, ids.front(), TrendConfig{}, ScoringConfig{});
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->previous_run_ids.empty());
  EXPECT_TRUE(first->anomalies.empty());
  TrendConfig two;
  two.window = 2;
  auto windowed = AnalyzeTrends(*store_, ids.back(), two, ScoringConfig{});
  ASSERT_TRUE(windowed.ok());
  EXPECT_EQ(windowed->previous_run_ids, (std::vector<int64_t>{ids[5], ids[4]}));

  auto missing = AnalyzeTrends(*store_, 999, TrendConfig{}, ScoringConfig{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace dqa
