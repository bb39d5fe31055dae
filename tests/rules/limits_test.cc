// Rule files with numbers out of range, malformed YAML, bytes that are not text, and inputs that
// are not files: each refused with one exact message (docs/rules.md "Limits").
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/rules/loader.h"
#include "tests/unit_support.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

// Six lines; the check of table `t` is on line 7, its map at column 9.
constexpr char kLimitsHeader[] =
    "source: pop\n"
    "department: CA\n"
    "database: sqlite:pop.db\n"
    "tables:\n"
    "  t:\n"
    "    checks:\n";

struct LimitCase {
  const char* name;
  std::string yaml;
  const char* message;  // the whole message: exactly one problem
};

constexpr char kTooLongMessage[] =
    "is longer than the maximum of 1000 years (1000y, 12000m, 52178w, 365250d, 8766000h)";

std::vector<LimitCase> LimitCases() {
  const std::string h = kLimitsHeader;
  const std::string too_long = kTooLongMessage;
  return {
      {"stale older_than far too long", h + "      - stale: {column: d, older_than: 99999999999y}\n",
       ""},
      {"freshness max_age just over", h + "      - freshness: {column: d, max_age: 1001y}\n", ""},
      {"days beyond int64", h + "      - stale: {column: d, older_than: 99999999999999999999999d}\n",
       ""},
      {"hours over", h + "      - stale: {column: d, older_than: 8766001h}\n", ""},
      {"range today offset too long", h + "      - range: {column: d, min: today-1001y}\n", ""},
      {"range today after today-1y",
       h + "      - range: {column: d, min: today, max: today-1y}\n",
       "t.yaml:7:9: 'min' (today) is after 'max' (today-1y) whatever the day"},
      {"range today+1y after today+360d",
       h + "      - range: {column: d, min: today+1y, max: today+360d}\n",
       "t.yaml:7:9: 'min' (today+1y) is after 'max' (today+360d) whatever the day"},
      {"range numbers reversed", h + "      - range: {column: n, min: 10, max: 1}\n",
       "t.yaml:7:9: 'min' (10) is greater than 'max' (1)"},
      {"range dates reversed", h + "      - range: {column: d, min: 2026-01-02, max: 2026-01-01}\n",
       "t.yaml:7:9: 'min' (2026-01-02) is after 'max' (2026-01-01)"},
      {"sql min over max", h + "      - sql: {query: 'SELECT 1', min: 5, max: 1}\n",
       "t.yaml:7:9: 'min' (5) is greater than 'max' (1)"},
      {"row_count min over max", h + "      - row_count: {min: 5, max: 1}\n",
       "t.yaml:7:9: 'min' (5) is greater than 'max' (1)"},
      {"row_count negative", h + "      - row_count: {min: -1}\n",
       "t.yaml:7:26: 'min': expected a whole number >= 0, got '-1'"},
      {"max_count beyond int64", h + "      - missing: {column: a, max_count: 99999999999999999999}\n",
       "t.yaml:7:41: 'max_count': expected a whole number >= 0, got '99999999999999999999'"},
      {"max_percent over 100", h + "      - missing: {column: a, max_percent: 101}\n",
       "t.yaml:7:43: 'max_percent': expected a percentage between 0 and 100, got 101"},
      {"max_percent negative", h + "      - missing: {column: a, fail: {max_percent: -0.5}}\n",
       "t.yaml:7:50: 'max_percent': expected a percentage between 0 and 100, got -0.5"},
      {"warn percent over 100", h + "      - missing: {column: a, warn: {max_percent: 150}}\n",
       "t.yaml:7:50: 'max_percent': expected a percentage between 0 and 100, got 150"},
      {"warn count above fail count",
       h + "      - missing: {column: a, max_count: 5, warn: {max_count: 10}}\n",
       "t.yaml:7:50: 'warn': max_count 10 is above the fail limit max_count 5; a check fails "
       "before it could warn, so give 'warn' the lower limit"},
      {"warn percent above fail percent",
       h + "      - missing: {column: a, fail: {max_percent: 1}, warn: {max_percent: 2.5}}\n",
       "t.yaml:7:60: 'warn': max_percent 2.5 is above the fail limit max_percent 1; a check fails "
       "before it could warn, so give 'warn' the lower limit"},
      {"coverage min_rows zero",
       h + "      - coverage: {column: a, expected: {table: t, column: a}, min_rows: 0}\n",
       "t.yaml:7:74: 'min_rows': expected a whole number >= 1, got '0'"},
  };
}

// Fills the duration messages, whose columns differ per case.
std::string ExpectedLimitMessage(const LimitCase& c) {
  if (*c.message != '\0') return c.message;
  const std::string name = c.name;
  if (name == "stale older_than far too long") {
    return std::string("t.yaml:7:40: 'older_than': '99999999999y' ") + kTooLongMessage;
  }
  if (name == "freshness max_age just over") {
    return std::string("t.yaml:7:41: 'max_age': '1001y' ") + kTooLongMessage;
  }
  if (name == "days beyond int64") {
    return std::string("t.yaml:7:40: 'older_than': '99999999999999999999999d' ") + kTooLongMessage;
  }
  if (name == "hours over") return std::string("t.yaml:7:40: 'older_than': '8766001h' ") + kTooLongMessage;
  return std::string("t.yaml:7:33: 'min': '1001y' ") + kTooLongMessage;
}

class RuleLimitTest : public ::testing::TestWithParam<LimitCase> {};

TEST_P(RuleLimitTest, RefusesWithOneExactMessage) {
  const LimitCase& c = GetParam();
  Result<SourceSpec> r = ParseRuleText(c.yaml, "t.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), ExpectedLimitMessage(c));
}

INSTANTIATE_TEST_SUITE_P(Cases, RuleLimitTest, ::testing::ValuesIn(LimitCases()),
                         [](const ::testing::TestParamInfo<LimitCase>& param_info) {
                           std::string n = param_info.param.name;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

TEST(RuleLimitTest, AcceptsTheLimitsThemselves) {
  const std::string h = kLimitsHeader;
  for (const std::string& check : {
           std::string("      - stale: {column: d, older_than: 1000y}\n"),
           std::string("      - stale: {column: d, older_than: 365250d}\n"),
           std::string("      - freshness: {column: d, max_age: 8766000h}\n"),
           std::string("      - range: {column: d, min: today-1000y, max: today}\n"),
           // Equal limits: allowed, the check never warns on that measure.
           std::string("      - missing: {column: a, max_count: 5, warn: {max_count: 5}}\n"),
           std::string("      - missing: {column: a, max_percent: 100, warn: {max_count: 50}}\n"),
           // Whether today+1m is after today+30d depends on the month: allowed.
           std::string("      - range: {column: d, min: today+1m, max: today+30d}\n"),
       }) {
    SCOPED_TRACE(check);
    Result<SourceSpec> r = ParseRuleText(h + check, "t.yaml");
    EXPECT_TRUE(r.ok()) << r.status().message();
  }
}

TEST(RuleYamlTest, UnclosedQuoteIsASyntaxErrorAndNothingElse) {
  // Before: yaml-cpp read the rest of the file into `department`, and the parser reported
  // "missing required key 'database'" and "missing required key 'tables'".
  const std::string text =
      "source: pop\n"
      "department: \"Công an tỉnh\n"
      "database: sqlite:pop.db\n"
      "tables:\n"
      "  t:\n"
      "    checks: [duplicate]\n";
  Result<SourceSpec> r = ParseRuleText(text, "t.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "t.yaml:2:13: YAML syntax error: unclosed quote: the string that starts here has no "
            "closing \"");
}

TEST(RuleYamlTest, NulAndInvalidUtf8AreReportedWithTheirPosition) {
  const std::string h = kLimitsHeader;
  Result<SourceSpec> nul =
      ParseRuleText(h + "      - missing: {column: a" + std::string(1, '\0') + "b}\n", "t.yaml");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status().message(),
            "t.yaml:7:28: NUL byte (0x00): a YAML file must be UTF-8 text");
  Result<SourceSpec> latin1 = ParseRuleText("source: pop\ndepartment: C\xF4ng an\n", "t.yaml");
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.status().message(),
            "t.yaml:2:14: invalid UTF-8 (byte 0xF4): a YAML file must be UTF-8 text");
}

// Inputs that are not files. Each test that could block runs under an alarm: a regression kills
// the test binary instead of hanging the suite.
class RuleInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(temp_.path().empty());
    dir_ = fs::canonical(temp_.path());
  }

  void Write(const fs::path& p, const std::string& text) const {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  static std::string Rule(const std::string& id) {
    return "source: " + id +
           "\ndepartment: CA\ndatabase: sqlite:x.db\ntables:\n  t:\n    checks: [row_count: {min: 1}]\n";
  }
  ScopedTempDir temp_{"dqa_rule_input_"};
  fs::path dir_;
  HangGuard guard_{20};
};

TEST_F(RuleInputTest, RefusesAFifoNamedDirectly) {
  const fs::path fifo = dir_ / "rules.yaml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  Result<std::vector<SourceSpec>> r = LoadRules({fifo.string()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), fifo.string() + ": not a regular file (a FIFO)");
}

TEST_F(RuleInputTest, RefusesDevZero) {
  Result<std::vector<SourceSpec>> r = LoadRules({"/dev/zero"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "/dev/zero: not a regular file (a character device)");
}

TEST_F(RuleInputTest, RefusesARuleFileOverFourMiB) {
  const fs::path big = dir_ / "big.yaml";
  Write(big, Rule("big") + "# " + std::string(5 << 20, 'x') + "\n");
  Result<std::vector<SourceSpec>> r = LoadRules({big.string()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            big.string() + ": " + std::to_string(fs::file_size(big)) +
                " bytes, over the limit of 4 MiB for this file");
  // The same file in a folder is refused too: it has a rule file's name.
  Write(dir_ / "folder" / "a.yaml", Rule("a"));
  fs::rename(big, dir_ / "folder" / "big.yaml");
  Result<std::vector<SourceSpec>> in_folder = LoadRules({(dir_ / "folder").string()});
  ASSERT_FALSE(in_folder.ok());
  EXPECT_EQ(in_folder.status().message(),
            (dir_ / "folder" / "big.yaml").string() + ": " +
                std::to_string(fs::file_size(dir_ / "folder" / "big.yaml")) +
                " bytes, over the limit of 4 MiB for this file");
}

TEST_F(RuleInputTest, SkipsAFifoAndASocketInAFolderAndLoadsTheRest) {
  Write(dir_ / "rules" / "a.yaml", Rule("a"));
  ASSERT_EQ(mkfifo((dir_ / "rules" / "b.yaml").c_str(), 0600), 0);
  fs::create_symlink(dir_ / "rules" / "gone.yaml", dir_ / "rules" / "dangling.yaml");
  Result<std::vector<SourceSpec>> r = LoadRules({(dir_ / "rules").string()});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].id, "a");
}

TEST_F(RuleInputTest, RefusesASymlinkThatLeavesTheFolder) {
  Write(dir_ / "outside.yaml", Rule("outside"));
  Write(dir_ / "rules" / "a.yaml", Rule("a"));
  fs::create_symlink(dir_ / "outside.yaml", dir_ / "rules" / "b.yaml");
  Result<std::vector<SourceSpec>> r = LoadRules({(dir_ / "rules").string()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            (dir_ / "rules" / "b.yaml").string() + ": symbolic link to " +
                (dir_ / "outside.yaml").string() + ", outside the rules folder " +
                (dir_ / "rules").string() +
                ": refused (copy the file into the folder, or name it on the command line)");
  // Named on the command line, the same file is read: the user chose it.
  Result<std::vector<SourceSpec>> named = LoadRules({(dir_ / "outside.yaml").string()});
  EXPECT_TRUE(named.ok()) << named.status().message();
}

TEST_F(RuleInputTest, FollowsASymlinkInsideTheFolderOnce) {
  Write(dir_ / "rules" / "sub" / "a.yaml", Rule("a"));
  fs::create_symlink(dir_ / "rules" / "sub" / "a.yaml", dir_ / "rules" / "b.yaml");
  Result<std::vector<SourceSpec>> r = LoadRules({(dir_ / "rules").string()});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->size(), 1u);
}

}  // namespace
}  // namespace dqa
