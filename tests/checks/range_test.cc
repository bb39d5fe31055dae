// The range check (core/checks/range.cc): numbers or dates within bounds.
#include <gtest/gtest.h>

#include "core/checks/catalog.h"
#include "core/checks/params.h"
#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::CivilDay;
using testing::MakeCheck;
using testing::ScanOne;
using testing::RunDateCases;
using testing::TempDir;
using testing::Unix;

TEST(RangeCheckTest, CasesTable) {
  const int64_t today = testing::kToday;
  const nlohmann::json birth = {{"min", "today-120y"}, {"max", "today"}};
  const nlohmann::json numbers = {{"min", 0}, {"max", 100}};
  const nlohmann::json from_2000 = {{"min", "2000-01-01"}, {"date_format", "dmy"}};
  const nlohmann::json six_months = {{"min", "today-6m"}, {"max", "today+30d"}};
  RunDateCases({
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

TEST(RangeCheckTest, ExclusiveBounds) {
  const int64_t today = testing::kToday;  // 2026-11-01
  RunDateCases({
      {"numbers in (0, 100]: 0 itself is out",
       "range",
       {{"min", 0}, {"max", 100}, {"min_exclusive", true}},
       {int64_t{0}, 0.0, std::string("0"), 0.001, int64_t{100}, 100.0, int64_t{101},
        std::string("x")},
       today,
       8,
       5,
       1,
       {"1", "2", "3", "7", "8"}},
      {"numbers in [0, 100): 100 itself is out",
       "range",
       {{"min", 0}, {"max", 100}, {"max_exclusive", true}},
       {int64_t{0}, int64_t{100}, 99.999, 100.0, std::string(" 100 ")},
       today,
       5,
       3,
       0,
       {"2", "4", "5"}},
      {"only an exclusive max: strictly below 18",
       "range",
       {{"max", 18}, {"max_exclusive", true}},
       {int64_t{17}, int64_t{18}, 18.5, -3.0},
       today,
       4,
       2,
       0,
       {"2", "3"}},
      {"dates in (2000-01-01, 2000-01-03): only 2000-01-02 is in",
       "range",
       {{"min", "2000-01-01"}, {"max", "2000-01-03"}, {"min_exclusive", true},
        {"max_exclusive", true}},
       {std::string("2000-01-01"), std::string("2000-01-02"), std::string("2000-01-03"),
        std::string("2000-01-02T23:59:59"), Unix(2000, 1, 1, 86399)},
       today,
       5,
       3,
       0,
       {"1", "3", "5"}},
      {"a birth date strictly before today",
       "range",
       {{"max", "today"}, {"max_exclusive", true}},
       {std::string("2026-10-31"), std::string("2026-11-01"), std::string("2026-11-02"),
        std::string("2026-11-01T00:00:01")},
       today,
       4,
       3,
       0,
       {"2", "3", "4"}},
  });
}

TEST(RangeCheckTest, ExclusiveBoundsInMessages) {
  TempDir dir;
  const std::vector<testing::Cell> values = {int64_t{0}, int64_t{5}, int64_t{10}};
  CheckResult r = ScanOne(
      dir, MakeCheck("range", {{"min", 0}, {"max", 10}, {"min_exclusive", true}}, {"v"}), values);
  EXPECT_EQ(r.message, "1 of 3 values (33.33%) of v are outside (0, 10]; fail limit 0");
  r = ScanOne(dir,
              MakeCheck("range",
                        {{"min", 0}, {"max", 10}, {"min_exclusive", true}, {"max_exclusive", true}},
                        {"v"}),
              values);
  EXPECT_EQ(r.message, "2 of 3 values (66.67%) of v are outside (0, 10); fail limit 0");
  r = ScanOne(dir, MakeCheck("range", {{"min", 5}, {"min_exclusive", true}}, {"v"}), values);
  EXPECT_EQ(r.message, "2 of 3 values (66.67%) of v are at or below 5; fail limit 0");
  r = ScanOne(dir, MakeCheck("range", {{"max", 5}, {"max_exclusive", true}}, {"v"}), values);
  EXPECT_EQ(r.message, "2 of 3 values (66.67%) of v are at or above 5; fail limit 0");
}

TEST(RangeCheckTest, BadExclusiveBoundsAreRefused) {
  const CheckType* range = Catalog().Find("range");
  ASSERT_NE(range, nullptr);
  const auto message = [&](const nlohmann::json& params) {
    return ValidateParamsJson(*range, params).message();
  };
  EXPECT_EQ(message({{"column", "v"}, {"max", 1}, {"min_exclusive", true}}),
            "'min_exclusive': 'min_exclusive' needs 'min'");
  EXPECT_EQ(message({{"column", "v"}, {"min", 1}, {"max_exclusive", false}}),
            "'max_exclusive': 'max_exclusive' needs 'max'");
  EXPECT_EQ(message({{"column", "v"}, {"min", 5}, {"max", 5}, {"max_exclusive", true}}),
            "no value lies in [5, 5)");
  EXPECT_EQ(message({{"column", "v"}, {"min", "2026-01-01"}, {"max", "2026-01-02"},
                     {"min_exclusive", true}, {"max_exclusive", true}}),
            "no value lies in (2026-01-01, 2026-01-02)");
  EXPECT_EQ(message({{"column", "v"}, {"min", "today"}, {"max", "today"}, {"min_exclusive", true}}),
            "no value lies in (today, today]");
  EXPECT_EQ(message({{"column", "v"}, {"min", 10}, {"max", 2}, {"min_exclusive", true}}),
            "'min' (10) is greater than 'max' (2)");
  EXPECT_EQ(message({{"column", "v"}, {"min", 5}, {"max", 5}}), "");
  EXPECT_EQ(message({{"column", "v"}, {"min", "2026-01-01"}, {"max", "2026-01-02"},
                     {"min_exclusive", true}}),
            "");
  EXPECT_EQ(message({{"column", "v"}, {"min", 0}, {"min_exclusive", "yes"}}),
            "'min_exclusive': expected true or false");
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
