// The allowed check (core/checks/allowed.cc): values among a list, compared in NFC or as bytes.
#include <gtest/gtest.h>

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
