// A check's scope, the same for every type that takes `where`: the table's filter AND the check's
// where.
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

struct ScopeCase {
  const char* name;
  std::string filter;
  std::string where;
  int64_t rows_checked;
  int64_t violations;
  std::vector<std::string> samples;
};

TEST(CheckScopeTest, FilterAndWhereAreAnded) {
  TempDir dir;
  const std::string db = dir.File("c.db");
  ExecSql(db, kConditionSchema);
  const ScopeCase cases[] = {
      {"filter only", "trang_thai <> 'thu_nghiem'", "", 4, 2, {"2", "5"}},
      {"where only", "", "trang_thai = 'dang'", 2, 1, {"5"}},
      {"both", "trang_thai <> 'thu_nghiem'", "trang_thai = 'xong'", 2, 1, {"2"}},
      {"where NULL is out of scope", "", "tra_kq > '2026'", 4, 3, {"2", "4", "5"}},
  };
  for (const ScopeCase& c : cases) {
    SCOPED_TRACE(c.name);
    CheckSpec spec = MakeCheck("condition", {{"invalid_when", "tra_kq < tiep_nhan"}}, {}, "hs");
    spec.where = c.where;
    const SourceResult s = Scan(MakePlan(db, {MakeTable("hs", {spec}, {"id"}, c.filter)}));
    ASSERT_EQ(s.results.size(), 1u);
    EXPECT_EQ(s.results[0].rows_checked, c.rows_checked);
    EXPECT_EQ(s.results[0].violations, c.violations);
    EXPECT_EQ(Flat(s.results[0].samples), c.samples);
    EXPECT_EQ(s.results[0].key_columns, std::vector<std::string>{"id"});
  }
}

}  // namespace
}  // namespace dqa
