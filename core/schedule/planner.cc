#include "core/schedule/planner.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "core/schedule/calendar.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

// Slots taken per day and per ISO week.
class Capacity {
 public:
  Capacity(const ScheduleConfig& config, const WorkCalendar& calendar)
      : config_(config), calendar_(calendar) {}

  bool Free(int64_t day) const {
    if (!calendar_.IsWorkingDay(day)) return false;
    return Count(by_day_, day) < config_.per_day &&
           Count(by_week_, WeekStart(day)) < config_.per_week;
  }
  void Take(int64_t day) {
    ++by_day_[day];
    ++by_week_[WeekStart(day)];
  }

 private:
  static int Count(const std::map<int64_t, int>& m, int64_t key) {
    auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
  }
  const ScheduleConfig& config_;
  const WorkCalendar& calendar_;
  std::map<int64_t, int> by_day_;
  std::map<int64_t, int> by_week_;
};

}  // namespace

bool RanksBefore(const DepartmentRisk& a, const DepartmentRisk& b) {
  // Risks are rounded to one decimal when computed, so equal displayed risks compare equal.
  if (a.risk != b.risk) return a.risk > b.risk;
  if (a.critical_pending != b.critical_pending) return a.critical_pending;
  if (a.days_since.has_value() != b.days_since.has_value()) return !a.days_since.has_value();
  if (a.days_since && *a.days_since != *b.days_since) return *a.days_since > *b.days_since;
  return a.department < b.department;  // std::string compares bytes: UTF-8 code point order
}

SchedulePlan PlanSchedule(std::vector<DepartmentRisk> risks, const ScheduleConfig& config,
                          int64_t start) {
  SchedulePlan plan;
  plan.calendar = config.calendar;
  plan.start = start;
  plan.end = DayOf(ShiftBy(start * kSecondsPerDay, config.horizon, +1));
  std::sort(risks.begin(), risks.end(), RanksBefore);
  plan.ranking = std::move(risks);
  const size_t n = plan.ranking.size();
  const WorkCalendar calendar(config);
  Capacity capacity(config, calendar);
  std::vector<std::vector<int64_t>> planned(n);  // days planned per department

  auto place = [&](size_t dept, int64_t day, PlannedInspection entry) {
    capacity.Take(day);
    entry.day = day;
    entry.department = dept;
    planned[dept].push_back(day);
    entry.occurrence = static_cast<int>(planned[dept].size());
    plan.entries.push_back(entry);
  };

  // 1. The critical rule, most urgent first: the earliest free working day, minimum gap ignored.
  const std::optional<int64_t> deadline =
      calendar.NthWorkingDay(start, config.critical_within_working_days);
  for (size_t i = 0; i < n; ++i) {
    if (!plan.ranking[i].critical_pending) continue;
    std::optional<int64_t> slot;
    for (int64_t day = start; day < plan.end && !slot; ++day) {
      if (capacity.Free(day)) slot = day;
    }
    PlannedInspection entry;
    entry.critical = true;
    entry.deadline = deadline;
    entry.deadline_missed = !slot || !deadline || *slot > *deadline;
    if (entry.deadline_missed) {
      plan.warnings.push_back(
          {ScheduleWarning::Kind::kDeadlineMissed, plan.ranking[i].department, deadline, slot, 0});
    }
    if (slot) place(i, *slot, entry);
  }

  // 2. Every free slot, day by day: the eligible department with the fewest inspections planned
  // so far, then the best rank. Eligible: not already planned that day and at least min_gap_days
  // away from each of its logged and planned inspections.
  auto eligible = [&](size_t dept, int64_t day) {
    auto far_enough = [&](int64_t other) {
      const int64_t gap = day > other ? day - other : other - day;
      return gap != 0 && gap >= config.min_gap_days;
    };
    return std::all_of(plan.ranking[dept].inspection_days.begin(),
                       plan.ranking[dept].inspection_days.end(), far_enough) &&
           std::all_of(planned[dept].begin(), planned[dept].end(), far_enough);
  };
  for (int64_t day = start; day < plan.end; ++day) {
    while (capacity.Free(day)) {
      std::optional<size_t> best;
      for (size_t i = 0; i < n; ++i) {
        if (!eligible(i, day)) continue;
        if (!best || planned[i].size() < planned[*best].size()) best = i;
      }
      if (!best) break;
      place(*best, day, PlannedInspection{});
    }
  }
  // Occurrence numbers follow the calendar (the critical pass placed out of day order).
  std::stable_sort(
      plan.entries.begin(), plan.entries.end(),
      [](const PlannedInspection& a, const PlannedInspection& b) { return a.day < b.day; });
  std::vector<int> seen(n, 0);
  for (PlannedInspection& e : plan.entries) e.occurrence = ++seen[e.department];

  // Priority: order of the first inspection, ties by rank.
  std::vector<size_t> order;
  for (size_t i = 0; i < n; ++i) {
    if (!planned[i].empty()) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const int64_t fa = *std::min_element(planned[a].begin(), planned[a].end());
    const int64_t fb = *std::min_element(planned[b].begin(), planned[b].end());
    return fa != fb ? fa < fb : a < b;
  });
  plan.priority.assign(n, 0);
  for (size_t p = 0; p < order.size(); ++p) plan.priority[order[p]] = static_cast<int>(p) + 1;
  std::sort(plan.entries.begin(), plan.entries.end(),
            [&](const PlannedInspection& a, const PlannedInspection& b) {
              if (a.day != b.day) return a.day < b.day;
              return plan.priority[a.department] < plan.priority[b.department];
            });

  for (size_t i = 0; i < n; ++i) {
    if (planned[i].empty()) {
      plan.warnings.push_back(
          {ScheduleWarning::Kind::kNotScheduled, plan.ranking[i].department, {}, {}, 0});
    }
  }
  const std::set<int> configured(config.holiday_years.begin(), config.holiday_years.end());
  if (plan.end > plan.start) {
    for (int64_t y = CivilFromDays(plan.start).year; y <= CivilFromDays(plan.end - 1).year; ++y) {
      if (configured.count(static_cast<int>(y)) == 0) {
        plan.warnings.push_back(
            {ScheduleWarning::Kind::kNoHolidays, "", {}, {}, static_cast<int>(y)});
      }
    }
  }
  return plan;
}

}  // namespace dqa
