// Score formula tests: every expected number is computed by hand in docs/scoring.md.
#include "core/scoring/score.h"

#include "core/checks/delivery.h"
#include "core/util/dates.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>
#include "tests/unit_support.h"

namespace dqa {
namespace {

Thresholds FailAt(std::optional<int64_t> max_count, std::optional<double> max_percent) {
  Thresholds t;
  t.fail = {max_count, max_percent};
  return t;
}

CheckResult ScoredResult(std::string type, Dimension dimension, Severity severity, Outcome outcome,
                   int64_t violations, int64_t rows, Thresholds thresholds) {
  CheckResult r;
  r.id = type + ":t.c";
  r.type = std::move(type);
  r.source = "population";
  r.table = "t";
  r.dimension = dimension;
  r.severity = severity;
  r.outcome = outcome;
  r.violations = violations;
  r.rows_checked = rows;
  r.percent = rows == 0 ? 0 : 100.0 * static_cast<double>(violations) / static_cast<double>(rows);
  r.thresholds = thresholds;
  return r;
}

struct CheckCase {
  const char* name;
  CheckResult result;
  double weight;
  double ratio;
  double loss;
};

TEST(ScoreCheckTest, LossFollowsOutcomeSeverityAndDistanceOverTheLimit) {
  using D = Dimension;
  using S = Severity;
  using O = Outcome;
  Thresholds warn_then_fail;
  warn_then_fail.warn = {std::nullopt, 2.0};
  warn_then_fail.fail = {std::nullopt, 10.0};
  const std::vector<CheckCase> cases = {
      {"pass", ScoredResult("pattern", D::kValidity, S::kFail, O::kPass, 0, 200, FailAt(0, {})), 2, 0, 0},
      // 1.5 % against a 1 % limit: ratio 1.5, loss 0.5 + 0.5 * 0.5 / 4.
      {"just over percent",
       ScoredResult("pattern", D::kValidity, S::kFail, O::kFail, 3, 200, FailAt({}, 1.0)), 2, 1.5,
       0.5625},
      {"twice the percent",
       ScoredResult("pattern", D::kValidity, S::kFail, O::kFail, 4, 200, FailAt({}, 1.0)), 2, 2, 0.625},
      {"saturated", ScoredResult("pattern", D::kValidity, S::kFail, O::kFail, 14, 200, FailAt({}, 1.0)),
       2, 7, 1},
      // Limit 0: ratio 1 + percent / 1 = 2.5.
      {"zero limit", ScoredResult("missing", D::kCompleteness, S::kFail, O::kFail, 3, 200, FailAt(0, {})),
       2, 2.5, 0.6875},
      // Over the warn limit (2 %) only: ratio 1.5, half of 0.5625.
      {"warn limit",
       ScoredResult("missing", D::kCompleteness, S::kFail, O::kWarn, 6, 200, warn_then_fail), 2, 1.5,
       0.28125},
      // severity warn over its fail limit of 10 rows with 30: ratio 3, half of 0.75, weight 1.
      {"severity warn",
       ScoredResult("allowed", D::kValidity, S::kWarn, O::kWarn, 30, 1000, FailAt(10, {})), 1, 3, 0.375},
      {"critical",
       ScoredResult("duplicate", D::kUniqueness, S::kCritical, O::kFail, 20, 1000, FailAt(10, {})), 4, 2,
       0.625},
      // Both keys exceeded: the larger ratio decides (30 / 10 = 3 against 1.5 % / 1 % = 1.5).
      {"both keys", ScoredResult("pattern", D::kValidity, S::kFail, O::kFail, 30, 2000, FailAt(10, 1.0)),
       2, 3, 0.75},
      {"row_count is yes/no",
       ScoredResult("row_count", D::kCompleteness, S::kFail, O::kFail, 1, 1, FailAt(0, {})), 2, 5, 1},
      {"freshness is yes/no",
       ScoredResult("freshness", D::kFreshness, S::kCritical, O::kFail, 1, 5000, FailAt(0, {})), 4, 5, 1},
      {"error penalized", ScoredResult("sql", D::kValidity, S::kCritical, O::kError, 0, 0, FailAt(0, {})),
       4, 0, 0.5},
  };
  const ScoringConfig config;
  for (const CheckCase& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckScore s = ScoreCheck(c.result, config);
    EXPECT_TRUE(s.counted);
    EXPECT_DOUBLE_EQ(s.weight, c.weight);
    EXPECT_NEAR(s.ratio, c.ratio, kEps);
    EXPECT_NEAR(s.loss, c.loss, kEps);
  }
}

TEST(ScoreCheckTest, ExcludedErrorIsNotCounted) {
  ScoringConfig config;
  config.errors = ErrorPolicy::kExclude;
  const CheckScore s = ScoreCheck(
      ScoredResult("sql", Dimension::kValidity, Severity::kFail, Outcome::kError, 0, 0, FailAt(0, {})),
      config);
  EXPECT_FALSE(s.counted);
}

TEST(ScoreCheckTest, SaturationAndWarnLossAreConfigurable) {
  ScoringConfig config;
  config.saturation = 3;  // ratio 2 is half-way: 0.5 + 0.5 * 1 / 2 = 0.75
  config.warn_loss = 0.2;
  const CheckResult fail = ScoredResult("pattern", Dimension::kValidity, Severity::kFail, Outcome::kFail,
                                  20, 100, FailAt(10, {}));
  EXPECT_NEAR(ScoreCheck(fail, config).loss, 0.75, kEps);
  CheckResult warn = fail;
  warn.severity = Severity::kWarn;
  warn.outcome = Outcome::kWarn;
  EXPECT_NEAR(ScoreCheck(warn, config).loss, 0.15, kEps);
}

TEST(GradeTest, CutPointsOnTheDisplayedScore) {
  const GradeCuts cuts;
  const std::vector<std::pair<double, Grade>> cases = {
      {100, Grade::kGood}, {90, Grade::kGood},       {89.96, Grade::kGood}, {89.94, Grade::kFair},
      {75, Grade::kFair},  {74.94, Grade::kAverage}, {60, Grade::kAverage}, {59.9, Grade::kPoor},
      {40, Grade::kPoor},  {39.94, Grade::kBad},     {0, Grade::kBad},
  };
  for (const auto& [score, grade] : cases) {
    EXPECT_EQ(GradeFor(score, cuts), grade) << score;
  }
  EXPECT_EQ(GradeLabelVi(Grade::kGood), "Tốt");
  EXPECT_EQ(GradeLabelVi(Grade::kFair), "Khá");
  EXPECT_EQ(GradeLabelVi(Grade::kAverage), "Trung bình");
  EXPECT_EQ(GradeLabelVi(Grade::kPoor), "Yếu");
  EXPECT_EQ(GradeLabelVi(Grade::kBad), "Kém");
  EXPECT_EQ(GradeLabelEn(Grade::kAverage), "Average");
  EXPECT_EQ(ToString(Grade::kPoor), "poor");
}

// docs/scoring.md "Worked example": two sources of one department.
std::vector<SourceResult> WorkedExample() {
  using D = Dimension;
  using S = Severity;
  using O = Outcome;
  SourceResult population;
  population.source = "population";
  population.department = "Công an tỉnh";
  population.results = {
      ScoredResult("pattern", D::kValidity, S::kFail, O::kPass, 0, 1000, FailAt(0, {})),
      ScoredResult("range", D::kValidity, S::kCritical, O::kFail, 2, 1000, FailAt(0, {})),
      ScoredResult("allowed", D::kValidity, S::kWarn, O::kWarn, 10, 1000, FailAt(0, {})),
      ScoredResult("missing", D::kCompleteness, S::kFail, O::kPass, 5, 1000, FailAt({}, 1.0)),
      ScoredResult("row_count", D::kCompleteness, S::kFail, O::kPass, 0, 1000, FailAt(0, {})),
      ScoredResult("duplicate", D::kUniqueness, S::kCritical, O::kFail, 5, 1000, FailAt(0, {})),
  };
  SourceResult archive;
  archive.source = "population_archive";
  archive.department = "Công an tỉnh";
  archive.results = {
      ScoredResult("pattern", D::kValidity, S::kFail, O::kPass, 0, 50, FailAt(0, {})),
      ScoredResult("freshness", D::kFreshness, S::kFail, O::kFail, 1, 50, FailAt(0, {})),
  };
  SourceResult civil;
  civil.source = "civil";
  civil.department = "Sở Tư pháp";
  civil.error = "cannot open database";
  civil.results = {
      ScoredResult("missing", D::kCompleteness, S::kFail, O::kError, 0, 0, FailAt(0, {})),
      ScoredResult("duplicate", D::kUniqueness, S::kCritical, O::kError, 0, 0, FailAt(0, {})),
  };
  return {population, archive, civil};
}

TEST(ScoreRunTest, WorkedExampleSource) {
  const RunScores scores = ScoreRun(WorkedExample(), ScoringConfig{});
  ASSERT_EQ(scores.sources.size(), 3u);
  const ScoreSet& s = scores.sources[0].scores;
  EXPECT_NEAR(*s.dimension(Dimension::kValidity).score, 458.75 / 7, kEps);  // 65.5357...
  EXPECT_NEAR(s.dimension(Dimension::kValidity).weight, 7, kEps);
  EXPECT_NEAR(s.dimension(Dimension::kValidity).credit, 4.5875, kEps);
  EXPECT_EQ(s.dimension(Dimension::kValidity).checks, 3);
  EXPECT_EQ(s.dimension(Dimension::kValidity).passed, 1);
  EXPECT_EQ(s.dimension(Dimension::kValidity).warned, 1);
  EXPECT_EQ(s.dimension(Dimension::kValidity).failed, 1);
  EXPECT_NEAR(*s.dimension(Dimension::kCompleteness).score, 100, kEps);
  EXPECT_NEAR(*s.dimension(Dimension::kUniqueness).score, 43.75, kEps);
  EXPECT_FALSE(s.dimension(Dimension::kFreshness).score.has_value());  // not measured, not 100
  EXPECT_NEAR(*s.overall, 1465.0 / 21, kEps);                          // 69.7619...
  EXPECT_EQ(s.grade, Grade::kAverage);
  EXPECT_FALSE(scores.sources[0].scan_error);

  const ScoreSet& archive = scores.sources[1].scores;
  EXPECT_NEAR(*archive.dimension(Dimension::kValidity).score, 100, kEps);
  EXPECT_NEAR(*archive.dimension(Dimension::kFreshness).score, 0, kEps);
  EXPECT_NEAR(*archive.overall, 50, kEps);
  EXPECT_EQ(archive.grade, Grade::kPoor);
}

TEST(ScoreRunTest, WorkedExampleDepartmentPoolsItsSources) {
  const RunScores scores = ScoreRun(WorkedExample(), ScoringConfig{});
  ASSERT_EQ(scores.departments.size(), 2u);
  const DepartmentScore& police = scores.departments[0];
  EXPECT_EQ(police.department, "Công an tỉnh");
  EXPECT_EQ(police.sources, (std::vector<std::string>{"population", "population_archive"}));
  EXPECT_NEAR(*police.scores.dimension(Dimension::kValidity).score, 658.75 / 9, kEps);
  EXPECT_NEAR(*police.scores.dimension(Dimension::kFreshness).score, 0, kEps);
  EXPECT_NEAR(*police.scores.overall, 1952.5 / 36, kEps);  // 54.2361...
  EXPECT_EQ(police.scores.grade, Grade::kPoor);
  EXPECT_EQ(scores.FindDepartment("Công an tỉnh"), &police);
  EXPECT_EQ(scores.FindDepartment("nobody"), nullptr);
}

TEST(ScoreRunTest, UnscannedSourceIsPenalizedOrNotMeasured) {
  const std::vector<SourceResult> run = WorkedExample();
  const RunScores penalized = ScoreRun(run, ScoringConfig{});
  const SourceScore& civil = penalized.sources[2];
  EXPECT_TRUE(civil.scan_error);
  EXPECT_NEAR(*civil.scores.dimension(Dimension::kCompleteness).score, 50, kEps);
  EXPECT_NEAR(*civil.scores.dimension(Dimension::kUniqueness).score, 50, kEps);
  EXPECT_NEAR(*civil.scores.overall, 50, kEps);
  EXPECT_EQ(civil.scores.dimension(Dimension::kUniqueness).errors, 1);

  ScoringConfig exclude;
  exclude.errors = ErrorPolicy::kExclude;
  const RunScores excluded_run = ScoreRun(run, exclude);  // keep alive: `excluded` points into it
  const SourceScore& excluded = excluded_run.sources[2];
  EXPECT_FALSE(excluded.scores.dimension(Dimension::kCompleteness).score.has_value());
  EXPECT_FALSE(excluded.scores.overall.has_value());
  EXPECT_FALSE(excluded.scores.grade.has_value());
  EXPECT_EQ(excluded.scores.dimension(Dimension::kCompleteness).checks, 1);
}

TEST(ScoreRunTest, DimensionWeightsChangeOnlyTheOverall) {
  ScoringConfig config;
  config.dimension_weights = {2, 1, 1, 0};
  const RunScores scores = ScoreRun(WorkedExample(), config);
  const ScoreSet& s = scores.sources[0].scores;
  EXPECT_NEAR(*s.dimension(Dimension::kValidity).score, 458.75 / 7, kEps);
  EXPECT_NEAR(*s.overall, 1923.75 / 28, kEps);  // 68.7053...
  // The archive's only other dimension, freshness, has weight 0: overall = validity.
  EXPECT_NEAR(*scores.sources[1].scores.overall, 100, kEps);
  EXPECT_EQ(scores.sources[1].scores.grade, Grade::kGood);
}

TEST(ScoreRunTest, EmptyRunHasNoScores) {
  const RunScores scores = ScoreRun({}, ScoringConfig{});
  EXPECT_TRUE(scores.sources.empty());
  EXPECT_TRUE(scores.departments.empty());
}

// A source with a delivery cadence has its freshness (sống) measured by the delivery finding, even
// without a freshness check: a late delivery lowers it, an on-time one gives 100.
TEST(ScoreRunTest, TheDeliveryFindingMeasuresFreshness) {
  DeliverySpec spec;
  spec.every = *Duration::Parse("1d");
  spec.by_minutes = 7 * 60;
  spec.thresholds.fail.max_count = 0;
  DeliveryFacts facts;
  facts.source = "civil";
  facts.reference = *DaysFromCivil(2026, 11, 4) * kSecondsPerDay;  // 07:00 at +07:00
  facts.deliveries = {facts.reference - 3600};                      // 06:00: on time
  SourceResult source;
  source.source = "civil";
  source.department = "Sở Tư pháp";
  source.results = {DeliveryResult(spec, facts)};
  const ScoreSet on_time = ScoreRun({source}, ScoringConfig{}).sources[0].scores;
  ASSERT_TRUE(on_time.dimension(Dimension::kFreshness).score.has_value());
  EXPECT_NEAR(*on_time.dimension(Dimension::kFreshness).score, 100, kEps);
  facts.deliveries = {facts.reference - 2 * kSecondsPerDay};  // nothing since two days
  source.results = {DeliveryResult(spec, facts)};
  const ScoreSet late = ScoreRun({source}, ScoringConfig{}).sources[0].scores;
  ASSERT_TRUE(late.dimension(Dimension::kFreshness).score.has_value());
  EXPECT_LT(*late.dimension(Dimension::kFreshness).score, 100);
  EXPECT_EQ(late.dimension(Dimension::kFreshness).warned, 1);
}

}  // namespace
}  // namespace dqa
