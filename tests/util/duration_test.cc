#include "core/util/duration.h"

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

}  // namespace
}  // namespace dqa
