// What a report shows, gathered from the history store: a run (scores, ranking, trends, worst
// checks, per-check history) or a period of runs (a month, a quarter or a year). Renderers in reports/ turn these into HTML, JSON,
// CSV and XLSX; nothing here is language-specific.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/history/store.h"
#include "core/report/period.h"
#include "core/scoring/config.h"
#include "core/scoring/score.h"
#include "core/trends/trends.h"
#include "core/util/local_time.h"
#include "core/util/status.h"

namespace dqa {

// Who issues a report, for where, and on whose clock (docs/reports.md "First screen"): the
// operator's `report --issuer/--province/--timezone` or the nightly `reports:` keys.
struct ReportIssuer {
  std::string issuer;    // issuing body ("Ban Chỉ đạo chuyển đổi số tỉnh"); "" = not shown
  std::string province;  // "Tỉnh Bình Minh"; "" = not shown
  std::string timezone = std::string(kDefaultTimeZone);  // IANA name; every time shown is in it
};

struct ReportOptions {
  ReportIssuer issuer;
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
  // The file name (no folder) of the list of every failing row written beside the report
  // (failing-run-<id>-<source>-<check>.csv); "" = none. Set by the writer, not by BuildRunReport.
  std::string failing_csv;
  int64_t failing_listed = 0;  // rows in that file
  int64_t failing_total = 0;   // rows the check found (more than listed when the list was cut)
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
  CheckNaming check;  // of the check that reports it
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
  ReportIssuer issuer;                        // options.issuer
  GradeCuts grades;                           // options.scoring.grades (the grade legend)
  int64_t generated_unix_ms = 0;
};

// Builds the report of run `run_id` (any status that has results). NotFound for an unknown run;
// store errors otherwise. Reads only.
Result<RunReport> BuildRunReport(HistoryStore& store, int64_t run_id, const ReportOptions& options);
// The newest run with status complete or partial; NotFound when there is none.
Result<int64_t> LatestReportableRun(HistoryStore& store);

// ---- Period report (`dqaudit report --period 2026-10 | 2026-Q4 | 2026`) ----

// One run of the period, for run-by-run series; as a best or worst day, that day (the mean of
// its runs, run_id its last run).
struct PeriodPoint {
  int64_t run_id = 0;
  std::string today;
  ScoreSet scores;
};

// A department (or the whole province) over the period.
struct PeriodScores {
  std::string name;  // department name; "" for the province
  int rank = 0;      // departments: 1 = best average overall; ties by name
  std::array<std::optional<double>, 4> average;  // mean of the measured runs, per dimension
  std::optional<double> average_overall;
  std::optional<Grade> grade;                    // of average_overall
  // A day's score is the mean overall of its runs. Worst and best are the lowest and highest
  // day (earliest on ties), set only when at least two days were measured and they differ:
  // one day, or days that all scored the same, have no best or worst (see `days`).
  std::optional<PeriodPoint> worst_day;
  std::optional<PeriodPoint> best_day;
  int days = 0;                                  // days with a measured overall score
  std::optional<double> first_overall;           // first and last measured run of the period
  std::optional<double> last_overall;
  std::optional<double> slope;                   // least-squares points per run, >= 2 runs
  std::vector<PeriodPoint> points;               // every run of the period, oldest first
  // The average of the previous period of the same kind (PeriodReport::previous_period); nullopt
  // when it had no run, or none where this department was measured.
  std::array<std::optional<double>, 4> previous_average;
  std::optional<double> previous_overall;
};

// One check over the month.
struct PeriodCheck {
  std::string source;
  std::string department;
  std::string check_id;
  CheckNaming naming;  // of its latest result
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
  CheckNaming check;  // of the check that reports it, in its latest run
  Indicator last;                    // from the month's last run that has it
  // That run's message_args of the check: a plugin's titles in both languages (PluginText).
  std::vector<std::pair<std::string, std::string>> texts;
  Outcome last_outcome = Outcome::kPass;
  int runs = 0;                      // runs of the month that report it
  int met = 0;                       // of those, runs where it met its target (Judge() pass)
  std::optional<double> mean_value;  // mean of its values over the runs that have one
};

struct PeriodReport {
  std::string period;              // "2026-10", "2026-Q4" or "2026" (Period::ToString)
  PeriodKind kind = PeriodKind::kMonth;
  std::vector<RunRecord> runs;     // runs whose `today` falls in the period, oldest first
  std::string previous_period;     // the period of the same kind just before
  int previous_runs = 0;           // its complete or partial runs; 0 = "no previous period"
  PeriodScores province;
  std::vector<PeriodScores> departments;  // ranked, best first
  std::vector<PeriodCheck> checks;        // run order of the last run, then the rest by id
  std::vector<PeriodIndicator> indicators;  // in the order first reported over the month
  ReportIssuer issuer;                      // options.issuer
  GradeCuts grades;                         // options.scoring.grades (the grade legend)
  int64_t generated_unix_ms = 0;
};

// Builds the report of `period` ("2026-10", "2026-Q4", "2026"; ParsePeriod) from every run
// (status complete or partial) whose `today` is in it, with the averages of the previous period
// of the same kind. InvalidArgument for a malformed period; NotFound when the period has no run.
Result<PeriodReport> BuildPeriodReport(HistoryStore& store, std::string_view period,
                                       const ReportOptions& options);

}  // namespace dqa
