// WorkCalendar: which days an inspection team works (weekdays, holidays, make-up days) and the
// ISO weeks that capacity is counted in. Days are days since 1970-01-01 (core/util/dates.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/schedule/config.h"

namespace dqa {

// Monday = 0 .. Sunday = 6.
int Weekday(int64_t day);
// The Monday that starts the ISO week of `day` (capacity is counted per such week).
int64_t WeekStart(int64_t day);

class WorkCalendar {
 public:
  explicit WorkCalendar(const ScheduleConfig& config);

  // A working weekday that is not a holiday, or a make-up day.
  bool IsWorkingDay(int64_t day) const;
  // The holiday's name when `day` is a configured holiday.
  std::optional<std::string> HolidayName(int64_t day) const;
  // The n-th (1-based) working day on or after `from`; nullopt when none within 10 years (a
  // calendar without working days).
  std::optional<int64_t> NthWorkingDay(int64_t from, int n) const;

 private:
  const ScheduleConfig& config_;
};

}  // namespace dqa
