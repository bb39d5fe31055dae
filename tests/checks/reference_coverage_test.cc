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
            "no such table: main.nope (in: SELECT DISTINCT \"x\" FROM \"main\".\"nope\" WHERE "
            "\"x\" IS NOT NULL ORDER BY 1)");
  EXPECT_EQ(s.results[1].outcome, Outcome::kFail);
  EXPECT_EQ(s.results[1].violations, 1);
}

struct CoverageCase {
  const char* name;
  int64_t min_rows;
  std::string where;
  int64_t violations;
  std::vector<std::string> samples;
};

TEST(CoverageCheckTest, CasesTable) {
  TempDir dir;
  const std::string db = dir.File("cov.db");
  ExecSql(db, R"sql(
    CREATE TABLE ho_so(id INTEGER PRIMARY KEY, ma_xa, loai);
    INSERT INTO ho_so VALUES (1, '001', 'a'), (2, '001', 'b'), (3, '002', 'a'), (4, '005', 'a'),
                             (5, NULL, 'a'), (6, 3, 'a');
    CREATE TABLE dm_xa(ma_xa);
    INSERT INTO dm_xa VALUES ('004'), ('001'), ('002'), ('003'), (NULL), ('001'), ('3');
  )sql");
  const CoverageCase cases[] = {
      {"min_rows 1", 1, "", 2, {"003", "004"}},
      {"min_rows 2", 2, "", 4, {"002", "003", "004", "3"}},
      {"where narrows the rows that count", 1, "loai = 'a'", 2, {"003", "004"}},
      {"where excludes a commune", 1, "loai = 'b'", 4, {"002", "003", "004", "3"}},
  };
  for (const CoverageCase& c : cases) {
    SCOPED_TRACE(c.name);
    CheckSpec spec =
        MakeCheck("coverage", {{"expected", {{"table", "dm_xa"}, {"column", "ma_xa"}}}, {"min_rows", c.min_rows}}, {"ma_xa"}, "ho_so");
    spec.where = c.where;
    const SourceResult s = Scan(MakePlan(db, {MakeTable("ho_so", {spec})}));
    ASSERT_EQ(s.results.size(), 1u);
    const CheckResult& r = s.results[0];
    EXPECT_EQ(r.rows_checked, 5);  // distinct non-NULL expected values (text forms)
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(Flat(r.samples), c.samples);
    EXPECT_EQ(r.key_columns, std::vector<std::string>{"ma_xa"});
    EXPECT_EQ(r.dimension, Dimension::kCompleteness);
  }
}

TEST(CoverageCheckTest, MessageAndPass) {
  TempDir dir;
  const std::string db = dir.File("cov.db");
  ExecSql(db,
          "CREATE TABLE h(x); INSERT INTO h VALUES ('a'), ('b');"
          "CREATE TABLE e(x); INSERT INTO e VALUES ('a'), ('b'), ('c');");
  SourceResult s = Scan(
      MakePlan(db, {MakeTable("h", {MakeCheck("coverage", {{"expected", {{"table", "e"}, {"column", "x"}}}, {"min_rows", 1}}, {"x"}, "h")})}));
  ASSERT_EQ(s.results.size(), 1u);
  EXPECT_EQ(s.results[0].message,
            "1 of 3 expected values (33.33%) of e.x have fewer than 1 rows in h.x; fail limit 0");
  ExecSql(db, "INSERT INTO h VALUES ('c');");
  s = Scan(
      MakePlan(db, {MakeTable("h", {MakeCheck("coverage", {{"expected", {{"table", "e"}, {"column", "x"}}}, {"min_rows", 1}}, {"x"}, "h")})}));
  EXPECT_EQ(s.results[0].outcome, Outcome::kPass);
  EXPECT_EQ(s.results[0].violations, 0);
}

}  // namespace
}  // namespace dqa
