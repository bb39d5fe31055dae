// SourcePlan: everything a scan of one source needs, self-contained so it can cross a process boundary.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/source.h"

namespace dqa {

struct AuditOptions {
  std::optional<int64_t> today_day;  // --today (days since epoch); beats the rule file's `today`
  int samples = 5;                   // sample row keys per violating check
  int jobs = 0;                      // parallel sources; 0 = number of cores
};

struct SourcePlan {
  SourceSpec source;
  std::map<std::string, std::string> attach_paths;  // alias -> absolute SQLite path
  // Reference instant for `today`, stale and freshness, in Unix seconds (UTC). When the day comes
  // from --today or the rule's `today:`, it is that day's 00:00:00 UTC; otherwise the current time.
  int64_t now_unix = 0;
  int64_t today_day = 0;  // days since epoch of now_unix
  int samples = 5;
};

// Builds one plan per source, resolving attach aliases to the attached sources' database paths.
// `sources` must already have passed LoadRules (attach targets exist).
std::vector<SourcePlan> PlanAudit(const std::vector<SourceSpec>& sources, const AuditOptions& options);

}  // namespace dqa
