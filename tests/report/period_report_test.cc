// Quarter and year reports, the change against the previous period and the best and worst days,
// on a hand-built history spread over two quarters and two years. Scores by synthetic_history.h:
// a run where population has 5 duplicate CCCDs scores 85.9375 for the province (Công an tỉnh
// 81.25); a run where everything passes scores 100.
#include <gtest/gtest.h>

#include "core/nightly/period_close.h"
#include "core/report/period.h"
#include "core/report/report_data.h"
#include "tests/report/synthetic_history.h"
#include "tests/unit_support.h"

namespace dqa {
namespace {

using testing::Civil;
using testing::Population;
using testing::SyntheticHistory;

//   1 2025-12-10  85.9375 (duplicates)     5 2026-04-05  85.9375 (duplicates, same day as 4)
//   2 2026-01-15  100                      6 2026-05-01  100
//   3 2026-02-20  85.9375 (duplicates)     7 2026-06-10  100
//   4 2026-04-05  100                      8 2026-06-20  100
void RecordTwoYears(SyntheticHistory& h) {
  h.Record("2025-12-10", {Population(0, 5), Civil(0)});
  h.Record("2026-01-15", {Population(0, 0), Civil(0)});
  h.Record("2026-02-20", {Population(0, 5), Civil(0)});
  h.Record("2026-04-05", {Population(0, 0), Civil(0)});
  h.Record("2026-04-05", {Population(0, 5), Civil(0)});
  h.Record("2026-05-01", {Population(0, 0), Civil(0)});
  h.Record("2026-06-10", {Population(0, 0), Civil(0)});
  h.Record("2026-06-20", {Population(0, 0), Civil(0)});
}

const PeriodScores& Department(const PeriodReport& r, const std::string& name) {
  for (const PeriodScores& d : r.departments) {
    if (d.name == name) return d;
  }
  ADD_FAILURE() << "no department " << name;
  return r.province;
}

TEST(PeriodTest, ParsesMonthsQuartersAndYearsAndRefusesTheRest) {
  auto q = ParsePeriod("2026-Q3");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->kind, PeriodKind::kQuarter);
  EXPECT_EQ(q->ToString(), "2026-Q3");
  EXPECT_EQ(ParsePeriod("2026-q1")->ToString(), "2026-Q1");
  EXPECT_EQ(ParsePeriod("2026")->kind, PeriodKind::kYear);
  EXPECT_EQ(ParsePeriod("2026-01")->Previous().ToString(), "2025-12");
  EXPECT_EQ(ParsePeriod("2026-Q1")->Previous().ToString(), "2025-Q4");
  EXPECT_EQ(ParsePeriod("2026-Q3")->Previous().ToString(), "2026-Q2");
  EXPECT_EQ(ParsePeriod("2026")->Previous().ToString(), "2025");
  EXPECT_TRUE(ParsePeriod("2026-Q2")->Contains("2026-06-30"));
  EXPECT_FALSE(ParsePeriod("2026-Q2")->Contains("2026-07-01"));
  EXPECT_TRUE(ParsePeriod("2026")->Contains("2026-12-31"));
  EXPECT_FALSE(ParsePeriod("2026")->Contains("2025-12-31"));
  for (const char* bad : {"2026-Q5", "2026-Q0", "2026-13", "2026-00", "26", "2026-1", "2026-Q",
                          "20261", "2026/10", "2026-10-01", ""}) {
    auto r = ParsePeriod(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("YYYY-Qn"), std::string::npos) << r.status().message();
  }
}

TEST(PeriodReportTest, QuarterHasDayExtremesAndTheChangeAgainstTheQuarterBefore) {
  SyntheticHistory h("QuarterReport");
  RecordTwoYears(h);
  auto q2 = BuildPeriodReport(h.store(), "2026-Q2", ReportOptions{});
  ASSERT_TRUE(q2.ok()) << q2.status().message();
  EXPECT_EQ(q2->period, "2026-Q2");
  EXPECT_EQ(q2->kind, PeriodKind::kQuarter);
  ASSERT_EQ(q2->runs.size(), 5u);
  EXPECT_EQ(q2->runs.front().id, 4);
  EXPECT_EQ(q2->runs.back().id, 8);
  // (100 + 85.9375 + 100 + 100 + 100) / 5
  EXPECT_NEAR(*q2->province.average_overall, 97.1875, kEps);
  // Days: 04-05 (100 and 85.9375: 92.96875), 05-01, 06-10, 06-20 (100). The run with the lowest
  // and the earliest run with the highest score are both on 04-05: best and worst are days.
  EXPECT_EQ(q2->province.days, 4);
  ASSERT_TRUE(q2->province.worst_day && q2->province.best_day);
  EXPECT_EQ(q2->province.worst_day->today, "2026-04-05");
  EXPECT_NEAR(*q2->province.worst_day->scores.overall, 92.96875, kEps);
  EXPECT_EQ(q2->province.worst_day->run_id, 5);
  EXPECT_EQ(q2->province.best_day->today, "2026-05-01");
  EXPECT_NE(q2->province.worst_day->today, q2->province.best_day->today);
  // Against Q1 (runs 2, 3: 92.96875).
  EXPECT_EQ(q2->previous_period, "2026-Q1");
  EXPECT_EQ(q2->previous_runs, 2);
  EXPECT_NEAR(*q2->province.previous_overall, 92.96875, kEps);
  const PeriodScores& police = Department(*q2, "Công an tỉnh");
  EXPECT_NEAR(*police.average_overall, (100 + 81.25 + 300) / 5, kEps);
  EXPECT_NEAR(*police.previous_overall, (100 + 81.25) / 2, kEps);
  // Sở Tư pháp scored 100 every day: no best and no worst day, and nothing changed.
  const PeriodScores& justice = Department(*q2, "Sở Tư pháp");
  EXPECT_EQ(justice.days, 4);
  EXPECT_FALSE(justice.worst_day.has_value());
  EXPECT_FALSE(justice.best_day.has_value());
  EXPECT_NEAR(*justice.previous_overall, 100, kEps);

  auto q1 = BuildPeriodReport(h.store(), "2026-Q1", ReportOptions{});
  ASSERT_TRUE(q1.ok());
  ASSERT_EQ(q1->runs.size(), 2u);
  EXPECT_EQ(q1->province.worst_day->today, "2026-02-20");
  EXPECT_EQ(q1->province.best_day->today, "2026-01-15");
  EXPECT_EQ(q1->previous_period, "2025-Q4");
  EXPECT_EQ(q1->previous_runs, 1);
  EXPECT_NEAR(*q1->province.previous_overall, 85.9375, kEps);
}

TEST(PeriodReportTest, YearAgainstTheYearBeforeAndAYearWithoutOne) {
  SyntheticHistory h("YearReport");
  RecordTwoYears(h);
  auto y2026 = BuildPeriodReport(h.store(), "2026", ReportOptions{});
  ASSERT_TRUE(y2026.ok()) << y2026.status().message();
  EXPECT_EQ(y2026->kind, PeriodKind::kYear);
  ASSERT_EQ(y2026->runs.size(), 7u);
  EXPECT_NEAR(*y2026->province.average_overall, (500 + 2 * 85.9375) / 7, kEps);
  EXPECT_EQ(y2026->province.days, 6);
  EXPECT_EQ(y2026->province.worst_day->today, "2026-02-20");
  EXPECT_EQ(y2026->province.best_day->today, "2026-01-15");  // 100 on four days: the earliest
  EXPECT_EQ(y2026->previous_period, "2025");
  EXPECT_EQ(y2026->previous_runs, 1);
  EXPECT_NEAR(*y2026->province.previous_overall, 85.9375, kEps);
  ASSERT_EQ(y2026->checks.size(), 5u);
  EXPECT_EQ(y2026->checks[2].check_id, "duplicate:cong_dan.so_cccd");
  EXPECT_EQ(y2026->checks[2].failed, 2);
  EXPECT_EQ(y2026->checks[2].passed, 5);

  // 2025: one run, no year before it in the store.
  auto y2025 = BuildPeriodReport(h.store(), "2025", ReportOptions{});
  ASSERT_TRUE(y2025.ok());
  ASSERT_EQ(y2025->runs.size(), 1u);
  EXPECT_EQ(y2025->previous_period, "2024");
  EXPECT_EQ(y2025->previous_runs, 0);
  EXPECT_FALSE(y2025->province.previous_overall.has_value());
  EXPECT_EQ(y2025->province.days, 1);
  EXPECT_FALSE(y2025->province.worst_day.has_value());  // one day: neither best nor worst
  EXPECT_FALSE(y2025->province.best_day.has_value());

  // April: two runs on one day; March had none.
  auto april = BuildPeriodReport(h.store(), "2026-04", ReportOptions{});
  ASSERT_TRUE(april.ok());
  EXPECT_EQ(april->runs.size(), 2u);
  EXPECT_EQ(april->province.days, 1);
  EXPECT_FALSE(april->province.worst_day.has_value());
  EXPECT_EQ(april->previous_runs, 0);

  auto none = BuildPeriodReport(h.store(), "2024", ReportOptions{});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(none.status().message(), "no complete or partial run in 2024");
  auto q3 = BuildPeriodReport(h.store(), "2026-Q3", ReportOptions{});
  EXPECT_EQ(q3.status().code(), StatusCode::kNotFound);
}

// The nightly job writes the report of a period when its first run of the next period comes.
TEST(ClosedPeriodsTest, APeriodClosesWhenTheNextRunIsInTheNextOne) {
  SyntheticHistory h("ClosedPeriods");
  RecordTwoYears(h);
  auto runs = h.store().ListRuns(100);
  ASSERT_TRUE(runs.ok());
  const auto run = [&](int64_t id) { return *h.store().GetRun(id); };
  const std::vector<std::string> all = {"month", "quarter", "year"};
  auto first = nightly::ClosedPeriods(*runs, run(1), all);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());  // nothing before run 1
  auto new_year = nightly::ClosedPeriods(*runs, run(2), all);
  ASSERT_TRUE(new_year.ok());
  ASSERT_EQ(new_year->size(), 3u);
  EXPECT_EQ((*new_year)[0].ToString(), "2025-12");
  EXPECT_EQ((*new_year)[1].ToString(), "2025-Q4");
  EXPECT_EQ((*new_year)[2].ToString(), "2025");
  auto april = nightly::ClosedPeriods(*runs, run(4), all);
  ASSERT_EQ(april->size(), 2u);
  EXPECT_EQ((*april)[0].ToString(), "2026-02");  // March had no run
  EXPECT_EQ((*april)[1].ToString(), "2026-Q1");
  EXPECT_TRUE(nightly::ClosedPeriods(*runs, run(5), all)->empty());  // same day as run 4
  auto quarters_only = nightly::ClosedPeriods(*runs, run(2), {"quarter"});
  ASSERT_EQ(quarters_only->size(), 1u);
  EXPECT_EQ((*quarters_only)[0].ToString(), "2025-Q4");
  EXPECT_EQ(nightly::ClosedPeriods(*runs, run(2), {"week"}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dqa
