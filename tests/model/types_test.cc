#include "core/model/result.h"
#include "core/model/types.h"

#include <gtest/gtest.h>

namespace dqa {
namespace {

TEST(DurationTest, ParsesEveryUnit) {
  EXPECT_EQ(Duration::Parse("30d"), (Duration{30, Duration::Unit::kDays}));
  EXPECT_EQ(Duration::Parse("12h"), (Duration{12, Duration::Unit::kHours}));
  EXPECT_EQ(Duration::Parse("2w"), (Duration{2, Duration::Unit::kWeeks}));
  EXPECT_EQ(Duration::Parse("6m"), (Duration{6, Duration::Unit::kMonths}));
  EXPECT_EQ(Duration::Parse("1y"), (Duration{1, Duration::Unit::kYears}));
}

TEST(DurationTest, RejectsMalformed) {
  for (const char* bad : {"", "d", "30", "30x", "-3d", "3.5d", " 3d", "3 d"}) {
    EXPECT_FALSE(Duration::Parse(bad).has_value()) << bad;
  }
}

TEST(DurationTest, BoundsEveryUnitAtAThousandYears) {
  const std::string too_long =
      "is longer than the maximum of 1000 years (1000y, 12000m, 52178w, 365250d, 8766000h)";
  const struct {
    const char* text;
    bool ok;
    std::string message;
  } cases[] = {
      {"1000y", true, ""},
      {"12000m", true, ""},
      {"52178w", true, ""},
      {"365250d", true, ""},
      {"8766000h", true, ""},
      {"1001y", false, "'1001y' " + too_long},
      {"12001m", false, "'12001m' " + too_long},
      {"52179w", false, "'52179w' " + too_long},
      {"365251d", false, "'365251d' " + too_long},
      {"8766001h", false, "'8766001h' " + too_long},
      {"999999999999999d", false, "'999999999999999d' " + too_long},
      {"99999999999999999999999y", false, "'99999999999999999999999y' " + too_long},
      {"30 days", false, "expected a duration like 30d, 12h, 2w, 6m or 1y, got '30 days'"},
      {"-3d", false, "expected a duration like 30d, 12h, 2w, 6m or 1y, got '-3d'"},
      {"+3d", false, "expected a duration like 30d, 12h, 2w, 6m or 1y, got '+3d'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Result<Duration> d = Duration::ParseBounded(c.text);
    EXPECT_EQ(d.ok(), c.ok);
    EXPECT_EQ(Duration::Parse(c.text).has_value(), c.ok);
    if (!c.ok) {
      EXPECT_EQ(d.status().message(), c.message);
    }
  }
}

struct OutcomeCase {
  int64_t violations;
  double percent;
  Thresholds thresholds;
  Severity severity;
  Outcome expected;
};

TEST(DecideOutcomeTest, TableOfCases) {
  const Thresholds none;
  const Thresholds fail10{{}, {10, std::nullopt}};
  const Thresholds warn5_fail10{{5, std::nullopt}, {10, std::nullopt}};
  const Thresholds warn_only{{5, std::nullopt}, {}};
  const Thresholds pct{{}, {std::nullopt, 1.5}};
  const OutcomeCase cases[] = {
      {0, 0, none, Severity::kFail, Outcome::kPass},
      {1, 0.1, none, Severity::kFail, Outcome::kFail},
      {1, 0.1, none, Severity::kCritical, Outcome::kFail},
      {1, 0.1, none, Severity::kWarn, Outcome::kWarn},
      {10, 1, fail10, Severity::kFail, Outcome::kPass},
      {11, 1, fail10, Severity::kFail, Outcome::kFail},
      {5, 1, warn5_fail10, Severity::kFail, Outcome::kPass},
      {6, 1, warn5_fail10, Severity::kFail, Outcome::kWarn},
      {11, 1, warn5_fail10, Severity::kFail, Outcome::kFail},
      {1000, 50, warn_only, Severity::kFail, Outcome::kWarn},
      {3, 1.5, pct, Severity::kFail, Outcome::kPass},
      {3, 1.51, pct, Severity::kFail, Outcome::kFail},
  };
  for (const OutcomeCase& c : cases) {
    EXPECT_EQ(DecideOutcome(c.violations, c.percent, c.thresholds, c.severity), c.expected)
        << c.violations << " " << c.percent;
  }
}

TEST(ExitCodeTest, HighestWins) {
  SourceResult ok{.source = "a"};
  ok.results.push_back({.outcome = Outcome::kWarn});
  EXPECT_EQ(ExitCodeFor({ok}), 0);
  SourceResult failing = ok;
  failing.results.push_back({.outcome = Outcome::kFail});
  EXPECT_EQ(ExitCodeFor({ok, failing}), 1);
  SourceResult broken{.source = "b", .error = "cannot open"};
  EXPECT_EQ(ExitCodeFor({failing, broken}), 3);
}

}  // namespace
}  // namespace dqa
