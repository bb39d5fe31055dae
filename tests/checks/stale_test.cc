// The stale check (core/checks/stale.cc): dates older than a duration.
#include <gtest/gtest.h>

#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::CivilDay;
using testing::MakeCheck;
using testing::ScanOne;
using testing::RunDateCases;
using testing::TempDir;
using testing::Unix;

TEST(StaleCheckTest, CasesTable) {
  const int64_t today = testing::kToday;  // 2026-11-01; 730d earlier is 2024-11-01
  RunDateCases({
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

}  // namespace
}  // namespace dqa
