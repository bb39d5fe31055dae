// The allowed check (core/checks/allowed.cc): values among a list, compared in NFC or as bytes.
#include <gtest/gtest.h>

#include "core/checks/catalog.h"
#include "core/checks/params.h"
#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::Cell;
using testing::Flat;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;
using testing::kNfc;
using testing::kNfd;
using testing::ValueCase;

// Each case scanned over a fresh t(id, v): its counts and samples.
template <size_t N>
void ExpectCases(const ValueCase (&cases)[N]) {
  TempDir dir;
  for (const ValueCase& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckResult r = ScanOne(dir, MakeCheck(c.type, c.params, {"v"}), c.values);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(Flat(r.samples), c.samples);
  }
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
  ExpectCases(cases);
}

// The same INTEGER, REAL and TEXT values compared with the same lists as text forms and as typed
// values.
TEST(AllowedCheckTest, CompareTextAndTyped) {
  const std::vector<Cell> values = {
      int64_t{1},                 // 1 text form "1"
      1.0,                        // 2 REAL, text form "1"
      std::string("1.0"),         // 3
      std::string("01"),          // 4
      2.5,                        // 5 REAL, text form "2.5"
      std::string("1"),           // 6 TEXT: never parsed as a number
      std::string("A"),           // 7
      int64_t{9007199254740993},  // 8 2^53 + 1, whose double is 2^53
  };
  const nlohmann::json listed = {"1.0", "01", "A", "2.5", "9007199254740992"};
  const ValueCase cases[] = {
      {"compare text (the default): INTEGER 1 and REAL 1.0 read as 1",
       "allowed", {{"values", listed}},
       values,
       8,
       4,
       {"1", "2", "6", "8"}},
      {"compare typed: INTEGER and REAL as numbers (01 is 1), TEXT as text, 2^53 + 1 exact",
       "allowed", {{"values", listed}, {"compare", "typed"}},
       values,
       8,
       2,
       {"6", "8"}},
      {"compare text with the text forms listed",
       "allowed", {{"values", {"1", "2.5"}}, {"compare", "text"}},
       values,
       8,
       4,
       {"3", "4", "7", "8"}},
      {"forbidden, compare text",
       "allowed", {{"forbidden", {"1.0", "A"}}},
       values,
       8,
       2,
       {"3", "7"}},
      {"forbidden, compare typed",
       "allowed", {{"forbidden", {"1.0", "A"}}, {"compare", "typed"}},
       values,
       8,
       4,
       {"1", "2", "3", "7"}},
  };
  ExpectCases(cases);
}

TEST(AllowedCheckTest, ForbiddenPlaceholderNamesInNfc) {
  TempDir dir;
  const CheckResult r = ScanOne(
      dir, MakeCheck("allowed", {{"forbidden", {"Không rõ", "test"}}}, {"v"}),
      {std::string("Kho\u0302ng ro\u0303"), std::string("Lan"), std::string("test"), nullptr,
       std::string("Test")});
  EXPECT_EQ(r.rows_checked, 4);
  EXPECT_EQ(r.violations, 2);
  EXPECT_EQ(Flat(r.samples), (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(r.message,
            "2 of 4 values (50%) of v are among the 2 forbidden values; fail limit 0");
}

TEST(AllowedCheckTest, ValuesOrForbiddenIsRequired) {
  const CheckType* allowed = Catalog().Find("allowed");
  ASSERT_NE(allowed, nullptr);
  const auto message = [&](const nlohmann::json& params) {
    return ValidateParamsJson(*allowed, params).message();
  };
  EXPECT_EQ(message({{"column", "v"}}), "check 'allowed' needs 'values' or 'forbidden'");
  EXPECT_EQ(message({{"column", "v"}, {"values", {"a"}}, {"forbidden", {"b"}}}),
            "'forbidden': give 'values' or 'forbidden', not both: with 'values', every other "
            "value is already a violation");
  EXPECT_EQ(message({{"column", "v"}, {"forbidden", nlohmann::json::array()}}),
            "'forbidden': expected a non-empty list");
  EXPECT_EQ(message({{"column", "v"}, {"values", {"a"}}, {"compare", "numeric"}}),
            "'compare': expected one of text, typed, got 'numeric'");
  EXPECT_EQ(message({{"column", "v"}, {"forbidden", {"a"}}, {"compare", "typed"}}), "");
}

TEST(AllowedCheckTest, Message) {
  TempDir dir;
  const CheckResult r = ScanOne(dir, MakeCheck("allowed", {{"values", {"Nam", kNfc}}, {"normalize", true}}, {"v"}),
                                {std::string("Nam"), std::string("X")});
  EXPECT_EQ(r.message, "1 of 2 values (50%) of v are not among the 2 allowed values; fail limit 0");
}

}  // namespace
}  // namespace dqa
