// Vocabulary of the audit model: dimensions, severities, outcomes, thresholds. Durations and date
// formats are util's (core/util/duration.h, dates.h): the model uses them, dates need them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/dates.h"
#include "core/util/duration.h"
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

// Where something was written in a rule file (1-based line and column; 0 when unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string ToString() const;  // "file:line:column"
};

}  // namespace dqa
