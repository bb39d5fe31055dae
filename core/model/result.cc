#include "core/model/result.h"

#include <algorithm>

#include "core/model/exit_codes.h"

namespace dqa {

Outcome DecideOutcome(int64_t violations, double percent, const Thresholds& t, Severity severity) {
  Limits fail = t.fail;
  // No thresholds at all: any violation fails.
  if (t.fail.empty() && t.warn.empty()) fail.max_count = 0;
  if (fail.Exceeded(violations, percent)) {
    return severity == Severity::kWarn ? Outcome::kWarn : Outcome::kFail;
  }
  if (t.warn.Exceeded(violations, percent)) return Outcome::kWarn;
  return Outcome::kPass;
}

std::string_view ToString(Direction d) { return d == Direction::kLower ? "lower" : "higher"; }

std::optional<Direction> ParseDirection(std::string_view s) {
  if (s == "higher") return Direction::kHigher;
  if (s == "lower") return Direction::kLower;
  return std::nullopt;
}

Outcome Indicator::Judge() const {
  if (!value || !target) return Outcome::kPass;
  // How far the value is on the wrong side of the target (<= 0: met).
  const double miss = direction == Direction::kHigher ? *target - *value : *value - *target;
  if (miss <= 0) return Outcome::kPass;
  return miss <= warn_within ? Outcome::kWarn : Outcome::kFail;
}

bool IsSchemaDrift(const CheckResult& result) {
  return result.outcome == Outcome::kError && result.message.starts_with(kSchemaDriftPrefix);
}

int ExitCodeFor(const std::vector<SourceResult>& sources) {
  int code = 0;
  for (const SourceResult& s : sources) {
    if (!s.error.empty()) code = std::max(code, kExitRuntime);
    for (const CheckResult& r : s.results) {
      if (r.outcome == Outcome::kError) code = std::max(code, kExitRuntime);
      if (r.outcome == Outcome::kFail) code = std::max(code, kExitFindings);
    }
  }
  return code;
}

}  // namespace dqa
