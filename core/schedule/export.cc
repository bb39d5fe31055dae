#include "core/schedule/export.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/schedule/reasons.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

using nlohmann::ordered_json;

ordered_json OptionalNumber(const std::optional<double>& v) {
  return v ? ordered_json(Round1(*v)) : ordered_json(nullptr);
}

ordered_json OptionalDay(const std::optional<int64_t>& day) {
  return day ? ordered_json(FormatDay(*day)) : ordered_json(nullptr);
}

}  // namespace

std::string ScheduleCsv(const SchedulePlan& plan, const i18n::Catalog& catalog, CsvStyle style) {
  CsvWriter csv(style);
  for (const char* column : {"priority", "date", "weekday", "department", "risk", "occurrence",
                             "critical", "deadline", "reasons"}) {
    csv.Text(catalog.Text(fmt::format("schedule.column.{}", column)));
  }
  csv.EndRow();
  for (const PlannedInspection& e : plan.entries) {
    const DepartmentRisk& r = plan.ranking[e.department];
    std::string reasons;
    for (const std::string& reason : InspectionReasons(plan, e, catalog)) {
      if (!reasons.empty()) reasons += "; ";
      reasons += reason;
    }
    csv.Int(plan.priority[e.department]).Day(e.day).Text(WeekdayName(e.day, catalog));
    csv.Text(r.department).Fixed(r.risk, 1).Int(e.occurrence);
    csv.Text(catalog.Text(e.critical ? "schedule.yes" : "schedule.no"));
    if (e.deadline) {
      csv.Day(*e.deadline);
    } else {
      csv.Empty();
    }
    csv.Text(reasons);
    csv.EndRow();
  }
  return csv.str();
}

std::string ScheduleJson(const SchedulePlan& plan, const i18n::Catalog& catalog) {
  ordered_json doc;
  doc["format"] = "dqaudit-schedule";
  doc["version"] = 1;
  doc["language"] = std::string(ToString(catalog.language()));
  doc["run"] = {{"id", plan.run_id}, {"today", plan.run_today}};
  doc["start"] = FormatDay(plan.start);
  doc["end"] = FormatDay(plan.end - 1);
  ordered_json entries = ordered_json::array();
  for (const PlannedInspection& e : plan.entries) {
    const DepartmentRisk& r = plan.ranking[e.department];
    entries.push_back({{"date", FormatDay(e.day)},
                       {"weekday", WeekdayName(e.day, catalog)},
                       {"department", r.department},
                       {"priority", plan.priority[e.department]},
                       {"occurrence", e.occurrence},
                       {"risk", r.risk},
                       {"critical", e.critical},
                       {"deadline", OptionalDay(e.deadline)},
                       {"deadline_missed", e.deadline_missed},
                       {"reasons", InspectionReasons(plan, e, catalog)}});
  }
  doc["entries"] = std::move(entries);
  ordered_json departments = ordered_json::array();
  for (size_t i = 0; i < plan.ranking.size(); ++i) {
    const DepartmentRisk& r = plan.ranking[i];
    ordered_json dims = ordered_json::object();
    for (Dimension d : {Dimension::kValidity, Dimension::kCompleteness, Dimension::kUniqueness,
                        Dimension::kFreshness}) {
      dims[std::string(ToString(d))] = OptionalNumber(r.scores.dimension(d).score);
    }
    ordered_json failing = ordered_json::array();
    for (const FailingCheck& c : r.failing) {
      failing.push_back({{"source", c.source},
                         {"check_id", c.check_id},
                         {"dimension", std::string(ToString(c.dimension))},
                         {"severity", std::string(ToString(c.severity))},
                         {"violations", c.violations}});
    }
    departments.push_back(
        {{"department", r.department},
         {"rank", i + 1},
         {"priority",
          plan.priority[i] > 0 ? ordered_json(plan.priority[i]) : ordered_json(nullptr)},
         {"risk", r.risk},
         {"components",
          {{"quality", Round1(r.quality)},
           {"trend", Round1(r.trend)},
           {"critical", Round1(r.critical)},
           {"inspection", Round1(r.inspection)}}},
         {"overall", OptionalNumber(r.scores.overall)},
         {"grade", r.scores.grade ? ordered_json(std::string(ToString(*r.scores.grade)))
                                  : ordered_json(nullptr)},
         {"dimensions", dims},
         {"delta", OptionalNumber(r.delta)},
         {"slope", OptionalNumber(r.slope)},
         {"critical_failures", r.critical_failures},
         {"critical_pending", r.critical_pending},
         {"failing_checks", failing},
         {"new_failures", r.new_failures},
         {"last_inspected", OptionalDay(r.last_inspected)},
         {"days_since_inspection",
          r.days_since ? ordered_json(*r.days_since) : ordered_json(nullptr)}});
  }
  doc["departments"] = std::move(departments);
  ordered_json warnings = ordered_json::array();
  for (const ScheduleWarning& w : plan.warnings) {
    const char* kind = w.kind == ScheduleWarning::Kind::kDeadlineMissed ? "deadline_missed"
                       : w.kind == ScheduleWarning::Kind::kNotScheduled ? "not_scheduled"
                                                                        : "no_holidays";
    warnings.push_back(
        {{"kind", kind},
         {"department", w.department.empty() ? ordered_json(nullptr) : ordered_json(w.department)},
         {"message", WarningText(w, catalog)}});
  }
  doc["warnings"] = std::move(warnings);
  return doc.dump(2) + "\n";
}

}  // namespace dqa
