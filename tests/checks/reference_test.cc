// The reference check (core/checks/reference.cc): values found in a reference column.
#include <gtest/gtest.h>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::Flat;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

// t(id, v) rows: 1 '001', 2 '003', 3 NULL, 4 3 (INTEGER), 5 '3', 6 1 (INTEGER)
// dm_xa(ma_xa): '001', '002', 3 (INTEGER), NULL
constexpr const char* kCoverageSchema = R"sql(
  CREATE TABLE t(id INTEGER PRIMARY KEY, v);
  INSERT INTO t VALUES (1, '001'), (2, '003'), (3, NULL), (4, 3), (5, '3'), (6, 1);
  CREATE TABLE dm_xa(ma_xa);
  INSERT INTO dm_xa VALUES ('001'), ('002'), (3), (NULL);
)sql";

TEST(ReferenceCheckTest, OwnSchemaComparesTextForms) {
  TempDir dir;
  const std::string db = dir.File("own.db");
  ExecSql(db, kCoverageSchema);
  const SourceResult s = Scan(
      MakePlan(db, {MakeTable("t", {MakeCheck("reference", {{"table", "dm_xa"}, {"ref_column", "ma_xa"}}, {"v"})})}));
  ASSERT_EQ(s.results.size(), 1u);
  const CheckResult& r = s.results[0];
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.rows_checked, 5);
  EXPECT_EQ(r.violations, 2);  // '003' and 1 ("1" is not "001")
  EXPECT_EQ(Flat(r.samples), (std::vector<std::string>{"2", "6"}));
  EXPECT_EQ(r.message,
            "2 of 5 values (40%) of v are not found in dm_xa.ma_xa (3 values); fail limit 0");
}

TEST(ReferenceCheckTest, AttachedDatabase) {
  TempDir dir;
  const std::string db = dir.File("main.db");
  const std::string civil = dir.File("civil.db");
  ExecSql(db,
          "CREATE TABLE t(id INTEGER PRIMARY KEY, v);"
          "INSERT INTO t VALUES (1, 'A'), (2, 'B'), (3, 'C'), (4, NULL);");
  ExecSql(civil, "CREATE TABLE dm(ma); INSERT INTO dm VALUES ('A'), ('C'), ('D');");
  SourcePlan plan =
      MakePlan(db, {MakeTable("t", {MakeCheck("reference", {{"table", "civil.dm"}, {"ref_column", "ma"}}, {"v"})})});
  plan.source.attach = {{"civil", "civil_registry"}};
  plan.attach_paths = {{"civil", civil}};
  const SourceResult s = Scan(plan);
  ASSERT_EQ(s.error, "");
  ASSERT_EQ(s.results.size(), 1u);
  EXPECT_EQ(s.results[0].rows_checked, 3);
  EXPECT_EQ(s.results[0].violations, 1);
  EXPECT_EQ(Flat(s.results[0].samples), std::vector<std::string>{"2"});
  EXPECT_EQ(s.results[0].message,
            "1 of 3 values (33.33%) of v are not found in civil.dm.ma (3 values); fail limit 0");
}

TEST(ReferenceCheckTest, MissingReferenceTableIsAnErrorOfThatCheckOnly) {
  TempDir dir;
  const std::string db = dir.File("own.db");
  ExecSql(db, kCoverageSchema);
  const SourceResult s =
      Scan(MakePlan(db, {MakeTable("t", {MakeCheck("reference", {{"table", "nope"}, {"ref_column", "x"}}, {"v"}),
                                         MakeCheck("missing", {}, {"v"})})}));
  ASSERT_EQ(s.results.size(), 2u);
  EXPECT_EQ(s.results[0].outcome, Outcome::kError);
  EXPECT_EQ(s.results[0].message,
            "no such table: main.nope (in: SELECT DISTINCT \"x\" FROM main.\"nope\" WHERE "
            "\"x\" IS NOT NULL ORDER BY 1)");
  EXPECT_EQ(s.results[1].outcome, Outcome::kFail);
  EXPECT_EQ(s.results[1].violations, 1);
}

}  // namespace
}  // namespace dqa
