// The reconcile check (core/checks/reconcile.cc): a count or sum per group agrees with another
// table's, within a tolerance, on small hand-made databases (the other side attached as civil).
#include <gtest/gtest.h>

#include "core/checks/params.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

// main.p: per ma_xa, 'da_mat' rows (and their so_tien) and 'song' rows:
//   A 5 da_mat (10, NULL, 20, NULL, 5: sum 35) + 2 song (100 each)
//   B 3 da_mat (all NULL: sum 0)
//   C 10 da_mat (1 each: sum 10)
//   NULL ma_xa: 1 song (7)
// civil.k: per noi, 'tu' rows (tien) and 'khac' rows:
//   A 5 tu (7 each: 35) + 3 khac, B 6 tu (NULL), C 8 tu (1.25 each: 10), D 1 tu (NULL)
constexpr const char* kMainSchema = R"sql(
  CREATE TABLE p(id INTEGER PRIMARY KEY, ma_xa TEXT, trang_thai TEXT, so_tien INTEGER);
  INSERT INTO p(ma_xa, trang_thai, so_tien) VALUES
    ('A', 'da_mat', 10), ('A', 'da_mat', NULL), ('A', 'da_mat', 20), ('A', 'da_mat', NULL),
    ('A', 'da_mat', 5), ('A', 'song', 100), ('A', 'song', 100),
    ('B', 'da_mat', NULL), ('B', 'da_mat', NULL), ('B', 'da_mat', NULL),
    (NULL, 'song', 7);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
    INSERT INTO p(ma_xa, trang_thai, so_tien) SELECT 'C', 'da_mat', 1 FROM n;
)sql";
constexpr const char* kCivilSchema = R"sql(
  CREATE TABLE k(id INTEGER PRIMARY KEY, noi TEXT, loai TEXT, tien REAL);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
  INSERT INTO k(noi, loai, tien)
    SELECT 'A', 'tu', 7 FROM n WHERE i <= 5 UNION ALL
    SELECT 'A', 'khac', 1 FROM n WHERE i <= 3 UNION ALL
    SELECT 'B', 'tu', NULL FROM n WHERE i <= 6 UNION ALL
    SELECT 'C', 'tu', 1.25 FROM n WHERE i <= 8 UNION ALL
    SELECT 'D', 'tu', NULL FROM n WHERE i <= 1;
)sql";

class ReconcileCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ExecSql(main_, kMainSchema);
    ExecSql(civil_, kCivilSchema);
  }

  CheckResult Run(const nlohmann::json& params, const std::string& filter = "") {
    std::vector<std::string> columns;
    if (params.contains("group_by")) columns = params["group_by"].get<std::vector<std::string>>();
    if (params.contains("sum")) columns.push_back(params["sum"].get<std::string>());
    SourcePlan plan =
        MakePlan(main_, {MakeTable("p", {MakeCheck("reconcile", params, columns, "p")}, {"id"},
                                   filter)});
    plan.source.attach = {{"civil", "civil_registry"}};
    plan.attach_paths = {{"civil", civil_}};
    const SourceResult s = Scan(plan);
    EXPECT_EQ(s.error, "");
    EXPECT_EQ(s.results.size(), 1u);
    return s.results.empty() ? CheckResult{} : s.results[0];
  }

  // Counts of 'da_mat' per ma_xa against counts of 'tu' per noi, with `tolerance`.
  static nlohmann::json Deaths(nlohmann::json tolerance) {
    nlohmann::json p = {{"measure", "count"},
                        {"group_by", nlohmann::json::array({"ma_xa"})},
                        {"where", "trang_thai = 'da_mat'"},
                        {"against",
                         {{"table", "civil.k"},
                          {"measure", "count"},
                          {"group_by", nlohmann::json::array({"noi"})},
                          {"where", "loai = 'tu'"}}}};
    if (!tolerance.is_null()) p["tolerance"] = std::move(tolerance);
    return p;
  }

  TempDir dir_;
  std::string main_ = dir_.File("main.db");
  std::string civil_ = dir_.File("civil.db");
};

// Per group (left, right): A (5, 5), B (3, 6), C (10, 8), D (0, 1).
TEST_F(ReconcileCheckTest, ToleranceAbsolutePercentBothAndNone) {
  struct Case {
    nlohmann::json tolerance;
    int64_t violations;
    std::vector<std::vector<std::string>> samples;
    std::string tolerance_text;
  };
  const std::vector<std::string> b = {"B", "3", "6", "-3"}, c = {"C", "10", "8", "2"},
                                 d = {"D", "0", "1", "-1"};
  const Case cases[] = {
      // |diff| <= 2: only B (3) disagrees.
      {{{"absolute", 2}}, 1, {b}, "2"},
      // 20% of max(|l|, |r|): B 3 > 1.2, C 2 <= 2, D 1 > 0.2.
      {{{"percent", 20}}, 2, {b, d}, "20%"},
      // Either bound is enough: C within 20%, D within 1.
      {{{"absolute", 1}, {"percent", 20}}, 1, {b}, "1 or 20%"},
      // No tolerance: the figures must be equal; ties of |difference| are ordered by key.
      {nullptr, 3, {b, c, d}, "none"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.tolerance.dump());
    const CheckResult r = Run(Deaths(k.tolerance));
    EXPECT_EQ(r.outcome, Outcome::kFail);
    EXPECT_EQ(r.rows_checked, 4);
    EXPECT_EQ(r.violations, k.violations);
    EXPECT_EQ(r.samples, k.samples);
    EXPECT_EQ(r.failing_rows, k.samples);
    EXPECT_EQ(r.failing_rows_total, k.violations);
    EXPECT_EQ(r.key_columns, (std::vector<std::string>{"ma_xa", "left", "right", "difference"}));
    EXPECT_EQ(r.value, -2.0);
    EXPECT_EQ(r.metrics, (std::vector<std::pair<std::string, double>>{{"left_total", 18},
                                                                     {"right_total", 20}}));
    EXPECT_EQ(r.message,
              fmt::format("{} of 4 groups ({}%) disagree: count of p by ma_xa vs count of civil.k "
                          "(18 and 20, tolerance {}); fail limit 0",
                          k.violations, k.violations * 25, k.tolerance_text));
  }
}

TEST_F(ReconcileCheckTest, SamplesAreLargestDifferenceFirst) {
  // Without `where` on the left: A 7, B 3, C 10, NULL 1 against A 8, B 6, C 8, D 1 (all loai).
  nlohmann::json p = Deaths(nullptr);
  p.erase("where");
  p["against"].erase("where");
  const CheckResult r = Run(p);
  EXPECT_EQ(r.rows_checked, 5);  // A, B, C, D and the NULL group
  EXPECT_EQ(r.violations, 5);
  EXPECT_EQ(r.samples, (std::vector<std::vector<std::string>>{{"B", "3", "6", "-3"},
                                                               {"C", "10", "8", "2"},
                                                               {"A", "7", "8", "-1"},
                                                               {"D", "0", "1", "-1"},
                                                               {"NULL", "1", "0", "1"}}));
}

TEST_F(ReconcileCheckTest, SumsCountNullAsZero) {
  // Sums of so_tien (INTEGER with NULLs) against sums of tien (REAL, NULL in B and D):
  // A 35 / 35, B 0 (all NULL) / 0, C 10 / 10, D 0 / 0: everything agrees exactly.
  nlohmann::json p = {{"sum", "so_tien"},
                      {"group_by", nlohmann::json::array({"ma_xa"})},
                      {"where", "trang_thai = 'da_mat'"},
                      {"against",
                       {{"table", "civil.k"},
                        {"sum", "tien"},
                        {"group_by", nlohmann::json::array({"noi"})},
                        {"where", "loai = 'tu'"}}}};
  const CheckResult r = Run(p);
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_EQ(r.rows_checked, 4);
  EXPECT_EQ(r.violations, 0);
  EXPECT_TRUE(r.samples.empty());
  EXPECT_EQ(r.value, 0.0);
  EXPECT_EQ(r.message,
            "0 of 4 groups (0%) disagree: sum(so_tien) of p by ma_xa vs sum(tien) of civil.k "
            "(45 and 45, tolerance none)");
  // A sum against a count: A 35 / 5 disagrees, B 0 / 6, C 10 / 8, D 0 / 1.
  p["against"].erase("sum");
  const CheckResult mixed = Run(p);
  EXPECT_EQ(mixed.violations, 4);
  EXPECT_EQ(mixed.samples.front(), (std::vector<std::string>{"A", "35", "5", "30"}));
}

TEST_F(ReconcileCheckTest, OneSideEmptyCountsZero) {
  nlohmann::json p = Deaths(nlohmann::json{{"absolute", 3}});
  p["against"]["where"] = "loai = 'none'";
  const CheckResult r = Run(p);
  // A 5, B 3, C 10 against nothing: B is within 3.
  EXPECT_EQ(r.rows_checked, 3);
  EXPECT_EQ(r.violations, 2);
  EXPECT_EQ(r.samples, (std::vector<std::vector<std::string>>{{"C", "10", "0", "10"},
                                                               {"A", "5", "0", "5"}}));
  // Both sides empty: nothing compared, nothing wrong.
  p["where"] = "trang_thai = 'none'";
  const CheckResult none = Run(p);
  EXPECT_EQ(none.outcome, Outcome::kPass);
  EXPECT_EQ(none.rows_checked, 0);
  EXPECT_EQ(none.violations, 0);
}

TEST_F(ReconcileCheckTest, WholeTableWithoutGroupBy) {
  // 18 'da_mat' against 20 'tu': one comparison.
  nlohmann::json p = {{"where", "trang_thai = 'da_mat'"},
                      {"against", {{"table", "civil.k"}, {"where", "loai = 'tu'"}}},
                      {"tolerance", {{"percent", 5}}}};
  const CheckResult r = Run(p);
  EXPECT_EQ(r.rows_checked, 1);
  EXPECT_EQ(r.violations, 1);
  EXPECT_EQ(r.samples, (std::vector<std::vector<std::string>>{{"18", "20", "-2"}}));
  EXPECT_EQ(r.key_columns, (std::vector<std::string>{"left", "right", "difference"}));
  EXPECT_EQ(r.message,
            "the totals disagree: count of p vs count of civil.k (18 and 20, tolerance 5%); "
            "fail limit 0");
  p["tolerance"]["percent"] = 10;  // 2 <= 10% of 20
  EXPECT_EQ(Run(p).violations, 0);
}

TEST_F(ReconcileCheckTest, TableFilterAppliesToTheLeftSide) {
  // The filter drops C: A 5, B 3 against A 5, B 6, C 8, D 1.
  const CheckResult r = Run(Deaths(nlohmann::json{{"absolute", 1}}), "ma_xa <> 'C'");
  EXPECT_EQ(r.rows_checked, 4);
  EXPECT_EQ(r.violations, 2);  // B (3) and C (8); D is within 1
  EXPECT_EQ(r.metrics.front(), (std::pair<std::string, double>{"left_total", 8}));
}

TEST_F(ReconcileCheckTest, QueryErrorIsTheCheckError) {
  nlohmann::json p = Deaths(nullptr);
  p["against"]["table"] = "civil.nope";
  const CheckResult r = Run(p);
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_TRUE(r.message.starts_with("query failed: no such table: civil.nope")) << r.message;
}

TEST(ReconcileParamsTest, CrossParameterRules) {
  const CheckType& type = *Catalog().Find("reconcile");
  const auto problem = [&](const nlohmann::json& params) {
    const Status s = ValidateParamsJson(type, params);
    return s.ok() ? std::string() : s.message();
  };
  const nlohmann::json against = {{"table", "t"}};
  EXPECT_EQ(problem({{"against", against}}), "");
  EXPECT_EQ(problem({{"measure", "sum"}, {"against", against}}),
            "'measure': 'measure: sum' needs the column to sum: 'sum: <column>'");
  EXPECT_EQ(problem({{"measure", "count"}, {"sum", "x"}, {"against", against}}),
            "'sum': 'measure: count' cannot take 'sum'; a side counts rows or sums a column");
  EXPECT_EQ(problem({{"against", {{"table", "t"}, {"measure", "sum"}}}}),
            "'against': 'measure: sum' in 'against' needs the column to sum: 'sum: <column>'");
  EXPECT_EQ(problem({{"group_by", nlohmann::json::array({"a"})}, {"against", against}}),
            "'group_by': 'group_by' must be given on both sides (the check and 'against') or on "
            "neither");
  EXPECT_EQ(problem({{"group_by", nlohmann::json::array({"a"})}, {"against", {{"table", "t"}, {"group_by", nlohmann::json::array({"a", "b"})}}}}),
            "'group_by': 'group_by' names 1 columns but 'against' groups by 2; a group key has "
            "the same number of columns on both sides");
  EXPECT_EQ(problem({{"against", against}, {"tolerance", nlohmann::json::object()}}),
            "'tolerance': 'tolerance' needs 'absolute', 'percent' or both (leave it out for "
            "figures that must be equal)");
  EXPECT_EQ(problem({{"against", against}, {"tolerance", {{"percent", 120}}}}),
            "'tolerance': 'percent': expected a value from 0 to 100, got 120");
  EXPECT_EQ(problem({{"against", {{"tabel", "t"}}}}),
            "'against': unknown field 'tabel'; expected one of table, measure, sum, group_by, "
            "where");
  EXPECT_EQ(problem({{"against", {{"measure", "count"}}}}),
            "'against': missing required field 'table'");
  EXPECT_EQ(problem(nlohmann::json::object()),
            "missing required parameter 'against' of reconcile (map: the other side: {table, "
            "measure, sum, group_by, where})");
}

}  // namespace
}  // namespace dqa
