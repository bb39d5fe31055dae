// Trends and anomalies: what changed in a run compared with the runs before it (docs/trends.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/history/store.h"
#include "core/scoring/score.h"

namespace dqa {

struct TrendConfig {
  int window = 10;            // N: previous runs looked at (1..1000)
  int min_band_points = 5;    // k: the mean ± sigmas band needs this many previous values (>= 2)
  double sigmas = 3;          // band half-width in standard deviations (> 0)
  double jump_ratio = 0.5;    // short history: flagged above this relative change (> 0)
  double min_abs_change = 5;  // never flagged for a change smaller than this (>= 0)
};

// Parses the `trends:` map of a scoring configuration file (keys as the fields above); missing
// keys keep their defaults, a file without `trends` gives the defaults. InvalidArgument
// "<name>:<line>:<col>: ..." for unknown keys and bad values.
Result<TrendConfig> ParseTrendConfig(const std::string& yaml_text, const std::string& name);
Result<TrendConfig> LoadTrendConfig(const std::string& path);

// A check whose outcome crossed the fail line since the last run that had a result for it.
struct CheckChange {
  enum class Kind { kNewFailure, kResolved };
  Kind kind = Kind::kNewFailure;
  std::string source;
  std::string department;
  std::string check_id;
  Dimension dimension = Dimension::kValidity;
  Severity severity = Severity::kFail;
  Outcome previous_outcome = Outcome::kPass;
  Outcome current_outcome = Outcome::kPass;
  int64_t previous_run_id = 0;
  int64_t previous_violations = 0;
  int64_t current_violations = 0;
};

// A metric of a check outside what its history predicts, whatever the check's outcome.
struct Anomaly {
  enum class Method {
    kBand,  // outside mean ± sigmas × stddev of the last `points` values (points >= k)
    kJump,  // short history: relative change against the previous value above jump_ratio
  };
  std::string source;
  std::string department;
  std::string check_id;
  Dimension dimension = Dimension::kValidity;
  Outcome outcome = Outcome::kPass;  // of the current result (often pass or warn)
  std::string metric;                // "violations" or "value"
  double current = 0;
  Method method = Method::kBand;
  int points = 0;     // previous values used
  double mean = 0;    // kBand: mean of the previous values; kJump: the previous value
  double stddev = 0;  // kBand: sample standard deviation; kJump: 0
  double low = 0;     // kBand: mean - sigmas × stddev; kJump: previous × (1 - jump_ratio)
  double high = 0;    // kBand: mean + sigmas × stddev; kJump: previous × (1 + jump_ratio)
  int direction = 0;  // +1 above the band, -1 below
};

// One score series (a dimension or overall) of a source or department over the runs.
struct SeriesTrend {
  std::optional<double> current;   // nullopt: not measured in this run
  std::optional<double> previous;  // most recent earlier run where it was measured
  std::optional<double> delta;     // current - previous
  std::optional<double> slope;     // least-squares points per run over the window, >= 2 points
  int points = 0;                  // measured runs in the window, this run included
};

// A score in one run, for sparklines.
struct ScorePoint {
  int64_t run_id = 0;
  std::string today;
  ScoreSet scores;
};

struct ScoreTrend {
  std::string name;                       // source id or department name
  std::array<SeriesTrend, 4> dimensions;  // indexed by Dimension
  SeriesTrend overall;
  std::vector<ScorePoint> history;  // runs of the window where it has a result, oldest first,
                                    // this run last
};

// One result of a check in one run, for its history chart.
struct CheckPoint {
  int64_t run_id = 0;
  std::string today;
  Outcome outcome = Outcome::kPass;
  int64_t violations = 0;
  double percent = 0;
  std::optional<double> value;
};

// The results of one check of the run over the window (runs without the check are left out;
// `error` results are kept so a chart can show them), oldest first, this run last.
struct CheckHistory {
  std::string source;
  std::string check_id;
  std::vector<CheckPoint> points;
};

struct TrendReport {
  int64_t run_id = 0;
  std::vector<int64_t> previous_run_ids;  // the window, newest first
  std::vector<CheckChange> changes;       // in the run's source and check order
  std::vector<Anomaly> anomalies;         // in the run's source and check order
  std::vector<ScoreTrend> sources;        // in the run's source order
  std::vector<ScoreTrend> departments;    // in order of first appearance in the run
  std::vector<CheckHistory> checks;       // every check of the run, in the run's order
};

// Compares run `run_id` with up to `trend.window` runs before it (any status), scoring every run
// with `scoring`. NotFound for an unknown run; errors of the store otherwise. Reads only.
Result<TrendReport> AnalyzeTrends(HistoryStore& store, int64_t run_id, const TrendConfig& trend,
                                  const ScoringConfig& scoring);

// Pure core of AnalyzeTrends: `history` are the previous runs' results, newest first, with their
// run ids and days. Exposed for tests and for callers that already hold the runs.
struct RunResults {
  int64_t run_id = 0;
  std::string today;
  std::vector<SourceResult> sources;
};
TrendReport AnalyzeTrends(const RunResults& current, const std::vector<RunResults>& history,
                          const TrendConfig& trend, const ScoringConfig& scoring);

// Least-squares slope of y over x; nullopt for fewer than two points or a single x.
std::optional<double> LeastSquaresSlope(const std::vector<std::pair<double, double>>& points);

std::string_view ToString(CheckChange::Kind kind);  // "new_failure", "resolved"
std::string_view ToString(Anomaly::Method method);  // "band", "jump"

}  // namespace dqa
