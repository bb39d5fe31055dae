#include <gtest/gtest.h>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::Cell;
using testing::Flat;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;

const std::string kNfd = "Nu\u031B\u0303";  // "Nữ" typed with combining marks
const std::string kNfc = "N\u1EEF";         // "Nữ" precomposed

struct ValueCase {
  const char* name;
  std::string type;
  nlohmann::json params;
  std::vector<Cell> values;
  int64_t rows_checked;
  int64_t violations;
  std::vector<std::string> samples;
};

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

TEST(AllowedCheckTest, CasesTable) {
  const std::vector<Cell> genders = {
      std::string("Nam"),  kNfc,    kNfd,           std::string("nam"),
      std::string(" Nam"), nullptr, kNfc + "\u00A0"};
  const ValueCase cases[] = {
      {"NFC compare: NFD value equals precomposed",
       "allowed", {{"values", {"Nam", kNfc}}, {"normalize", true}},
       genders,
       6,
       3,
       {"4", "5", "7"}},
      {"NFD in the rule file is normalized too",
       "allowed", {{"values", {"Nam", kNfd}}, {"normalize", true}},
       genders,
       6,
       3,
       {"4", "5", "7"}},
      {"normalize false compares bytes",
       "allowed", {{"values", {"Nam", kNfc}}, {"normalize", false}},
       genders,
       6,
       4,
       {"3", "4", "5", "7"}},
      {"text forms of numbers",
       "allowed", {{"values", {"1", "2", "2.5"}}, {"normalize", true}},
       {int64_t{1}, int64_t{2}, int64_t{3}, 2.5, std::string("1"), std::string("01"), 2.0},
       7,
       2,
       {"3", "6"}},
      {"empty and whitespace values are not allowed unless listed",
       "allowed", {{"values", {"a", ""}}, {"normalize", true}},
       {std::string(""), std::string(" "), std::string("\u200B"), std::string("a")},
       4,
       2,
       {"2", "3"}},
  };
  TempDir dir;
  for (const ValueCase& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckResult r = ScanOne(dir, MakeCheck(c.type, c.params, {"v"}), c.values);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(Flat(r.samples), c.samples);
  }
}

TEST(AllowedCheckTest, Message) {
  TempDir dir;
  const CheckResult r = ScanOne(dir, MakeCheck("allowed", {{"values", {"Nam", kNfc}}, {"normalize", true}}, {"v"}),
                                {std::string("Nam"), std::string("X")});
  EXPECT_EQ(r.message, "1 of 2 values (50%) of v are not among the 2 allowed values; fail limit 0");
}

}  // namespace
}  // namespace dqa
