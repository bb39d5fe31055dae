// The row_count check (core/checks/row_count.cc): the table's rows in scope within bounds.
#include <gtest/gtest.h>

#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;
using testing::kConditionSchema;

TEST(RowCountCheckTest, CasesTable) {
  TempDir dir;
  const std::string db = dir.File("c.db");
  ExecSql(db, kConditionSchema);
  struct Case {
    nlohmann::json params;
    std::string filter;
    int64_t violations;
    Outcome outcome;
    std::string message;
  };
  const Case cases[] = {
      {{{"min", 1}},
       "",
       0,
       Outcome::kPass,
       "Table hs has 5 rows in scope; expected at least 1"},
      {{{"min", 6}},
       "",
       1,
       Outcome::kFail,
       "Table hs has 5 rows in scope; expected at least 6; fail limit 0"},
      {{{"max", 5}},
       "",
       0,
       Outcome::kPass,
       "Table hs has 5 rows in scope; expected at most 5"},
      {{{"min", 1}, {"max", 3}},
       "",
       1,
       Outcome::kFail,
       "Table hs has 5 rows in scope; expected between 1 and 3; fail limit 0"},
      {{{"min", 1}, {"max", 3}},
       "trang_thai = 'dang'",
       0,
       Outcome::kPass,
       "Table hs has 2 rows in scope; expected between 1 and 3"},
      {{{"min", 1}},
       "0",
       1,
       Outcome::kFail,
       "Table hs has 0 rows in scope; expected at least 1; fail limit 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    const SourceResult s =
        Scan(MakePlan(db, {MakeTable("hs", {MakeCheck("row_count", c.params, {}, "hs")}, {}, c.filter)}));
    ASSERT_EQ(s.results.size(), 1u);
    const CheckResult& r = s.results[0];
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.outcome, c.outcome);
    EXPECT_EQ(r.message, c.message);
    EXPECT_EQ(r.value, static_cast<double>(r.rows_checked));
    EXPECT_EQ(r.id, "row_count:hs");
  }
}

}  // namespace
}  // namespace dqa
