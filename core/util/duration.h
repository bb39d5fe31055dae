// A span of time written in rule and configuration files: `30d`, `12h`, `2w`, `6m`, `1y`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa {

// A span of time written `30d`, `12h`, `2w`, `6m` (calendar months) or `1y` (12 calendar months).
// Every duration dqaudit reads is at most kMaxDurationYears long (docs/rules.md "Limits"): in each
// unit 1000y, 12000m, 52178w, 365250d or 8766000h. Longer spans are typos (a year or a unit), and
// the bound keeps every date computed from a duration far inside int64 seconds.
constexpr int64_t kMaxDurationYears = 1000;

struct Duration {
  enum class Unit { kHours, kDays, kWeeks, kMonths, kYears };
  int64_t amount = 0;
  Unit unit = Unit::kDays;

  // "30d" etc. nullopt when malformed (no number, unknown unit, negative) or longer than
  // kMaxDurationYears.
  static std::optional<Duration> Parse(std::string_view text);
  // Like Parse, with the reason as InvalidArgument: "expected a duration like 30d, 12h, 2w, 6m or
  // 1y, got '<text>'" or "'<text>' is longer than the maximum of 1000 years (1000y, 12000m,
  // 52178w, 365250d, 8766000h)".
  static Result<Duration> ParseBounded(std::string_view text);
  // The largest amount accepted in `unit`.
  static int64_t MaxAmount(Unit unit);
  std::string ToString() const;
  bool operator==(const Duration&) const = default;
};

}  // namespace dqa
