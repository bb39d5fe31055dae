#include "core/model/types.h"

#include <charconv>

namespace dqa {

std::string_view ToString(Dimension d) {
  switch (d) {
    case Dimension::kValidity: return "validity";
    case Dimension::kCompleteness: return "completeness";
    case Dimension::kUniqueness: return "uniqueness";
    case Dimension::kFreshness: return "freshness";
  }
  return "validity";
}

std::optional<Dimension> ParseDimension(std::string_view s) {
  for (Dimension d : {Dimension::kValidity, Dimension::kCompleteness, Dimension::kUniqueness,
                      Dimension::kFreshness}) {
    if (ToString(d) == s) return d;
  }
  return std::nullopt;
}

std::string_view ToString(Severity s) {
  switch (s) {
    case Severity::kWarn: return "warn";
    case Severity::kFail: return "fail";
    case Severity::kCritical: return "critical";
  }
  return "fail";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  for (Severity v : {Severity::kWarn, Severity::kFail, Severity::kCritical}) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}

std::string_view ToString(Outcome o) {
  switch (o) {
    case Outcome::kPass: return "pass";
    case Outcome::kWarn: return "warn";
    case Outcome::kFail: return "fail";
    case Outcome::kError: return "error";
  }
  return "error";
}

std::optional<Outcome> ParseOutcome(std::string_view s) {
  for (Outcome v : {Outcome::kPass, Outcome::kWarn, Outcome::kFail, Outcome::kError}) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}

std::optional<Duration> Duration::Parse(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  int64_t amount = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size() - 1;
  auto [ptr, ec] = std::from_chars(begin, end, amount);
  if (ec != std::errc() || ptr != end || amount < 0) return std::nullopt;
  Duration d;
  d.amount = amount;
  switch (text.back()) {
    case 'h': d.unit = Unit::kHours; break;
    case 'd': d.unit = Unit::kDays; break;
    case 'w': d.unit = Unit::kWeeks; break;
    case 'm': d.unit = Unit::kMonths; break;
    case 'y': d.unit = Unit::kYears; break;
    default: return std::nullopt;
  }
  return d;
}

std::string Duration::ToString() const {
  char suffix = 'd';
  switch (unit) {
    case Unit::kHours: suffix = 'h'; break;
    case Unit::kDays: suffix = 'd'; break;
    case Unit::kWeeks: suffix = 'w'; break;
    case Unit::kMonths: suffix = 'm'; break;
    case Unit::kYears: suffix = 'y'; break;
  }
  return std::to_string(amount) + suffix;
}

std::string SourceLocation::ToString() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
  return s;
}

}  // namespace dqa
