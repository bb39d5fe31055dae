#include "core/schedule/risk.h"

#include <algorithm>
#include <cmath>

#include "core/util/dates.h"

namespace dqa {
namespace {

double Clamp100(double v) { return std::clamp(v, 0.0, 100.0); }

}  // namespace

std::vector<DepartmentRisk> AssessRisk(const RiskInputs& inputs, const ScheduleConfig& config,
                                       const ScoringConfig& scoring) {
  const RunScores scores = ScoreRun(inputs.sources, scoring);
  const std::optional<int64_t> run_day = ParseIsoDay(inputs.run_today);
  std::vector<DepartmentRisk> out;
  for (const DepartmentScore& d : scores.departments) {
    DepartmentRisk r;
    r.department = d.department;
    r.scores = d.scores;
    for (const SourceResult& s : inputs.sources) {
      if (s.department != d.department) continue;
      for (const CheckResult& c : s.results) {
        if (IsSchemaDrift(c)) r.schema_drift.push_back(c.id);
        if (c.outcome != Outcome::kFail) continue;
        r.failing.push_back(
            {s.source, c.id, c.dimension, c.severity, c.violations, WorstUnitsText(c, 3),
             NamingOf(c)});
        if (c.severity == Severity::kCritical) ++r.critical_failures;
      }
    }
    std::sort(r.failing.begin(), r.failing.end(), [](const FailingCheck& a, const FailingCheck& b) {
      const bool ca = a.severity == Severity::kCritical;
      const bool cb = b.severity == Severity::kCritical;
      if (ca != cb) return ca;
      if (a.violations != b.violations) return a.violations > b.violations;
      if (a.source != b.source) return a.source < b.source;
      return a.check_id < b.check_id;
    });
    if (inputs.trends != nullptr) {
      for (const ScoreTrend& t : inputs.trends->departments) {
        if (t.name != d.department) continue;
        r.delta = t.overall.delta;
        r.slope = t.overall.slope;
      }
      for (const CheckChange& c : inputs.trends->changes) {
        if (c.department == d.department && c.kind == CheckChange::Kind::kNewFailure) {
          r.new_failures.push_back(c.check_id);
        }
      }
    }
    bool inspected_after_run = false;
    for (const Inspection& i : inputs.inspections) {
      if (i.department != d.department) continue;
      const std::optional<int64_t> day = ParseIsoDay(i.inspected_on);
      if (!day) continue;  // AddInspection never writes one; a hand-edited row is ignored
      r.inspection_days.push_back(*day);
      if (run_day && *day > *run_day) inspected_after_run = true;
    }
    std::sort(r.inspection_days.begin(), r.inspection_days.end());
    if (!r.inspection_days.empty()) {
      r.last_inspected = r.inspection_days.back();
      r.days_since = std::max<int64_t>(0, inputs.as_of - *r.last_inspected);
    }
    r.critical_pending = r.critical_failures > 0 && !inspected_after_run;

    // Components (docs/schedule.md "Risk").
    r.quality = r.scores.overall ? Clamp100(100 - *r.scores.overall) : 100;
    const double decline = std::max({0.0, r.delta ? -*r.delta : 0.0, r.slope ? -*r.slope : 0.0});
    r.trend = Clamp100(100 * decline / config.trend_full_drop +
                       config.new_failure_points *
                           static_cast<double>(r.new_failures.size() + r.schema_drift.size()));
    r.critical = r.critical_failures > 0 ? 100 : 0;
    r.inspection =
        r.days_since
            ? Clamp100(100.0 * static_cast<double>(*r.days_since) / config.inspection_full_days)
            : 100;
    const RiskWeights& w = config.weights;
    const double total = w.quality + w.trend + w.critical + w.inspection;
    const double raw = (w.quality * r.quality + w.trend * r.trend + w.critical * r.critical +
                        w.inspection * r.inspection) /
                       total;
    r.risk = std::round(raw * 10) / 10;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace dqa
