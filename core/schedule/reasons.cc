#include "core/schedule/reasons.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/i18n/titles.h"
#include "core/schedule/calendar.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

constexpr size_t kNamedChecks = 3;
constexpr size_t kWorstDimensions = 2;
constexpr std::string_view kWeekdayKeys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// "a, b, c" or "a, b, c and 2 more" (names or ids, as given).
// A failing check as the reasons name it: its title in the catalog's language, quoted (titles
// may hold commas, and the reasons list several).
std::string Named(const FailingCheck& c, const i18n::Catalog& catalog) {
  return "“" +
         i18n::CheckTitleIn(catalog, c.naming.title,
                            {.type = c.naming.type,
                             .table = c.naming.table,
                             .id = c.check_id,
                             .columns = c.naming.columns}) +
         "”";
}

// The checks newly failing, named like the failing ones (a new failure is failing now; one that is
// not, e.g. of another source of the department, keeps its id).
std::vector<std::string> NewFailureNames(const DepartmentRisk& r, const i18n::Catalog& catalog) {
  std::vector<std::string> names;
  for (const std::string& id : r.new_failures) {
    const auto it = std::find_if(r.failing.begin(), r.failing.end(),
                                 [&](const FailingCheck& c) { return c.check_id == id; });
    names.push_back(it != r.failing.end() ? Named(*it, catalog) : id);
  }
  return names;
}

std::string CheckList(const std::vector<std::string>& ids, const i18n::Catalog& catalog) {
  std::string named;
  for (size_t i = 0; i < ids.size() && i < kNamedChecks; ++i) {
    if (i > 0) named += ", ";
    named += ids[i];
  }
  if (ids.size() <= kNamedChecks) return named;
  return catalog.Format(
      "schedule.reason.more_checks",
      {{"checks", named},
       {"count", catalog.Integer(static_cast<int64_t>(ids.size() - kNamedChecks))}});
}

std::string Day(int64_t day, const i18n::Catalog& catalog) {
  return catalog.Date(FormatDay(day));
}

}  // namespace

std::string ScoreText(double value, const i18n::Catalog& catalog) {
  return catalog.Number(Round1(value), 1);
}

std::string WeekdayName(int64_t day, const i18n::Catalog& catalog) {
  return std::string(catalog.Text(
      fmt::format("schedule.weekday.{}", kWeekdayKeys[static_cast<size_t>(Weekday(day))])));
}

std::vector<std::string> InspectionReasons(const SchedulePlan& plan, const PlannedInspection& entry,
                                           const i18n::Catalog& catalog) {
  const DepartmentRisk& r = plan.ranking[entry.department];
  std::vector<std::string> out;
  if (entry.critical) {
    std::vector<std::string> ids;
    for (const FailingCheck& c : r.failing) {
      if (c.severity == Severity::kCritical) ids.push_back(Named(c, catalog));
    }
    out.push_back(catalog.Format(
        "schedule.reason.critical",
        {{"count", catalog.Integer(r.critical_failures)},
         {"checks", CheckList(ids, catalog)},
         {"deadline", entry.deadline ? Day(*entry.deadline, catalog) : std::string("-")}}));
    if (entry.deadline_missed) {
      out.push_back(catalog.Format(
          "schedule.reason.deadline_missed",
          {{"deadline", entry.deadline ? Day(*entry.deadline, catalog) : std::string("-")}}));
    }
  }
  if (entry.occurrence > 1) {
    int64_t previous = plan.start;
    for (const PlannedInspection& e : plan.entries) {
      if (e.department == entry.department && e.occurrence == entry.occurrence - 1) {
        previous = e.day;
      }
    }
    out.push_back(catalog.Format("schedule.reason.repeat",
                                 {{"occurrence", catalog.Integer(entry.occurrence)},
                                  {"days", catalog.Integer(entry.day - previous)}}));
  }
  if (r.scores.overall) {
    out.push_back(catalog.Format("schedule.reason.score",
                                 {{"score", ScoreText(*r.scores.overall, catalog)},
                                  {"grade", std::string(catalog.Text(fmt::format(
                                                "grade.{}", ToString(*r.scores.grade))))}}));
  } else {
    out.push_back(std::string(catalog.Text("schedule.reason.not_measured")));
  }
  std::vector<std::pair<double, Dimension>> low;
  for (Dimension d : {Dimension::kValidity, Dimension::kCompleteness, Dimension::kUniqueness,
                      Dimension::kFreshness}) {
    const std::optional<double>& s = r.scores.dimension(d).score;
    if (s && Round1(*s) < 100) low.emplace_back(Round1(*s), d);
  }
  std::stable_sort(low.begin(), low.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!low.empty()) {
    std::string dims;
    for (size_t i = 0; i < low.size() && i < kWorstDimensions; ++i) {
      if (i > 0) dims += ", ";
      dims += catalog.Format(
          "schedule.reason.dimension_score",
          {{"dimension",
            std::string(catalog.Text(fmt::format("dimension.{}", ToString(low[i].second))))},
           {"score", ScoreText(low[i].first, catalog)}});
    }
    out.push_back(catalog.Format("schedule.reason.worst_dimensions", {{"dimensions", dims}}));
  }
  if (!r.schema_drift.empty()) {
    out.push_back(
        catalog.Format("schedule.reason.schema_drift",
                       {{"count", catalog.Integer(static_cast<int64_t>(r.schema_drift.size()))},
                        {"checks", CheckList(r.schema_drift, catalog)}}));
  }
  if (!r.failing.empty()) {
    std::vector<std::string> ids;
    for (const FailingCheck& c : r.failing) ids.push_back(Named(c, catalog));
    out.push_back(
        catalog.Format("schedule.reason.failing_checks",
                       {{"count", catalog.Integer(static_cast<int64_t>(r.failing.size()))},
                        {"checks", CheckList(ids, catalog)}}));
    // Where the failures are: the worst units of each failing check with a breakdown.
    for (const FailingCheck& c : r.failing) {
      if (c.worst_units.empty()) continue;
      out.push_back(catalog.Format("schedule.reason.worst_units",
                                   {{"check", Named(c, catalog)}, {"units", c.worst_units}}));
    }
  }
  const double delta = r.delta ? Round1(*r.delta) : 0;
  const double slope = r.slope ? Round1(*r.slope) : 0;
  if (delta < 0) {
    out.push_back(
        catalog.Format("schedule.reason.trend_down", {{"points", catalog.Number(-delta, 1)}}));
  } else if (slope < 0) {
    out.push_back(catalog.Format("schedule.reason.trend_slope_down",
                                 {{"points", catalog.Number(-slope, 1)}}));
  } else if (delta > 0) {
    out.push_back(
        catalog.Format("schedule.reason.trend_up", {{"points", catalog.Number(delta, 1)}}));
  }
  if (!r.new_failures.empty()) {
    out.push_back(
        catalog.Format("schedule.reason.new_failures",
                       {{"count", catalog.Integer(static_cast<int64_t>(r.new_failures.size()))},
                        {"checks", CheckList(NewFailureNames(r, catalog), catalog)}}));
  }
  if (r.last_inspected) {
    out.push_back(catalog.Format("schedule.reason.last_inspection",
                                 {{"date", Day(*r.last_inspected, catalog)},
                                  {"days", catalog.Integer(r.days_since.value_or(0))}}));
  } else {
    out.push_back(std::string(catalog.Text("schedule.reason.never_inspected")));
  }
  return out;
}

std::string WarningText(const ScheduleWarning& w, const i18n::Catalog& catalog) {
  const std::string deadline = w.deadline ? Day(*w.deadline, catalog) : std::string("-");
  switch (w.kind) {
    case ScheduleWarning::Kind::kDeadlineMissed:
      if (!w.day) {
        return catalog.Format("schedule.warning.deadline_missed_no_day",
                              {{"department", w.department}, {"deadline", deadline}});
      }
      return catalog.Format(
          "schedule.warning.deadline_missed",
          {{"department", w.department}, {"deadline", deadline}, {"day", Day(*w.day, catalog)}});
    case ScheduleWarning::Kind::kNotScheduled:
      return catalog.Format("schedule.warning.not_scheduled", {{"department", w.department}});
    case ScheduleWarning::Kind::kNoHolidays:
      return catalog.Format("schedule.warning.no_holidays", {{"year", std::to_string(w.year)}});
  }
  return "";
}

}  // namespace dqa
