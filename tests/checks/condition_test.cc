// The condition check (core/checks/condition.cc): rows meeting an invalid condition.
#include <gtest/gtest.h>

#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::Flat;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;
using testing::kConditionSchema;

TEST(ConditionCheckTest, NullResultIsNotAViolation) {
  TempDir dir;
  const std::string db = dir.File("c.db");
  ExecSql(db, kConditionSchema);
  CheckSpec spec = MakeCheck("condition", {{"invalid_when", "tra_kq < tiep_nhan"}}, {}, "hs");
  spec.id = "tra_truoc_nhan";
  const SourceResult s = Scan(MakePlan(db, {MakeTable("hs", {spec})}));
  ASSERT_EQ(s.results.size(), 1u);
  const CheckResult& r = s.results[0];
  EXPECT_EQ(r.rows_checked, 5);
  EXPECT_EQ(r.violations, 3);
  EXPECT_EQ(Flat(r.samples), (std::vector<std::string>{"2", "4", "5"}));
  EXPECT_EQ(r.message,
            "3 of 5 rows (60%) meet the invalid condition: tra_kq < tiep_nhan; fail limit 0");
}

}  // namespace
}  // namespace dqa
