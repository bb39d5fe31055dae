#include "core/report/key_findings.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace dqa {
namespace {

double Rounded(double v) { return std::round(v * 10) / 10; }

// Lowest overall first; unmeasured after every measured one; ties: the report's rank (by name).
void SortWorstFirst(std::vector<FindingDepartment>& ranking) {
  std::stable_sort(ranking.begin(), ranking.end(),
                   [](const FindingDepartment& a, const FindingDepartment& b) {
                     if (a.overall.has_value() != b.overall.has_value()) {
                       return a.overall.has_value();
                     }
                     if (a.overall && b.overall && *a.overall != *b.overall) {
                       return *a.overall < *b.overall;
                     }
                     return a.rank > b.rank;
                   });
}

// The worst departments that lost points, and the moves of the overall scores.
void Summarize(KeyFindings& f) {
  for (size_t i = 0; i < f.ranking.size() && f.worst.size() < kFindingDepartments; ++i) {
    if (f.ranking[i].overall && !f.ranking[i].costly.empty()) f.worst.push_back(i);
  }
  for (const FindingDepartment& d : f.ranking) {
    if (!d.delta) continue;
    // A change that rounds to 0,0 is no change on the page.
    const double shown = Rounded(*d.delta);
    if (shown > 0) f.better.push_back({d.department, *d.delta});
    if (shown < 0) f.worse.push_back({d.department, *d.delta});
  }
  std::stable_sort(f.better.begin(), f.better.end(),
                   [](const ScoreMove& a, const ScoreMove& b) { return a.delta > b.delta; });
  std::stable_sort(f.worse.begin(), f.worse.end(),
                   [](const ScoreMove& a, const ScoreMove& b) { return a.delta < b.delta; });
  for (const ReportIndicator& i : f.indicators) {
    if (i.outcome == Outcome::kPass) ++f.indicators_met;
  }
}

std::array<std::optional<double>, 4> DimensionScores(const ScoreSet& s) {
  std::array<std::optional<double>, 4> out;
  for (size_t d = 0; d < out.size(); ++d) out[d] = s.dimensions[d].score;
  return out;
}

}  // namespace

KeyFindings FindKeyFindings(const RunReport& report) {
  KeyFindings f;
  for (const ReportDepartment& d : report.departments) {
    FindingDepartment& out = f.ranking.emplace_back();
    out.department = d.department;
    out.rank = d.rank;
    out.dimensions = DimensionScores(d.scores);
    out.overall = d.scores.overall;
    out.grade = d.scores.grade;
    out.delta = d.trend.overall.delta;
    for (size_t s : d.sources) {
      if (s >= report.sources.size()) continue;  // as the renderers do: an index of no source
      const ReportSource& source = report.sources[s];
      for (const ReportCheck& c : source.checks) {
        if (c.score_loss <= 0) continue;
        out.costly.push_back({.source = source.source,
                              .department = source.department,
                              .check_id = c.result.id,
                              .dimension = c.result.dimension,
                              .outcome = c.result.outcome,
                              .score_loss = c.score_loss,
                              .result = &c.result,
                              .naming = NamingOf(c.result)});
      }
    }
    // Largest loss first; ties keep the run's order.
    std::stable_sort(out.costly.begin(), out.costly.end(),
                     [](const FindingCheck& a, const FindingCheck& b) {
                       return a.score_loss > b.score_loss;
                     });
    if (out.costly.size() > kFindingChecks) out.costly.resize(kFindingChecks);
  }
  SortWorstFirst(f.ranking);

  if (report.previous) {
    f.compared = true;
    f.previous_run_id = report.previous->id;
    f.previous_day = report.previous->today;
  }
  std::map<std::pair<std::string, std::string>, const ReportCheck*> checks;
  for (const ReportSource& s : report.sources) {
    for (const ReportCheck& c : s.checks) checks[{s.source, c.result.id}] = &c;
  }
  for (const CheckChange& c : report.changes) {
    auto it = checks.find({c.source, c.check_id});
    const ReportCheck* now = it == checks.end() ? nullptr : it->second;
    FindingCheck check{.source = c.source,
                       .department = c.department,
                       .check_id = c.check_id,
                       .dimension = c.dimension,
                       .outcome = c.current_outcome,
                       .score_loss = now != nullptr ? now->score_loss : 0,
                       .result = now != nullptr ? &now->result : nullptr,
                       .naming = now != nullptr ? NamingOf(now->result) : CheckNaming{}};
    (c.kind == CheckChange::Kind::kResolved ? f.resolved : f.new_failures).push_back(check);
  }

  f.has_schedule = !report.schedule.empty();
  f.inspections = static_cast<int>(report.schedule.size());
  for (const ReportScheduleEntry& e : report.schedule) {
    if (f.schedule_first_day.empty() || e.date < f.schedule_first_day) f.schedule_first_day = e.date;
    if (e.date > f.schedule_last_day) f.schedule_last_day = e.date;
  }
  std::vector<ReportScheduleEntry> by_day = report.schedule;
  std::stable_sort(by_day.begin(), by_day.end(),
                   [](const ReportScheduleEntry& a, const ReportScheduleEntry& b) {
                     return a.date != b.date ? a.date < b.date : a.priority < b.priority;
                   });
  if (by_day.size() > kFindingInspections) by_day.resize(kFindingInspections);
  f.next_inspections = std::move(by_day);
  f.indicators = report.indicators;
  Summarize(f);
  return f;
}

KeyFindings FindKeyFindings(const PeriodReport& report) {
  KeyFindings f;
  f.period = true;
  for (const PeriodScores& d : report.departments) {
    FindingDepartment& out = f.ranking.emplace_back();
    out.department = d.name;
    out.rank = d.rank;
    out.dimensions = d.average;
    out.overall = d.average_overall;
    out.grade = d.grade;
    if (d.first_overall && d.last_overall && d.points.size() > 1) {
      out.delta = *d.last_overall - *d.first_overall;
    }
    for (const PeriodCheck& c : report.checks) {
      const int failing = c.warned + c.failed + c.errors;
      if (c.department != d.name || failing == 0) continue;
      out.costly.push_back({.source = c.source,
                            .department = c.department,
                            .check_id = c.check_id,
                            .dimension = c.dimension,
                            .outcome = c.last_outcome,
                            .runs = c.runs,
                            .failing_runs = failing,
                            .naming = c.naming});
    }
    // Most failing runs first, then the check that failed last; ties keep the report's order.
    std::stable_sort(out.costly.begin(), out.costly.end(),
                     [](const FindingCheck& a, const FindingCheck& b) {
                       if (a.failing_runs != b.failing_runs) return a.failing_runs > b.failing_runs;
                       return (a.outcome == Outcome::kFail) > (b.outcome == Outcome::kFail);
                     });
    if (out.costly.size() > kFindingChecks) out.costly.resize(kFindingChecks);
  }
  SortWorstFirst(f.ranking);

  // Changes over the month: a check's first result against its last.
  f.compared = report.runs.size() > 1;
  if (f.compared) {
    for (const PeriodCheck& c : report.checks) {
      if (c.points.size() < 2) continue;
      const bool failed_first = c.points.front().outcome == Outcome::kFail;
      const bool failed_last = c.points.back().outcome == Outcome::kFail;
      if (failed_first == failed_last) continue;
      FindingCheck check{.source = c.source,
                         .department = c.department,
                         .check_id = c.check_id,
                         .dimension = c.dimension,
                         .outcome = c.last_outcome,
                         .runs = c.runs,
                         .failing_runs = c.warned + c.failed + c.errors,
                         .naming = c.naming};
      (failed_first ? f.resolved : f.new_failures).push_back(check);
    }
  }
  for (const PeriodIndicator& i : report.indicators) {
    f.indicators.push_back({i.source, i.department, i.check_id, i.check, i.last, i.last_outcome});
  }
  Summarize(f);
  return f;
}

}  // namespace dqa
