// Vocabulary of the audit model: dimensions, severities, outcomes, durations, thresholds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa {

// The four quality dimensions of the committee's "đúng, đủ, sạch, sống".
enum class Dimension { kValidity, kCompleteness, kUniqueness, kFreshness };

// How bad a failure of a check is. A failing check with severity kWarn reports Outcome::kWarn.
enum class Severity { kWarn, kFail, kCritical };

// Outcome of one check. kError: the check could not run (message says why).
enum class Outcome { kPass, kWarn, kFail, kError };

// "validity", "completeness", "uniqueness", "freshness" (and the reverse; nullopt if unknown).
std::string_view ToString(Dimension d);
std::optional<Dimension> ParseDimension(std::string_view s);
// "warn", "fail", "critical".
std::string_view ToString(Severity s);
std::optional<Severity> ParseSeverity(std::string_view s);
// "pass", "warn", "fail", "error".
std::string_view ToString(Outcome o);
std::optional<Outcome> ParseOutcome(std::string_view s);

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

// Violation limits. A check is over a Limits when violations > max_count or percent > max_percent
// (either one suffices). Empty Limits (both unset) are never exceeded.
struct Limits {
  std::optional<int64_t> max_count;
  std::optional<double> max_percent;

  bool empty() const { return !max_count && !max_percent; }
  bool Exceeded(int64_t violations, double percent) const {
    return (max_count && violations > *max_count) || (max_percent && percent > *max_percent);
  }
  bool operator==(const Limits&) const = default;
};

// Thresholds of a check: check-level `max_count`/`max_percent` and `fail: {...}` form `fail`;
// `warn: {...}` forms `warn`. If neither is given, fail = {max_count: 0} (any violation fails).
// If only `warn` is given the check never fails, it warns above `warn`.
struct Thresholds {
  Limits warn;
  Limits fail;
  bool operator==(const Thresholds&) const = default;
};

// How date values stored as text are read. Integers are always Unix seconds (UTC).
enum class DateFormat {
  kIso,  // YYYY-MM-DD, optionally followed by [T ]HH:MM[:SS[.fff]][Z|±HH:MM]
  kDmy,  // DD/MM/YYYY, optionally followed by a space and HH:MM[:SS]
};

// Where something was written in a rule file (1-based line and column; 0 when unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string ToString() const;  // "file:line:column"
};

}  // namespace dqa
