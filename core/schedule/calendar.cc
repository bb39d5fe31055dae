#include "core/schedule/calendar.h"

#include <algorithm>

namespace dqa {
namespace {

// 1970-01-01 (day 0) was a Thursday (3 with Monday = 0).
constexpr int64_t kEpochWeekday = 3;
constexpr int64_t kSearchLimitDays = 3660;

int64_t FloorMod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

template <typename T>
const T* FindDay(const std::vector<T>& days, int64_t day) {
  auto it = std::lower_bound(days.begin(), days.end(), day,
                             [](const T& d, int64_t value) { return d.day < value; });
  return it != days.end() && it->day == day ? &*it : nullptr;
}

}  // namespace

int Weekday(int64_t day) { return static_cast<int>(FloorMod(day + kEpochWeekday, 7)); }

int64_t WeekStart(int64_t day) { return day - Weekday(day); }

WorkCalendar::WorkCalendar(const ScheduleConfig& config) : config_(config) {}

bool WorkCalendar::IsWorkingDay(int64_t day) const {
  if (FindDay(config_.make_up_days, day) != nullptr) return true;
  if (!config_.working_days[static_cast<size_t>(Weekday(day))]) return false;
  return FindDay(config_.holidays, day) == nullptr;
}

std::optional<std::string> WorkCalendar::HolidayName(int64_t day) const {
  const Holiday* h = FindDay(config_.holidays, day);
  if (h == nullptr) return std::nullopt;
  return h->name;
}

std::optional<int64_t> WorkCalendar::NthWorkingDay(int64_t from, int n) const {
  int seen = 0;
  for (int64_t day = from; day < from + kSearchLimitDays; ++day) {
    if (IsWorkingDay(day) && ++seen == n) return day;
  }
  return std::nullopt;
}

}  // namespace dqa
