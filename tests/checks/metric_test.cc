// The metric check (core/checks/metric.cc): one statistic of a column, recorded, optionally
// bounded; exact figures on hand-made numbers, dates, NULLs and unparseable values.
#include <gtest/gtest.h>

#include <cmath>

#include "core/checks/catalog.h"
#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::Cell;
using testing::CivilDay;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;

// 1, 2, 3, 3, 11, NULL, 'abc', '4': figures 1 2 3 3 4 11 (n 6, sum 24, mean 4), 7 non-NULL values
// of 6 distinct (3 twice; '4' is text, so distinct from nothing else), 1 NULL of 8 rows.
const std::vector<Cell> kMetricNumbers = {int64_t{1}, int64_t{2}, int64_t{3}, int64_t{3}, int64_t{11},
                                    nullptr, std::string("abc"), std::string("4")};

struct MetricCase {
  nlohmann::json params;
  std::optional<double> value;
  int64_t rows_checked;
  std::optional<int64_t> unparseable;
  std::string message;
};

TEST(MetricCheckTest, NumberStatsAreExact) {
  TempDir dir;
  const MetricCase cases[] = {
      {{{"stat", "min"}}, 1, 7, 1, "min of v is 1 over 7 values (1 unparseable)"},
      {{{"stat", "max"}}, 11, 7, 1, "max of v is 11 over 7 values (1 unparseable)"},
      {{{"stat", "sum"}}, 24, 7, 1, "sum of v is 24 over 7 values (1 unparseable)"},
      {{{"stat", "avg"}}, 4, 7, 1, "avg of v is 4 over 7 values (1 unparseable)"},
      // Population: sqrt((9 + 4 + 1 + 1 + 0 + 49) / 6).
      {{{"stat", "stddev"}}, std::sqrt(64.0 / 6), 7, 1,
       "stddev of v is 3.266 over 7 values (1 unparseable)"},
      // Sorted 1 2 3 3 4 11: h = 2.5 -> 3 + 0.5 (3 - 3).
      {{{"stat", "median"}}, 3, 7, 1, "median of v is 3 over 7 values (1 unparseable)"},
      // h = 5 * 0.95 = 4.75 -> 4 + 0.75 (11 - 4).
      {{{"stat", "quantile"}, {"q", 0.95}}, 9.25, 7, 1,
       "quantile 0.95 of v is 9.25 over 7 values (1 unparseable)"},
      {{{"stat", "quantile"}, {"q", 0}}, 1, 7, 1,
       "quantile 0 of v is 1 over 7 values (1 unparseable)"},
      {{{"stat", "distinct_count"}}, 6, 7, std::nullopt, "distinct_count of v is 6 over 7 values"},
      {{{"stat", "unique_ratio"}}, 6.0 / 7, 7, std::nullopt,
       "unique_ratio of v is 0.8571 over 7 values"},
      {{{"stat", "null_ratio"}}, 0.125, 8, std::nullopt,
       "null_ratio of v is 0.125 (1 NULL of 8 rows)"},
  };
  for (const MetricCase& c : cases) {
    SCOPED_TRACE(c.message);
    const CheckResult r = ScanOne(dir, MakeCheck("metric", c.params, {"v"}), kMetricNumbers);
    ASSERT_TRUE(r.value.has_value());
    EXPECT_DOUBLE_EQ(*r.value, *c.value);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.unparseable, c.unparseable);
    EXPECT_EQ(r.violations, 0);
    EXPECT_EQ(r.outcome, Outcome::kPass);
    EXPECT_EQ(r.message, c.message);
  }
}

TEST(MetricCheckTest, DateStatsAreDays) {
  TempDir dir;
  // Days 2000-01-01, -03, -10, and -05 stored as Unix seconds; one NULL, one unparseable.
  const std::vector<Cell> dates = {std::string("2000-01-01"), std::string("2000-01-03"),
                                   std::string("2000-01-10"), nullptr, std::string("bad"),
                                   int64_t{CivilDay(2000, 1, 5) * 86400 + 3600}};
  const nlohmann::json iso = {{"date_format", "iso"}};
  auto with = [&](nlohmann::json p) {
    p.update(iso);
    return p;
  };
  const MetricCase cases[] = {
      {with({{"stat", "min"}}), CivilDay(2000, 1, 1), 5, 1,
       "min of v is 2000-01-01 over 5 values (1 unparseable)"},
      {with({{"stat", "max"}}), CivilDay(2000, 1, 10), 5, 1,
       "max of v is 2000-01-10 over 5 values (1 unparseable)"},
      // (1 + 3 + 5 + 10) / 4 = 4.75 days after 1999-12-31: the whole day is 2000-01-04.
      {with({{"stat", "avg"}}), CivilDay(2000, 1, 4), 5, 1,
       "avg of v is 2000-01-04 over 5 values (1 unparseable)"},
      {with({{"stat", "median"}}), CivilDay(2000, 1, 4), 5, 1,
       "median of v is 2000-01-04 over 5 values (1 unparseable)"},
      // h = 3 * 0.95 = 2.85 -> day 5 + 0.85 * 5 = 9.25 -> 2000-01-09.
      {with({{"stat", "quantile"}, {"q", 0.95}}), CivilDay(2000, 1, 9), 5, 1,
       "quantile 0.95 of v is 2000-01-09 over 5 values (1 unparseable)"},
      // A date bound alone reads the column as dates (ISO).
      {{{"stat", "max"}, {"max", "today"}}, CivilDay(2000, 1, 10), 5, 1,
       "max of v is 2000-01-10 over 5 values (1 unparseable); expected at most today = "
       "2026-11-01"},
  };
  for (const MetricCase& c : cases) {
    SCOPED_TRACE(c.message);
    const CheckResult r = ScanOne(dir, MakeCheck("metric", c.params, {"v"}), dates);
    ASSERT_TRUE(r.value.has_value());
    EXPECT_EQ(*r.value, *c.value);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.unparseable, c.unparseable);
    EXPECT_EQ(r.outcome, Outcome::kPass);
    EXPECT_EQ(r.message, c.message);
  }
}

TEST(MetricCheckTest, BoundsMakeAYesNoCheck) {
  TempDir dir;
  CheckResult r = ScanOne(dir, MakeCheck("metric", {{"stat", "avg"}, {"min", 5}}, {"v"}), kMetricNumbers);
  EXPECT_EQ(r.violations, 1);
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.value, 4.0);
  EXPECT_EQ(r.message,
            "avg of v is 4 over 7 values (1 unparseable); expected at least 5; fail limit 0");
  r = ScanOne(dir, MakeCheck("metric", {{"stat", "null_ratio"}, {"max", 0.125}}, {"v"}), kMetricNumbers);
  EXPECT_EQ(r.violations, 0);  // the bound itself is inside
  EXPECT_EQ(r.outcome, Outcome::kPass);
  r = ScanOne(dir, MakeCheck("metric", {{"stat", "max"}, {"min", "2000-01-05"}, {"max", "2001-01-01"}},
                             {"v"}),
              {std::string("2000-01-01"), std::string("2000-01-04")});
  EXPECT_EQ(r.violations, 1);
  EXPECT_EQ(r.message,
            "max of v is 2000-01-04 over 2 values; expected between 2000-01-05 and 2001-01-01; "
            "fail limit 0");
  EXPECT_TRUE(Catalog().Find("metric")->info().yes_no);
}

TEST(MetricCheckTest, AnEmptyTableHasNoValueExceptCounts) {
  TempDir dir;
  CheckResult r = ScanOne(dir, MakeCheck("metric", {{"stat", "avg"}}, {"v"}), {});
  EXPECT_FALSE(r.value.has_value());
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_EQ(r.message, "avg of v has no value: no values in scope");
  r = ScanOne(dir, MakeCheck("metric", {{"stat", "avg"}, {"max", 10}}, {"v"}), {nullptr});
  EXPECT_FALSE(r.value.has_value());
  EXPECT_EQ(r.violations, 1);  // bounded: nothing to measure is out of bounds
  EXPECT_EQ(r.message, "avg of v has no value: no values in scope; expected at most 10; fail limit 0");
  r = ScanOne(dir, MakeCheck("metric", {{"stat", "null_ratio"}}, {"v"}), {});
  EXPECT_FALSE(r.value.has_value());
  EXPECT_EQ(r.message, "null_ratio of v has no value: no rows in scope");
  r = ScanOne(dir, MakeCheck("metric", {{"stat", "distinct_count"}}, {"v"}), {});
  EXPECT_EQ(r.value, 0.0);
  r = ScanOne(dir, MakeCheck("metric", {{"stat", "sum"}}, {"v"}), {nullptr});
  EXPECT_EQ(r.value, 0.0);
}

TEST(MetricCheckTest, RefusesParametersThatDoNotFit) {
  const CheckType& type = *Catalog().Find("metric");
  auto issues = [&](nlohmann::json p) {
    std::vector<ParamIssue> out;
    type.Validate(p, out);
    std::string text;
    for (const ParamIssue& i : out) text += i.message + ";";
    return text;
  };
  EXPECT_EQ(issues({{"stat", "quantile"}}), "stat 'quantile' needs 'q' (the order, from 0 to 1);");
  EXPECT_EQ(issues({{"stat", "avg"}, {"q", 0.5}}), "'q' applies only to stat 'quantile', not 'avg';");
  EXPECT_EQ(issues({{"stat", "sum"}, {"date_format", "iso"}}),
            "stat 'sum' does not apply to dates (dates take min, max, avg, median, quantile);");
  EXPECT_EQ(issues({{"stat", "null_ratio"}, {"date_format", "iso"}}),
            "stat 'null_ratio' counts values: it takes neither 'date_format' nor date bounds;");
  EXPECT_EQ(issues({{"stat", "null_ratio"}, {"max", 5}}), "a null_ratio lies from 0 to 1, got 5;");
  EXPECT_EQ(issues({{"stat", "avg"}, {"min", 5}, {"max", 1}}), "'min' (5) is greater than 'max' (1);");
  EXPECT_EQ(issues({{"stat", "max"}, {"min", 5}, {"max", "2000-01-01"}}),
            "'min' and 'max' must both be numbers or both be dates;");
  EXPECT_EQ(issues({{"stat", "median"}, {"min", 5}, {"date_format", "dmy"}}),
            "'min' must be a date: the column is read as dates;");
  EXPECT_EQ(issues({{"stat", "avg"}, {"min", 1}, {"max", 5}}), "");
}

}  // namespace
}  // namespace dqa
