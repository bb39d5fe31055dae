#include <gtest/gtest.h>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

using Samples = std::vector<std::vector<std::string>>;

// '001' x3 (a group of 3), '002' x2, NULL x2 (not checked), '003' once.
constexpr const char* kDuplicateSchema = R"sql(
  CREATE TABLE p(id INTEGER PRIMARY KEY, cccd, ten, ns);
  INSERT INTO p VALUES (1, '001', 'A', 'x'), (2, '001', 'B', 'x'), (3, '001', 'C', 'y'),
                       (4, '002', 'D', NULL), (5, '002', 'E', 'z'), (6, NULL, 'F', 'x'),
                       (7, NULL, 'G', 'x'), (8, '003', 'H', 'y'), (9, 1, 'I', 'x'), (10, '1', 'J', 'x');
)sql";

struct DupCase {
  const char* name;
  std::vector<std::string> columns;
  std::string where;
  std::string filter;
  std::vector<std::string> key;
  int64_t rows_checked;
  int64_t violations;
  int64_t groups;
  Samples samples;
};

TEST(DuplicateCheckTest, CasesTable) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kDuplicateSchema);
  const DupCase cases[] = {
      {"group of 3 and of 2; NULL keys skipped; INTEGER 1 and TEXT '1' differ",
       {"cccd"},
       "",
       "",
       {},
       8,
       3,
       2,
       {{"1"}, {"2"}, {"3"}, {"4"}, {"5"}}},
      {"composite key columns", {"cccd", "ns"}, "", "", {}, 7, 1, 1, {{"1"}, {"2"}}},
      {"where", {"cccd"}, "ten <> 'C'", "", {}, 7, 2, 2, {{"1"}, {"2"}, {"4"}, {"5"}}},
      {"filter", {"cccd"}, "", "ten NOT IN ('A', 'E')", {}, 6, 1, 1, {{"2"}, {"3"}}},
      {"composite table key in samples", {"ten"}, "", "", {"cccd", "ten"}, 10, 0, 0, {}},
      {"samples keyed by a composite table key",
       {"cccd"},
       "",
       "",
       {"ten", "id"},
       8,
       3,
       2,
       {{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", "4"}, {"E", "5"}}},
  };
  for (const DupCase& c : cases) {
    SCOPED_TRACE(c.name);
    CheckSpec spec = MakeCheck("duplicate", {}, c.columns, "p");
    spec.where = c.where;
    const SourceResult s = Scan(MakePlan(db, {MakeTable("p", {spec}, c.key, c.filter)}));
    ASSERT_EQ(s.results.size(), 1u);
    const CheckResult& r = s.results[0];
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.groups, c.groups);
    EXPECT_EQ(r.samples, c.samples);
    EXPECT_EQ(r.outcome, c.violations > 0 ? Outcome::kFail : Outcome::kPass);
    EXPECT_EQ(r.dimension, Dimension::kUniqueness);
  }
}

TEST(DuplicateCheckTest, TwoChecksOnOneKeySetShareAGroupingQuery) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kDuplicateSchema);
  CheckSpec all = MakeCheck("duplicate", {}, {"cccd"}, "p");
  CheckSpec some = MakeCheck("duplicate", {}, {"cccd"}, "p");
  some.id = "dup_without_c";
  some.where = "ten <> 'C'";
  some.thresholds.warn.max_count = 1;
  const SourceResult s = Scan(MakePlan(db, {MakeTable("p", {all, some})}, testing::kToday));
  ASSERT_EQ(s.results.size(), 2u);
  EXPECT_EQ(s.results[0].violations, 3);
  EXPECT_EQ(s.results[0].groups, 2);
  EXPECT_EQ(s.results[1].id, "dup_without_c");
  EXPECT_EQ(s.results[1].violations, 2);
  EXPECT_EQ(s.results[1].groups, 2);
  EXPECT_EQ(s.results[1].outcome, Outcome::kWarn);
  EXPECT_EQ(s.results[0].message,
            "3 of 8 rows (37.5%) duplicate an earlier row on (cccd), in 2 groups of equal values; "
            "fail limit 0");
}

TEST(DuplicateCheckTest, SampleLimitFollowsPlan) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kDuplicateSchema);
  SourcePlan plan = MakePlan(db, {MakeTable("p", {MakeCheck("duplicate", {}, {"cccd"}, "p")})});
  plan.samples = 2;
  SourceResult s = Scan(plan);
  EXPECT_EQ(s.results[0].samples, (Samples{{"1"}, {"2"}}));
  plan.samples = 0;
  s = Scan(plan);
  EXPECT_TRUE(s.results[0].samples.empty());
  EXPECT_EQ(s.results[0].violations, 3);
}

}  // namespace
}  // namespace dqa
