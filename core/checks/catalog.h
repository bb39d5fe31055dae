// The check catalogue: every check type the audit knows, built-in or from a plugin, described the
// same way (name, dimension, parameter schema, shape) and evaluated through the same interface.
// Built-in types register themselves in core/checks/builtin.cc; the plugin host registers the
// checks of each plugin it knows. The rule parser, `rules check`, `dqaudit checks list|info`, the
// engine and the worker's message codec all work from this catalogue: nothing else in the tree
// names a check type.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checks/evaluator.h"
#include "core/model/check.h"
#include "core/util/file_bytes.h"
#include "core/util/status.h"

namespace dqa {

class SourceDb;

// What a parameter holds, and so how the rule parser reads it and how `rules check` validates it
// against the database. Values are kept as JSON in CheckSpec::params (docs/checks.md
// "Parameter types" gives each JSON form).
enum class ParamType {
  kColumn,         // a column of the check's table (string; also appended to CheckSpec::columns)
  kColumns,        // a non-empty list of distinct columns of the table (also in CheckSpec::columns)
  kString,         // a non-empty string
  kRegex,          // an RE2 regex (may be empty or blank) or a non-empty list of them (compiled
                   // when the rules load; a string stays a string, a list a list)
  kSqlCondition,   // an SQL boolean expression over the table's columns (compiled against it)
  kSqlQuery,       // a SELECT returning exactly one column (compiled against the database)
  kNumber,         // a number (double)
  kInteger,        // a whole number (within ParamSpec::min/max)
  kDuration,       // "30d", "12h", "2w", "6m", "1y" (kept in canonical form)
  kBool,           // true/false (yes/no, on/off)
  kStringList,     // a list of strings (non-empty when ParamSpec::non_empty)
  kBound,          // a number, a date YYYY-MM-DD, or today±duration (number or string)
  kDateFormat,     // "iso" or "dmy"
  kTable,          // "table" or "alias.table" (alias: an `attach` alias of the source)
  kForeignColumn,  // a column of the table named by the parameter ParamSpec::table_param
  kTableColumn,    // a map {table: <kTable>, column: <column of that table>}
  kColumnTypes,    // a non-empty map column -> one of ParamSpec::choices (a schema contract); the
                   // columns need not exist (a missing one is what the check reports)
  kMap,            // a map of named fields, each a parameter of its own (ParamSpec::fields); when
                   // a kTable field is named "table", its kColumn, kColumns and kSqlCondition
                   // fields name that table's columns (reconcile's `against`)
};

// "column", "columns", "string", ... as `checks info` and docs/checks.md spell them.
std::string_view ToString(ParamType type);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kString;
  bool required = false;
  std::string description;
  nlohmann::json default_value;  // null = no default (the parameter is then optional and absent)
  std::optional<double> min, max;    // kInteger, kNumber: the allowed range (inclusive)
  std::vector<std::string> choices;  // kString, kStringList: the allowed values (empty = any)
  bool non_empty = false;            // kStringList
  std::string table_param;          // kForeignColumn: the kTable parameter it belongs to
  std::vector<ParamSpec> fields;     // kMap: its fields (kMap fields do not nest further)
};

// How the engine runs a check (docs/architecture.md "The fused table scan"):
enum class CheckShape {
  kRow,        // a predicate per row, evaluated in the table's one fused scan
  kAggregate,  // one figure aggregated over the rows of the fused scan (a count, a newest date)
  kGrouped,    // rows observed in the fused scan, then one grouping query per key set
  kQuery,      // its own queries on the source's snapshot (no row of the fused scan)
};

// "row", "aggregate", "grouped", "query".
std::string_view ToString(CheckShape shape);

struct CheckTypeInfo {
  std::string name;         // the rule-file type: "coverage", or "<sector>.<check>" for a plugin
  std::string summary;      // one sentence for `checks list`
  Dimension dimension = Dimension::kValidity;  // the default dimension of its checks
  CheckShape shape = CheckShape::kRow;
  std::vector<ParamSpec> params;  // in the order `checks info` and the docs give them
  // Its violation is 0 or 1 (the one measured figure is out of bounds): scoring counts it as fully
  // over when it fails (docs/scoring.md "Yes/no checks").
  bool yes_no = false;
  // Its results count groups (CheckResult::groups): the results JSON always has `groups` for it.
  bool has_groups = false;
  // The name of a column/columns parameter over which one rule becomes one check per column
  // ("missing: {columns: [a, b]}" is two checks, ids missing:t.a and missing:t.b); "" = none.
  std::string per_column;
  // Written once per table, under the table as `<name>: {parameters}` beside `checks` (not in
  // the checks list): a property of the whole table such as its schema contract.
  bool table_level = false;
  // The integer parameter giving how many earlier runs a check of this type compares with (drift:
  // "runs"); "" = none. The audit pipeline puts the profiles its checks recorded in that many
  // earlier runs in CheckSpec::baseline (checks cannot read the history store).
  std::string baseline_runs;
  // Where it comes from: "built-in", "plugin <name> <version> (<library file>)", or anything
  // else for a type registered by other code (a test).
  std::string origin = "built-in";

  // Its checks may take `by` (breakdowns by unit). Row checks always may (their per-unit counts
  // come from the fused scan); other shapes only when the type says what a unit's figure is.
  bool supports_by = false;
  // Why its checks take no thresholds (max_count, max_percent, warn, fail), for the rule error
  // that refuses them; "" = they take them. An indicator is judged against its own target.
  std::string no_thresholds;
  // Its results may depend on the run's reference day or instant (CheckContext::today_day,
  // now_unix): freshness and stale ages, range and metric bounds relative to `today`. A nightly run
  // whose day is pinned (`--today`, a rule file's `today:`) rescans a source with such a check when
  // the day moves, and carries over one without (docs/nightly.md "The fingerprint of an SQLite
  // source"). A plugin's types count as reading it whatever this says.
  bool reads_reference_day = false;

  bool takes_where() const { return shape != CheckShape::kQuery; }
  bool takes_by() const { return shape == CheckShape::kRow || supports_by; }
  const ParamSpec* FindParam(std::string_view name) const;
};

// A problem of a check's parameters found after each parameter was read (a cross-parameter rule
// such as min <= max). `param` locates it: "" = the check itself, else that parameter's value, or
// its key when `at_key`.
struct ParamIssue {
  std::string param;
  bool at_key = false;
  std::string message;
};

// What a grouping keeps from one incremental scan of a table to the next (docs/engine.md
// "Grouping memos"): named byte strings kept beside the table's range states, and which rows this
// scan read again. A row outside the spans read is exactly as the previous scan saw it.
class GroupingMemos {
 public:
  virtual ~GroupingMemos() = default;
  // The memo `name` that the previous scan kept, read whole (RangeStore::LoadMemo); nullopt when
  // it kept none or it cannot be read back whole.
  virtual std::optional<FileBytes> Load(const std::string& name) = 0;
  // The same memo a piece at a time, without holding it whole (a memo of every row of a large
  // table): each piece in order to `consume`, every piece a multiple of `align` bytes but the last.
  // True when the previous scan kept it, `consume` took every piece, and the bytes were whole (a
  // torn file is found only after its pieces went to `consume`: on false, drop what they made).
  virtual bool Stream(const std::string& name, size_t align,
                      const std::function<bool(std::string_view)>& consume) = 0;
  // The same memo in two parts read at once (cut at SplitPoint, file_bytes.h; `align` must divide
  // 4096): first `start` gets the first `align` bytes of the second part (none when it is empty),
  // then the pieces of the first part go to `first` on the calling thread while those of the
  // second go to `second`, on another thread where the memo is read from a file (each part's
  // pieces in order; `first` and `second` must touch nothing in common). True as Stream's is:
  // every callback took everything and the bytes were whole.
  virtual bool StreamSplit(const std::string& name, size_t align,
                           const std::function<bool(std::string_view)>& start,
                           const std::function<bool(std::string_view)>& first,
                           const std::function<bool(std::string_view)>& second) = 0;
  // Keeps `bytes` as memo `name` for the next scan (kept only with the table's range states).
  virtual void Keep(const std::string& name, std::string_view bytes) = 0;
  // Keeps memo `name` as the previous scan kept it (as Load read it back: its file is neither
  // hashed nor written again); false when the previous scan kept none.
  virtual bool KeepAsBefore(const std::string& name) = 0;
  // The rowid spans [first, last] this scan read, in rowid order; every rowid when AllRead().
  virtual const std::vector<std::pair<int64_t, int64_t>>& ReadSpans() const = 0;
  virtual bool AllRead() const = 0;
};

// Where the grouping queries of a kGrouped check run: the table, its filter and the sample key.
struct GroupingScope {
  std::string table;                 // unquoted, in schema main
  std::string filter;                // the table's filter ("" = none)
  std::vector<std::string> key_sql;  // SQL of the sample key (quoted columns, or rowid)
  int samples = 5;
  GroupingMemos* memos = nullptr;    // in an incremental scan that keeps range states
  // Opens another connection to the source in the scan's snapshot, for a grouping split over two
  // connections run at once; empty when the source cannot (SourceDb::SharesSnapshotAcrossConnections).
  std::function<Result<std::unique_ptr<SourceDb>>()> open;
};

// One check type. Implementations are stateless: everything about one check is in its CheckSpec.
class CheckType {
 public:
  explicit CheckType(CheckTypeInfo info) : info_(std::move(info)) {}
  CheckType(const CheckType&) = delete;
  CheckType& operator=(const CheckType&) = delete;
  virtual ~CheckType() = default;

  const CheckTypeInfo& info() const { return info_; }
  const std::string& name() const { return info_.name; }

  // Cross-parameter rules, after every parameter was read and typed (`params` holds the ones
  // given). Adds what is wrong to `issues`.
  virtual void Validate(const nlohmann::json& /*params*/, std::vector<ParamIssue>& /*issues*/) const {}

  // kRow, kAggregate, kGrouped: the evaluator of one check for the fused scan. Error (the check's
  // error result) when the check cannot run (an invalid regex, a plugin that is disabled).
  virtual Result<std::unique_ptr<RowEvaluator>> MakeEvaluator(const CheckSpec& spec,
                                                              const CheckContext& context) const;
  // kGrouped: after the fused scan, the grouping queries for every evaluator of this type in one
  // table (made by MakeEvaluator; errors are set on them).
  virtual void RunGrouping(SourceDb& db, const GroupingScope& scope,
                           const std::vector<RowEvaluator*>& evaluators) const;
  // kQuery: runs the check on the source's snapshot connection.
  virtual CheckResult RunQuery(SourceDb& db, const CheckSpec& spec,
                               const CheckContext& context) const;

 private:
  CheckTypeInfo info_;
};

// The catalogue. Thread-safe; types are never removed, so pointers stay valid for the process.
class CheckCatalog {
 public:
  CheckCatalog() = default;
  CheckCatalog(const CheckCatalog&) = delete;
  CheckCatalog& operator=(const CheckCatalog&) = delete;

  // Adds a type. AlreadyExists when the name is taken (the first one stays).
  Status Add(std::unique_ptr<CheckType> type);
  // Records that the checks of `prefix` ("population.") cannot be provided, and why (the plugin
  // host refused the library that would). A type added later with that prefix wins.
  void AddUnavailable(std::string prefix, std::string reason);

  const CheckType* Find(std::string_view name) const;
  // Why checks of type `name` cannot run (AddUnavailable), or nullopt.
  std::optional<std::string> UnavailableReason(std::string_view name) const;
  // Every type, built-ins first in registration order, then the others sorted by name.
  std::vector<const CheckType*> All() const;
  std::vector<std::string_view> BuiltinNames() const;
  std::vector<std::string_view> PluginNames() const;  // types of plugins, sorted

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<CheckType>> types_;
  std::vector<std::pair<std::string, std::string>> unavailable_;  // prefix, reason
};

// The process-wide catalogue, with the built-in types registered on first use.
CheckCatalog& Catalog();

// Registers the built-in check types (core/checks/builtin.cc).
void RegisterBuiltinChecks(CheckCatalog& catalog);

}  // namespace dqa
