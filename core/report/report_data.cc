#include "core/report/report_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

namespace dqa {
namespace {

// Runs a report may be built from: the scan ran to its end. "failed" runs scanned no source
// (every check is an error: they measure the tooling, not the data); "running" and "interrupted"
// runs are missing sources and would drag averages down for no reason in the data.
bool Reportable(const RunRecord& run) {
  return run.status == "complete" || run.status == "partial";
}

// Enough for every run a store keeps (retention keeps about a year of nightly runs).
constexpr int kAllRuns = std::numeric_limits<int>::max();

// Best overall first; unmeasured after every measured one; ties by name.
bool RanksBefore(const std::optional<double>& a, const std::string& a_name,
                 const std::optional<double>& b, const std::string& b_name) {
  if (a.has_value() != b.has_value()) return a.has_value();
  if (a && b && *a != *b) return *a > *b;
  return a_name < b_name;
}

}  // namespace

Result<RunReport> BuildRunReport(HistoryStore& store, int64_t run_id,
                                 const ReportOptions& options) {
  RunReport report;
  DQA_ASSIGN_OR_RETURN(report.run, store.GetRun(run_id));
  DQA_ASSIGN_OR_RETURN(std::vector<SourceResult> sources, store.LoadRun(run_id));
  auto analyzed = AnalyzeTrends(store, run_id, options.trends, options.scoring);
  DQA_ASSIGN_OR_RETURN(TrendReport trends, std::move(analyzed));
  if (!trends.previous_run_ids.empty()) {
    DQA_ASSIGN_OR_RETURN(report.previous, store.GetRun(trends.previous_run_ids.front()));
  }
  const RunScores scores = ScoreRun(sources, options.scoring);

  std::vector<const CheckResult*> all;
  for (const SourceResult& s : sources) {
    for (const CheckResult& r : s.results) all.push_back(&r);
  }
  report.province = ScoreResults(all, options.scoring);

  // Changes and anomalies by check; a check has at most one change, and when both its violations
  // and its value are anomalous the violations (listed first by AnalyzeTrends) are shown.
  using Key = std::pair<std::string, std::string>;
  std::map<Key, CheckChange::Kind> changes;
  for (const CheckChange& c : trends.changes) changes.emplace(Key{c.source, c.check_id}, c.kind);
  std::map<Key, const Anomaly*> anomalies;
  for (const Anomaly& a : trends.anomalies) anomalies.emplace(Key{a.source, a.check_id}, &a);

  size_t check_index = 0;  // trends.checks lists every check of the run in run order
  for (size_t i = 0; i < sources.size(); ++i) {
    SourceResult& s = sources[i];
    ReportSource& out = report.sources.emplace_back();
    out.source = s.source;
    out.department = s.department;
    out.database = s.database;
    out.error = s.error;
    out.carried_from_run = s.carried_from_run;
    out.scores = scores.sources[i].scores;
    out.trend = trends.sources[i];
    for (CheckResult& r : s.results) {
      ReportCheck& c = out.checks.emplace_back();
      const Key key{s.source, r.id};
      if (auto it = changes.find(key); it != changes.end()) c.change = it->second;
      if (auto it = anomalies.find(key); it != anomalies.end()) c.anomaly = *it->second;
      c.history = std::move(trends.checks[check_index++].points);
      const CheckScore cost = ScoreCheck(r, options.scoring);
      c.score_loss = cost.counted ? cost.weight * cost.loss : 0;
      c.result = std::move(r);
    }
  }

  for (size_t i = 0; i < scores.departments.size(); ++i) {
    const DepartmentScore& d = scores.departments[i];
    ReportDepartment& out = report.departments.emplace_back();
    out.department = d.department;
    out.scores = d.scores;
    out.trend = trends.departments[i];
    for (size_t s = 0; s < report.sources.size(); ++s) {
      if (report.sources[s].department == d.department) out.sources.push_back(s);
    }
  }
  std::stable_sort(report.departments.begin(), report.departments.end(),
                   [](const ReportDepartment& a, const ReportDepartment& b) {
                     return RanksBefore(a.scores.overall, a.department, b.scores.overall,
                                        b.department);
                   });
  for (size_t i = 0; i < report.departments.size(); ++i) {
    report.departments[i].rank = static_cast<int>(i + 1);
  }

  for (size_t s = 0; s < report.sources.size(); ++s) {
    for (size_t c = 0; c < report.sources[s].checks.size(); ++c) {
      if (report.sources[s].checks[c].result.outcome != Outcome::kPass) {
        report.worst.push_back({s, c});
      }
    }
  }
  auto check = [&report](const CheckRef& ref) -> const ReportCheck& {
    return report.sources[ref.source].checks[ref.check];
  };
  std::stable_sort(report.worst.begin(), report.worst.end(),
                   [&](const CheckRef& a, const CheckRef& b) {
                     const ReportCheck& ca = check(a);
                     const ReportCheck& cb = check(b);
                     if (ca.score_loss != cb.score_loss) return ca.score_loss > cb.score_loss;
                     const std::string& sa = report.sources[a.source].source;
                     const std::string& sb = report.sources[b.source].source;
                     if (sa != sb) return sa < sb;
                     return ca.result.id < cb.result.id;
                   });
  if (report.worst.size() > static_cast<size_t>(std::max(options.worst_checks, 0))) {
    report.worst.resize(static_cast<size_t>(std::max(options.worst_checks, 0)));
  }

  for (const ReportSource& s : report.sources) {
    for (const ReportCheck& c : s.checks) {
      for (const Indicator& i : c.result.indicators) {
        report.indicators.push_back(
            {s.source, s.department, c.result.id, NamingOf(c.result), i, i.Judge(),
             c.result.message_args});
      }
    }
  }

  report.changes = std::move(trends.changes);
  report.anomalies = std::move(trends.anomalies);
  report.issuer = options.issuer;
  report.grades = options.scoring.grades;
  report.generated_unix_ms = NowUnixMs();
  return report;
}

Result<int64_t> LatestReportableRun(HistoryStore& store) {
  DQA_ASSIGN_OR_RETURN(std::vector<RunRecord> runs, store.ListRuns(kAllRuns));
  for (const RunRecord& run : runs) {  // newest first
    if (Reportable(run)) return run.id;
  }
  return NotFound("no complete or partial run in the history store");
}

namespace {

// A day of the period: the mean of its runs' scores (dimension by dimension and overall).
struct DayMean {
  PeriodPoint point;  // run_id: the day's last run
  std::array<std::pair<double, int>, 4> dims{};
  double overall_sum = 0;
  int overall_count = 0;
};

// Averages, extremes and slope of one series. `sets[i]` is the score set in the period's run i
// (oldest first) or null when the department has no source in that run.
PeriodScores Summarize(std::string name, const std::vector<RunRecord>& runs,
                       const std::vector<const ScoreSet*>& sets, const GradeCuts& cuts) {
  PeriodScores p;
  p.name = std::move(name);
  std::array<double, 4> sums{};
  std::array<int, 4> counts{};
  double overall_sum = 0;
  int overall_count = 0;
  std::vector<std::pair<double, double>> line;
  std::vector<DayMean> days;  // in day order (runs are sorted by day)
  for (size_t i = 0; i < runs.size(); ++i) {
    if (sets[i] == nullptr) continue;
    const ScoreSet& s = *sets[i];
    const PeriodPoint point{runs[i].id, runs[i].today, s};
    p.points.push_back(point);
    for (size_t d = 0; d < 4; ++d) {
      if (s.dimensions[d].score) {
        sums[d] += *s.dimensions[d].score;
        ++counts[d];
      }
    }
    if (!s.overall) continue;
    const double overall = *s.overall;
    overall_sum += overall;
    ++overall_count;
    line.emplace_back(static_cast<double>(i), overall);
    if (!p.first_overall) p.first_overall = overall;
    p.last_overall = overall;
    if (days.empty() || days.back().point.today != runs[i].today) days.emplace_back();
    DayMean& day = days.back();
    day.point = point;
    for (size_t d = 0; d < 4; ++d) {
      if (s.dimensions[d].score) {
        day.dims[d].first += *s.dimensions[d].score;
        ++day.dims[d].second;
      }
    }
    day.overall_sum += overall;
    ++day.overall_count;
  }
  for (size_t d = 0; d < 4; ++d) {
    if (counts[d] > 0) p.average[d] = sums[d] / counts[d];
  }
  if (overall_count > 0) {
    p.average_overall = overall_sum / overall_count;
    p.grade = GradeFor(*p.average_overall, cuts);
  }
  p.slope = LeastSquaresSlope(line);
  // Best and worst are days, not runs: two runs of one day are one day of the department's data,
  // and a period of one day, or of days that all scored the same, has no best or worst day.
  p.days = static_cast<int>(days.size());
  const DayMean* worst = nullptr;
  const DayMean* best = nullptr;
  for (DayMean& day : days) {
    for (size_t d = 0; d < 4; ++d) {
      const auto [sum, count] = day.dims[d];
      if (count > 0) day.point.scores.dimensions[d].score = sum / count;
    }
    day.point.scores.overall = day.overall_sum / day.overall_count;
    day.point.scores.grade = GradeFor(*day.point.scores.overall, cuts);
    // Strict comparisons keep the earliest day on ties.
    if (!worst || *day.point.scores.overall < *worst->point.scores.overall) worst = &day;
    if (!best || *day.point.scores.overall > *best->point.scores.overall) best = &day;
  }
  if (worst && best && *worst->point.scores.overall != *best->point.scores.overall) {
    p.worst_day = worst->point;
    p.best_day = best->point;
  }
  return p;
}

// The complete or partial runs of one period with their results and scores, oldest first.
struct PeriodRuns {
  std::vector<RunRecord> runs;
  std::vector<std::vector<SourceResult>> results;
  std::vector<RunScores> scores;
  std::vector<ScoreSet> province;  // every check of the run pooled
};

Result<PeriodRuns> LoadPeriodRuns(HistoryStore& store, const std::vector<RunRecord>& all,
                                  const Period& period, const ScoringConfig& scoring) {
  PeriodRuns out;
  for (const RunRecord& run : all) {
    if (Reportable(run) && period.Contains(run.today)) out.runs.push_back(run);
  }
  std::sort(out.runs.begin(), out.runs.end(), [](const RunRecord& a, const RunRecord& b) {
    return a.today != b.today ? a.today < b.today : a.id < b.id;
  });
  for (const RunRecord& run : out.runs) {
    DQA_ASSIGN_OR_RETURN(std::vector<SourceResult> sources, store.LoadRun(run.id));
    std::vector<const CheckResult*> pooled;
    for (const SourceResult& s : sources) {
      for (const CheckResult& r : s.results) pooled.push_back(&r);
    }
    out.province.push_back(ScoreResults(pooled, scoring));
    out.scores.push_back(ScoreRun(sources, scoring));
    out.results.push_back(std::move(sources));
  }
  return out;
}

// The province's and every department's series over the period (departments in order of first
// appearance, unranked).
std::pair<PeriodScores, std::vector<PeriodScores>> SummarizeAll(const PeriodRuns& p,
                                                                const GradeCuts& cuts) {
  const size_t n = p.runs.size();
  std::vector<const ScoreSet*> sets;
  for (const ScoreSet& s : p.province) sets.push_back(&s);
  std::pair<PeriodScores, std::vector<PeriodScores>> out;
  out.first = Summarize("", p.runs, sets, cuts);
  std::vector<std::string> departments;
  for (const RunScores& rs : p.scores) {
    for (const DepartmentScore& d : rs.departments) {
      if (std::find(departments.begin(), departments.end(), d.department) == departments.end()) {
        departments.push_back(d.department);
      }
    }
  }
  for (const std::string& name : departments) {
    sets.assign(n, nullptr);
    for (size_t i = 0; i < n; ++i) {
      if (const DepartmentScore* d = p.scores[i].FindDepartment(name)) sets[i] = &d->scores;
    }
    out.second.push_back(Summarize(name, p.runs, sets, cuts));
  }
  return out;
}

void SetPrevious(PeriodScores& now, const PeriodScores& before) {
  now.previous_average = before.average;
  now.previous_overall = before.average_overall;
}

}  // namespace

Result<PeriodReport> BuildPeriodReport(HistoryStore& store, std::string_view period_text,
                                       const ReportOptions& options) {
  DQA_ASSIGN_OR_RETURN(const Period period, ParsePeriod(period_text));
  PeriodReport report;
  report.period = period.ToString();
  report.kind = period.kind;
  report.previous_period = period.Previous().ToString();
  DQA_ASSIGN_OR_RETURN(std::vector<RunRecord> all, store.ListRuns(kAllRuns));
  DQA_ASSIGN_OR_RETURN(PeriodRuns now, LoadPeriodRuns(store, all, period, options.scoring));
  if (now.runs.empty()) {
    return NotFound(fmt::format("no complete or partial run in {}", report.period));
  }
  report.runs = now.runs;
  const size_t n = report.runs.size();
  auto [province, departments] = SummarizeAll(now, options.scoring.grades);
  report.province = std::move(province);
  report.departments = std::move(departments);

  // The change against the previous period of the same kind: its averages, by department name.
  DQA_ASSIGN_OR_RETURN(PeriodRuns before,
                       LoadPeriodRuns(store, all, period.Previous(), options.scoring));
  report.previous_runs = static_cast<int>(before.runs.size());
  if (!before.runs.empty()) {
    const auto [before_province, before_departments] = SummarizeAll(before, options.scoring.grades);
    SetPrevious(report.province, before_province);
    for (PeriodScores& d : report.departments) {
      for (const PeriodScores& b : before_departments) {
        if (b.name == d.name) SetPrevious(d, b);
      }
    }
  }
  std::sort(report.departments.begin(), report.departments.end(),
            [](const PeriodScores& a, const PeriodScores& b) {
              return RanksBefore(a.average_overall, a.name, b.average_overall, b.name);
            });
  for (size_t i = 0; i < report.departments.size(); ++i) {
    report.departments[i].rank = static_cast<int>(i + 1);
  }
  const std::vector<std::vector<SourceResult>>& results = now.results;

  // Checks: those of the last run in its order, then checks the last run no longer has, by
  // source and id. The latest result of a check gives its department, dimension and severity.
  using Key = std::pair<std::string, std::string>;
  std::map<Key, size_t> index;
  std::vector<Key> later;
  auto add = [&](const SourceResult& s, const CheckResult& r, size_t run) {
    auto [it, inserted] = index.try_emplace(Key{s.source, r.id}, report.checks.size());
    if (inserted) {
      PeriodCheck& c = report.checks.emplace_back();
      c.source = s.source;
      c.check_id = r.id;
    }
    PeriodCheck& c = report.checks[it->second];
    c.naming = NamingOf(r);
    c.points.push_back(
        {report.runs[run].id, report.runs[run].today, r.outcome, r.violations, r.percent, r.value});
  };
  for (size_t i = 0; i < n; ++i) {
    for (const SourceResult& s : results[i]) {
      for (const CheckResult& r : s.results) add(s, r, i);
    }
  }
  // Reorder: last run's checks first.
  std::vector<PeriodCheck> ordered;
  std::vector<bool> taken(report.checks.size(), false);
  for (const SourceResult& s : results.back()) {
    for (const CheckResult& r : s.results) {
      const size_t at = index.at(Key{s.source, r.id});
      if (taken[at]) continue;
      taken[at] = true;
      ordered.push_back(std::move(report.checks[at]));
    }
  }
  std::vector<PeriodCheck> rest;
  for (size_t i = 0; i < report.checks.size(); ++i) {
    if (!taken[i]) rest.push_back(std::move(report.checks[i]));
  }
  std::sort(rest.begin(), rest.end(), [](const PeriodCheck& a, const PeriodCheck& b) {
    return a.source != b.source ? a.source < b.source : a.check_id < b.check_id;
  });
  for (PeriodCheck& c : rest) ordered.push_back(std::move(c));
  report.checks = std::move(ordered);

  // Counts over the points, and the attributes of the latest result.
  std::map<Key, std::pair<const SourceResult*, const CheckResult*>> latest;
  for (size_t i = 0; i < n; ++i) {
    for (const SourceResult& s : results[i]) {
      for (const CheckResult& r : s.results) latest[Key{s.source, r.id}] = {&s, &r};
    }
  }
  for (PeriodCheck& c : report.checks) {
    const auto [s, r] = latest.at(Key{c.source, c.check_id});
    c.department = s->department;
    c.dimension = r->dimension;
    c.severity = r->severity;
    c.last_outcome = r->outcome;
    c.latest_metrics.metrics = r->metrics;
    if (!r->metrics.empty()) c.latest_metrics.message_args = r->message_args;
    c.runs = static_cast<int>(c.points.size());
    int64_t sum = 0;
    int measured = 0;
    for (const CheckPoint& p : c.points) {
      switch (p.outcome) {
        case Outcome::kPass:
          ++c.passed;
          break;
        case Outcome::kWarn:
          ++c.warned;
          break;
        case Outcome::kFail:
          ++c.failed;
          break;
        case Outcome::kError:
          ++c.errors;
          continue;  // measured nothing: not in the violations
      }
      sum += p.violations;
      ++measured;
      if (c.worst_day.empty() || p.violations > c.max_violations) {
        c.max_violations = p.violations;
        c.worst_day = p.today;
      }
    }
    if (measured > 0) c.mean_violations = static_cast<double>(sum) / measured;
  }

  // Indicators: by source, check and indicator id, in the order first reported.
  std::map<std::array<std::string, 3>, size_t> indicator_index;
  std::vector<std::pair<double, int>> value_sums;  // sum and count of values, per indicator
  for (size_t run = 0; run < n; ++run) {
    for (const SourceResult& s : results[run]) {
      for (const CheckResult& r : s.results) {
        for (const Indicator& i : r.indicators) {
          auto [it, inserted] =
              indicator_index.try_emplace({s.source, r.id, i.id}, report.indicators.size());
          if (inserted) {
            report.indicators.push_back({.source = s.source, .check_id = r.id});
            value_sums.emplace_back(0, 0);
          }
          PeriodIndicator& p = report.indicators[it->second];
          p.department = s.department;
          p.check = NamingOf(r);
          p.last = i;
          p.texts = r.message_args;
          p.last_outcome = i.Judge();
          ++p.runs;
          if (p.last_outcome == Outcome::kPass) ++p.met;
          if (i.value) {
            value_sums[it->second].first += *i.value;
            ++value_sums[it->second].second;
          }
        }
      }
    }
  }
  for (size_t k = 0; k < report.indicators.size(); ++k) {
    const auto [sum, count] = value_sums[k];
    if (count > 0) report.indicators[k].mean_value = sum / count;
  }
  report.issuer = options.issuer;
  report.grades = options.scoring.grades;
  report.generated_unix_ms = NowUnixMs();
  return report;
}

Result<ReportOptions> LoadReportOptions(const std::string& scoring_path) {
  ReportOptions options;
  if (scoring_path.empty()) return options;
  DQA_ASSIGN_OR_RETURN(options.scoring, LoadScoringConfig(scoring_path));
  DQA_ASSIGN_OR_RETURN(options.trends, LoadTrendConfig(scoring_path));
  return options;
}

}  // namespace dqa
