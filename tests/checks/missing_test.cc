#include <gtest/gtest.h>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::Cell;
using testing::Flat;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;

// ids 1..15
const std::vector<Cell> kValues = {
    nullptr,                              // 1 NULL
    std::string(""),                      // 2 empty
    std::string(" "),                     // 3 space
    std::string("\u00A0"),                // 4 no-break space
    std::string("\u3000"),                // 5 ideographic space
    std::string("\u200B"),                // 6 zero-width space
    std::string("\t\n"),                  // 7 ASCII whitespace
    std::string("a"),                     // 8
    std::string(" a "),                   // 9
    std::string("N/A"),                   // 10
    std::string(" N/A\u00A0"),            // 11 missing value with whitespace around it
    int64_t{0},                           // 12 INTEGER
    2.5,                                  // 13 REAL
    std::string("\xff"),                  // 14 invalid UTF-8: not blank
    std::string("Kho\u0302ng ro\u0303"),  // 15 NFD of "Không rõ"
};

struct MissingCase {
  const char* name;
  std::vector<std::string> missing_values;
  bool blank_is_missing;
  int64_t violations;
  std::vector<std::string> samples;
};

TEST(MissingCheckTest, CasesTable) {
  const MissingCase cases[] = {
      {"default: NULL, empty, whitespace incl. non-ASCII",
       {},
       true,
       7,
       {"1", "2", "3", "4", "5"}},
      {"missing_values trimmed and NFC, INTEGER text form",
       {"N/A", "Kh\u00F4ng r\u00F5", "0"},
       true,
       11,
       {"1", "2", "3", "4", "5"}},
      {"blank_is_missing false: only NULL", {}, false, 1, {"1"}},
      {"blank_is_missing false with missing_values", {" N/A "}, false, 3, {"1", "10", "11"}},
      {"REAL text form", {"2.5"}, false, 2, {"1", "13"}},
      // An empty listed value is what every whitespace-only value trims to.
      {"listed empty value", {""}, false, 7, {"1", "2", "3", "4", "5"}},
  };
  TempDir dir;
  for (const MissingCase& c : cases) {
    SCOPED_TRACE(c.name);
    const nlohmann::json params = {{"missing_values", c.missing_values},
                                   {"blank_is_missing", c.blank_is_missing}};
    const CheckResult r = ScanOne(dir, MakeCheck("missing", params, {"v"}), kValues);
    EXPECT_EQ(r.rows_checked, 15);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_DOUBLE_EQ(r.percent, 100.0 * static_cast<double>(c.violations) / 15.0);
    EXPECT_EQ(Flat(r.samples), c.samples);
    EXPECT_EQ(r.key_columns, std::vector<std::string>{"rowid"});
    EXPECT_EQ(r.outcome, Outcome::kFail);
    EXPECT_FALSE(r.unparseable.has_value());
    EXPECT_FALSE(r.groups.has_value());
  }
}

TEST(MissingCheckTest, MessageAndIdentity) {
  TempDir dir;
  const CheckResult r = ScanOne(dir, MakeCheck("missing", {}, {"v"}), kValues);
  EXPECT_EQ(r.message, "7 of 15 rows (46.67%) are missing v; fail limit 0");
  EXPECT_EQ(r.id, "missing:t.v");
  EXPECT_EQ(r.type, "missing");
  EXPECT_EQ(r.source, "src");
  EXPECT_EQ(r.table, "t");
  EXPECT_EQ(r.columns, std::vector<std::string>{"v"});
  EXPECT_EQ(r.dimension, Dimension::kCompleteness);
}

TEST(MissingCheckTest, NothingMissingPasses) {
  TempDir dir;
  const CheckResult r =
      ScanOne(dir, MakeCheck("missing", {}, {"v"}), {std::string("x"), int64_t{1}});
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_EQ(r.violations, 0);
  EXPECT_EQ(r.rows_checked, 2);
  EXPECT_TRUE(r.samples.empty());
  EXPECT_EQ(r.message, "0 of 2 rows (0%) are missing v");
}

TEST(MissingCheckTest, EmptyTableHasZeroPercent) {
  TempDir dir;
  const CheckResult r = ScanOne(dir, MakeCheck("missing", {}, {"v"}), {});
  EXPECT_EQ(r.rows_checked, 0);
  EXPECT_EQ(r.violations, 0);
  EXPECT_EQ(r.percent, 0);
  EXPECT_EQ(r.outcome, Outcome::kPass);
}

struct OutcomeCase {
  const char* name;
  Severity severity;
  Thresholds thresholds;
  Outcome outcome;
  std::string limit_suffix;
};

// 3 of 10 rows (30%) missing, under every kind of threshold and severity.
TEST(MissingCheckTest, ThresholdsAndSeverities) {
  std::vector<Cell> values(10, std::string("x"));
  values[1] = nullptr;
  values[4] = std::string("");
  values[8] = std::string("\u3000");
  const OutcomeCase cases[] = {
      {"no thresholds", Severity::kFail, {}, Outcome::kFail, "; fail limit 0"},
      {"max_count at count", Severity::kFail, {{}, {3, std::nullopt}}, Outcome::kPass, ""},
      {"max_count below",
       Severity::kFail,
       {{}, {2, std::nullopt}},
       Outcome::kFail,
       "; fail limit 2"},
      {"max_percent at", Severity::kFail, {{}, {std::nullopt, 30.0}}, Outcome::kPass, ""},
      {"max_percent below",
       Severity::kFail,
       {{}, {std::nullopt, 29.9}},
       Outcome::kFail,
       "; fail limit 29.9%"},
      {"either key exceeds",
       Severity::kFail,
       {{}, {10, 5.0}},
       Outcome::kFail,
       "; fail limit 10 or 5%"},
      {"warn only, exceeded",
       Severity::kFail,
       {{1, std::nullopt}, {}},
       Outcome::kWarn,
       "; warn limit 1"},
      {"warn only, not exceeded", Severity::kFail, {{5, std::nullopt}, {}}, Outcome::kPass, ""},
      {"warn and fail, warn exceeded",
       Severity::kFail,
       {{1, std::nullopt}, {5, std::nullopt}},
       Outcome::kWarn,
       "; warn limit 1"},
      {"warn and fail, fail exceeded",
       Severity::kFail,
       {{1, std::nullopt}, {2, std::nullopt}},
       Outcome::kFail,
       "; fail limit 2"},
      {"severity warn fails as warn", Severity::kWarn, {}, Outcome::kWarn, "; fail limit 0"},
      {"severity warn, fail limit exceeded",
       Severity::kWarn,
       {{1, std::nullopt}, {2, std::nullopt}},
       Outcome::kWarn,
       "; fail limit 2"},
      {"critical fails", Severity::kCritical, {}, Outcome::kFail, "; fail limit 0"},
      {"critical within limit",
       Severity::kCritical,
       {{}, {std::nullopt, 50.0}},
       Outcome::kPass,
       ""},
  };
  TempDir dir;
  for (const OutcomeCase& c : cases) {
    SCOPED_TRACE(c.name);
    CheckSpec spec = MakeCheck("missing", {}, {"v"});
    spec.severity = c.severity;
    spec.thresholds = c.thresholds;
    const CheckResult r = ScanOne(dir, spec, values);
    EXPECT_EQ(r.violations, 3);
    EXPECT_DOUBLE_EQ(r.percent, 30.0);
    EXPECT_EQ(r.outcome, c.outcome);
    EXPECT_EQ(r.severity, c.severity);
    EXPECT_EQ(r.thresholds, c.thresholds);
    EXPECT_EQ(r.message, "3 of 10 rows (30%) are missing v" + c.limit_suffix);
    EXPECT_EQ(Flat(r.samples), (std::vector<std::string>{"2", "5", "9"}));
  }
}

}  // namespace
}  // namespace dqa
