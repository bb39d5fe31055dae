// What a report shows, gathered from the history store: a run (scores, ranking, trends, worst
// checks, per-check history) or a month of runs. Renderers in reports/ turn these into HTML, JSON,
// CSV and XLSX; nothing here is language-specific.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/history/store.h"
#include "core/scoring/config.h"
#include "core/scoring/score.h"
#include "core/trends/trends.h"
#include "core/util/status.h"

namespace dqa {

struct ReportOptions {
  int worst_checks = 10;   // checks listed as the worst on the summary page
  ScoringConfig scoring;   // default weights unless a scoring file was given
  TrendConfig trends;      // trends.window runs feed sparklines, charts and anomalies
};

// The options of a report from a scoring file (docs/scoring.md, with its `trends:` map): its
// weights and its trend settings; the defaults when `scoring_path` is "". The errors of
// LoadScoringConfig, then of LoadTrendConfig.
Result<ReportOptions> LoadReportOptions(const std::string& scoring_path);

// One check result of the run, with what its history says.
struct ReportCheck {
  CheckResult result;                       // as recorded (samples, metrics, message)
  std::optional<CheckChange::Kind> change;  // crossed the fail line since the previous run
  std::optional<Anomaly> anomaly;           // left its historical band (even under threshold)
  std::vector<CheckPoint> history;          // oldest first, this run last
  double score_loss = 0;  // weight × loss (docs/scoring.md): what it costs its dimension
};

struct ReportSource {
  std::string source;
  std::string department;
  std::string database;
  std::string error;                        // non-empty: the source could not be scanned
  std::optional<int64_t> carried_from_run;  // results carried over (nightly), not scanned
  ScoreSet scores;
  ScoreTrend trend;
  std::vector<ReportCheck> checks;  // in the run's check order
};

struct ReportDepartment {
  std::string department;
  int rank = 0;  // 1 = best overall score; unmeasured departments last; ties by name
  ScoreSet scores;
  ScoreTrend trend;             // sparklines: trend.history, oldest first
  std::vector<size_t> sources;  // indexes into RunReport::sources, in run order
};

// A reference to one check of the report: RunReport::sources[source].checks[check].
struct CheckRef {
  size_t source = 0;
  size_t check = 0;
};

// An entry of the inspection plan, shown in the HTML report (issue 5 fills it; may be empty).
struct ReportScheduleEntry {
  std::string date;  // YYYY-MM-DD
  std::string department;
  int priority = 0;                  // 1 = inspected first
  double risk = 0;                   // 0..100
  std::vector<std::string> reasons;  // already in the report's language
};

// One indicator of the run (docs/reports.md "Indicators"): the `indicator` checks' figures and
// those plugin checks publish, in run order.
struct ReportIndicator {
  std::string source;
  std::string department;
  std::string check_id;
  Indicator indicator;
  Outcome outcome = Outcome::kPass;  // indicator.Judge(): met, within warn_within, or missed
  // The check's message_args: a plugin's titles of its indicators in both languages (PluginText).
  std::vector<std::pair<std::string, std::string>> texts;
};

struct RunReport {
  RunRecord run;
  std::optional<RunRecord> previous;  // the newest earlier run the trends compare with
  ScoreSet province;                  // every check of the run pooled (one formula)
  std::vector<ReportSource> sources;          // in run order
  std::vector<ReportDepartment> departments;  // ranked, best first
  std::vector<CheckRef> worst;                // non-passing checks, largest score_loss first,
                                              // at most options.worst_checks; ties: source, check id
  std::vector<CheckChange> changes;           // new failures and resolved ones
  std::vector<Anomaly> anomalies;
  std::vector<ReportScheduleEntry> schedule;  // empty unless a schedule was attached
  std::vector<ReportIndicator> indicators;    // every indicator of the run, in run order
  int64_t generated_unix_ms = 0;
};

// Builds the report of run `run_id` (any status that has results). NotFound for an unknown run;
// store errors otherwise. Reads only.
Result<RunReport> BuildRunReport(HistoryStore& store, int64_t run_id, const ReportOptions& options);
// The newest run with status complete or partial; NotFound when there is none.
Result<int64_t> LatestReportableRun(HistoryStore& store);

// ---- Monthly report (`dqaudit report --period YYYY-MM`) ----

// One run of the month, for day-by-day series.
struct PeriodPoint {
  int64_t run_id = 0;
  std::string today;
  ScoreSet scores;
};

// A department (or the whole province) over the month.
struct PeriodScores {
  std::string name;  // department name; "" for the province
  int rank = 0;      // departments: 1 = best average overall; ties by name
  std::array<std::optional<double>, 4> average;  // mean of the measured runs, per dimension
  std::optional<double> average_overall;
  std::optional<Grade> grade;                    // of average_overall
  std::optional<PeriodPoint> worst_day;          // lowest overall score (earliest on ties)
  std::optional<PeriodPoint> best_day;           // highest overall score (earliest on ties)
  std::optional<double> first_overall;           // first and last measured run of the month
  std::optional<double> last_overall;
  std::optional<double> slope;                   // least-squares points per run, >= 2 runs
  std::vector<PeriodPoint> points;               // every run of the month, oldest first
};

// One check over the month.
struct PeriodCheck {
  std::string source;
  std::string department;
  std::string check_id;
  // The metrics of its latest result (plugin checks) and the plugin's names for them (its
  // message_args, PluginText): what reports::MetricsText renders; no metrics otherwise.
  CheckResult latest_metrics;
  Dimension dimension = Dimension::kValidity;
  Severity severity = Severity::kFail;
  int runs = 0;
  int passed = 0;
  int warned = 0;
  int failed = 0;
  int errors = 0;
  double mean_violations = 0;
  int64_t max_violations = 0;
  std::string worst_day;  // today of the run with max_violations (earliest on ties)
  Outcome last_outcome = Outcome::kPass;
  std::vector<CheckPoint> points;  // oldest first
};

// One indicator over the month: its last figure, and how often it met its target.
struct PeriodIndicator {
  std::string source;
  std::string department;
  std::string check_id;
  Indicator last;                    // from the month's last run that has it
  // That run's message_args of the check: a plugin's titles in both languages (PluginText).
  std::vector<std::pair<std::string, std::string>> texts;
  Outcome last_outcome = Outcome::kPass;
  int runs = 0;                      // runs of the month that report it
  int met = 0;                       // of those, runs where it met its target (Judge() pass)
  std::optional<double> mean_value;  // mean of its values over the runs that have one
};

struct PeriodReport {
  std::string period;              // "YYYY-MM"
  std::vector<RunRecord> runs;     // runs whose `today` falls in the month, oldest first
  PeriodScores province;
  std::vector<PeriodScores> departments;  // ranked, best first
  std::vector<PeriodCheck> checks;        // run order of the last run, then the rest by id
  std::vector<PeriodIndicator> indicators;  // in the order first reported over the month
  int64_t generated_unix_ms = 0;
};

// Builds the monthly report from every run (status complete or partial) whose `today` is in
// `period` ("YYYY-MM"). InvalidArgument for a malformed period; NotFound when the month has no run.
Result<PeriodReport> BuildPeriodReport(HistoryStore& store, std::string_view period,
                                       const ReportOptions& options);

}  // namespace dqa
