// Risk of a department from hand-made results, trends and inspections (docs/schedule.md "Risk").
#include "core/schedule/risk.h"

#include <gtest/gtest.h>

#include "core/util/dates.h"
#include "tests/schedule/results_fixture.h"
#include "tests/unit_support.h"

namespace dqa {
namespace {

using schedule_test::Check;
using schedule_test::Source;

RiskInputs Inputs(std::vector<SourceResult> sources) {
  RiskInputs in;
  in.sources = std::move(sources);
  in.run_today = "2026-11-01";
  in.as_of = *ParseIsoDay("2026-11-02");
  return in;
}

TEST(ScheduleRiskTest, PerfectScoresNeverInspected) {
  // quality 0, trend 0, critical 0, inspection 100 -> (15 x 100) / 100 = 15.
  const auto risks = AssessRisk(
      Inputs({Source("a", "Sở A", {Check("x", Dimension::kValidity, Outcome::kPass, 0)})}),
      ScheduleConfig{}, ScoringConfig{});
  ASSERT_EQ(risks.size(), 1u);
  EXPECT_EQ(risks[0].department, "Sở A");
  EXPECT_NEAR(risks[0].quality, 0, kEps);
  EXPECT_NEAR(risks[0].inspection, 100, kEps);
  EXPECT_FALSE(risks[0].days_since.has_value());
  EXPECT_DOUBLE_EQ(risks[0].risk, 15.0);
}

TEST(ScheduleRiskTest, DaysSinceTheLastInspection) {
  // Last inspection 73 days before 2026-11-02: 100 x 73 / 365 = 20 -> risk 0.15 x 20 = 3.
  RiskInputs in =
      Inputs({Source("a", "Sở A", {Check("x", Dimension::kValidity, Outcome::kPass, 0)})});
  in.inspections = {{1, "Sở A", "2026-05-01", "", "", 0},
                    {2, "Sở A", "2026-08-21", "", "", 0},
                    {3, "Sở B", "2026-10-30", "", "", 0}};
  const auto risks = AssessRisk(in, ScheduleConfig{}, ScoringConfig{});
  EXPECT_EQ(risks[0].days_since, 73);
  EXPECT_EQ(risks[0].last_inspected, *ParseIsoDay("2026-08-21"));
  EXPECT_EQ(risks[0].inspection_days.size(), 2u);
  EXPECT_NEAR(risks[0].inspection, 20, kEps);
  EXPECT_DOUBLE_EQ(risks[0].risk, 3.0);
}

TEST(ScheduleRiskTest, QualityAndCriticalFailure) {
  // Validity: one critical check failing at 5x its limit (loss 1) -> 0. Completeness: passes ->
  // 100. Overall (equal weights) 50 -> quality 50. Risk = 0.5 x 50 + 0.2 x 100 + 0.15 x 100 = 60.
  const auto risks = AssessRisk(
      Inputs({Source("a", "Sở A",
                     {Check("crit", Dimension::kValidity, Outcome::kFail, 50, Severity::kCritical),
                      Check("ok", Dimension::kCompleteness, Outcome::kPass, 0)})}),
      ScheduleConfig{}, ScoringConfig{});
  const DepartmentRisk& r = risks[0];
  EXPECT_NEAR(*r.scores.overall, 50, kEps);
  EXPECT_NEAR(r.quality, 50, kEps);
  EXPECT_EQ(r.critical_failures, 1);
  EXPECT_TRUE(r.critical_pending);
  EXPECT_NEAR(r.critical, 100, kEps);
  EXPECT_DOUBLE_EQ(r.risk, 60.0);
}

TEST(ScheduleRiskTest, PartialLossAndFailingCheckOrder) {
  // Validity: "b" fails at 2x its limit (h = 0.625, weight 2), "c" passes (weight 2):
  // credit 2 x 0.375 + 2 = 2.75 of 4 -> 68.75; quality 31.25. Risk = (50 x 31.25 + 15 x 100)/100
  // = 30.625 -> 30.6.
  const auto risks = AssessRisk(
      Inputs({Source("a", "Sở A",
                     {Check("b", Dimension::kValidity, Outcome::kFail, 20),
                      Check("c", Dimension::kValidity, Outcome::kPass, 0)}),
              Source("z", "Sở B", {Check("w", Dimension::kFreshness, Outcome::kPass, 0)}),
              Source("b", "Sở A",
                     {Check("a", Dimension::kCompleteness, Outcome::kFail, 20),
                      Check("k", Dimension::kCompleteness, Outcome::kFail, 11, Severity::kCritical,
                            10),
                      Check("m", Dimension::kCompleteness, Outcome::kFail, 20)})}),
      ScheduleConfig{}, ScoringConfig{});
  ASSERT_EQ(risks.size(), 2u);  // order of first appearance
  EXPECT_EQ(risks[0].department, "Sở A");
  EXPECT_EQ(risks[1].department, "Sở B");
  EXPECT_NEAR(*risks[0].scores.dimension(Dimension::kValidity).score, 68.75, kEps);
  // Failing: critical first, then most violations, then source, then id.
  std::vector<std::string> failing;
  for (const FailingCheck& f : risks[0].failing) failing.push_back(f.source + "/" + f.check_id);
  EXPECT_EQ(failing, (std::vector<std::string>{"b/k", "a/b", "b/a", "b/m"}));

  const auto validity_only =
      AssessRisk(Inputs({Source("a", "Sở A",
                                {Check("b", Dimension::kValidity, Outcome::kFail, 20),
                                 Check("c", Dimension::kValidity, Outcome::kPass, 0)})}),
                 ScheduleConfig{}, ScoringConfig{});
  EXPECT_NEAR(validity_only[0].quality, 31.25, kEps);
  EXPECT_DOUBLE_EQ(validity_only[0].risk, 30.6);
}

// A failing check with a breakdown carries its three worst units with violations to the reasons.
TEST(ScheduleRiskTest, FailingCheckKeepsItsWorstUnits) {
  CheckResult bad = Check("sdt", Dimension::kValidity, Outcome::kFail, 20);
  bad.breakdowns = {{"ma_xa",
                     {{"28252", 9, 10, 90, std::nullopt},
                      {"28255", 5, 10, 50, std::nullopt},
                      {"28258", 4, 10, 40, std::nullopt},
                      {"28261", 2, 10, 20, std::nullopt},
                      {"28264", 0, 10, 0, std::nullopt}}},
                    {"ma_huyen", {{"815", 20, 50, 40, std::nullopt}}}};
  CheckResult few = Check("few", Dimension::kValidity, Outcome::kFail, 1);
  few.breakdowns = {{"ma_huyen", {{"816", 1, 3, 100.0 / 3, std::nullopt}, {"815", 0, 9, 0, std::nullopt}}}};
  const auto risks = AssessRisk(
      Inputs({Source("a", "Sở A", {bad, few, Check("plain", Dimension::kValidity, Outcome::kFail, 2)})}),
      ScheduleConfig{}, ScoringConfig{});
  ASSERT_EQ(risks.size(), 1u);
  ASSERT_EQ(risks[0].failing.size(), 3u);
  EXPECT_EQ(risks[0].failing[0].check_id, "sdt");
  EXPECT_EQ(risks[0].failing[0].worst_units, "xã 28252, 28255, 28258");
  EXPECT_EQ(risks[0].failing[1].worst_units, "");  // plain: no breakdown
  EXPECT_EQ(risks[0].failing[2].worst_units, "huyện 816");
}

TEST(ScheduleRiskTest, TrendDeclineAndNewFailures) {
  // Decline max(4, 1) = 4 points of trend_full_drop 10 -> 40, plus 25 per new failure -> 65.
  TrendReport trends;
  ScoreTrend t;
  t.name = "Sở A";
  t.overall.delta = -4;
  t.overall.slope = -1;
  trends.departments.push_back(t);
  CheckChange change;
  change.kind = CheckChange::Kind::kNewFailure;
  change.department = "Sở A";
  change.check_id = "x";
  trends.changes.push_back(change);
  change.kind = CheckChange::Kind::kResolved;  // resolved ones do not count
  change.check_id = "y";
  trends.changes.push_back(change);
  RiskInputs in =
      Inputs({Source("a", "Sở A", {Check("x", Dimension::kValidity, Outcome::kPass, 0)})});
  in.trends = &trends;
  ScheduleConfig config;
  config.weights = {0, 1, 0, 0};  // the trend alone
  const auto risks = AssessRisk(in, config, ScoringConfig{});
  EXPECT_EQ(risks[0].new_failures, (std::vector<std::string>{"x"}));
  EXPECT_NEAR(risks[0].trend, 65, kEps);
  EXPECT_DOUBLE_EQ(risks[0].risk, 65.0);
  // A steeper slope than the last change counts; the component is capped at 100.
  trends.departments[0].overall.delta = -1;
  trends.departments[0].overall.slope = -9;
  EXPECT_DOUBLE_EQ(AssessRisk(in, config, ScoringConfig{})[0].risk, 100.0);
}

TEST(ScheduleRiskTest, InspectionAfterTheRunSatisfiesTheCriticalRule) {
  RiskInputs in = Inputs(
      {Source("a", "Sở A",
              {Check("crit", Dimension::kValidity, Outcome::kFail, 50, Severity::kCritical)})});
  in.inspections = {{1, "Sở A", "2026-11-01", "", "", 0}};  // on the run's day: still pending
  EXPECT_TRUE(AssessRisk(in, ScheduleConfig{}, ScoringConfig{})[0].critical_pending);
  in.inspections = {{1, "Sở A", "2026-11-02", "", "", 0}};  // after it: satisfied
  const auto risks = AssessRisk(in, ScheduleConfig{}, ScoringConfig{});
  EXPECT_FALSE(risks[0].critical_pending);
  EXPECT_NEAR(risks[0].critical, 100, kEps);  // still failing: still a risk
}

TEST(ScheduleRiskTest, UnmeasuredDepartmentHasFullQualityRisk) {
  SourceResult s = Source("a", "Sở A", {});
  s.error = "cannot open database";
  const auto risks = AssessRisk(Inputs({s}), ScheduleConfig{}, ScoringConfig{});
  ASSERT_EQ(risks.size(), 1u);
  EXPECT_FALSE(risks[0].scores.overall.has_value());
  EXPECT_NEAR(risks[0].quality, 100, kEps);
  EXPECT_DOUBLE_EQ(risks[0].risk, 65.0);  // 0.5 x 100 + 0.15 x 100
}

}  // namespace
}  // namespace dqa
