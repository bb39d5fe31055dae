#include "core/model/result.h"
#include "core/model/types.h"

#include <gtest/gtest.h>

namespace dqa {
namespace {

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
