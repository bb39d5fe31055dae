#include "core/model/types.h"

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

std::string SourceLocation::ToString() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
  return s;
}

}  // namespace dqa
