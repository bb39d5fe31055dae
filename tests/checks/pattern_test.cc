// The pattern check (core/checks/pattern.cc): a regular expression over text forms, in NFC.
#include <gtest/gtest.h>

#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::Flat;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;
using testing::kNfc;
using testing::kNfd;
using testing::ValueCase;

TEST(PatternCheckTest, CasesTable) {
  const ValueCase cases[] = {
      {"anchored phone numbers; NULL not checked; INTEGER loses its leading zero",
       "pattern", {{"regex", "^0[35789][0-9]{8}$"}},
       {std::string("0912345678"), std::string("0123"), nullptr, int64_t{312345678},
        std::string(""), std::string(" 0912345678")},
       5,
       4,
       {"2", "4", "5", "6"}},
      {"NFD text is matched in NFC",
       "pattern", {{"regex", "^N\u1EEF$"}},
       {kNfd, kNfc, std::string("Nu"), std::string("N\u1EEF ")},
       4,
       2,
       {"3", "4"}},
      {"unanchored regex is a partial match; REAL text form",
       "pattern", {{"regex", "[0-9]"}},
       {std::string("abc1"), std::string("abc"), 2.5, std::string("\u3000")},
       4,
       2,
       {"2", "4"}},
      {"whitespace-only values are checked like any text",
       "pattern", {{"regex", "\\S"}},
       {std::string(" "), std::string("\u00A0"), std::string("x")},
       3,
       1,
       {"1"}},
  };
  TempDir dir;
  for (const ValueCase& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckResult r = ScanOne(dir, MakeCheck(c.type, c.params, {"v"}), c.values);
    EXPECT_EQ(r.outcome, c.violations > 0 ? Outcome::kFail : Outcome::kPass);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(Flat(r.samples), c.samples);
  }
}

TEST(PatternCheckTest, MessageNamesThePattern) {
  TempDir dir;
  const CheckResult r =
      ScanOne(dir, MakeCheck("pattern", {{"regex", "^[0-9]+$"}}, {"v"}),
              {std::string("12"), std::string("x"), std::string("3"), std::string("y")});
  EXPECT_EQ(r.message, "2 of 4 values (50%) of v do not match the pattern ^[0-9]+$; fail limit 0");
  EXPECT_EQ(r.dimension, Dimension::kValidity);
}

TEST(PatternCheckTest, InvalidRegexIsAnError) {
  TempDir dir;
  const CheckResult r =
      ScanOne(dir, MakeCheck("pattern", {{"regex", "(unclosed"}}, {"v"}), {std::string("x")});
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_EQ(r.message, "invalid regex '(unclosed': missing ): (unclosed");
  EXPECT_EQ(r.id, "pattern:t.v");
}

}  // namespace
}  // namespace dqa
