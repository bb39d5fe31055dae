// RowEvaluator: the common interface of checks evaluated row by row during the fused table scan.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checks/push_down.h"
#include "core/sources/value.h"
#include "core/model/check.h"
#include "core/model/result.h"
#include "core/util/status.h"

namespace dqa {

class SourceDb;

// What every check of one table shares: the plan's reference instant and sample settings.
struct CheckContext {
  std::string source;
  int64_t now_unix = 0;
  int64_t today_day = 0;
  int samples = 5;
  std::vector<std::string> key_columns;  // table key, or {"rowid"}
  std::string table_filter;              // the table's `filter` ("" = none), for query checks
  // Plugins (sector or name) whose checks must not be called: they get Outcome::kError naming the
  // plugin and its entry of `disabled_reasons` (SourcePlan::disabled_plugins and
  // disabled_reasons, set on a retry after a crash or for a quarantined plugin).
  std::vector<std::string> disabled_plugins;
  std::vector<std::string> disabled_reasons;
};

// One check evaluated in C++ over the rows of a streamed SELECT. Life cycle:
// Prepare (optional preload) -> Bind (cell/flag indexes) -> Observe per row -> Finish once.
// SetError at any point makes Finish return an error result with that message.
class RowEvaluator {
 public:
  RowEvaluator(const CheckSpec& spec, const CheckContext& context);
  RowEvaluator(const RowEvaluator&) = delete;
  RowEvaluator& operator=(const RowEvaluator&) = delete;
  virtual ~RowEvaluator() = default;

  // Columns whose values the check reads, in the order of the cell indexes given to Bind.
  virtual std::vector<std::string> Columns() const { return spec_.columns; }
  // SQL boolean expressions the scan evaluates per row into flags, each named by the parameter
  // it comes from (for the error when it does not compile): condition's invalid_when,
  // indicator's numerator and denominator. Flag(row, i) reads the i-th.
  struct FlagExpression {
    std::string param;
    std::string sql;
  };
  virtual std::vector<FlagExpression> FlagExpressions() const { return {}; }
  // Loads what the check needs before the scan (value sets of reference/coverage). A non-OK status
  // is that check's error.
  virtual Status Prepare(SourceDb& /*db*/) { return Status::Ok(); }

  // `cells[i]` is the cell index of Columns()[i]; `where_flag` the flag of the check's `where`
  // (-1 when none); `expr_flags[i]` the flag of FlagExpressions()[i].
  void Bind(std::vector<int> cells, int where_flag, std::vector<int> expr_flags);

  // Breakdowns by unit (the check's `by`, docs/checks.md "Breakdowns by unit"). The engine adds
  // ByColumns() to the scan's cells and passes their indexes to BindUnits, and calls
  // PrepareBreakdown (loads the lookup tables of mapped entries) before the scan. Every in-scope
  // row then counts, in its unit, the rows checked and violations ObserveInScope added for it, so
  // a row check needs nothing of its own. A check whose figures are not per row (kAggregate)
  // instead gets, through SplitUnitsWith, one evaluator of its own per unit, made by `factory`
  // and fed that unit's rows; a grouped check adds its violations per unit with AddUnitViolations.
  std::vector<std::string> ByColumns() const;
  Status PrepareBreakdown(SourceDb& db);
  void BindUnits(std::vector<int> cells) { unit_cells_ = std::move(cells); }
  void SplitUnitsWith(std::function<std::unique_ptr<RowEvaluator>()> factory) {
    unit_factory_ = std::move(factory);
  }
  // The unit of `by` entry `entry` for a unit column holding `text` (nullopt = NULL).
  std::string UnitOf(size_t entry, std::optional<std::string_view> text) const;
  void AddUnitViolations(size_t entry, const std::string& unit, int64_t count);

  // Feeds one row of the table scan (already filtered by the table's `filter`).
  void Observe(const ScanRow& row) {
    if (where_flag_ >= 0 && row.flags[where_flag_] == 0) return;
    if (unit_cells_.empty()) {
      ObserveInScope(row);
    } else {
      ObserveWithUnits(row);
    }
  }
  // Push-down (core/checks/push_down.h): the check's rows as SQL predicates, or nullopt when this
  // check (its parameters, its column's type, the server) cannot be counted exactly in SQL. The
  // engine then counts in the server and hands the figures back: TakePushedCounts (rows checked,
  // violations, the `extra` count), AddPushedSample per violating row's key while WantsSamples,
  // and per unit of a `by` entry AddPushedUnit, instead of Observe.
  virtual std::optional<PushDown> PushDownSql(const PushDownTable& /*table*/) const {
    return std::nullopt;
  }
  void TakePushedCounts(int64_t rows_checked, int64_t violations, int64_t extra) {
    rows_checked_ = rows_checked;
    violations_ = violations;
    TakePushedExtra(extra);
  }
  bool WantsSamples() const { return static_cast<int64_t>(samples_.size()) < context_.samples; }
  void AddPushedSample(std::vector<std::string> key);
  void AddPushedUnit(size_t entry, const std::string& unit, int64_t rows_checked,
                     int64_t violations, int64_t extra);

  // Splitting one table's scan into rowid ranges run on several threads (docs/engine.md "One table
  // on every core"). Splittable: whether this check's state merges exactly (false for plugin row
  // checks, whose state is the plugin's own).
  virtual bool Splittable() const { return true; }
  // Makes `fork`, a fresh evaluator of the same check made by the same type and not yet prepared,
  // ready to observe another range: the binding, the breakdown lookups and what Prepare loaded
  // (SharePrepared). Called before this evaluator observes any row.
  void ForkInto(RowEvaluator& fork) const;
  // Gives `other` (a fresh evaluator of the same type) what Prepare loaded, nothing else: the
  // own evaluators of a split check's units (SplitUnitsWith). Reads this evaluator's prepared
  // state only, so it may be called while this evaluator observes rows on another thread.
  void ShareWith(RowEvaluator& other) const { other.SharePrepared(*this); }
  // Adds the state of `later`, a fork that observed the rows after this one's in rowid order, so
  // that Finish gives exactly what one evaluator observing both ranges would (counts, the first
  // samples and listed rows, units, each type's own state through MergeState).
  void MergeFrom(RowEvaluator& later);

  // Incremental scans (docs/engine.md "Incremental scans"): the state of an evaluator that
  // observed one rowid range, and back into a fresh fork (made ready by ForkInto), so that an
  // unchanged range is merged from its stored state instead of scanned again. Serializable: false
  // when the state is not kept (fuzzy_duplicate's records, a plugin's own state); then the table
  // is scanned whole. ResolvedKey: what the check's verdict on a row depends on besides the row and
  // the rule, so that a state is reused only under the same one (bounds that move with the clock
  // are declared with DeclareMovingBound instead).
  virtual bool Serializable() const { return Splittable(); }
  virtual std::string ResolvedKey() const { return ""; }
  // The grouping memos (GroupingMemos) without which this evaluator's stored range states are not
  // enough: the previous scan's states are reused only when it kept every one of them.
  virtual std::vector<std::string> RequiredMemos() const { return {}; }
  // The tables ("table" or "alias.table") whose values Prepare and PrepareBreakdown read: a
  // stored state holds only while they are unchanged.
  virtual std::vector<std::string> LookupTables() const;
  nlohmann::json SaveState() const;
  // `with_own` false: the type's own state is left out (a table total stands for it).
  Status LoadState(const nlohmann::json& state, bool with_own = true);
  // Whether this evaluator holds all the samples (all kListedFailingRows listed rows) it keeps:
  // MergeFrom keeps the first rows in rowid order, so a range merged after then adds none.
  bool SamplesFull() const { return !WantsSamples(); }
  bool ListedFull() const { return static_cast<int64_t>(listed_.size()) >= kListedFailingRows; }
  // For the next LoadState only: the stored samples (listed rows) are not read back, for a state
  // loaded to be merged into an evaluator that has all of them (SamplesFull, ListedFull). Its
  // counts are loaded whole, and rows that move with the clock move its counts as always; its
  // lists, then empty or holding only the rows that turned, are never merged (a full list takes
  // no rows), so a released row that would leave a full list of this state's is no reason to
  // read its range again.
  void SkipRowsOnLoad(bool samples, bool listed) {
    skip_samples_ = samples;
    skip_listed_ = listed;
  }
  // Table totals (docs/engine.md "Table totals"): a type whose own state is a sum over the rows
  // that can be taken apart again (counts of values) says so with KeepsTableTotal. An incremental
  // scan then stores that own state apart from the rest of a range's state, keeps the table's
  // merged own state as a memo, and on the next scan reads neither for a range that did not
  // change. AddTableTotal adds, to the merged own states of the ranges read again, the previous
  // total less the own states those ranges had then (all in SaveOwnState's form): false, and
  // nothing changed, when they do not add up. MergeOwnState adds one range's own state as
  // MergeState would. Both may throw nlohmann::json's exceptions on a malformed state.
  virtual bool KeepsTableTotal() const { return false; }
  virtual bool AddTableTotal(const nlohmann::json& /*total*/,
                             const std::vector<const nlohmann::json*>& /*earlier*/) {
    return false;
  }
  virtual void MergeOwnState(const nlohmann::json& /*own*/) {}
  nlohmann::json OwnState() const { return SaveOwnState(); }
  // Whether this evaluator's state will be stored: only then does it keep the rows that turn into
  // violations when a bound moves with the clock (DeclareMovingBound); a state saved without them
  // cannot be moved.
  void KeepTurningRows(bool keep) { keep_turning_ = keep; }

  void SetError(std::string message) { error_ = std::move(message); }
  bool has_error() const { return !error_.empty(); }

  // The result: counts, percent, samples, outcome (DecideOutcome) and message.
  CheckResult Finish();

  const CheckSpec& spec() const { return spec_; }

 protected:
  // ForkInto, ShareWith: share (or copy) what Prepare loaded from `primary`, an evaluator of the
  // same type, reading nothing `primary` changes while it observes rows.
  virtual void SharePrepared(const RowEvaluator& /*primary*/) {}
  // MergeFrom: add the type's own state of `later` (an evaluator of the same type). Every type
  // says how, so that a new type cannot be split without it.
  virtual void MergeState(RowEvaluator& later) = 0;
  // SaveState, LoadState: the type's own state (null when it has none; LoadOwnState may throw
  // nlohmann::json's exceptions on a malformed state, which LoadState reports).
  virtual nlohmann::json SaveOwnState() const = 0;
  virtual void LoadOwnState(const nlohmann::json& state) = 0;
  // Called by Finish() first, before an error set so far is turned into the result: a last chance
  // to SetError (a plugin's finish call can fail).
  virtual void BeforeFinish() {}
  // The `extra` count of a pushed-down check (PushDown::extra).
  virtual void TakePushedExtra(int64_t /*extra*/) {}
  virtual void ObserveInScope(const ScanRow& row) = 0;
  // Completes `result` (violations, rows_checked, extra fields) and returns the message without
  // the limit ("37 of 7012 rows (0.53%) are missing ho_ten").
  virtual std::string Complete(CheckResult& result) = 0;
  // Sets the outcome, percent and message from what Complete returned; by default from the
  // violations and thresholds (DecideResult). The indicator check judges its value instead.
  virtual void Decide(CheckResult& result, const std::string& what);

  const Value& Cell(const ScanRow& row, size_t i = 0) const { return row.cells[cells_[i]]; }
  bool Flag(const ScanRow& row, size_t i = 0) const { return row.flags[expr_flags_[i]] != 0; }
  // Counts a violating row and keeps its key tuple while fewer than `samples` are kept (and in
  // listed_ while fewer than kListedFailingRows are).
  void AddViolation(const ScanRow& row);

  // Bounds that move with the clock (docs/engine.md "Bounds that move with the clock"): a bound
  // resolved against today or now (range's `today-120y`, stale's cutoff) is larger on a later night,
  // and a stored range state stays exact when it can be moved to the new bound. A check declares
  // each such bound in its constructor, with this run's value, and says per row how a larger value
  // would change its verdict:
  //   kAddsBelow: a row that is no violation now turns into one once the bound reaches `turn` (a
  //     date that a later cutoff finds too old): NoteTurning for every such row;
  //   kReleasesAbove: a violation stops being one once the bound reaches `release` (a date after
  //     today, which a later today allows): NoteRelease for every such violation.
  // A stored state keeps the rows that turn or are released within `window` of the bound (at most
  // kMaxTurning a bound: the window then ends before the first left out) and the smallest release
  // it does not keep. LoadState applies the rows released by this run's bound, then those that
  // turned (counts, units, samples and listed rows in rowid order), and refuses with kUnavailable
  // a state whose bound is later than this run's, past its window, at a release it did not keep,
  // or that would lose a released row from a full list of samples or listed rows (the row after
  // the list is not known): the range is then read again.
  enum class BoundMoves { kAddsBelow, kReleasesAbove };
  // The window of the built-in checks: 8 days, a week of nights between full rescans and one more.
  static constexpr int64_t kMovingWindowDays = 8;
  static constexpr size_t kMaxTurning = 4096;
  size_t DeclareMovingBound(BoundMoves how, int64_t value, int64_t window);
  void NoteTurning(size_t bound, const ScanRow& row, int64_t turn);
  void NoteRelease(size_t bound, const ScanRow& row, int64_t release);
  // Ends moving_[bound]'s window before `turn`, where a row changes in a way the kept rows do not
  // describe: a state is not moved that far.
  void EndWindowBefore(size_t bound, int64_t turn);
  // How many rows listed_ is the first of (CheckResult::failing_rows_total): the violations.
  virtual int64_t ListedTotal() const { return violations_; }

  const CheckSpec& spec_;
  const CheckContext& context_;
  int64_t violations_ = 0;
  int64_t rows_checked_ = 0;
  std::vector<std::vector<std::string>> samples_;
  // The first kListedFailingRows violating rows' keys (CheckResult::failing_rows).
  std::vector<std::vector<std::string>> listed_;
  // The rowids of samples_ and listed_, while every row observed had one (ScanRow::rowid): where a
  // row that turned into a violation goes among them.
  std::vector<int64_t> sample_rowids_;
  std::vector<int64_t> listed_rowids_;

 private:
  // A unit's tally in one `by` entry.
  struct UnitTally {
    int64_t violations = 0;
    int64_t rows_checked = 0;
    int64_t extra = 0;  // AddPushedUnit of a split check
    std::unique_ptr<RowEvaluator> own;  // SplitUnitsWith: the unit's own evaluator
  };
  // A row that turns into a violation when a moving bound reaches `turn` (kAddsBelow), or whose
  // violation is released then (kReleasesAbove).
  struct TurningRow {
    int64_t turn = 0;
    int64_t rowid = 0;
    std::vector<std::string> key;
    std::vector<std::string> units;  // per `by` entry
  };
  struct MovingBound {
    BoundMoves how = BoundMoves::kAddsBelow;
    int64_t value = 0;    // this run's (or, loaded, the stored state's)
    int64_t horizon = 0;  // `turning` holds every row with value < turn <= horizon
    // A release no move may reach (kReleasesAbove): the smallest noted that `turning` does not
    // hold (those TrimTurning drops lie past `horizon`, which stops a move as well).
    int64_t release = std::numeric_limits<int64_t>::max();
    std::vector<TurningRow> turning;
  };
  // Keeps the kMaxTurning rows that turn first, ending the window before the first left out.
  static void TrimTurning(MovingBound& m);
  // Keeps `row` as turning (or released) at `turn` for moving_[bound]; a row that cannot be kept
  // (no rowid, or units with evaluators of their own) ends the window at the bound itself, and
  // false is returned.
  bool KeepTurning(size_t bound, const ScanRow& row, int64_t turn);
  // Takes a released row out of the counts, its units, the samples and the listed rows.
  Status Release(const TurningRow& row);
  // Moves the state loaded into `stored` to this run's bounds (moving_): kUnavailable when it
  // cannot be moved exactly.
  Status MoveTo(std::vector<MovingBound> stored);
  void ObserveWithUnits(const ScanRow& row);
  // UnitOf as a view of `text`, of a map entry or of kUnknownUnit (no copy per row).
  std::string_view UnitView(size_t entry, std::optional<std::string_view> text) const;
  std::vector<Breakdown> FinishBreakdowns();

  std::vector<int> cells_;
  int where_flag_ = -1;
  std::vector<int> expr_flags_;
  std::string error_;
  std::vector<int> unit_cells_;  // per `by` entry
  std::function<std::unique_ptr<RowEvaluator>()> unit_factory_;
  std::vector<std::map<std::string, std::string, std::less<>>> unit_maps_;  // per entry; mapped ones
  // Per entry: a unit's name by its code (`labels` of the entry; empty without).
  std::vector<std::map<std::string, std::string, std::less<>>> unit_labels_;
  std::vector<std::map<std::string, UnitTally, std::less<>>> tallies_;      // per entry
  std::string unit_scratch_;
  std::vector<MovingBound> moving_;
  bool keep_turning_ = false;  // KeepTurningRows
  bool skip_samples_ = false, skip_listed_ = false;  // SkipRowsOnLoad
  bool rowids_ = true;  // sample_rowids_ and listed_rowids_ match samples_ and listed_
};

// The message in words (CheckResult::message_key and message_args) of a result.
using MessageArgs = std::vector<std::pair<std::string, std::string>>;
void SetWords(CheckResult& result, std::string key, MessageArgs args);
// n_violations, n_rows and p_percent: the figures of "37 of 7012 rows (0.53%)", then `more`.
MessageArgs CountArgs(const CheckResult& result, MessageArgs more = {});

// A result with the check's identity (id, type, source, table, columns, dimension, severity,
// thresholds, key columns) and Outcome::kError with `message`.
CheckResult ErrorResult(const CheckSpec& spec, const CheckContext& context, std::string message);

// A result with the check's identity, outcome pass and nothing counted yet.
CheckResult BlankResult(const CheckSpec& spec, const CheckContext& context);

// Sets percent, outcome (DecideOutcome) and message = `what` plus, for warn/fail, the limit that
// was exceeded ("; limit 0.5%").
void DecideResult(CheckResult& result, const std::string& what);

// "0.53" / "50" / "0.5": a percentage with at most two decimals, trailing zeros removed.
std::string FormatPercent(double percent);
// 100 * violations / rows, 0 when rows is 0.
double PercentOf(int64_t violations, int64_t rows);
// "37 of 7012 rows (0.53%)" with `noun` = "rows" / "values".
std::string CountText(int64_t violations, int64_t rows, std::string_view noun);
// "a, b" for messages.
std::string JoinColumns(const std::vector<std::string>& columns);

}  // namespace dqa
