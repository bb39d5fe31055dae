// The planner: ranks departments by risk and places dated inspections on working days within the
// team's capacity, the minimum gap and the critical-failure deadline (docs/schedule.md
// "Placement"). Pure and deterministic: the same inputs give the same plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/schedule/config.h"
#include "core/schedule/risk.h"

namespace dqa {

struct PlannedInspection {
  int64_t day = 0;        // days since epoch; a working day in [plan.start, plan.end)
  size_t department = 0;  // index into SchedulePlan::ranking
  int occurrence = 1;     // 1 = the department's first inspection in the plan, 2 = second...
  bool critical = false;  // placed by the critical-failure rule
  std::optional<int64_t> deadline;  // critical rule: the last day allowed
  bool deadline_missed = false;     // capacity put it after `deadline`
};

// Something the reader of a plan must know; rendered in the catalog's language.
struct ScheduleWarning {
  enum class Kind {
    kDeadlineMissed,  // a critical department could not be placed by its deadline
    kNotScheduled,    // a department got no inspection in the horizon
    kNoHolidays,      // the horizon reaches a year without configured holidays
  };
  Kind kind = Kind::kNotScheduled;
  std::string department;           // kDeadlineMissed, kNotScheduled
  std::optional<int64_t> deadline;  // kDeadlineMissed
  std::optional<int64_t> day;       // kDeadlineMissed: the day it got (nullopt: none)
  int year = 0;                     // kNoHolidays
};

struct SchedulePlan {
  int64_t start = 0;                       // first day of the plan
  int64_t end = 0;                         // first day after the plan (start + horizon)
  std::vector<DepartmentRisk> ranking;     // highest risk first (RanksBefore)
  std::vector<int> priority;               // per ranking index: 1 = inspected first; 0 = not placed
  std::vector<PlannedInspection> entries;  // by day, then priority
  std::vector<ScheduleWarning> warnings;   // deadlines, then unscheduled, then years
  // Provenance (filled by BuildSchedule; DTSTAMP and UIDs of the .ics derive from it).
  int64_t run_id = 0;
  std::string run_today;
  int64_t run_started_unix_ms = 0;
  CalendarConfig calendar;  // the configuration's `calendar` (reminder, organizer, attendees)
};

// The tie rule: higher risk (as rounded, one decimal) first; then a pending critical failure
// first; then the longest since the last inspection (never inspected first); then the department
// name by Unicode code point (byte order of UTF-8).
bool RanksBefore(const DepartmentRisk& a, const DepartmentRisk& b);

// Plans inspections from `start` over config.horizon. See docs/schedule.md "Placement".
SchedulePlan PlanSchedule(std::vector<DepartmentRisk> risks, const ScheduleConfig& config,
                          int64_t start);

}  // namespace dqa
