#include "core/scoring/config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/trends/trends.h"

namespace dqa {
namespace {

TEST(ScoringConfigTest, EmptyDocumentGivesTheDefaults) {
  auto c = ParseScoringConfig("", "scoring.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->dimension_weights, (std::array<double, 4>{1, 1, 1, 1}));
  EXPECT_EQ(c->severity_weights, (std::array<double, 3>{1, 2, 4}));
  EXPECT_EQ(c->warn_loss, 0.5);
  EXPECT_EQ(c->saturation, 5);
  EXPECT_EQ(c->zero_limit_percent, 1);
  EXPECT_EQ(c->errors, ErrorPolicy::kPenalize);
  EXPECT_EQ(c->error_loss, 0.5);
  EXPECT_EQ(c->grades.good, 90);
  EXPECT_EQ(c->grades.poor, 40);
  EXPECT_TRUE(ValidateScoringConfig(ScoringConfig{}).ok());
}

TEST(ScoringConfigTest, ReadsEveryKey) {
  const std::string yaml = R"(
weights: {validity: 3, completeness: 2, uniqueness: 1, freshness: 0}
severity_weights: {warn: 0.5, fail: 1, critical: 10}
warn_loss: 0.25
saturation: 3
zero_limit_percent: 0.5
errors: exclude
error_loss: 1
grades: {good: 95, fair: 80, average: 65, poor: 50}
trends: {window: 7}
)";
  auto c = ParseScoringConfig(yaml, "scoring.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->dimension_weights, (std::array<double, 4>{3, 2, 1, 0}));
  EXPECT_EQ(c->severity_weights, (std::array<double, 3>{0.5, 1, 10}));
  EXPECT_EQ(c->warn_loss, 0.25);
  EXPECT_EQ(c->saturation, 3);
  EXPECT_EQ(c->zero_limit_percent, 0.5);
  EXPECT_EQ(c->errors, ErrorPolicy::kExclude);
  EXPECT_EQ(c->error_loss, 1);
  EXPECT_EQ(c->grades.good, 95);
  EXPECT_EQ(c->grades.fair, 80);
  EXPECT_EQ(c->grades.average, 65);
  EXPECT_EQ(c->grades.poor, 50);
  // Keys not given keep their defaults.
  auto partial = ParseScoringConfig("weights: {freshness: 2}\n", "scoring.yaml");
  ASSERT_TRUE(partial.ok()) << partial.status().message();
  EXPECT_EQ(partial->dimension_weights, (std::array<double, 4>{1, 1, 1, 2}));
}

TEST(ScoringConfigTest, RejectsBadConfigurationWithPosition) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"weights:\n  validty: 2\n",
       "scoring.yaml:2:3: weights: unknown key 'validty' (did you mean 'validity'?)"},
      {"warn_loss: 2\n",
       "scoring.yaml:1:12: scoring configuration: 'warn_loss': expected a number >= 0 and <= 1, "
       "got 2"},
      {"saturation: 1\n",
       "scoring.yaml:1:13: scoring configuration: 'saturation': expected a number > 1 and <= 1000, got 1"},
      {"errors: ignore\n",
       "scoring.yaml:1:9: scoring configuration: 'errors': expected one of penalize, exclude, got "
       "'ignore'"},
      {"severity_weights: {fail: zero}\n",
       "scoring.yaml:1:26: severity_weights: 'fail': expected a number, got 'zero'"},
      {"weights: {validity: 0, completeness: 0, uniqueness: 0, freshness: 0}\n",
       "scoring.yaml:1:10: scoring configuration: at least one dimension weight must be > 0"},
      {"grades: {good: 70, fair: 80}\n",
       "scoring.yaml:1:9: scoring configuration: grade bounds must decrease: good (70) > fair (80) "
       "> average (60) > poor (40)"},
      {"weights: [1, 2]\n", "scoring.yaml:1:10: weights: expected a map"},
      {"- 1\n", "scoring.yaml:1:1: expected a map of settings"},
      {"weights: {validity: 1\n", "scoring.yaml:2:1: YAML syntax error: end of map flow not found"},
      {"color: blue\n", "scoring.yaml:1:1: scoring configuration: unknown key 'color'"},
  };
  for (const auto& [yaml, message] : cases) {
    auto c = ParseScoringConfig(yaml, "scoring.yaml");
    ASSERT_FALSE(c.ok()) << yaml;
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(c.status().message().substr(0, message.size()), message) << c.status().message();
  }
}

TEST(ScoringConfigTest, RejectsNumbersOutOfRange) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // Unbounded weights once summed to infinity and made every score NaN.
      {"weights: {validity: 1e308, completeness: 1e308}\n",
       "scoring.yaml:1:21: weights: 'validity': expected a number >= 0 and <= 1000, got 1e308"},
      {"severity_weights: {critical: 1001}\n",
       "scoring.yaml:1:30: severity_weights: 'critical': expected a number > 0 and <= 1000, got "
       "1001"},
      {"saturation: 1e9\n",
       "scoring.yaml:1:13: scoring configuration: 'saturation': expected a number > 1 and <= 1000, "
       "got 1e9"},
      {"zero_limit_percent: 101\n",
       "scoring.yaml:1:21: scoring configuration: 'zero_limit_percent': expected a number > 0 and "
       "<= 100, got 101"},
  };
  for (const auto& [yaml, message] : cases) {
    SCOPED_TRACE(yaml);
    auto c = ParseScoringConfig(yaml, "scoring.yaml");
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(c.status().message(), message);
  }
  EXPECT_TRUE(ParseScoringConfig("weights: {validity: 1000}\nsaturation: 1000\n", "s").ok());
}

TEST(ScoringConfigTest, MissingFileIsNotFound) {
  auto c = LoadScoringConfig("/nonexistent/scoring.yaml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
}

TEST(TrendConfigTest, ReadsTheTrendsSection) {
  auto none = ParseTrendConfig("weights: {validity: 2}\n", "scoring.yaml");
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_EQ(none->window, 10);
  EXPECT_EQ(none->min_band_points, 5);
  EXPECT_EQ(none->sigmas, 3);
  EXPECT_EQ(none->jump_ratio, 0.5);
  EXPECT_EQ(none->min_abs_change, 5);
  auto c = ParseTrendConfig(
      "trends: {window: 20, min_band_points: 8, sigmas: 2.5, jump_ratio: 1, min_abs_change: 0}\n",
      "scoring.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->window, 20);
  EXPECT_EQ(c->min_band_points, 8);
  EXPECT_EQ(c->sigmas, 2.5);
  EXPECT_EQ(c->jump_ratio, 1);
  EXPECT_EQ(c->min_abs_change, 0);
  auto bad = ParseTrendConfig("trends: {window: 0}\n", "scoring.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "scoring.yaml:1:18: trends: 'window': expected a whole number from 1 to 1000, got '0'");
  auto typo = ParseTrendConfig("trends: {sigma: 2}\n", "scoring.yaml");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("did you mean 'sigmas'?"), std::string::npos)
      << typo.status().message();
}

}  // namespace
}  // namespace dqa
