// The first screen of a report (docs/reports.md "First screen"): the worst departments and the
// checks that cost them most, what got better and worse, the inspection plan, the indicators, and
// every department worst first. Language-free: reports/key_findings.h says it in words.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/report/report_data.h"

namespace dqa {

inline constexpr size_t kFindingDepartments = 3;  // worst departments named in the findings
inline constexpr size_t kFindingChecks = 3;       // checks named per department or change list
inline constexpr size_t kFindingInspections = 3;  // next inspections named

// A check named in the findings.
struct FindingCheck {
  std::string source;
  std::string department;
  std::string check_id;
  Dimension dimension = Dimension::kValidity;
  Outcome outcome = Outcome::kPass;  // run: its outcome; period: its last outcome
  double score_loss = 0;             // run: weight × loss (what it cost); period: 0
  const CheckResult* result = nullptr;  // run: the result in RunReport::sources; period: null
  int runs = 0;                         // period: runs of the month with the check
  int failing_runs = 0;                 // period: of those, runs that warned, failed or erred
  CheckNaming naming;                   // what the findings call it (its title)
};

// One department on the first screen.
struct FindingDepartment {
  std::string department;
  int rank = 0;  // the report's rank (1 = best overall)
  std::array<std::optional<double>, 4> dimensions;  // indexed by Dimension; nullopt: no check
  std::optional<double> overall;
  std::optional<Grade> grade;
  std::optional<double> delta;       // run: overall since the previous run; period: last - first
  std::vector<FindingCheck> costly;  // run: largest score_loss first; period: most failing runs
                                     // first; at most kFindingChecks; only checks that cost
};

struct ScoreMove {
  std::string department;
  double delta = 0;  // overall points; never one that rounds to 0.0
};

struct KeyFindings {
  bool period = false;                     // built from a monthly report
  std::vector<FindingDepartment> ranking;  // worst first: lowest overall first, then unmeasured
  std::vector<size_t> worst;  // indexes into ranking: the measured departments that lost points,
                              // worst first, at most kFindingDepartments
  // What the changes are measured against: run: the previous run (compared = false without one);
  // period: the month's first and last run (compared = false with a single run).
  bool compared = false;
  int64_t previous_run_id = 0;  // run only
  std::string previous_day;     // run only
  std::vector<ScoreMove> better;  // overall up, largest first
  std::vector<ScoreMove> worse;   // overall down, largest drop first
  std::vector<FindingCheck> resolved;      // failed before, passes now (run order)
  std::vector<FindingCheck> new_failures;  // passed before, fails now (run order)
  bool has_schedule = false;               // a plan was attached to the report
  std::vector<ReportScheduleEntry> next_inspections;  // the plan's first kFindingInspections
  int inspections = 0;                                // every inspection of the plan
  std::string schedule_first_day, schedule_last_day;  // "YYYY-MM-DD"
  std::vector<ReportIndicator> indicators;            // every indicator (period: last value)
  int indicators_met = 0;                             // judged pass
};

// The findings of a run report (changes: RunReport::changes and the departments' trend deltas).
KeyFindings FindKeyFindings(const RunReport& report);
// The findings of a monthly report (changes: the month's first run against its last).
KeyFindings FindKeyFindings(const PeriodReport& report);

}  // namespace dqa
