// `dqaudit scores`: what operators and inspection teams need before the reports: the scores of a
// run per department (and source), the change since the previous run, and what started or stopped
// failing. Reports (issue 4) present the same numbers for officials.
#include "core/cli/scores_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/history/store.h"
#include "core/report/report_data.h"
#include "core/scoring/score.h"
#include "core/trends/trends.h"
#include "dqaudit/utf8.h"

namespace dqa::cli {
namespace {

// The name column: a rank and the longest department name of the demo province
// ("Sở Lao động - Thương binh và Xã hội") with room to spare.
constexpr size_t kNameWidth = 42;

constexpr Dimension kDimensions[] = {Dimension::kValidity, Dimension::kCompleteness,
                                     Dimension::kUniqueness, Dimension::kFreshness};

std::string Score(const std::optional<double>& s) {
  return s ? fmt::format("{:.1f}", std::round(*s * 10) / 10) : "-";
}

std::string Delta(const std::optional<double>& d) {
  if (!d) return "-";
  const double rounded = std::round(*d * 10) / 10;
  return rounded == 0 ? "0.0" : fmt::format("{:+.1f}", rounded);
}

std::string GradeText(const std::optional<Grade>& g) {
  if (!g) return "-";
  return fmt::format("{} ({})", GradeLabelVi(*g), GradeLabelEn(*g));
}

// Pads by code points so Vietnamese names line up (combining marks are rare in department names).
std::string Pad(const std::string& text, size_t width) {
  const size_t points = sdk::CountCodePoints(text);
  return points >= width ? text + " " : text + std::string(width - points, ' ');
}

void PrintRow(const std::string& name, const ScoreSet& s, const ScoreTrend* trend) {
  std::string line = Pad(name, kNameWidth);
  for (Dimension d : kDimensions) line += fmt::format("{:>7}", Score(s.dimension(d).score));
  line += fmt::format("{:>9}  ", Score(s.overall));
  line += Pad(GradeText(s.grade), 24);
  line += fmt::format("{:>7}", Delta(trend ? trend->overall.delta : std::nullopt));
  fmt::print("{}\n", line);
}

void PrintHeader(const std::string& what) {
  fmt::print("{}{:>7}{:>7}{:>7}{:>7}{:>9}  {}{:>7}\n", Pad(what, kNameWidth), "đúng", "đủ", "sạch", "sống",
             "overall", Pad("grade", 24), "delta");
}

// Indexes of `departments` worst first, the order inspection teams work in: lowest overall score
// first, ties by name; departments with no measured score last (by name).
std::vector<size_t> WorstFirst(const std::vector<DepartmentScore>& departments) {
  std::vector<size_t> order(departments.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&departments](size_t a, size_t b) {
    const DepartmentScore& x = departments[a];
    const DepartmentScore& y = departments[b];
    if (x.scores.overall.has_value() != y.scores.overall.has_value()) {
      return x.scores.overall.has_value();
    }
    if (x.scores.overall && *x.scores.overall != *y.scores.overall) {
      return *x.scores.overall < *y.scores.overall;
    }
    return x.department < y.department;
  });
  return order;
}

}  // namespace

CLI::App* AddScoresCommand(CLI::App& app, ScoresOptions& o) {
  CLI::App* scores = app.add_subcommand(
      "scores", "Print the quality scores of a recorded run per department (and source)");
  scores->fallthrough();
  scores->add_option("--history", o.history_path, "History store")->capture_default_str();
  auto* run = scores->add_option("--run", o.run_id, "Run id (see `dqaudit history`)")
                  ->check(CLI::Range(int64_t{1}, INT64_MAX));
  scores->add_flag("--latest", o.latest, "The most recent run (the default)")->excludes(run);
  scores
      ->add_option("--config", o.config_path,
                   "Scoring configuration (YAML, docs/scoring.md); default weights otherwise")
      ->check(CLI::ExistingFile);
  scores->add_flag("--sources", o.sources, "Also print one line per source");
  scores->footer(ExitCodesFooter(
      {{0, "printed"},
       {2, "bad option or configuration, no store at --history, no run or an unknown run"},
       {3, "the store cannot be read"}},
      "Departments are ranked worst first (lowest overall score; ties by name; unmeasured last).\n"
      "Scores are 0-100 per dimension: đúng (validity), đủ (completeness), sạch (uniqueness),\n"
      "sống (freshness); '-' = not measured. delta: overall change since the previous run.\n"
      "Formula: docs/scoring.md; trends and anomalies: docs/trends.md.\n"));
  return scores;
}

int RunScoresCommand(const ScoresOptions& o) {
  auto options = LoadReportOptions(o.config_path);
  if (!options.ok()) {
    fmt::print(stderr, "{}\n", options.status().message());
    return kExitUsage;
  }
  const ScoringConfig& scoring = options->scoring;
  const TrendConfig& trend = options->trends;
  auto store = HistoryStore::OpenReadOnly(o.history_path);
  if (!store.ok()) {
    fmt::print(stderr, "{}\n", store.status().message());
    return kExitUsage;
  }
  int64_t run_id = o.run_id;
  if (run_id == 0) {
    auto runs = (*store)->ListRuns(1);
    if (!runs.ok()) {
      fmt::print(stderr, "{}\n", runs.status().message());
      return kExitRuntime;
    }
    if (runs->empty()) {
      fmt::print(stderr, "no runs in {}\n", o.history_path);
      return kExitUsage;
    }
    run_id = runs->front().id;
  }
  auto run = (*store)->GetRun(run_id);
  if (!run.ok()) {
    fmt::print(stderr, "{}\n", run.status().message());
    return kExitUsage;
  }
  auto sources = (*store)->LoadRun(run_id);
  if (!sources.ok()) {
    fmt::print(stderr, "{}\n", sources.status().message());
    return kExitRuntime;
  }
  auto report = AnalyzeTrends(**store, run_id, trend, scoring);
  if (!report.ok()) {
    fmt::print(stderr, "{}\n", report.status().message());
    return kExitRuntime;
  }
  const RunScores scores = ScoreRun(*sources, scoring);

  fmt::print("run {} ({}, {}), compared with {} earlier run(s)\n\n", run->id, run->today,
             run->status, report->previous_run_ids.size());
  PrintHeader(" #  DEPARTMENT");
  const std::vector<size_t> ranked = WorstFirst(scores.departments);
  for (size_t rank = 0; rank < ranked.size(); ++rank) {
    const size_t i = ranked[rank];
    PrintRow(fmt::format("{:>2}  {}", rank + 1, scores.departments[i].department),
             scores.departments[i].scores, &report->departments[i]);
  }
  if (o.sources) {
    fmt::print("\n");
    PrintHeader("SOURCE");
    for (size_t i = 0; i < scores.sources.size(); ++i) {
      const SourceScore& s = scores.sources[i];
      PrintRow(s.scan_error ? s.source + " (not scanned)" : s.source, s.scores,
               &report->sources[i]);
    }
  }
  if (!report->changes.empty()) {
    fmt::print("\nchanges since the previous result of each check:\n");
    for (const CheckChange& c : report->changes) {
      fmt::print("  {:<12} {}/{} ({}): {} -> {}, violations {} -> {} (run {})\n",
                 c.kind == CheckChange::Kind::kNewFailure ? "NEW FAILURE" : "resolved", c.source,
                 c.check_id, ToString(c.severity), ToString(c.previous_outcome),
                 ToString(c.current_outcome), c.previous_violations, c.current_violations,
                 c.previous_run_id);
    }
  }
  if (!report->anomalies.empty()) {
    fmt::print("\nanomalies (outside the usual range, whatever the outcome):\n");
    for (const Anomaly& a : report->anomalies) {
      fmt::print("  {}/{} {} = {:g} ({}), usual {:g}..{:g} ({} over {} runs)\n", a.source,
                 a.check_id, a.metric, a.current, ToString(a.outcome), a.low, a.high,
                 a.method == Anomaly::Method::kBand ? "mean ± sigmas" : "jump", a.points);
    }
  }
  return kExitOk;
}

}  // namespace dqa::cli
