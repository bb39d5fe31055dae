#include "core/trends/trends.h"

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <utility>

#include "core/scoring/yaml_map.h"

namespace dqa {
namespace {

using CheckKey = std::pair<std::string, std::string>;  // source, check id
using CheckIndex = std::map<CheckKey, const CheckResult*>;

CheckIndex IndexRun(const RunResults& run) {
  CheckIndex index;
  for (const SourceResult& s : run.sources) {
    for (const CheckResult& r : s.results) index.emplace(CheckKey{s.source, r.id}, &r);
  }
  return index;
}

bool Failed(Outcome o) { return o == Outcome::kFail; }
bool PassedOrWarned(Outcome o) { return o == Outcome::kPass || o == Outcome::kWarn; }

// Flags `current` against `previous` (newest first) per docs/trends.md; nullopt when normal or
// when there is no history.
std::optional<Anomaly> Detect(double current, const std::vector<double>& previous,
                              const TrendConfig& config) {
  if (previous.empty()) return std::nullopt;
  Anomaly a;
  a.current = current;
  a.points = static_cast<int>(previous.size());
  if (a.points >= config.min_band_points) {
    a.method = Anomaly::Method::kBand;
    double sum = 0;
    for (double v : previous) sum += v;
    a.mean = sum / a.points;
    double squares = 0;
    for (double v : previous) squares += (v - a.mean) * (v - a.mean);
    a.stddev = std::sqrt(squares / (a.points - 1));
    a.low = a.mean - config.sigmas * a.stddev;
    a.high = a.mean + config.sigmas * a.stddev;
    if (current >= a.low && current <= a.high) return std::nullopt;
    if (std::fabs(current - a.mean) < config.min_abs_change) return std::nullopt;
  } else {
    a.method = Anomaly::Method::kJump;
    a.mean = previous.front();
    const double allowed = config.jump_ratio * std::fabs(a.mean);
    a.low = a.mean - allowed;
    a.high = a.mean + allowed;
    const double change = std::fabs(current - a.mean);
    if (change <= allowed || change < config.min_abs_change) return std::nullopt;
  }
  a.direction = current > a.mean ? 1 : -1;
  return a;
}

// `scores[i]` is the entity's ScoreSet in run i (oldest first, the current run last), or null.
SeriesTrend Series(const std::vector<const ScoreSet*>& scores,
                   const std::function<std::optional<double>(const ScoreSet&)>& get) {
  SeriesTrend t;
  std::vector<std::pair<double, double>> points;
  const size_t last = scores.size() - 1;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] == nullptr) continue;
    const std::optional<double> v = get(*scores[i]);
    if (!v) continue;
    points.emplace_back(static_cast<double>(i), *v);
    if (i == last) {
      t.current = v;
    } else {
      t.previous = v;  // ascending: ends as the most recent earlier value
    }
  }
  t.points = static_cast<int>(points.size());
  if (t.current && t.previous) t.delta = *t.current - *t.previous;
  t.slope = LeastSquaresSlope(points);
  return t;
}

ScoreTrend Trend(const std::string& name, const std::vector<const ScoreSet*>& scores,
                 const std::vector<const RunResults*>& runs) {
  ScoreTrend t;
  t.name = name;
  for (size_t d = 0; d < t.dimensions.size(); ++d) {
    t.dimensions[d] = Series(scores, [d](const ScoreSet& s) { return s.dimensions[d].score; });
  }
  t.overall = Series(scores, [](const ScoreSet& s) { return s.overall; });
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] != nullptr) t.history.push_back({runs[i]->run_id, runs[i]->today, *scores[i]});
  }
  return t;
}

}  // namespace

std::optional<double> LeastSquaresSlope(const std::vector<std::pair<double, double>>& points) {
  if (points.size() < 2) return std::nullopt;
  double mx = 0;
  double my = 0;
  for (const auto& [x, y] : points) {
    mx += x;
    my += y;
  }
  mx /= static_cast<double>(points.size());
  my /= static_cast<double>(points.size());
  double sxy = 0;
  double sxx = 0;
  for (const auto& [x, y] : points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  if (sxx == 0) return std::nullopt;
  return sxy / sxx;
}

std::string_view ToString(CheckChange::Kind kind) {
  return kind == CheckChange::Kind::kNewFailure ? "new_failure" : "resolved";
}

std::string_view ToString(Anomaly::Method method) {
  return method == Anomaly::Method::kBand ? "band" : "jump";
}

TrendReport AnalyzeTrends(const RunResults& current, const std::vector<RunResults>& history,
                          const TrendConfig& trend, const ScoringConfig& scoring) {
  TrendReport report;
  report.run_id = current.run_id;
  std::vector<CheckIndex> indexes;
  for (const RunResults& run : history) {
    report.previous_run_ids.push_back(run.run_id);
    indexes.push_back(IndexRun(run));
  }

  for (const SourceResult& source : current.sources) {
    for (const CheckResult& r : source.results) {
      CheckHistory& chart = report.checks.emplace_back();
      chart.source = source.source;
      chart.check_id = r.id;
      for (size_t i = history.size(); i-- > 0;) {
        auto it = indexes[i].find(CheckKey{source.source, r.id});
        if (it == indexes[i].end()) continue;
        const CheckResult& p = *it->second;
        chart.points.push_back(
            {history[i].run_id, history[i].today, p.outcome, p.violations, p.percent, p.value});
      }
      chart.points.push_back(
          {current.run_id, current.today, r.outcome, r.violations, r.percent, r.value});
      if (r.outcome == Outcome::kError) continue;
      // Previous results of this check that ran, newest first.
      std::vector<std::pair<int64_t, const CheckResult*>> previous;
      for (size_t i = 0; i < history.size(); ++i) {
        auto it = indexes[i].find(CheckKey{source.source, r.id});
        if (it == indexes[i].end() || it->second->outcome == Outcome::kError) continue;
        previous.emplace_back(history[i].run_id, it->second);
      }
      if (!previous.empty()) {
        const auto& [prev_run, prev] = previous.front();
        std::optional<CheckChange::Kind> kind;
        if (Failed(r.outcome) && PassedOrWarned(prev->outcome)) {
          kind = CheckChange::Kind::kNewFailure;
        } else if (Failed(prev->outcome) && PassedOrWarned(r.outcome)) {
          kind = CheckChange::Kind::kResolved;
        }
        if (kind) {
          report.changes.push_back({*kind, source.source, source.department, r.id, r.dimension,
                                    r.severity, prev->outcome, r.outcome, prev_run,
                                    prev->violations, r.violations});
        }
      }
      std::vector<double> violations;
      std::vector<double> values;
      for (const auto& [run_id, p] : previous) {
        violations.push_back(static_cast<double>(p->violations));
        if (p->value) values.push_back(*p->value);
      }
      auto add = [&](std::optional<Anomaly> a, const char* metric) {
        if (!a) return;
        a->source = source.source;
        a->department = source.department;
        a->check_id = r.id;
        a->dimension = r.dimension;
        a->outcome = r.outcome;
        a->metric = metric;
        report.anomalies.push_back(std::move(*a));
      };
      add(Detect(static_cast<double>(r.violations), violations, trend), "violations");
      if (r.value) add(Detect(*r.value, values, trend), "value");
    }
  }

  // Runs oldest first, the current run last, each scored once.
  std::vector<const RunResults*> runs;
  for (auto it = history.rbegin(); it != history.rend(); ++it) runs.push_back(&*it);
  runs.push_back(&current);
  std::vector<RunScores> scores;
  for (const RunResults* run : runs) scores.push_back(ScoreRun(run->sources, scoring));
  const RunScores& now = scores.back();
  for (const SourceScore& s : now.sources) {
    std::vector<const ScoreSet*> series;
    for (const RunScores& rs : scores) {
      const SourceScore* found = rs.FindSource(s.source);
      series.push_back(found ? &found->scores : nullptr);
    }
    report.sources.push_back(Trend(s.source, series, runs));
  }
  for (const DepartmentScore& d : now.departments) {
    std::vector<const ScoreSet*> series;
    for (const RunScores& rs : scores) {
      const DepartmentScore* found = rs.FindDepartment(d.department);
      series.push_back(found ? &found->scores : nullptr);
    }
    report.departments.push_back(Trend(d.department, series, runs));
  }
  return report;
}

Result<TrendReport> AnalyzeTrends(HistoryStore& store, int64_t run_id, const TrendConfig& trend,
                                  const ScoringConfig& scoring) {
  DQA_ASSIGN_OR_RETURN(RunRecord run, store.GetRun(run_id));
  RunResults current{run.id, run.today, {}};
  DQA_ASSIGN_OR_RETURN(current.sources, store.LoadRun(run_id));
  DQA_ASSIGN_OR_RETURN(std::vector<RunRecord> previous, store.ListRunsBefore(run_id, trend.window));
  std::vector<RunResults> history;
  for (const RunRecord& p : previous) {
    RunResults r{p.id, p.today, {}};
    DQA_ASSIGN_OR_RETURN(r.sources, store.LoadRun(p.id));
    history.push_back(std::move(r));
  }
  return AnalyzeTrends(current, history, trend, scoring);
}

Result<TrendConfig> ParseTrendConfig(const std::string& yaml_text, const std::string& name) {
  DQA_ASSIGN_OR_RETURN(YAML::Node root, config::LoadRoot(yaml_text, name));
  TrendConfig c;
  try {
    YAML::Node node;
    for (const auto& kv : root) {
      if (kv.first.Scalar() == "trends") node = kv.second;
    }
    if (!node.IsDefined() || node.IsNull()) return c;
    DQA_ASSIGN_OR_RETURN(config::YamlMap map,
                         config::YamlMap::Read(node, name, "trends",
                                               {"window", "min_band_points", "sigmas", "jump_ratio",
                                                "min_abs_change"}));
    constexpr double kInf = std::numeric_limits<double>::infinity();
    DQA_RETURN_IF_ERROR(map.Integer("window", 1, 1000, c.window));
    DQA_RETURN_IF_ERROR(map.Integer("min_band_points", 2, 1000, c.min_band_points));
    DQA_RETURN_IF_ERROR(map.Number("sigmas", 0, kInf, true, c.sigmas));
    DQA_RETURN_IF_ERROR(map.Number("jump_ratio", 0, kInf, true, c.jump_ratio));
    DQA_RETURN_IF_ERROR(map.Number("min_abs_change", 0, kInf, false, c.min_abs_change));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(name + ": YAML error: " + e.what());
  }
  return c;
}

Result<TrendConfig> LoadTrendConfig(const std::string& path) {
  DQA_ASSIGN_OR_RETURN(std::string text, ReadConfigFile(path));
  return ParseTrendConfig(text, path);
}

}  // namespace dqa
