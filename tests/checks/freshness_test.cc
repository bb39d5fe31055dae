// The freshness check (core/checks/freshness.cc): the newest date is recent enough.
#include <gtest/gtest.h>

#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::Cell;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;
using testing::Unix;

TEST(FreshnessCheckTest, CasesTable) {
  struct FreshCase {
    const char* name;
    std::vector<Cell> values;
    int64_t rows_checked;
    int64_t violations;
    int64_t unparseable;
    std::optional<double> age_days;
    std::string message;
  };
  const FreshCase cases[] = {
      {"newest within 30 days",
       {std::string("2026-09-01"), std::string("2026-10-15"), std::string("junk"), nullptr},
       3,
       0,
       1,
       17.0,
       "The newest v (2026-10-15T00:00:00Z) is 17 days old; maximum age 30d (1 unparseable)"},
      {"newest too old (Unix seconds and text)",
       {Unix(2026, 10, 1, 12 * 3600), std::string("2026-09-30")},
       2,
       1,
       0,
       30.5,
       "The newest v (2026-10-01T12:00:00Z) is 30.5 days old; maximum age 30d; fail limit 0"},
      {"one day old",
       {std::string("2026-10-31")},
       1,
       0,
       0,
       1.0,
       "The newest v (2026-10-31T00:00:00Z) is 1 day old; maximum age 30d"},
      {"exactly at the limit is fresh",
       {std::string("2026-10-02")},
       1,
       0,
       0,
       30.0,
       "The newest v (2026-10-02T00:00:00Z) is 30 days old; maximum age 30d"},
      {"no parseable date",
       {std::string("x"), 1.5, nullptr},
       2,
       1,
       2,
       std::nullopt,
       "No parseable date in v (2 values, 2 unparseable); maximum age 30d; fail limit 0"},
      {"empty table",
       {},
       0,
       1,
       0,
       std::nullopt,
       "No parseable date in v (0 values, 0 unparseable); maximum age 30d; fail limit 0"},
  };
  TempDir dir;
  for (const FreshCase& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckResult r =
        ScanOne(dir, MakeCheck("freshness", {{"max_age", "30d"}, {"date_format", "iso"}}, {"v"}), c.values);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.unparseable, c.unparseable);
    EXPECT_EQ(r.value, c.age_days);
    EXPECT_EQ(r.message, c.message);
    EXPECT_EQ(r.outcome, c.violations > 0 ? Outcome::kFail : Outcome::kPass);
    EXPECT_TRUE(r.samples.empty());
  }
}

}  // namespace
}  // namespace dqa
