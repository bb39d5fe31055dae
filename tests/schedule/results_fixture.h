// Hand-made check and source results for the schedule tests.
#pragma once

#include <string>
#include <vector>

#include "core/model/result.h"

namespace dqa::schedule_test {

// A `pattern` check (not a yes/no check, so its loss grows with how far over the limit it is:
// docs/scoring.md) over 1000 rows with a limit of `max_count` violations.
inline CheckResult Check(const std::string& id, Dimension dimension, Outcome outcome,
                         int64_t violations, Severity severity = Severity::kFail,
                         int64_t max_count = 10) {
  CheckResult c;
  c.id = id;
  c.type = "pattern";
  c.table = "t";
  c.title = {{"vi", "Kiểm tra " + id}, {"en", "Check " + id}};  // what the reasons call it
  c.dimension = dimension;
  c.severity = severity;
  c.outcome = outcome;
  c.violations = violations;
  c.rows_checked = 1000;
  c.percent = 100.0 * static_cast<double>(violations) / 1000;
  c.thresholds.fail.max_count = max_count;
  if (outcome != Outcome::kPass) c.message = "over the limit";
  return c;
}

inline SourceResult Source(const std::string& source, const std::string& department,
                           std::vector<CheckResult> results) {
  SourceResult s;
  s.source = source;
  s.department = department;
  s.database = source + ".db";
  for (CheckResult& r : results) r.source = source;
  s.results = std::move(results);
  s.started_unix_ms = 1793500000000;
  s.finished_unix_ms = 1793500001000;
  return s;
}

}  // namespace dqa::schedule_test
