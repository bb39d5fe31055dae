// The sql check (core/checks/sql.cc): one number returned by a query, within bounds.
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
