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

constexpr const char* kConditionSchema = R"sql(
  CREATE TABLE hs(id INTEGER PRIMARY KEY, tiep_nhan, tra_kq, trang_thai);
  INSERT INTO hs VALUES (1, '2026-01-02', '2026-01-05', 'xong'),
                        (2, '2026-01-05', '2026-01-02', 'xong'),
                        (3, '2026-01-05', NULL, 'dang'),
                        (4, '2026-02-01', '2026-01-01', 'thu_nghiem'),
                        (5, '2026-03-01', '2026-02-01', 'dang');
)sql";

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

struct ScopeCase {
  const char* name;
  std::string filter;
  std::string where;
  int64_t rows_checked;
  int64_t violations;
  std::vector<std::string> samples;
};

TEST(ConditionCheckTest, FilterAndWhereAreAnded) {
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

TEST(SqlCheckTest, CasesTable) {
  TempDir dir;
  const std::string db = dir.File("c.db");
  ExecSql(db, kConditionSchema);
  struct Case {
    std::string query;
    std::optional<double> min, max;
    Outcome outcome;
    int64_t violations;
    std::optional<double> value;
    std::string message;
  };
  const Case cases[] = {
      {"SELECT count(*) FROM hs WHERE tra_kq IS NULL", std::nullopt, 0, Outcome::kFail, 1, 1.0,
       "The query returned 1; expected at most 0; fail limit 0"},
      {"SELECT count(*) FROM hs", 5, std::nullopt, Outcome::kPass, 0, 5.0,
       "The query returned 5; expected at least 5"},
      {"SELECT avg(id) FROM hs", 1, 2.5, Outcome::kFail, 1, 3.0,
       "The query returned 3; expected between 1 and 2.5; fail limit 0"},
      {"SELECT 1 WHERE 0", std::nullopt, 0, Outcome::kError, 0, std::nullopt,
       "the query returned no row; it must return a single number"},
      {"SELECT NULL", std::nullopt, 0, Outcome::kError, 0, std::nullopt,
       "the query returned NULL; it must return a single number"},
      {"SELECT 'abc'", std::nullopt, 0, Outcome::kError, 0, std::nullopt,
       "the query returned 'abc', which is not a number"},
      {"SELECT count(*) FROM nope", std::nullopt, 0, Outcome::kError, 0, std::nullopt,
       "query failed: no such table: nope (in: SELECT count(*) FROM nope)"},
      {"SELECT abs(-9223372036854775807 - 1)", std::nullopt, 0, Outcome::kError, 0, std::nullopt,
       "query failed: integer overflow (in: SELECT abs(-9223372036854775807 - 1))"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    nlohmann::json params = {{"query", c.query}};
    if (c.min) params["min"] = *c.min;
    if (c.max) params["max"] = *c.max;
    CheckSpec spec = MakeCheck("sql", params, {}, "hs");
    const SourceResult s = Scan(MakePlan(db, {MakeTable("hs", {spec})}));
    ASSERT_EQ(s.results.size(), 1u);
    const CheckResult& r = s.results[0];
    EXPECT_EQ(r.outcome, c.outcome);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.value, c.value);
    EXPECT_EQ(r.message, c.message);
    EXPECT_EQ(r.rows_checked, c.outcome == Outcome::kError ? 0 : 1);
    EXPECT_EQ(r.id, "sql:hs");
  }
}

}  // namespace
}  // namespace dqa
