#include <gtest/gtest.h>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::Cell;
using testing::CivilDay;
using testing::Flat;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;

int64_t Unix(int y, int m, int d, int64_t seconds = 0) {
  return CivilDay(y, m, d) * kSecondsPerDay + seconds;
}


struct DateCase {
  const char* name;
  std::string type;
  nlohmann::json params;
  std::vector<Cell> values;
  int64_t today_day;
  int64_t rows_checked;
  int64_t violations;
  int64_t unparseable;
  std::vector<std::string> samples;
};

void RunCases(const std::vector<DateCase>& cases) {
  TempDir dir;
  for (const DateCase& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckResult r = ScanOne(dir, MakeCheck(c.type, c.params, {"v"}), c.values, c.today_day);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.unparseable, c.unparseable);
    EXPECT_EQ(Flat(r.samples), c.samples);
  }
}

TEST(StaleCheckTest, CasesTable) {
  const int64_t today = testing::kToday;  // 2026-11-01; 730d earlier is 2024-11-01
  RunCases({
      {"iso text, time, offsets, Unix seconds, REAL and garbage",
       "stale", {{"older_than", "730d"}, {"date_format", "iso"}},
       {std::string("2024-10-31"),                 // 1 stale
        std::string("2024-11-01"),                 // 2 exactly at the cutoff: not stale
        std::string("2024-10-31T23:59:59Z"),       // 3 stale
        std::string("2024-11-01T06:00:00+07:00"),  // 4 = 2024-10-31T23:00Z: stale
        std::string("2024-11-01 00:00:01"),        // 5 fresh
        Unix(2024, 11, 1),                         // 6 INTEGER Unix seconds at the cutoff
        Unix(2024, 10, 31),                        // 7 INTEGER stale
        1730419200.0,                              // 8 REAL: unparseable
        std::string("01/11/2024"),                 // 9 dmy text under iso: unparseable
        std::string("2026-02-30"),                 // 10 no such date: unparseable
        nullptr,                                   // 11 not checked
        std::string(" 2026-10-01 "),               // 12 fresh, whitespace ignored
        std::string("")},                          // 13 empty: unparseable
       today,
       12,
       8,
       4,
       {"1", "3", "4", "7", "8"}},
      {"dmy text",
       "stale", {{"older_than", "730d"}, {"date_format", "dmy"}},
       {std::string("31/10/2024"), std::string("1/11/2024"), std::string("01/11/2024 10:00"),
        std::string("2024-10-01"), Unix(2020, 1, 1), std::string("31/02/2025")},
       today,
       6,
       4,
       2,
       {"1", "4", "5", "6"}},
      {"calendar months: now 2026-08-31 - 6m = 2026-02-28",
       "stale", {{"older_than", "6m"}, {"date_format", "iso"}},
       {std::string("2026-02-27T23:59:59"), std::string("2026-02-28"), std::string("2026-03-31")},
       CivilDay(2026, 8, 31),
       3,
       1,
       0,
       {"1"}},
  });
}

TEST(StaleCheckTest, Message) {
  TempDir dir;
  const CheckResult r = ScanOne(dir, MakeCheck("stale", {{"older_than", "730d"}, {"date_format", "iso"}}, {"v"}),
                                {std::string("2020-01-01"), std::string("x"),
                                 std::string("2026-01-01"), std::string("2026-01-02")});
  EXPECT_EQ(r.message,
            "2 of 4 values (50%) of v are older than 730d (before 2024-11-01T00:00:00Z) "
            "(1 unparseable); fail limit 0");
  EXPECT_EQ(r.dimension, Dimension::kFreshness);
}

TEST(FreshnessCheckTest, CasesTable) {
  struct FreshCase {
    const char* name;
    std::vector<Cell> values;
    int64_t rows_checked;
    int64_t violations;
    int64_t unparseable;
    std::optional<double> age_days;
    std::string message;
  };
  const FreshCase cases[] = {
      {"newest within 30 days",
       {std::string("2026-09-01"), std::string("2026-10-15"), std::string("junk"), nullptr},
       3,
       0,
       1,
       17.0,
       "The newest v (2026-10-15T00:00:00Z) is 17 days old; maximum age 30d (1 unparseable)"},
      {"newest too old (Unix seconds and text)",
       {Unix(2026, 10, 1, 12 * 3600), std::string("2026-09-30")},
       2,
       1,
       0,
       30.5,
       "The newest v (2026-10-01T12:00:00Z) is 30.5 days old; maximum age 30d; fail limit 0"},
      {"exactly at the limit is fresh",
       {std::string("2026-10-02")},
       1,
       0,
       0,
       30.0,
       "The newest v (2026-10-02T00:00:00Z) is 30 days old; maximum age 30d"},
      {"no parseable date",
       {std::string("x"), 1.5, nullptr},
       2,
       1,
       2,
       std::nullopt,
       "No parseable date in v (2 values, 2 unparseable); maximum age 30d; fail limit 0"},
      {"empty table",
       {},
       0,
       1,
       0,
       std::nullopt,
       "No parseable date in v (0 values, 0 unparseable); maximum age 30d; fail limit 0"},
  };
  TempDir dir;
  for (const FreshCase& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckResult r =
        ScanOne(dir, MakeCheck("freshness", {{"max_age", "30d"}, {"date_format", "iso"}}, {"v"}), c.values);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.unparseable, c.unparseable);
    EXPECT_EQ(r.value, c.age_days);
    EXPECT_EQ(r.message, c.message);
    EXPECT_EQ(r.outcome, c.violations > 0 ? Outcome::kFail : Outcome::kPass);
    EXPECT_TRUE(r.samples.empty());
  }
}

TEST(RangeCheckTest, CasesTable) {
  const int64_t today = testing::kToday;
  const nlohmann::json birth = {{"min", "today-120y"}, {"max", "today"}};
  const nlohmann::json numbers = {{"min", 0}, {"max", 100}};
  const nlohmann::json from_2000 = {{"min", "2000-01-01"}, {"date_format", "dmy"}};
  const nlohmann::json six_months = {{"min", "today-6m"}, {"max", "today+30d"}};
  RunCases({
      {"date bounds today-120y .. today",
       "range",
       birth,
       {std::string("2000-01-01"),                 // 1 ok
        std::string("2026-11-01"),                 // 2 today: ok (inclusive)
        std::string("2026-11-02"),                 // 3 after today
        std::string("2026-11-01T23:59:59"),        // 4 calendar date is today: ok
        std::string("2026-11-02T01:00:00+07:00"),  // 5 = 2026-11-01T18:00Z: ok
        std::string("1906-11-01"),                 // 6 today-120y: ok
        std::string("1906-10-31"),                 // 7 too old
        std::string("01/02/2000"),                 // 8 dmy under iso: unparseable
        Unix(2026, 11, 3),                         // 9 INTEGER, after today
        int64_t{0},                                // 10 1970-01-01: ok
        1700000000.0,                              // 11 REAL: unparseable
        std::string("2026-02-30"),                 // 12 unparseable
        nullptr,                                   // 13 not checked
        std::string("\u00A02000-01-01 ")},         // 14 Unicode whitespace trimmed: ok
       today,
       13,
       6,
       3,
       {"3", "7", "8", "9", "11"}},
      {"numbers; numeric text after trimming",
       "range",
       numbers,
       {int64_t{0}, int64_t{100}, int64_t{-1}, 100.5, std::string("50"), std::string(" 7 "),
        std::string("abc"), nullptr, testing::Blob{"1"}, 50.0, std::string("1e2"), std::string("")},
       today,
       11,
       5,
       3,
       {"3", "4", "7", "9", "12"}},
      {"dmy dates with only a min",
       "range",
       from_2000,
       {std::string("01/01/2000"), std::string("31/12/1999"), std::string("1/2/2000 10:30"),
        std::string("2000-01-01"), Unix(1999, 12, 31, 86399)},
       today,
       5,
       3,
       1,
       {"2", "4", "5"}},
      {"month arithmetic: 2026-08-31 - 6m = 2026-02-28, + 30d = 2026-09-30",
       "range",
       six_months,
       {std::string("2026-02-27"), std::string("2026-02-28"), std::string("2026-09-30"),
        std::string("2026-10-01")},
       CivilDay(2026, 8, 31),
       4,
       2,
       0,
       {"1", "4"}},
  });
}

TEST(RangeCheckTest, Messages) {
  TempDir dir;
  const nlohmann::json birth = {{"min", "today-120y"}, {"max", "today"}};
  CheckResult r =
      ScanOne(dir, MakeCheck("range", birth, {"v"}), {std::string("2030-01-01"), std::string("x")});
  EXPECT_EQ(r.message,
            "2 of 2 values (100%) of v are outside [today-120y = 1906-11-01, today = 2026-11-01] "
            "(1 unparseable); fail limit 0");
  const nlohmann::json max_only = {{"max", 10.5}};
  r = ScanOne(dir, MakeCheck("range", max_only, {"v"}), {int64_t{11}, int64_t{1}, int64_t{2}, int64_t{3}});
  EXPECT_EQ(r.message, "1 of 4 values (25%) of v are above 10.5; fail limit 0");
}

}  // namespace
}  // namespace dqa
