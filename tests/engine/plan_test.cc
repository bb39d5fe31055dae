#include "core/engine/plan.h"

#include <gtest/gtest.h>

#include <ctime>

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
  EXPECT_NEAR(static_cast<double>(plans[1].now_unix), static_cast<double>(now),
              5.0);  // current time
  EXPECT_EQ(plans[1].today_day, DayOf(plans[1].now_unix));
  EXPECT_TRUE(plans[1].attach_paths.empty());
  EXPECT_EQ(plans[1].samples, 5);
}

}  // namespace
}  // namespace dqa
