// Domain logic of the public_services plugin: timestamps, pending, overdue, stuck, indicators.
#include <gtest/gtest.h>

#include "plugins/public_services/dossier.h"

namespace dqa::public_services {
namespace {

TEST(DossierTest, ParsesIsoTimestampsAsUtc) {
  EXPECT_EQ(ParseTimestamp("1970-01-02"), 86400);
  EXPECT_EQ(ParseTimestamp("1970-01-01 01:02:03"), 3723);
  EXPECT_EQ(ParseTimestamp("1970-01-01T01:02"), 3720);
  EXPECT_EQ(ParseTimestamp("1970-01-01T01:02:03.250Z"), 3723);
  for (const char* bad :
       {"", "không rõ", "2024-02-30 08:00:00", "2025-13-01", "2025-01-01 25:00:00",
        "31/12/2024 08:00", "2025-01-01 08:00:00+07:00", "2025-01-01x"}) {
    EXPECT_FALSE(ParseTimestamp(bad)) << bad;
  }
}

TEST(DossierTest, PendingMeansNoReturnDateAndNotAReturnedStatus) {
  const std::vector<std::string> returned = {"da_tra", "tra_lai"};
  EXPECT_TRUE(IsPending(std::nullopt, "dang_xu_ly", returned));
  EXPECT_TRUE(IsPending(" ", "qua_han", returned));
  EXPECT_TRUE(IsPending(std::nullopt, std::nullopt, returned));
  EXPECT_FALSE(IsPending("2025-01-01 08:00:00", "dang_xu_ly", returned));
  EXPECT_FALSE(IsPending(std::nullopt, "da_tra", returned));
  EXPECT_FALSE(IsPending(std::nullopt, "tra_lai", returned));
}

TEST(DossierTest, OverdueStuckAndLateCompareAsDocumented) {
  const int64_t today = 20000;  // a day number
  const int64_t now = today * 86400;
  EXPECT_TRUE(IsOverdue(now - 1, today));           // due yesterday 23:59:59
  EXPECT_FALSE(IsOverdue(now + 16 * 3600, today));  // due today 16:00: not yet
  EXPECT_TRUE(IsStuck(now - 30 * 86400 - 1, now, 30));
  EXPECT_FALSE(IsStuck(now - 30 * 86400, now, 30));
  const int64_t due = (today - 5) * 86400 + 16 * 3600;
  EXPECT_FALSE(ReturnedLate(due + 7 * 3600, due));  // same day, after 16:00: on time
  EXPECT_TRUE(ReturnedLate(due + 8 * 3600, due));   // next day
  EXPECT_DOUBLE_EQ(Percent(1, 4), 25.0);
  EXPECT_DOUBLE_EQ(Percent(0, 0), 0.0);
}

}  // namespace
}  // namespace dqa::public_services
