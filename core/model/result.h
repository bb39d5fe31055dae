// CheckResult and SourceResult: what a scan produces, streamed from a source scan to the orchestrator.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model/types.h"

namespace dqa {

// Which way an indicator should move: kHigher = at least the target, kLower = at most.
enum class Direction { kHigher, kLower };
// "higher", "lower" (and the reverse; nullopt if unknown).
std::string_view ToString(Direction d);
std::optional<Direction> ParseDirection(std::string_view s);

// A figure with a target (docs/checks.md "indicator"): the built-in `indicator` check reports one,
// a plugin check may report several. value = 100 * numerator / denominator for a percent; absent
// when the denominator is 0 (nothing to measure).
struct Indicator {
  std::string id;
  std::string title;  // "" = none
  std::optional<double> value;
  std::optional<double> target;  // absent: a figure without a target (always met)
  Direction direction = Direction::kHigher;
  double warn_within = 0;  // points on the wrong side of the target that still only warn
  std::string unit;        // "percent", or "" for a plain number
  int64_t numerator = 0;
  int64_t denominator = 0;

  // pass: no value, no target, or the value meets the target in its direction (equal meets);
  // warn: misses it by at most warn_within points; fail: misses it by more.
  Outcome Judge() const;
  bool operator==(const Indicator&) const = default;
};

// One unit's figures in a breakdown: the violations among its rows in scope, how many rows it has
// in scope, and (kAggregate checks, each unit measured on its own) the unit's measured figure.
struct UnitFigures {
  std::string unit;  // the unit's code as stored; kUnknownUnit for NULL, blank or unmapped
  int64_t violations = 0;
  int64_t rows_checked = 0;
  double percent = 0;  // the check's percent for the unit alone
  std::optional<double> value;
  std::string label;  // its name from the entry's `labels` ("Huyện Cái Bè"); "" = none
  bool operator==(const UnitFigures&) const = default;
};

// A unit as reports name it: "819 Huyện Cái Bè" (its code, then its label when it has one).
std::string UnitName(const UnitFigures& unit);

// A check's figures per unit of one `by` entry, worst unit first (RankUnits).
struct Breakdown {
  std::string by;  // the entry's unit name: its column, or the unit column of its map
  std::vector<UnitFigures> units;
  bool operator==(const Breakdown&) const = default;
};

// The unit of rows whose unit column is NULL, blank, or a code the map does not know.
inline constexpr std::string_view kUnknownUnit = "(không xác định)";

struct CheckResult {
  std::string id;
  std::string type;
  std::string source;
  std::string table;
  std::vector<std::string> columns;
  // The check's title per language code (CheckSpec::title); empty for results without a rule
  // (delivery, schema changes) and runs recorded before titles: reports then say the default
  // sentence of the type (core/i18n/titles.h).
  std::map<std::string, std::string> title;
  Dimension dimension = Dimension::kValidity;
  Severity severity = Severity::kFail;
  Outcome outcome = Outcome::kPass;
  int64_t violations = 0;
  int64_t rows_checked = 0;  // rows (or values, for coverage) the check looked at
  double percent = 0;        // 100 * violations / rows_checked; 0 when rows_checked is 0
  std::optional<int64_t> groups;       // duplicate: groups of equal keys
  std::optional<int64_t> unparseable;  // stale/range/freshness: values that are not dates/numbers
  std::optional<double> value;         // observed metric: row count, age in days, sql result
  // Named measurements reported by a plugin check ("cashless_coverage_percent" -> 87.5), in the
  // order reported; empty for built-in checks.
  std::vector<std::pair<std::string, double>> metrics;
  Thresholds thresholds;
  std::vector<std::string> key_columns;            // names of the sample key columns
  std::vector<std::vector<std::string>> samples;   // up to N row keys of violating rows
  // The rows a check lists for `dqaudit report --failing` and the CSV beside a report (same
  // columns as the samples): row checks their first kListedFailingRows violating rows, duplicate
  // the rows of its groups, fuzzy_duplicate every record of every cluster, reconcile every
  // disagreeing group (at most kMaxFailingRows), of failing_rows_total. Not loaded back with a
  // run's results: the history store reads them on demand (HistoryStore::FailingRows).
  std::vector<std::vector<std::string>> failing_rows;
  int64_t failing_rows_total = 0;
  std::string message;       // human-readable explanation, always set for warn/fail/error
  // The message in words any language can render: a message catalog key ("check.missing") and its
  // arguments, named by kind: n_* an integer, p_* a percentage (0..100), x_* a number, d_* an ISO
  // day, anything else text (docs/reports.md "Messages in the report's language"). Empty key: the
  // report shows `message` as it is.
  std::string message_key;
  std::vector<std::pair<std::string, std::string>> message_args;
  double duration_ms = 0;
  // What a check records for later runs to compare with (drift: the column's profile), as JSON
  // text; "" = none. Kept in the history store, carried with the result (docs/history.md).
  std::string profile;
  // Indicators with targets: the `indicator` check's one, or those a plugin check publishes, in
  // the order reported; empty otherwise.
  std::vector<Indicator> indicators;
  // Per `by` entry of the check, its figures per unit (empty when the check has no `by`).
  std::vector<Breakdown> breakdowns;
};

// Orders units worst first: most violations, then highest percent, then by unit code.
void RankUnits(std::vector<UnitFigures>& units);
// "xã 28252, 28255": the first `n` units with violations of the first breakdown, "" when none.
std::string WorstUnitsText(const CheckResult& result, size_t n);

// The most rows a check lists in failing_rows: the list stays a file a department can open in a
// spreadsheet, and the history store does not grow with a table's size.
inline constexpr int64_t kMaxFailingRows = 100000;
// The failing rows a row check (missing, pattern, range, duplicate...) lists: the first ones the
// scan meets, at most this many per check and run, so that the history store grows by a bounded
// amount a night; reports say how many of how many were listed.
inline constexpr int64_t kListedFailingRows = 1000;

// The outcome of scanning one source. `error` is set when the source could not be scanned at all
// (its checks then carry Outcome::kError too).
struct SourceResult {
  std::string source;
  std::string department;
  std::string database;
  std::string error;          // empty when the scan ran
  std::vector<CheckResult> results;
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  // Identity of the database when it was scanned (nightly incremental scans compare it); "" when
  // not taken.
  std::string fingerprint;
  // Set when these results were not scanned in this run but carried over from an earlier run
  // (nightly: the database had not changed, or an interrupted run had already scanned it).
  std::optional<int64_t> carried_from_run;
};

// The message of a check that could not run because its database no longer has a table or column
// the rule names (schema drift) starts with this; reports and the schedule recognise it.
// What a report names a check by besides its id (a check over a period keeps its latest result's).
struct CheckNaming {
  std::string type;
  std::string table;
  std::vector<std::string> columns;
  std::map<std::string, std::string> title;  // CheckResult::title
  bool operator==(const CheckNaming&) const = default;
};
CheckNaming NamingOf(const CheckResult& result);

inline constexpr std::string_view kSchemaDriftPrefix = "schema drift: ";
// True for an error result whose message starts with kSchemaDriftPrefix.
bool IsSchemaDrift(const CheckResult& result);

// A text of a plugin's message catalog carried with a result, in one language: a message argument
// named "@vi:<key>" / "@en:<key>" (key: the result's message_key, "metric.<name>" or
// "indicator.<id>"). The plugin host adds them (ABI 1.4) so that a report renders a plugin's words
// in its own language from the history store alone (docs/reports.md "Plugin messages").
std::string PluginTextArg(std::string_view lang, std::string_view key);
// The text of `key` in `lang` that `message_args` (a result's) carry, or nullptr.
const std::string* PluginText(const std::vector<std::pair<std::string, std::string>>& message_args,
                              std::string_view lang, std::string_view key);

// Decides the outcome from violations, percent, thresholds and severity (docs/checks.md "Outcome").
Outcome DecideOutcome(int64_t violations, double percent, const Thresholds& t, Severity severity);

// Exit code of an audit: 0 pass/warn, 1 some fail, 3 some error or source failure (highest wins).
int ExitCodeFor(const std::vector<SourceResult>& sources);

}  // namespace dqa
