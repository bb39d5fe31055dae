// ScheduleConfig: the inspection schedule's configuration file (docs/schedule.md "Configuration";
// example: rules/schedule/schedule.yaml).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/types.h"
#include "core/util/status.h"

namespace dqa {

// A named day off (one entry per day; a range in the file gives one entry per day).
struct Holiday {
  int64_t day = 0;  // days since 1970-01-01
  std::string name;
};

// A non-working weekday made a working day (a Saturday worked in exchange for a bridge day).
struct MakeUpDay {
  int64_t day = 0;
  std::string name;
};

// Weights of the four risk components (docs/schedule.md "Risk"). Each >= 0, sum > 0.
struct RiskWeights {
  double quality = 50;     // 100 - overall score of the latest run
  double trend = 15;       // worsening score and new failures
  double critical = 20;    // at least one failing check of severity critical
  double inspection = 15;  // days since the last inspection
};

// Someone named in the calendar's events (`calendar.organizer`, `calendar.attendees`).
struct CalendarPerson {
  std::string name;        // shown by calendar programs (CN); may be empty
  std::string email;       // local@domain, written as a mailto: URI
  std::string department;  // attendees only: "" = every event, else only that department's
};

// What the .ics adds to each event (docs/schedule.md "iCalendar"). (`calendar`)
struct CalendarConfig {
  bool reminder = true;                     // a VALARM the day before (`reminder`)
  std::optional<CalendarPerson> organizer;  // ORGANIZER (`organizer`); none by default
  std::vector<CalendarPerson> attendees;    // ATTENDEE lines, in file order (`attendees`)
};

struct ScheduleConfig {
  // First day of the plan; nullopt = the day after the run's `today`. (`start`)
  std::optional<int64_t> start;
  // Plan length from `start` (d, w, m or y; not hours). Default 90d. (`horizon`)
  Duration horizon{90, Duration::Unit::kDays};
  int per_week = 3;  // inspections per ISO week (Monday-Sunday), 1..100 (`capacity.per_week`)
  int per_day = 1;   // inspections per working day, 1..100 (`capacity.per_day`)
  // Working weekdays indexed Monday (0) .. Sunday (6). Default Monday-Friday. (`working_days`)
  std::array<bool, 7> working_days = {true, true, true, true, true, false, false};
  std::vector<Holiday> holidays;        // sorted by day, one per day (`holidays`)
  std::vector<MakeUpDay> make_up_days;  // sorted by day (`make_up_days`)
  std::vector<int> holiday_years;       // years listed under `holidays`, ascending
  // Minimum calendar days between two inspections of one department, 0..3650. Default 90.
  // (`min_gap_days`)
  int min_gap_days = 90;
  // A department with a failing critical check is inspected by the N-th working day of the plan
  // (the start day counts as the first when it is a working day), 1..250. Default 5.
  // (`critical.within_working_days`)
  int critical_within_working_days = 5;
  RiskWeights weights;  // (`risk.weights`)
  // Points of overall-score decline that give the full trend component (> 0). Default 10.
  double trend_full_drop = 10;  // (`risk.trend_full_drop`)
  // Trend-component points per new failure since the previous run (>= 0). Default 25.
  double new_failure_points = 25;  // (`risk.new_failure_points`)
  // Days since the last inspection that give the full inspection component (>= 1). Default 365.
  int inspection_full_days = 365;  // (`risk.inspection_full_days`)
  CalendarConfig calendar;         // (`calendar`)
};

// Parses a schedule configuration. Every key is checked; errors are InvalidArgument
// "<name>:<line>:<col>: <context>: <message>". Missing keys keep their defaults.
Result<ScheduleConfig> ParseScheduleConfig(const std::string& yaml_text, const std::string& name);
// Reads and parses `path`; NotFound if it does not exist.
Result<ScheduleConfig> LoadScheduleConfig(const std::string& path);

}  // namespace dqa
