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
      {"the empty regex matches every value: nothing is a violation",
       "pattern", {{"regex", ""}},
       {std::string(""), std::string("x"), int64_t{1}, nullptr},
       3,
       0,
       {}},
      {"a single space matches values holding a space",
       "pattern", {{"regex", " "}},
       {std::string("Lê Lan"), std::string("LêLan"), std::string(" "), std::string("\u00A0")},
       4,
       2,
       {"2", "4"}},
      {"must_not_match: placeholder text is the violation",
       "pattern", {{"regex", "(?i)^(x+|n/?a|chưa có|0+)$"}, {"must_not_match", true}},
       {std::string("xxx"), std::string("N/A"), std::string("Chưa có"), std::string("0912"),
        std::string("000"), int64_t{0}, nullptr},
       6,
       5,
       {"1", "2", "3", "5", "6"}},
      {"must_not_match with the empty regex: every value is a violation",
       "pattern", {{"regex", ""}, {"must_not_match", true}},
       {std::string(""), std::string("a")},
       2,
       2,
       {"1", "2"}},
      {"a list matches any by default",
       "pattern", {{"regex", {"^0[0-9]{9}$", "^\\+84[0-9]{9}$"}}},
       {std::string("0912345678"), std::string("+84912345678"), std::string("84912345678"),
        std::string("091234567")},
       4,
       2,
       {"3", "4"}},
      {"match: all needs every regex",
       "pattern", {{"regex", {"[0-9]", "[A-Z]", "^.{4,}$"}}, {"match", "all"}},
       {std::string("A1bc"), std::string("A1"), std::string("abcd1"), std::string("ABCD"),
        std::string("zZ99")},
       5,
       3,
       {"2", "3", "4"}},
      {"must_not_match with any: matching one forbidden regex is a violation",
       "pattern", {{"regex", {"^test", "[?]"}}, {"must_not_match", true}},
       {std::string("test 1"), std::string("a?"), std::string("ok"), std::string("a test")},
       4,
       2,
       {"1", "2"}},
      {"must_not_match with all: only matching every regex is a violation",
       "pattern", {{"regex", {"^test", "[?]"}}, {"must_not_match", true}, {"match", "all"}},
       {std::string("test 1"), std::string("a?"), std::string("test?"), std::string("ok")},
       4,
       1,
       {"3"}},
      {"a list of one regex behaves as the single form",
       "pattern", {{"regex", {"^[0-9]+$"}}},
       {std::string("12"), std::string("x")},
       2,
       1,
       {"2"}},
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

TEST(PatternCheckTest, MessagesOfTheNewForms) {
  TempDir dir;
  const std::vector<testing::Cell> values = {std::string("12"), std::string("x")};
  CheckResult r = ScanOne(
      dir, MakeCheck("pattern", {{"regex", "^x$"}, {"must_not_match", true}}, {"v"}), values);
  EXPECT_EQ(r.message, "1 of 2 values (50%) of v match the pattern ^x$; fail limit 0");
  r = ScanOne(dir, MakeCheck("pattern", {{"regex", {"^1", "^2"}}}, {"v"}), values);
  EXPECT_EQ(r.message, "1 of 2 values (50%) of v do not match any of the patterns '^1', '^2'; "
                       "fail limit 0");
  r = ScanOne(dir,
              MakeCheck("pattern",
                        {{"regex", {"1", "2"}}, {"match", "all"}, {"must_not_match", true}},
                        {"v"}),
              values);
  EXPECT_EQ(r.message,
            "1 of 2 values (50%) of v match all of the patterns '1', '2'; fail limit 0");
  r = ScanOne(dir, MakeCheck("pattern", {{"regex", " "}, {"must_not_match", true}}, {"v"}),
              {std::string("a b"), std::string("ab")});
  EXPECT_EQ(r.message, "1 of 2 values (50%) of v match the pattern ' '; fail limit 0");
  r = ScanOne(dir, MakeCheck("pattern", {{"regex", ""}}, {"v"}), values);
  EXPECT_EQ(r.message, "0 of 2 values (0%) of v do not match the pattern ''");
}

TEST(PatternCheckTest, InvalidRegexInAListIsAnError) {
  TempDir dir;
  const CheckResult r = ScanOne(
      dir, MakeCheck("pattern", {{"regex", {"^a", "[z-a]"}}}, {"v"}), {std::string("x")});
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_EQ(r.message, "invalid regex '[z-a]': invalid character class range: z-a");
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
