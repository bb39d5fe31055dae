#include "core/engine/plan.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "core/util/dates.h"

namespace dqa {
namespace {

SourceSpec Source(std::string id, std::string path, std::optional<int64_t> today = std::nullopt) {
  SourceSpec s;
  s.id = std::move(id);
  s.db_path = std::move(path);
  s.database = "sqlite:" + s.db_path;
  s.today_day = today;
  return s;
}

TEST(PlanAuditTest, TodayPrecedenceAndAttachPaths) {
  SourceSpec pop = Source("population", "/data/pop.db", 20000);
  pop.attach = {{"civil", "civil"}};
  const std::vector<SourceSpec> sources = {pop, Source("civil", "/data/civil.db")};

  AuditOptions cli;
  cli.today_day = 20758;
  cli.samples = 3;
  std::vector<SourcePlan> plans = PlanAudit(sources, cli);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].attach_paths,
            (std::map<std::string, std::string>{{"civil", "/data/civil.db"}}));
  for (const SourcePlan& p : plans) {
    EXPECT_EQ(p.today_day, 20758);
    EXPECT_EQ(p.now_unix, 20758 * kSecondsPerDay);
    EXPECT_EQ(p.samples, 3);
  }

  plans = PlanAudit(sources, AuditOptions{});
  EXPECT_EQ(plans[0].today_day, 20000);  // the rule file's today
  EXPECT_EQ(plans[0].now_unix, 20000 * kSecondsPerDay);
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  // The current time, on the machine's time zone clock (no utc_offset anywhere).
  EXPECT_NEAR(static_cast<double>(plans[1].now_unix),
              static_cast<double>(now + 60 * LocalUtcOffsetMinutes(now)), 5.0);
  EXPECT_EQ(plans[1].today_day, DayOf(plans[1].now_unix));
  EXPECT_TRUE(plans[1].attach_paths.empty());
  EXPECT_EQ(plans[1].samples, 5);
}

// A nightly run at 01:30 in Vietnam is 18:30 UTC of the day before: the reference day must be the
// Vietnamese one, or a birth registered that day is "in the future" (docs/checks.md "Dates").
TEST(PlanAuditTest, CurrentTimeIsOnTheClockOfTheDatabases) {
  const int64_t utc = *DaysFromCivil(2026, 12, 2) * kSecondsPerDay + 18 * 3600 + 30 * 60;
  SourceSpec vn = Source("vn", "/d/vn.db");
  vn.utc_offset_minutes = 420;  // rule file: utc_offset: "+07:00"
  SourceSpec other = Source("other", "/d/other.db");
  SourceSpec pinned = Source("pinned", "/d/pinned.db", 20000);
  pinned.utc_offset_minutes = 420;
  AuditOptions options;
  options.now_unix = utc;
  options.utc_offset_minutes = -210;  // --utc-offset -03:30: for sources without their own
  std::vector<SourcePlan> plans = PlanAudit({vn, other, pinned}, options);
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].now_unix, utc + 7 * 3600);
  EXPECT_EQ(plans[0].today_day, *DaysFromCivil(2026, 12, 3));
  EXPECT_EQ(plans[1].now_unix, utc - 210 * 60);
  EXPECT_EQ(plans[1].today_day, *DaysFromCivil(2026, 12, 2));
  EXPECT_EQ(plans[2].now_unix, 20000 * kSecondsPerDay);  // a pinned day is not shifted
  EXPECT_EQ(plans[2].today_day, 20000);

  // Neither: the machine's time zone (a POSIX TZ string, so no tzdata is needed).
  const char* saved = std::getenv("TZ");
  const std::string saved_tz = saved != nullptr ? saved : "";
  setenv("TZ", "ICT-7", 1);
  tzset();
  AuditOptions machine;
  machine.now_unix = utc;
  plans = PlanAudit({other}, machine);
  EXPECT_EQ(plans[0].now_unix, utc + 7 * 3600);
  EXPECT_EQ(plans[0].today_day, *DaysFromCivil(2026, 12, 3));
  if (saved != nullptr) {
    setenv("TZ", saved_tz.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

}  // namespace
}  // namespace dqa
