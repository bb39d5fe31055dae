// The drift check (core/checks/drift.cc): the column's profile recorded, and compared with the
// median of a baseline given in CheckSpec::baseline (the audit pipeline reads it from history).
#include <gtest/gtest.h>

#include "core/checks/catalog.h"
#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using nlohmann::json;
using testing::Cell;
using testing::CivilDay;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;

// 5 5 5 1 2 3 4 NULL NULL 6: 10 rows, 2 NULL, 6 distinct, top value 5 (3 of 8 values).
const std::vector<Cell> kDriftValues = {int64_t{5}, int64_t{5}, int64_t{5}, int64_t{1}, int64_t{2},
                                   int64_t{3}, int64_t{4}, nullptr,    nullptr,    int64_t{6}};

CheckSpec Drift(json params, json baseline) {
  CheckSpec spec = MakeCheck("drift", std::move(params), {"v"});
  spec.baseline = std::move(baseline);
  return spec;
}

TEST(DriftCheckTest, WithoutHistoryRecordsTheProfileAndPasses) {
  TempDir dir;
  const CheckResult r = ScanOne(dir, Drift(json::object(), json()), kDriftValues);
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_EQ(r.violations, 0);
  EXPECT_EQ(r.message,
            "v profile of 10 rows: baseline recorded (no earlier run to compare with)");
  const json p = json::parse(r.profile);
  EXPECT_EQ(p["rows"], 10);
  EXPECT_EQ(p["nulls"], 2);
  EXPECT_EQ(p["distinct"], 6);
  EXPECT_EQ(p["kind"], "number");
  ASSERT_EQ(p["top"].size(), 5u);
  EXPECT_EQ(p["top"][0], json::array({"5", 3}));
  for (size_t i = 1; i < 5; ++i) EXPECT_EQ(p["top"][i][1], 1);
  // Sorted 1 2 3 4 5 5 5 6: p5 h = 0.35, p50 h = 3.5, p95 h = 6.65.
  ASSERT_EQ(p["quantiles"].size(), 3u);
  EXPECT_DOUBLE_EQ(p["quantiles"][0].get<double>(), 1.35);
  EXPECT_DOUBLE_EQ(p["quantiles"][1].get<double>(), 4.5);
  EXPECT_DOUBLE_EQ(p["quantiles"][2].get<double>(), 5.65);
  // An empty baseline (first run with a store) is the same.
  EXPECT_EQ(ScanOne(dir, Drift(json::object(), json::array()), kDriftValues).message, r.message);
}

TEST(DriftCheckTest, AnUnchangedColumnPasses) {
  TempDir dir;
  const json same = json::parse(ScanOne(dir, Drift(json::object(), json()), kDriftValues).profile);
  const CheckResult r = ScanOne(dir, Drift(json::object(), {same, same, same}), kDriftValues);
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_EQ(r.violations, 0);
  EXPECT_EQ(r.rows_checked, 4);  // the stats compared
  EXPECT_EQ(r.message,
            "0 of 4 stats of v changed more than 20% against the median of 3 earlier runs "
            "(null_rate 0, distinct_count 0, top_values 0, quantiles 0)");
}

TEST(DriftCheckTest, BirthDatesLoadedAs1900AreFlagged) {
  TempDir dir;
  // Before: ten distinct days 1990-01-01 .. 1990-01-10; p5, p50, p95 = day 0, 5, 10 after it.
  const double d1990 = static_cast<double>(CivilDay(1990, 1, 1));
  json top = json::array();
  for (int i = 1; i <= 5; ++i) top.push_back({fmt::format("1990-01-0{}", i), 1});
  const json before = {{"rows", 10},    {"nulls", 0},        {"distinct", 10},
                       {"top", top},    {"kind", "date"},
                       {"quantiles", {d1990, d1990 + 5, d1990 + 10}}};
  // Now: 1900-01-01 four times, 1990-01-01 .. 1990-01-06 once each.
  std::vector<Cell> now(4, std::string("1900-01-01"));
  for (int i = 1; i <= 6; ++i) now.push_back(fmt::format("1990-01-0{}", i));
  const CheckResult r = ScanOne(
      dir, Drift({{"date_format", "iso"}}, {before, before, before}), now);
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.violations, 3);
  EXPECT_EQ(r.rows_checked, 4);
  // p5 moved from 1990-01-01 to 1900-01-01: 32872 days over a spread of 10.
  EXPECT_EQ(r.message,
            "3 of 4 stats of v changed more than 20% against the median of 3 earlier runs "
            "(null_rate 0, distinct_count 30, top_values 30, quantiles 328720); fail limit 0");
  EXPECT_EQ(r.key_columns, std::vector<std::string>{"drift"});
  ASSERT_EQ(r.samples.size(), 3u);
  EXPECT_EQ(r.samples[0][0], "v distinct values: 10 -> 7");
  EXPECT_EQ(r.samples[1][0], "v top value 1900-01-01: 10.0% -> 40.0%");
  EXPECT_EQ(r.samples[2][0],
            "v p5: 1990-01-01 -> 1900-01-01 (328720% of the p5-p95 spread)");
  EXPECT_EQ(json::parse(r.profile)["kind"], "date");
}

TEST(DriftCheckTest, NullRateChangesInPercentagePointsAgainstTheMedian) {
  TempDir dir;
  // Baseline medians: NULL rate 0% (profiles of 0%, 0% and 50%); now 2 of 10 = 20%.
  const json none = {{"rows", 10}, {"nulls", 0}, {"distinct", 6}, {"top", json::array()}};
  const json half = {{"rows", 10}, {"nulls", 5}, {"distinct", 6}, {"top", json::array()}};
  const json only_nulls = {{"stats", {"null_rate"}}};
  CheckResult r = ScanOne(dir, Drift(only_nulls, {none, half, none}), kDriftValues);
  EXPECT_EQ(r.violations, 0);  // 20 points is not over 20
  EXPECT_EQ(r.message,
            "0 of 1 stats of v changed more than 20% against the median of 3 earlier runs "
            "(null_rate 20)");
  json tighter = only_nulls;
  tighter["max_change_percent"] = 19.5;
  r = ScanOne(dir, Drift(tighter, {none, half, none}), kDriftValues);
  EXPECT_EQ(r.violations, 1);
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0][0], "v NULL rate: 0.0% -> 20.0%");
  // The comparison is kept with the profile for the reports' table.
  EXPECT_EQ(json::parse(r.profile)["compared"],
            json::parse(R"([{"stat":"null_rate","figure":"null_rate","baseline":0.0,"now":20.0,)"
                        R"("change":20.0,"over":true}])"));
}

TEST(DriftCheckTest, DigitsStoredAsTextAreNoDistribution) {
  TempDir dir;
  // Identity numbers in a TEXT column: text, so no quantiles and three stats by default.
  const std::vector<Cell> ids = {std::string("079123456789"), std::string("001098765432"),
                                 std::string("079123456789"), int64_t{5}};
  const CheckResult r = ScanOne(dir, Drift(json::object(), json()), ids);
  const json p = json::parse(r.profile);
  EXPECT_EQ(p["kind"], "text");
  EXPECT_FALSE(p.contains("quantiles"));
  EXPECT_EQ(p["top"][0], json::array({"079123456789", 2}));
  const CheckResult again = ScanOne(dir, Drift(json::object(), json::array({p})), ids);
  EXPECT_EQ(again.rows_checked, 3);
  EXPECT_EQ(again.message,
            "0 of 3 stats of v changed more than 20% against the median of 1 earlier run "
            "(null_rate 0, distinct_count 0, top_values 0)");
}

TEST(DriftCheckTest, TheTypeAsksForItsBaselineRuns) {
  const CheckTypeInfo& info = Catalog().Find("drift")->info();
  EXPECT_EQ(info.baseline_runs, "runs");
  EXPECT_EQ(info.shape, CheckShape::kAggregate);
  EXPECT_EQ(info.FindParam("runs")->default_value, 7);
  EXPECT_EQ(info.FindParam("max_change_percent")->default_value, 20.0);
}

}  // namespace
}  // namespace dqa
