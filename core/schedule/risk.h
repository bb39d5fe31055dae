// Risk: how urgently a department should be inspected, 0-100, from its latest scores, trend,
// critical failures and the time since its last inspection (formula: docs/schedule.md "Risk").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/result.h"
#include "core/schedule/config.h"
#include "core/schedule/inspections.h"
#include "core/scoring/config.h"
#include "core/scoring/score.h"
#include "core/trends/trends.h"

namespace dqa {

// A check of the department whose outcome is `fail` in the run.
struct FailingCheck {
  std::string source;
  std::string check_id;
  Dimension dimension = Dimension::kValidity;
  Severity severity = Severity::kFail;
  int64_t violations = 0;
  // Checks with `by`: the worst units to inspect ("xã 28252, 28255", WorstUnitsText); "" = none.
  std::string worst_units;
  CheckNaming naming;  // what the reasons name it by
};

struct DepartmentRisk {
  std::string department;
  ScoreSet scores;                    // of the run (all sources of the department pooled)
  std::vector<FailingCheck> failing;  // critical first, then most violations, source, check id
  int critical_failures = 0;          // failing checks of severity critical
  // A critical failure and no inspection logged after the run's day: the critical rule applies.
  bool critical_pending = false;
  std::optional<double> delta;            // overall score change since the previous run
  std::optional<double> slope;            // overall points per run over the trend window
  std::vector<std::string> new_failures;  // check ids failing now, not in the previous result
  // Checks that could not run because the database no longer has a table or column the rules
  // name (IsSchemaDrift): a broken data contract, counted like new failures in the trend.
  std::vector<std::string> schema_drift;
  std::vector<int64_t> inspection_days;   // every logged inspection, ascending (days)
  std::optional<int64_t> last_inspected;  // latest logged inspection day
  std::optional<int64_t> days_since;      // as_of - last_inspected (>= 0); nullopt = never
  // Components, each 0..100, and the weighted risk rounded to one decimal.
  double quality = 0;
  double trend = 0;
  double critical = 0;
  double inspection = 0;
  double risk = 0;
};

struct RiskInputs {
  std::vector<SourceResult> sources;    // the run's results
  std::string run_today;                // the run's reference day, "YYYY-MM-DD"
  const TrendReport* trends = nullptr;  // the run compared with earlier runs; nullptr = none
  std::vector<Inspection> inspections;  // the log (any department)
  int64_t as_of = 0;                    // the plan's first day (days since epoch)
};

// The risk of every department of the run, in order of first appearance in `inputs.sources`.
// `scoring` must be valid. Pure: same inputs, same output.
std::vector<DepartmentRisk> AssessRisk(const RiskInputs& inputs, const ScheduleConfig& config,
                                       const ScoringConfig& scoring);

}  // namespace dqa
