#include "core/engine/table_scan.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <atomic>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>

#include "core/checks/catalog.h"
#include "core/checks/params.h"
#include "core/engine/push_down_scan.h"
#include "core/engine/scan_progress.h"
#include "core/plugins/plugin_checks.h"
#include "core/sources/sql_clock.h"
#include "core/sources/sqlite_btree.h"
#include "core/sources/sqlite_value.h"
#include "core/util/activity.h"
#include "dqaudit/text.h"

namespace dqa {
namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Column names compare case-insensitively (ASCII), as in SQLite.
std::string Lower(std::string_view s) { return sdk::ToLowerAscii(s); }

// A check being evaluated in the fused scan.
struct Pending {
  size_t index;  // in table.checks
  const CheckType* type;
  std::unique_ptr<RowEvaluator> evaluator;
  double prepare_ms = 0;
  double grouping_ms = 0;  // kGrouped: its share of the grouping queries
  std::optional<PushDown> push_down;  // counted in the server (RunPushDown), not scanned
};

// The catalogue's type of `spec`, or why the check cannot run in this process.
Result<const CheckType*> TypeOf(const CheckSpec& spec, const CheckContext& context) {
  if (auto disabled = plugins::DisabledMessage(spec, context)) return InvalidArgument(*disabled);
  if (!spec.unavailable.empty()) return InvalidArgument(spec.unavailable);
  if (const CheckType* type = Catalog().Find(spec.type)) return type;
  if (auto reason = Catalog().UnavailableReason(spec.type)) return InvalidArgument(*reason);
  if (!spec.PluginSector().empty()) return NotFound(plugins::MissingPluginCheckMessage(spec.type));
  return NotFound(fmt::format("check type {} is not in the check catalogue", spec.type));
}

// Probes whether an SQL expression compiles against the table (no row is read).
Status ProbeExpression(SourceDb& db, const std::string& from, const std::string& expr) {
  if (expr.empty()) return Status::Ok();
  auto stmt = db.Prepare(fmt::format("SELECT ({}) FROM {}", expr, from));
  return stmt.status();
}

// The fused SELECT of one table: [rowid,] keys, each needed column once, a 0/1 flag per distinct
// `where` and `invalid_when`. Planned once; the evaluators are bound to its cell and flag indexes
// (forks of a split scan copy the binding).
struct FusedSelect {
  std::string columns;      // the select list
  bool with_rowid = false;  // column 0 is the rowid (ScanRow::rowid)
  size_t n_keys = 0, n_cells = 0, n_flags = 0;
};

FusedSelect PlanFusedScan(const std::vector<std::string>& key_sql, bool with_rowid,
                          const std::vector<Pending*>& pending) {
  std::map<std::string, int> cell_of;  // lower-case column -> cell index
  std::vector<std::string> cell_sql;
  std::map<std::string, int> flag_of;  // SQL expression -> flag index
  std::vector<std::string> flag_sql;
  auto flag_index = [&](const std::string& expr) {
    if (expr.empty()) return -1;
    auto [it, inserted] = flag_of.emplace(expr, static_cast<int>(flag_sql.size()));
    if (inserted) flag_sql.push_back(fmt::format("CASE WHEN ({}) THEN 1 ELSE 0 END", expr));
    return it->second;
  };
  auto cell_index = [&](const std::string& column) {
    auto [it, inserted] = cell_of.emplace(Lower(column), static_cast<int>(cell_sql.size()));
    if (inserted) cell_sql.push_back(QuoteIdent(column));
    return it->second;
  };
  for (Pending* p : pending) {
    std::vector<int> cells;
    for (const std::string& column : p->evaluator->Columns()) cells.push_back(cell_index(column));
    std::vector<int> unit_cells;
    for (const std::string& column : p->evaluator->ByColumns()) {
      unit_cells.push_back(cell_index(column));
    }
    if (!unit_cells.empty()) p->evaluator->BindUnits(std::move(unit_cells));
    const int where_flag = flag_index(p->evaluator->spec().where);
    std::vector<int> expr_flags;
    for (const auto& e : p->evaluator->FlagExpressions()) expr_flags.push_back(flag_index(e.sql));
    p->evaluator->Bind(std::move(cells), where_flag, std::move(expr_flags));
  }
  FusedSelect out;
  out.with_rowid = with_rowid;
  out.n_keys = key_sql.size();
  out.n_cells = cell_sql.size();
  out.n_flags = flag_sql.size();
  std::vector<std::string> select;
  if (with_rowid) select.emplace_back("rowid");
  select.insert(select.end(), key_sql.begin(), key_sql.end());
  select.insert(select.end(), cell_sql.begin(), cell_sql.end());
  select.insert(select.end(), flag_sql.begin(), flag_sql.end());
  out.columns = fmt::format("{}", fmt::join(select, ", "));
  return out;
}

// Streams the fused SELECT over `from` (the rows of `range` only, when given) and feeds every
// evaluator. Non-OK on a SQL error.
Status StreamRows(SourceDb& db, const FusedSelect& fused, const std::string& from,
                  const std::string& filter, std::optional<RowidRange> range,
                  const std::vector<RowEvaluator*>& evaluators) {
  std::string sql = fmt::format("SELECT {} FROM {}", fused.columns, from);
  std::vector<std::string> where;
  if (range) where.push_back(fmt::format("rowid BETWEEN {} AND {}", range->first, range->last));
  if (!filter.empty()) where.push_back(fmt::format("({})", filter));
  if (!where.empty()) sql += fmt::format(" WHERE {}", fmt::join(where, " AND "));

  // Per-step budget: the scan streams the whole table, each row is quick (docs/sources.md).
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql, StepBudget::kPerStep));
  NoteTablePass();
  const int first = fused.with_rowid ? 1 : 0;
  const int n_values = static_cast<int>(fused.n_keys + fused.n_cells);
  std::vector<Value> values(static_cast<size_t>(n_values));
  std::vector<unsigned char> flags(fused.n_flags);
  const std::span<const Value> all(values);
  int64_t rowid = 0;
  ScanRow row{all.first(fused.n_keys), all.subspan(fused.n_keys), flags};
  if (fused.with_rowid) row.rowid = &rowid;
  // SQLite's values are read straight from its statement (the hot path of every scan); other
  // engines' through their Cursor.
  sqlite3_stmt* raw = stmt.sqlite();
  int64_t unnoted = 0;  // rows not yet added to the published progress (counted in batches)
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    if (++unnoted == 1024) {
      NoteRowsScanned(unnoted);
      unnoted = 0;
    }
    if (raw != nullptr) {
      if (fused.with_rowid) rowid = sqlite3_column_int64(raw, 0);
      for (int i = 0; i < n_values; ++i) {
        values[static_cast<size_t>(i)] = ReadColumnValue(raw, first + i);
      }
      for (size_t f = 0; f < flags.size(); ++f) {
        const int col = first + n_values + static_cast<int>(f);
        flags[f] = sqlite3_value_int(sqlite3_column_value(raw, col)) != 0 ? 1 : 0;
      }
    } else {
      for (int i = 0; i < n_values; ++i) values[static_cast<size_t>(i)] = stmt.Read(first + i);
      for (size_t f = 0; f < flags.size(); ++f) {
        flags[f] = stmt.ColumnInt(first + n_values + static_cast<int>(f)) != 0 ? 1 : 0;
      }
    }
    for (RowEvaluator* e : evaluators) e->Observe(row);
  }
  NoteRowsScanned(unnoted);
  return Status::Ok();
}

// Whether `table` is an SQLite rowid table whose rowid the scan can select: a base table, not
// WITHOUT ROWID, with no column of its own named rowid.
bool HasRowid(SourceDb& db, const std::string& table, const std::string& from,
              const std::set<std::string>& columns) {
  if (db.engine() != Engine::kSqlite || !db.IsBaseTable(table) || columns.contains("rowid")) {
    return false;
  }
  return db.Prepare(fmt::format("SELECT rowid FROM {} LIMIT 0", from)).ok();
}

// The smallest and largest rowid of `from` within `within` (nullopt: no row there); false when
// the query fails. Two subqueries: SQLite answers a lone min() or max() of the rowid with one
// b-tree descent, but both in one SELECT by reading every row (225 ms of the 1.4 million citizens
// of the benchmark province, before a full scan could start).
bool ReadRowidExtent(SourceDb& db, const std::string& from,
                     std::optional<std::pair<int64_t, int64_t>>& extent,
                     const RowidRange& within = {std::numeric_limits<int64_t>::min(),
                                                 std::numeric_limits<int64_t>::max()}) {
  std::string where;
  if (within.first != std::numeric_limits<int64_t>::min()) {
    where = fmt::format(" WHERE rowid >= {}", within.first);
  }
  if (within.last != std::numeric_limits<int64_t>::max()) {
    where += fmt::format("{} rowid <= {}", where.empty() ? " WHERE" : " AND", within.last);
  }
  auto stmt = db.Prepare(fmt::format(
      "SELECT (SELECT min(rowid) FROM {0}{1}), (SELECT max(rowid) FROM {0}{1})", from, where));
  if (!stmt.ok()) return false;
  auto has_row = stmt->Step();
  if (!has_row.ok()) return false;
  extent.reset();
  if (*has_row && !stmt->IsNull(0) && !stmt->IsNull(1)) {
    extent.emplace(stmt->ColumnInt(0), stmt->ColumnInt(1));
  }
  return true;
}

// The rowid ranges the scan of `table` is split into: `count` ranges of about equal rowid spans
// when the table is large enough, several threads may run and every check can be split, else none
// (one scan).
std::vector<RowidRange> SplitRanges(SourceDb& db, const std::string& from, int count,
                                    const SplitOptions& options,
                                    const std::vector<Pending*>& scanned) {
  if (count < 2 || options.threads < 2 || !options.open ||
      !db.SharesSnapshotAcrossConnections()) {
    return {};
  }
  for (const Pending* p : scanned) {
    if (!p->evaluator->Splittable()) return {};
  }
  std::optional<std::pair<int64_t, int64_t>> extent;
  if (!ReadRowidExtent(db, from, extent) || !extent) return {};
  const auto [lo, hi] = *extent;
  // The span in unsigned arithmetic: rowids may be anywhere in int64.
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span + 1 < static_cast<uint64_t>(std::max<int64_t>(options.min_rows, 1))) return {};
  const auto n = static_cast<uint64_t>(count);
  std::vector<RowidRange> ranges;
  uint64_t start = 0;
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t end = i + 1 == n ? span : span / n * (i + 1) + std::min(i + 1, span % n) - 1;
    if (end < start) continue;
    ranges.push_back({static_cast<int64_t>(static_cast<uint64_t>(lo) + start),
                      static_cast<int64_t>(static_cast<uint64_t>(lo) + end)});
    start = end + 1;
  }
  return ranges;
}

// Whether `sql` may read other rows or tables, or the clock: a subquery, random(), SQLite's 'now',
// CURRENT_DATE and the like, or a date function given no time value (SqlMayReadClock). A stored
// state could not know that their answer changed.
bool ReadsBeyondTheRow(const std::string& sql) {
  if (SqlMayReadClock(sql)) return true;
  const std::string lower = Lower(sql);
  for (const char* word : {"select", "random"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

// A range of a split scan: what it holds for each pending check (forks, scanned or loaded from
// a stored state), and its state to keep.
struct RangeWork {
  RowidRange range;
  std::string digest;                 // its fingerprint now (incremental scans)
  const RangeState* reuse = nullptr;  // unchanged since it was stored: loaded, not scanned
  // This range as the previous scan stored it (the same bounds, or a range this one is the first
  // half of), when the scan builds on it.
  const RangeState* earlier = nullptr;
  // The second half of `earlier` (HalveLoneRanges): its earlier own states are the first half's,
  // taken out of the table totals there, once.
  bool second_half = false;
  std::vector<std::unique_ptr<RowEvaluator>> forks;
  std::string file;                   // where its state is stored (incremental scans)
  std::string part;                   // where its table-total checks' own states are
  // Read again while the scan builds on table totals: the own states the range had, per check
  // that keeps a total (in that order), to be taken out of the totals.
  std::vector<nlohmann::json> earlier_own;
  Status store_status = Status::Ok();  // of storing its state
  bool reread = false;                // reused, but its stored state could not be read back
  Status status = Status::Ok();
  bool done = false;
};

// The table of a scan's FROM, for messages (without the NOT INDEXED of a rowid-order scan).
std::string_view TableLabel(std::string_view from) {
  constexpr std::string_view kNotIndexed = " NOT INDEXED";
  if (from.ends_with(kNotIndexed)) from.remove_suffix(kNotIndexed.size());
  return from;
}

// The forks of every pending check for one range, ready to observe or to load a state.
Status MakeForks(const CheckContext& context, const std::vector<Pending*>& pending,
                 std::vector<std::unique_ptr<RowEvaluator>>& forks) {
  forks.clear();
  for (Pending* p : pending) {
    auto fork = p->type->MakeEvaluator(p->evaluator->spec(), context);
    if (!fork.ok()) return fork.status();
    p->evaluator->ForkInto(**fork);
    forks.push_back(std::move(fork).value());
  }
  return Status::Ok();
}

// The memo name of a check's table total.
std::string TotalMemoName(const RowEvaluator& e) { return "table total:" + e.spec().id; }

// A check's table total for the next scan: its memo's name, the check, its own state.
struct TableTotal {
  std::string name;
  std::string check;
  nlohmann::json state;
};

// Table totals that cannot be used (RunFusedScan): merges the own states of checks
// pending[keeps[k]], for each k of `lost`, of every range loaded from its stored state into the
// checks' evaluators, from the range's part, or read again when its part is lost.
Status MergeStoredOwnStates(SourceDb& db, const CheckContext& context, const std::string& from,
                            const std::string& filter, const FusedSelect& fused,
                            const std::vector<RangeWork>& ranges, RangeStore& store,
                            const std::vector<Pending*>& pending, const std::vector<size_t>& keeps,
                            const std::vector<size_t>& lost) {
  for (const RangeWork& work : ranges) {
    if (work.reuse == nullptr || work.reread) continue;
    std::optional<std::vector<nlohmann::json>> part = store.LoadPart(*work.reuse);
    if (part && part->size() == keeps.size()) {
      try {
        for (size_t k : lost) pending[keeps[k]]->evaluator->MergeOwnState((*part)[k]);
        continue;
      } catch (const std::exception& e) {
        return Internal(fmt::format("a stored state of rowids {}..{} is malformed: {}",
                                    work.range.first, work.range.last, e.what()));
      }
    }
    std::vector<std::unique_ptr<RowEvaluator>> forks;
    std::vector<RowEvaluator*> observers;
    for (size_t k : lost) {
      RowEvaluator& primary = *pending[keeps[k]]->evaluator;
      auto fork = pending[keeps[k]]->type->MakeEvaluator(primary.spec(), context);
      if (!fork.ok()) return fork.status();
      primary.ForkInto(**fork);
      observers.push_back(fork->get());
      forks.push_back(std::move(fork).value());
    }
    DQA_RETURN_IF_ERROR(StreamRows(db, fused, from, filter, work.range, observers));
    for (size_t i = 0; i < lost.size(); ++i) {
      pending[keeps[lost[i]]]->evaluator->MergeOwnState(forks[i]->OwnState());
    }
  }
  return Status::Ok();
}

// Scans the table: in one range on `db`, or in `ranges` (rowid order) on up to options.threads
// threads, each but the first on a connection of its own (options.open), every range with forks of
// the evaluators (or, for a range of `reuse` whose state was stored, its state loaded), merged
// into the evaluators in rowid order as soon as the ranges before are merged. With `keep`, each
// range's state (stored or new) is added to it, and the table totals for the next scan go to
// `next_totals` (MemoKeeper writes them). With `spare`, a connection another thread opened
// is kept there for the grouping that follows (one opened fewer; ScanTable). Non-OK when any
// range fails.
Status RunFusedScan(SourceDb& db, const CheckContext& context, const std::string& from,
                    const std::string& filter, const std::vector<std::string>& key_sql,
                    bool with_rowid, std::vector<RangeWork>& ranges, const SplitOptions& options,
                    std::vector<Pending*>& pending, TableState* keep,
                    std::vector<TableTotal>& next_totals, std::unique_ptr<SourceDb>* spare) {
  const FusedSelect fused = PlanFusedScan(key_sql, with_rowid, pending);
  std::vector<RowEvaluator*> primary;
  for (Pending* p : pending) primary.push_back(p->evaluator.get());
  if (ranges.empty()) return StreamRows(db, fused, from, filter, std::nullopt, primary);

  std::mutex mutex;  // guards `next_merge`, the ranges' `done` and the merges into `primary`
  size_t next_merge = 0;
  Status failed = Status::Ok();
  IncrementalOptions* inc = options.incremental;
  RangeStore* store = inc != nullptr ? inc->store : nullptr;
  // Whether the ranges' states are to be stored: read by the threads, unlike `keep`, which
  // merge_ready drops (under `mutex`) when a state could not be stored.
  const bool storing = keep != nullptr;
  // Table totals (RowEvaluator::KeepsTableTotal; docs/engine.md "Table totals"): the checks that
  // keep one store their own states apart (RangeState::part). When more ranges are unchanged than
  // read and the previous scan kept every such check's total, the scan builds on the totals: an
  // unchanged range's own states are not read, and each total, less the own states the ranges
  // read again had, is added at the end. Otherwise the unchanged ranges' own states are merged as
  // the rest of their states are.
  std::vector<size_t> keeps;  // indexes into `pending`
  for (size_t e = 0; e < primary.size(); ++e) {
    if (primary[e]->KeepsTableTotal()) keeps.push_back(e);
  }
  std::vector<nlohmann::json> totals;  // per check of `keeps`, when the scan builds on them
  if (!keeps.empty() && store != nullptr && inc->previous != nullptr) {
    const auto reused = static_cast<size_t>(std::count_if(
        ranges.begin(), ranges.end(), [](const RangeWork& w) { return w.reuse != nullptr; }));
    for (size_t k = 0; k < keeps.size() && 2 * reused > ranges.size(); ++k) {
      const auto it = inc->previous->memos.find(TotalMemoName(*primary[keeps[k]]));
      std::optional<FileBytes> bytes;
      if (it != inc->previous->memos.end()) bytes = store->LoadMemo(it->second);
      try {
        std::vector<nlohmann::json> decoded;
        if (bytes) decoded = DecodeStates(bytes->view());
        if (decoded.size() != 1) break;
        totals.push_back(std::move(decoded.front()));
      } catch (const std::exception&) {
        break;
      }
    }
    if (totals.size() != keeps.size()) totals.clear();
  }
  const bool on_totals = !totals.empty();
  std::atomic<bool> totals_lost{false};  // a range read again whose earlier own states are lost
  // Merges every finished range that follows the ones merged, in rowid order (under `mutex`).
  auto merge_ready = [&] {
    while (next_merge < ranges.size() && failed.ok()) {
      RangeWork& work = ranges[next_merge];
      if (!work.done) break;
      if (!work.status.ok()) {
        failed = work.status;
        break;
      }
      if (work.reread) {
        --inc->reused_ranges;
        ++inc->scanned_ranges;
      }
      if (keep != nullptr && !work.store_status.ok()) {
        spdlog::warn("source {}: {}: range states not kept: {}", context.source,
                     TableLabel(from), work.store_status.message());
        keep->ranges.clear();
        keep = nullptr;
      }
      if (keep != nullptr) {
        keep->ranges.push_back(
            {work.range.first, work.range.last, work.digest, work.file, work.part});
      }
      for (size_t e = 0; e < primary.size(); ++e) primary[e]->MergeFrom(*work.forks[e]);
      work.forks.clear();
      ++next_merge;
    }
  };
  // The forks of every range, made here: ForkInto reads the evaluators, which merge_ready changes
  // (under `mutex`) once the threads run. A reused range whose stored state cannot be read back is
  // read after all, into fresh forks made then, under `mutex` (make_range_forks).
  const auto make_range_forks = [&](std::vector<std::unique_ptr<RowEvaluator>>& forks) {
    DQA_RETURN_IF_ERROR(MakeForks(context, pending, forks));
    for (auto& f : forks) f->KeepTurningRows(storing);
    return Status::Ok();
  };
  for (RangeWork& work : ranges) DQA_RETURN_IF_ERROR(make_range_forks(work.forks));
  // Loads a reused range's stored state into its forks: kLoaded, kUnreadable when it cannot be
  // read back whole, kMoved when a check's bounds moved with the clock beyond what the state can
  // follow (RowEvaluator::DeclareMovingBound): the range is read again.
  enum class Loaded { kLoaded, kUnreadable, kMoved };
  // Why a state could not be moved (kMoved): the check and its words, for the debug line.
  const auto moved_because = [&](size_t e, const Status& s) {
    return fmt::format("check {}: {}", primary[e]->spec().id, s.message());
  };
  auto load = [&](RangeWork& work, std::string& why) {
    std::optional<std::vector<nlohmann::json>> states =
        store != nullptr ? store->Load(*work.reuse) : std::nullopt;
    if (!states || states->size() != work.forks.size()) return Loaded::kUnreadable;
    {
      // The rows of a range merged into an evaluator that already has all its first rows (from
      // the ranges before this one, all merged before it) are not read back: thousands of listed
      // rows per range, of which the night's results keep none.
      std::lock_guard lock(mutex);
      for (size_t e = 0; e < work.forks.size(); ++e) {
        work.forks[e]->SkipRowsOnLoad(primary[e]->SamplesFull(), primary[e]->ListedFull());
      }
    }
    if (!keeps.empty() && !on_totals) {
      std::optional<std::vector<nlohmann::json>> part = store->LoadPart(*work.reuse);
      if (!part || part->size() != keeps.size()) return Loaded::kUnreadable;
      for (size_t k = 0; k < keeps.size(); ++k) (*states)[keeps[k]]["own"] = std::move((*part)[k]);
    }
    for (size_t e = 0; e < work.forks.size(); ++e) {
      const bool with_own = !on_totals || !primary[e]->KeepsTableTotal();
      const Status s = work.forks[e]->LoadState(states->at(e), with_own);
      if (s.code() == StatusCode::kUnavailable) {
        why = moved_because(e, s);
        return Loaded::kMoved;
      }
      if (!s.ok()) return Loaded::kUnreadable;
    }
    return Loaded::kLoaded;
  };
  // Every range is a work item, served in rowid order by every thread: a reused range's state is
  // loaded, any other range read and its state stored (both away from the lock).
  // A thread takes a range at most kAhead past the first one not merged, so the forks waiting to be
  // merged (stored states loaded ahead, say) stay a few ranges' worth. The first kAhead ranges to
  // read come first, wherever they lie: a night that reads the last range of 64 reads it while
  // the other thread loads the states before it (these few never wait, so no thread waits on a
  // range that only a waiting thread could merge).
  constexpr size_t kAhead = 8;
  std::vector<size_t> order;
  for (size_t i = 0; i < ranges.size() && order.size() < kAhead; ++i) {
    if (ranges[i].reuse == nullptr) order.push_back(i);
  }
  const size_t early = order.size();
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (std::find(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(early), i) ==
        order.begin() + static_cast<std::ptrdiff_t>(early)) {
      order.push_back(i);
    }
  }
  std::condition_variable merged;
  std::atomic<size_t> next_item{0};
  auto work_ranges = [&](SourceDb& conn) {
    while (true) {
      const size_t item = next_item.fetch_add(1);
      if (item >= order.size()) return;
      const size_t i = order[item];
      {
        std::unique_lock lock(mutex);
        if (item >= early) merged.wait(lock, [&] { return i < next_merge + kAhead || !failed.ok(); });
        if (!failed.ok()) return;
      }
      RangeWork& work = ranges[i];
      Status s = Status::Ok();
      try {
        bool read = work.reuse == nullptr;
        std::string why;
        const Loaded loaded = read ? Loaded::kUnreadable : load(work, why);
        if (!read && loaded == Loaded::kLoaded) {
          work.file = work.reuse->file;
          work.part = work.reuse->part;
        } else if (!read) {
          if (loaded == Loaded::kUnreadable) {
            spdlog::warn("source {}: {}: the stored state of rowids {}..{} cannot be read back; "
                         "reading them again",
                         context.source, TableLabel(from), work.range.first, work.range.last);
          } else {
            spdlog::debug("source {}: {}: the stored state of rowids {}..{} cannot follow this "
                          "run's bounds on today or now ({}); reading them again",
                          context.source, TableLabel(from), work.range.first, work.range.last,
                          why);
          }
          {
            std::lock_guard lock(mutex);
            s = make_range_forks(work.forks);
          }
          work.reread = true;
          read = s.ok();
        }
        if (read) {
          std::vector<RowEvaluator*> forks;
          for (auto& f : work.forks) forks.push_back(f.get());
          s = StreamRows(conn, fused, from, filter, work.range, forks);
          if (s.ok() && storing) {
            std::vector<nlohmann::json> checks, part;
            for (const auto& f : work.forks) checks.push_back(f->SaveState());
            for (size_t e : keeps) {
              part.push_back(std::move(checks[e]["own"]));
              checks[e]["own"] = nullptr;
            }
            RangeState state;
            work.store_status = store->Store(state, checks, part);
            work.file = state.file;
            work.part = state.part;
          }
          if (s.ok() && on_totals && !work.second_half) {
            // What the totals hold of this range: its own states as the previous scan stored them.
            std::optional<std::vector<nlohmann::json>> part;
            if (work.earlier != nullptr) part = store->LoadPart(*work.earlier);
            if (part && part->size() == keeps.size()) {
              work.earlier_own = std::move(*part);
            } else {
              totals_lost = true;
            }
          }
        }
      } catch (const std::exception& e) {
        s = Internal(fmt::format("internal error: {}", e.what()));
      }
      std::lock_guard lock(mutex);
      work.status = s;
      work.done = true;
      merge_ready();
      merged.notify_all();
      if (!failed.ok()) return;
    }
  };
  // The other threads, each with a connection of its own that it opens first: this thread starts
  // reading at once instead of waiting a millisecond or two per connection opened.
  // As many threads as asked for, while there are ranges to read or stored states to load.
  const size_t threads = std::min<size_t>(static_cast<size_t>(std::max(options.threads, 1)),
                                          std::max<size_t>(ranges.size(), 1));
  std::vector<std::unique_ptr<SourceDb>> connections(options.open ? threads - 1 : 0);
  std::vector<std::thread> workers;
  for (std::unique_ptr<SourceDb>& connection : connections) {
    workers.emplace_back([&, slot = &connection] {
      Result<std::unique_ptr<SourceDb>> opened = Internal("not opened");
      try {
        opened = options.open();
      } catch (const std::exception& e) {
        opened = Internal(e.what());
      }
      if (!opened.ok()) {
        spdlog::warn("{}: another connection for a split scan could not be opened ({}); scanning "
                     "on fewer threads",
                     from, opened.status().message());
        return;
      }
      *slot = std::move(opened).value();
      work_ranges(**slot);
    });
  }
  work_ranges(db);
  for (std::thread& t : workers) t.join();
  for (std::unique_ptr<SourceDb>& connection : connections) {
    if (spare == nullptr || *spare != nullptr) break;
    *spare = std::move(connection);  // (null when its thread could not open it: the next one)
  }
  std::lock_guard lock(mutex);
  merge_ready();
  if (!failed.ok()) return failed;
  if (next_merge != ranges.size()) return Internal("a range of the scan was not merged");
  std::vector<size_t> lost;  // the checks of `keeps` whose totals cannot be used
  for (size_t k = 0; k < totals.size(); ++k) {
    RowEvaluator& e = *primary[keeps[k]];
    bool added = false;
    if (!totals_lost) {
      std::vector<const nlohmann::json*> earlier;
      for (const RangeWork& work : ranges) {
        if (!work.earlier_own.empty()) earlier.push_back(&work.earlier_own[k]);
      }
      try {
        added = e.AddTableTotal(totals[k], earlier);
      } catch (const std::exception&) {
        added = false;
      }
    }
    if (!added) {
      spdlog::warn("source {}: {}: the stored table total of check {} does not add up or the "
                   "earlier state of a range read again is lost; merging the stored states of "
                   "the unchanged ranges instead",
                   context.source, TableLabel(from), e.spec().id);
      lost.push_back(k);
    }
  }
  if (!lost.empty()) {
    DQA_RETURN_IF_ERROR(
        MergeStoredOwnStates(db, context, from, filter, fused, ranges, *store, pending, keeps, lost));
  }
  // The totals for the next scan (taken now: the grouping that follows changes the evaluators).
  for (size_t e : keeps) {
    if (keep == nullptr) break;
    next_totals.push_back({TotalMemoName(*primary[e]), primary[e]->spec().id, primary[e]->OwnState()});
  }
  return Status::Ok();
}

// Encodes and writes memos of the next scan's state on a thread of their own: the table totals
// of RunFusedScan (started before the grouping and waited for after it: a night's totals are a
// megabyte or more of states, some milliseconds to encode, that the grouping need not wait for)
// and the kept leaves of the fingerprints (IncrementalRanges: two megabytes for a province's
// citizens, written while the ranges are read). The thread touches nothing but its jobs and the
// store (whose calls may come from several threads at once); the files' names go into the state
// when it is done (KeepIn).
class MemoKeeper {
 public:
  struct Job {
    std::string name;                     // in TableState::memos
    std::function<std::string()> encode;  // the memo's bytes
    std::string what;                     // for the warning when it cannot be kept: what is lost,
    std::string then;                     // and what the next scan does without it
  };

  MemoKeeper(RangeStore& store, std::vector<Job> jobs) : jobs_(std::move(jobs)) {
    const auto keep = [this, &store] {
      for (Job& job : jobs_) {
        std::string file, error;
        try {
          Result<std::string> stored = store.StoreMemo(job.encode());
          if (stored.ok()) {
            file = std::move(stored).value();
          } else {
            error = stored.status().message();
          }
        } catch (const std::exception& e) {
          error = e.what();
        }
        job.encode = nullptr;  // (what it holds goes now)
        files_.push_back(std::move(file));
        errors_.push_back(std::move(error));
      }
    };
    try {
      thread_ = std::thread(keep);
    } catch (const std::system_error&) {
      keep();  // no thread to be had (a worker near its memory limit): here and now
    }
  }
  ~MemoKeeper() {
    if (thread_.joinable()) thread_.join();
  }
  MemoKeeper(const MemoKeeper&) = delete;
  MemoKeeper& operator=(const MemoKeeper&) = delete;

  // Waits for the thread, then names the files in `keep`.
  void KeepIn(TableState& keep, std::string_view source, std::string_view table) {
    if (thread_.joinable()) thread_.join();
    for (size_t i = 0; i < jobs_.size(); ++i) {
      if (errors_[i].empty()) {
        keep.memos[jobs_[i].name] = files_[i];
      } else {
        spdlog::warn("source {}: {}: {} not kept ({}); {}", source, table, jobs_[i].what,
                     errors_[i], jobs_[i].then);
      }
    }
  }

 private:
  std::vector<Job> jobs_;
  std::vector<std::string> files_;   // per job: its file, when written
  std::vector<std::string> errors_;  // per job: why it was not ("" when it was)
  std::thread thread_;
};

// The table totals of RunFusedScan as jobs of a MemoKeeper.
std::vector<MemoKeeper::Job> TotalJobs(std::vector<TableTotal> totals) {
  std::vector<MemoKeeper::Job> jobs;
  for (TableTotal& t : totals) {
    auto state = std::make_shared<nlohmann::json>(std::move(t.state));
    jobs.push_back({std::move(t.name),
                    [state] { return EncodeStates({std::move(*state)}); },
                    fmt::format("the table total of check {}", t.check),
                    "the next scan merges every range's state"});
  }
  return jobs;
}

// A night that reads fewer ranges than the scan has threads would leave a thread waiting while
// another reads a whole range: each range to read of at least twice a fresh range's rows is read
// as two halves instead, cut at the middle of its rowids, one per thread. Each half is stored as
// a range of its own from then on, with its fingerprint read now in the same snapshot (the pages
// of that range alone); the next full read lays the table out afresh. A range whose rowids or
// halves' fingerprints cannot be read stays whole.
void HalveLoneRanges(SourceDb& db, const std::string& table, const std::string& from,
                     const SplitOptions& split, std::vector<RangeWork>& ranges) {
  IncrementalOptions& inc = *split.incremental;
  const auto to_read = std::count_if(ranges.begin(), ranges.end(),
                                     [](const RangeWork& w) { return w.reuse == nullptr; });
  if (!split.open || to_read == 0 || to_read >= split.threads) return;
  std::vector<RangeWork> out;
  for (RangeWork& work : ranges) {
    const std::optional<int64_t> rows = RangeDigestRows(work.digest);
    if (work.reuse != nullptr || !rows || *rows < 2 * std::max<int64_t>(inc.min_range_rows, 1)) {
      out.push_back(std::move(work));
      continue;
    }
    // The middle between the range's first and last rowid (one b-tree descent each, where the
    // middle row by count would cost a walk over half the range's rows).
    std::optional<std::pair<int64_t, int64_t>> extent;
    std::optional<int64_t> middle;
    if (ReadRowidExtent(db, from, extent, work.range) && extent && extent->first < extent->second) {
      // (in unsigned arithmetic: the span of two int64 may not fit one)
      const auto [lo, hi] = *extent;
      const uint64_t half = (static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo)) / 2;
      middle = static_cast<int64_t>(static_cast<uint64_t>(lo) + half + 1);
    }
    Result<std::vector<std::string>> digests = std::vector<std::string>();
    if (middle) {
      digests = inc.digest("", table, {{work.range.first, *middle - 1}, {*middle, work.range.last}});
    }
    if (!middle || !digests.ok() || digests->size() != 2 ||
        RangeDigestRows((*digests)[0]).value_or(-1) + RangeDigestRows((*digests)[1]).value_or(-1) !=
            *rows) {
      out.push_back(std::move(work));
      continue;
    }
    RangeWork first{{work.range.first, *middle - 1}, (*digests)[0]};
    RangeWork second{{*middle, work.range.last}, (*digests)[1]};
    first.earlier = second.earlier = work.earlier;
    second.second_half = true;
    out.push_back(std::move(first));
    out.push_back(std::move(second));
    ++inc.scanned_ranges;
    ++inc.halved_ranges;
  }
  ranges = std::move(out);
}

// The layout of an incremental scan of the table (SplitOptions::incremental): the stored ranges
// when the stored key still holds, each reused when its fingerprint is unchanged, else fresh
// ranges of about equal rowid spans covering every rowid. Empty when states cannot be used (the
// scan then runs as usual); sets the key of the state to keep. The leaves of the fingerprints to
// keep are written by `leaves_keeper` (MemoKeeper), whose KeepIn names them in that state.
std::vector<RangeWork> IncrementalRanges(SourceDb& db, const CheckContext& context,
                                         const TableSpec& table, const std::string& from,
                                         const SplitOptions& split,
                                         const std::vector<Pending*>& scanned,
                                         std::optional<MemoKeeper>& leaves_keeper) {
  IncrementalOptions& inc = *split.incremental;
  if (!inc.digest || inc.store == nullptr || !db.SharesSnapshotAcrossConnections() ||
      ReadsBeyondTheRow(table.filter)) {
    return {};
  }
  // v4: a bound that releases keeps its released rows (RowEvaluator::NoteRelease), which a v3
  // reader would count as turning; the key keeps either from reading the other's states.
  std::string key = fmt::format("v4|samples={}|filter={}|key={}", context.samples, table.filter,
                                fmt::join(table.key, ","));
  std::set<std::string> lookups;  // tables checks read values from, besides their own
  for (const Pending* p : scanned) {
    const RowEvaluator& e = *p->evaluator;
    const CheckSpec& spec = e.spec();
    if (!e.Serializable() || ReadsBeyondTheRow(spec.where)) return {};
    for (const auto& f : e.FlagExpressions()) {
      if (ReadsBeyondTheRow(f.sql)) return {};
    }
    key += fmt::format("|{}|{}|{}|{}|{}|{}", spec.id, spec.type, fmt::join(spec.columns, ","),
                       spec.params.dump(), spec.where, e.ResolvedKey());
    for (const BySpec& b : spec.by) {
      key += fmt::format("|by {} {} {} {} {} {} {}", b.column, b.map_table, b.map_key, b.map_unit,
                         b.label_table, b.label_key, b.label_column);
    }
    for (const std::string& t : e.LookupTables()) lookups.insert(t);
  }
  constexpr RowidRange kAll{std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max()};
  for (const std::string& t : lookups) {
    const TableRef ref = SplitTableRef(t);
    auto digest = inc.digest(ref.schema, ref.table, {kAll});
    if (!digest.ok() || digest->size() != 1) return {};
    key += fmt::format("|lookup {}={}", t, digest->front());
  }

  const TableState* previous =
      inc.previous != nullptr && inc.previous->key == key && !inc.previous->ranges.empty()
          ? inc.previous
          : nullptr;
  // States that need a grouping memo the previous scan did not keep: every range is read again.
  for (const Pending* p : scanned) {
    for (const std::string& memo : p->evaluator->RequiredMemos()) {
      if (previous != nullptr && !previous->memos.contains(memo)) previous = nullptr;
    }
  }
  std::vector<RowidRange> bounds;
  if (previous != nullptr) {
    for (const RangeState& r : previous->ranges) bounds.push_back({r.first, r.last});
  } else {
    std::optional<std::pair<int64_t, int64_t>> extent;
    if (!ReadRowidExtent(db, from, extent)) return {};
    const auto [lo, hi] = extent.value_or(std::pair<int64_t, int64_t>{0, 0});
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    const uint64_t per_range = static_cast<uint64_t>(std::max<int64_t>(inc.min_range_rows, 1));
    const uint64_t n = std::clamp<uint64_t>(span / per_range + 1, 1,
                                            static_cast<uint64_t>(std::max(inc.ranges, 1)));
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t start = span / n * i;
      const uint64_t end = i + 1 == n ? span : span / n * (i + 1) - 1;
      bounds.push_back({static_cast<int64_t>(static_cast<uint64_t>(lo) + start),
                        static_cast<int64_t>(static_cast<uint64_t>(lo) + end)});
    }
    // Rows added below the first or above the last rowid belong to the end ranges.
    bounds.front().first = kAll.first;
    bounds.back().last = kAll.last;
  }
  // A file whose identity is the one the previous scan read its fingerprints at still has them:
  // they are not read again (a night on which the department changed nothing).
  std::string identity;
  if (inc.identity) {
    Result<std::string> id = inc.identity();
    if (id.ok()) identity = std::move(id).value();
  }
  Result<std::vector<std::string>> digests = std::vector<std::string>();
  // The leaves kept for the next scan: read now, or as the previous scan kept them.
  std::optional<IncrementalOptions::Leaves> leaves;
  bool leaves_as_before = false;
  if (previous != nullptr && !identity.empty() && previous->file_identity == identity) {
    for (const RangeState& r : previous->ranges) digests->push_back(r.digest);
    leaves_as_before = true;
    spdlog::debug("table {}: the file is as the last scan read it; its {} range fingerprints "
                  "are not read again", table.name, bounds.size());
  } else if (inc.digest_with_leaves) {
    // The leaves of the previous state whatever its key: they depend on the file alone.
    // (read where they lie in the memo's bytes, which outlive the digest)
    std::optional<FileBytes> kept_bytes;
    std::optional<KeptLeaves> kept;
    if (inc.previous != nullptr) {
      if (const auto it = inc.previous->memos.find(std::string(kLeafMemoName));
          it != inc.previous->memos.end()) {
        kept_bytes = inc.store->LoadMemo(it->second);
        if (kept_bytes) kept = KeptLeaves::Of(kept_bytes->view());
      }
    }
    leaves.emplace();
    leaves->previous = kept ? &*kept : nullptr;
    digests = inc.digest_with_leaves(table.name, bounds, *leaves);
    leaves->previous = nullptr;
    inc.reused_leaves += leaves->reused;
  } else {
    digests = inc.digest("", table.name, bounds);
  }
  if (!digests.ok() || digests->size() != bounds.size()) {
    spdlog::info("table {}: no range fingerprints ({}); scanned without stored states", table.name,
                 digests.ok() ? "wrong count" : digests.status().message());
    return {};
  }
  std::vector<RangeWork> out;
  for (size_t i = 0; i < bounds.size(); ++i) {
    RangeWork work{bounds[i], (*digests)[i]};
    if (previous != nullptr) work.earlier = &previous->ranges[i];
    if (previous != nullptr && !work.digest.empty() &&
        previous->ranges[i].digest == work.digest) {
      work.reuse = &previous->ranges[i];
      ++inc.reused_ranges;
    } else {
      ++inc.scanned_ranges;
    }
    out.push_back(std::move(work));
  }
  if (previous != nullptr) HalveLoneRanges(db, table.name, from, split, out);
  if (inc.next != nullptr) {
    inc.next->key = key;
    inc.next->file_identity = identity;
    inc.next->ranges.clear();
    inc.next->memos.clear();
    const std::string name(kLeafMemoName);
    if (leaves_as_before && previous->memos.contains(name)) {
      inc.next->memos[name] = previous->memos.at(name);
    } else if (leaves && !leaves->next.empty()) {
      // Without them the next scan reads every leaf's cells; nothing else is lost.
      auto kept = std::make_shared<LeafMemo>(std::move(leaves->next));
      std::vector<MemoKeeper::Job> jobs;
      jobs.push_back({name, [kept] { return EncodeLeafMemo(*kept); },
                      "the leaves of its fingerprints", "the next scan reads every leaf's cells"});
      leaves_keeper.emplace(*inc.store, std::move(jobs));
    }
  }
  return out;
}

// The grouping memos of an incremental scan (GroupingMemos): loaded from the previous scan's
// state, kept into the next one's, with the rowid spans of the ranges read.
class TableMemos : public GroupingMemos {
 public:
  TableMemos(RangeStore& store, const TableState* previous, TableState* next,
             const std::vector<RangeWork>& ranges)
      : store_(store), previous_(previous), next_(next) {
    for (const RangeWork& work : ranges) {
      if (work.reuse != nullptr && !work.reread) {
        all_read_ = false;
        continue;
      }
      if (!spans_.empty() && spans_.back().second < std::numeric_limits<int64_t>::max() &&
          spans_.back().second + 1 == work.range.first) {
        spans_.back().second = work.range.last;  // adjacent ranges read: one span
      } else {
        spans_.emplace_back(work.range.first, work.range.last);
      }
    }
    if (all_read_) {
      spans_ = {{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}};
    }
  }
  std::optional<FileBytes> Load(const std::string& name) override {
    const std::string* file = FileOf(name);
    return file != nullptr ? store_.LoadMemo(*file) : std::nullopt;
  }
  void Keep(const std::string& name, std::string_view bytes) override {
    if (next_ == nullptr) return;
    Result<std::string> file = store_.StoreMemo(bytes);
    if (file.ok()) {
      next_->memos[name] = *file;
    } else {
      // Without it the next scan reads every range again; nothing else is lost.
      spdlog::warn("grouping memo {} not kept: {}", name, file.status().message());
    }
  }
  bool KeepAsBefore(const std::string& name) override {
    const std::string* file = FileOf(name);
    if (file == nullptr) return false;
    if (next_ != nullptr) next_->memos[name] = *file;
    return true;
  }
  bool Stream(const std::string& name, size_t align,
              const std::function<bool(std::string_view)>& consume) override {
    const std::string* file = FileOf(name);
    return file != nullptr && store_.StreamMemo(*file, align, consume);
  }
  bool StreamSplit(const std::string& name, size_t align,
                   const std::function<bool(std::string_view)>& start,
                   const std::function<bool(std::string_view)>& first,
                   const std::function<bool(std::string_view)>& second) override {
    const std::string* file = FileOf(name);
    return file != nullptr && store_.StreamMemoSplit(*file, align, start, first, second);
  }
  const std::vector<std::pair<int64_t, int64_t>>& ReadSpans() const override { return spans_; }
  bool AllRead() const override { return all_read_; }

 private:
  // The file of memo `name` that the previous scan kept; null when it kept none.
  const std::string* FileOf(const std::string& name) const {
    if (previous_ == nullptr) return nullptr;
    const auto it = previous_->memos.find(name);
    return it != previous_->memos.end() ? &it->second : nullptr;
  }

  RangeStore& store_;
  const TableState* previous_;
  TableState* next_;
  std::vector<std::pair<int64_t, int64_t>> spans_;
  bool all_read_ = true;
};

// EncodeStates: "DQARNG2\n", the number of blobs and each one's length (8-byte little-endian
// numbers), the CBOR of the check states with each binary value replaced by an empty one whose
// subtype is its blob's index, then the blobs' bytes. The large arrays of a state (packed pairs,
// packed rows) are thereby read back with one copy each, not byte by byte as CBOR's reader does.
constexpr std::string_view kRangeMagic = "DQARNG2\n";

void AppendU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t ReadU64(std::string_view bytes, size_t at) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  return v;
}

// Moves every binary value of `j` into `blobs`, leaving its index as the subtype of an empty one.
void ExtractBlobs(nlohmann::json& j, std::vector<std::vector<uint8_t>>& blobs) {
  if (j.is_binary()) {
    std::vector<uint8_t> bytes = std::move(j.get_binary());
    j = nlohmann::json::binary({}, blobs.size());
    blobs.push_back(std::move(bytes));
  } else if (j.is_structured()) {
    for (nlohmann::json& child : j) ExtractBlobs(child, blobs);
  }
}

// Puts the blobs back (throws on an index out of range).
void RestoreBlobs(nlohmann::json& j, std::string_view bytes, const std::vector<size_t>& offsets,
                  const std::vector<size_t>& lengths) {
  if (j.is_binary()) {
    if (!j.get_binary().has_subtype()) return;
    const uint64_t index = j.get_binary().subtype();
    if (index >= offsets.size()) throw std::out_of_range("blob index out of range");
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data() + offsets[index]);
    j = nlohmann::json::binary(std::vector<uint8_t>(data, data + lengths[index]));
  } else if (j.is_structured()) {
    for (nlohmann::json& child : j) RestoreBlobs(child, bytes, offsets, lengths);
  }
}

}  // namespace

std::string EncodeStates(std::vector<nlohmann::json> checks) {
  nlohmann::json skeleton(std::move(checks));
  std::vector<std::vector<uint8_t>> blobs;
  ExtractBlobs(skeleton, blobs);
  const std::vector<uint8_t> cbor = nlohmann::json::to_cbor(skeleton);
  std::string out(kRangeMagic);
  AppendU64(out, blobs.size());
  for (const auto& b : blobs) AppendU64(out, b.size());
  AppendU64(out, cbor.size());
  out.append(reinterpret_cast<const char*>(cbor.data()), cbor.size());
  for (const auto& b : blobs) out.append(reinterpret_cast<const char*>(b.data()), b.size());
  return out;
}

std::vector<nlohmann::json> DecodeStates(std::string_view bytes) {
  if (!bytes.starts_with(kRangeMagic)) throw std::out_of_range("not a range file");
  size_t at = kRangeMagic.size();
  auto next = [&] {
    if (bytes.size() - at < 8) throw std::out_of_range("range file cut short");
    const uint64_t v = ReadU64(bytes, at);
    at += 8;
    return v;
  };
  const uint64_t count = next();
  if (count > (bytes.size() - at) / 8) throw std::out_of_range("range file cut short");
  std::vector<size_t> lengths;
  for (uint64_t i = 0; i < count; ++i) lengths.push_back(next());
  const uint64_t cbor_size = next();
  if (cbor_size > bytes.size() - at) throw std::out_of_range("range file cut short");
  const std::string_view cbor = bytes.substr(at, cbor_size);
  at += cbor_size;
  std::vector<size_t> offsets;
  for (size_t length : lengths) {
    if (length > bytes.size() - at) throw std::out_of_range("range file cut short");
    offsets.push_back(at);
    at += length;
  }
  nlohmann::json skeleton = nlohmann::json::from_cbor(cbor, true, true,
                                                      nlohmann::json::cbor_tag_handler_t::store);
  RestoreBlobs(skeleton, bytes, offsets, lengths);
  if (!skeleton.is_array()) throw std::out_of_range("range file holds no list of states");
  std::vector<nlohmann::json> checks;
  checks.reserve(skeleton.size());
  for (nlohmann::json& c : skeleton) checks.push_back(std::move(c));
  return checks;
}

namespace {

// The index `file` names after `prefix` ("", "p", "m"), when it is below `size`.
std::optional<size_t> MemoryIndex(const std::string& file, std::string_view prefix, size_t size) {
  if (!file.starts_with(prefix)) return std::nullopt;
  size_t index = 0;
  const char* begin = file.data() + prefix.size();
  const auto [end, ec] = std::from_chars(begin, file.data() + file.size(), index);
  if (ec != std::errc() || end != file.data() + file.size() || begin == end || index >= size) {
    return std::nullopt;
  }
  return index;
}

}  // namespace

std::optional<std::vector<nlohmann::json>> MemoryRangeStore::Load(const RangeState& range) {
  std::lock_guard lock(mutex_);
  const auto index = MemoryIndex(range.file, "", states_.size());
  if (!index) return std::nullopt;
  return states_[*index];
}

std::optional<std::vector<nlohmann::json>> MemoryRangeStore::LoadPart(const RangeState& range) {
  std::lock_guard lock(mutex_);
  const auto index = MemoryIndex(range.part, "p", states_.size());
  if (!index) return std::nullopt;
  return states_[*index];
}

Status MemoryRangeStore::Store(RangeState& range, const std::vector<nlohmann::json>& checks,
                               const std::vector<nlohmann::json>& part) {
  std::lock_guard lock(mutex_);
  range.file = std::to_string(states_.size());
  states_.push_back(checks);
  range.part.clear();
  if (!part.empty()) {
    range.part = "p" + std::to_string(states_.size());
    states_.push_back(part);
  }
  return Status::Ok();
}

bool RangeStore::StreamMemo(const std::string& file, size_t align,
                            const std::function<bool(std::string_view)>& consume) {
  const std::optional<FileBytes> bytes = LoadMemo(file);
  return bytes && FeedPieces(bytes->view(), 97 * align, consume);
}

bool RangeStore::StreamMemoSplit(const std::string& file, size_t align,
                                 const std::function<bool(std::string_view)>& start,
                                 const std::function<bool(std::string_view)>& first,
                                 const std::function<bool(std::string_view)>& second) {
  const std::optional<FileBytes> bytes = LoadMemo(file);
  return bytes && FeedSplit(bytes->view(), align, 97 * align, start, first, second);
}

std::optional<FileBytes> MemoryRangeStore::LoadMemo(const std::string& file) {
  std::lock_guard lock(mutex_);
  const auto index = MemoryIndex(file, "m", memos_.size());
  if (!index) return std::nullopt;
  return FileBytes(memos_[*index]);
}

Result<std::string> MemoryRangeStore::StoreMemo(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  memos_.emplace_back(bytes);
  return "m" + std::to_string(memos_.size() - 1);
}

size_t MemoryRangeStore::size() const {
  std::lock_guard lock(mutex_);
  return states_.size();
}

Result<std::vector<std::string>> SqliteRangeDigests(SqliteDb& db, const std::string& schema,
                                                    const std::string& table,
                                                    const std::vector<RowidRange>& ranges,
                                                    IncrementalOptions::Leaves* leaves) {
  RowidBounds bounds;
  for (size_t i = 0; i < ranges.size(); ++i) {
    const bool follows = i == 0 || (ranges[i - 1].last < std::numeric_limits<int64_t>::max() &&
                                    ranges[i].first == ranges[i - 1].last + 1);
    if (!follows || ranges[i].last < ranges[i].first) {
      return InvalidArgument("range fingerprints need ranges that follow each other in order");
    }
    if (i > 0) bounds.push_back(ranges[i].first);
  }
  if (ranges.empty()) return InvalidArgument("range fingerprints of no range");
  // Ranges short of the smallest or the largest rowid: only their rowids are read.
  RowidSpan span;
  if (ranges.front().first != std::numeric_limits<int64_t>::min()) span.first = ranges.front().first;
  if (ranges.back().last != std::numeric_limits<int64_t>::max()) span.last = ranges.back().last;
  DQA_ASSIGN_OR_RETURN(
      RowidRangeDigests digests,
      DigestRowidRanges(db, schema, table, bounds, span, leaves ? leaves->previous : nullptr));
  if (leaves != nullptr) {
    leaves->next = std::move(digests.leaves);
    leaves->reused = digests.leaves_reused;
  }
  std::vector<std::string> out;
  for (const RowidRangeDigest& d : digests.ranges) {
    out.push_back(fmt::format("{}:{}", d.row_count, d.hash.ToHex()));
  }
  return out;
}

std::optional<int64_t> RangeDigestRows(std::string_view digest) {
  const size_t colon = digest.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  int64_t rows = 0;
  const auto [end, ec] = std::from_chars(digest.data(), digest.data() + colon, rows);
  if (ec != std::errc() || end != digest.data() + colon || rows < 0) return std::nullopt;
  return rows;
}

std::vector<CheckResult> ScanTable(SourceDb& db, const CheckContext& base, const TableSpec& table,
                                   const SplitOptions& split) {
  CheckContext context = base;
  context.key_columns = table.key.empty() ? std::vector<std::string>{"rowid"} : table.key;
  context.table_filter = table.filter;
  std::vector<std::optional<CheckResult>> out(table.checks.size());

  const std::string from = db.QualifiedTable(table.name);
  std::vector<std::string> key_sql;
  for (const std::string& k : table.key) key_sql.push_back(QuoteIdent(k));
  if (key_sql.empty()) key_sql.push_back(db.RowIdSql());

  // Problems that stop every row check of the table: a missing table or key column, a bad filter.
  std::string table_error;
  std::set<std::string> columns;
  std::map<std::string, std::string> declared;  // lower-case column -> declared type
  if (auto info = db.TableColumns(db.MainSchema(), table.name); !info.ok()) {
    table_error = info.status().message();
  } else {
    for (const ColumnInfo& c : *info) {
      columns.insert(Lower(c.name));
      declared.emplace(Lower(c.name), c.declared_type);
    }
    for (const std::string& k : table.key) {
      if (!columns.contains(Lower(k))) {
        table_error = fmt::format("key column {} not found in table {}", k, table.name);
        break;
      }
    }
    if (table_error.empty()) {
      if (Status s = ProbeExpression(
              db, from + (table.filter.empty() ? "" : " WHERE (" + table.filter + ")"), "1");
          !s.ok()) {
        table_error = "filter does not work: " + s.message();
      }
    }
  }

  // NOT INDEXED keeps the scan in rowid order (samples are in rowid order) and avoids a sorter
  // whose memory would grow with the rows; views cannot take it.
  std::string scan_from = from;
  if (db.engine() == Engine::kSqlite && db.IsBaseTable(table.name)) scan_from += " NOT INDEXED";

  // Query checks run after the fused scan, on the same snapshot; every other shape is fed by it.
  std::vector<std::pair<size_t, const CheckType*>> queries;
  std::vector<Pending> pending;
  for (size_t i = 0; i < table.checks.size(); ++i) {
    const CheckSpec& spec = table.checks[i];
    Result<const CheckType*> type = TypeOf(spec, context);
    if (!type.ok()) {
      out[i] = ErrorResult(spec, context, type.status().message());
      continue;
    }
    if ((*type)->info().shape == CheckShape::kQuery) {
      queries.emplace_back(i, *type);
      continue;
    }
    if (!table_error.empty()) {
      out[i] = ErrorResult(spec, context, table_error);
      continue;
    }
    const auto start = Clock::now();
    auto evaluator = (*type)->MakeEvaluator(spec, context);
    if (!evaluator.ok()) {
      out[i] = ErrorResult(spec, context, evaluator.status().message());
      continue;
    }
    std::string error;
    std::vector<std::string> needed = (*evaluator)->Columns();
    for (const std::string& c : (*evaluator)->ByColumns()) needed.push_back(c);
    for (const std::string& c : needed) {
      if (!columns.contains(Lower(c))) {
        error = fmt::format("column {} not found in table {}", c, table.name);
        break;
      }
    }
    if (error.empty()) {
      if (Status s = ProbeExpression(db, from, spec.where); !s.ok()) {
        error = "where does not work: " + s.message();
      } else {
        for (const auto& e : (*evaluator)->FlagExpressions()) {
          if (s = ProbeExpression(db, from, e.sql); !s.ok()) {
            error = e.param + " does not work: " + s.message();
            break;
          }
        }
        if (error.empty()) {
          if (s = (*evaluator)->Prepare(db); !s.ok()) {
            error = s.message();
          } else if (s = (*evaluator)->PrepareBreakdown(db); !s.ok()) {
            error = s.message();
          }
        }
      }
    }
    if (!error.empty()) {
      out[i] = ErrorResult(spec, context, error);
      out[i]->duration_ms = MillisSince(start);
      continue;
    }
    if (!spec.by.empty() && (*type)->info().shape == CheckShape::kAggregate) {
      // An aggregate's figure per unit is the figure of the unit's rows alone: each unit gets an
      // evaluator of its own (RowEvaluator::SplitUnitsWith).
      // They share what the check's Prepare loaded (no query mid-scan, and none from the
      // threads of a split scan).
      const CheckType* t = *type;
      const RowEvaluator* prepared = evaluator->get();
      (*evaluator)->SplitUnitsWith([t, &spec, &context, prepared]() -> std::unique_ptr<RowEvaluator> {
        auto own = t->MakeEvaluator(spec, context);
        if (!own.ok()) return nullptr;
        prepared->ShareWith(**own);
        return std::move(own).value();
      });
    }
    pending.push_back({i, *type, std::move(evaluator).value(), MillisSince(start)});
  }

  // A server that pushes down counts the checks it can write in SQL itself; the others, and all
  // of them when its queries fail, are scanned.
  double push_ms = 0;
  if (db.PushesDown() && !pending.empty()) {
    PushDownTable columns_of;
    columns_of.unicode_normalize = db.NormalizesUnicode();
    for (const auto& [lower, type] : declared) columns_of.kinds[lower] = PgColumnKind(type);
    // All or none: when one check must read the rows, the scan reads them for all (one pass
    // either way; counting some in the server too would read the table twice).
    std::vector<PushedCheck> pushed;
    for (Pending& p : pending) {
      p.push_down = p.evaluator->PushDownSql(columns_of);
      if (!p.push_down) {
        pushed.clear();
        break;
      }
      pushed.push_back({p.evaluator.get(), *p.push_down});
    }
    const auto start = Clock::now();
    if (pushed.empty()) {
      for (Pending& p : pending) p.push_down.reset();
    } else if (Status s = RunPushDown(db, from, table.filter, key_sql, context.samples, pushed);
               !s.ok()) {
      spdlog::warn("source {} table {}: counting in the server failed ({}); scanning the rows "
                   "instead",
                   context.source, table.name, s.message());
      for (Pending& p : pending) p.push_down.reset();
    }
    push_ms = MillisSince(start);
  }

  double scan_ms = 0;
  std::optional<TableMemos> memos;
  // The table totals for the next scan, written beside the grouping into `totals_for`.
  std::optional<MemoKeeper> totals_keeper;
  // The kept leaves of the fingerprints, written while the ranges are read (IncrementalRanges).
  std::optional<MemoKeeper> leaves_keeper;
  TableState* totals_for = nullptr;
  std::vector<Pending*> scanned;
  for (Pending& p : pending) {
    if (!p.push_down) scanned.push_back(&p);
  }
  // Whether the grouping may open connections of its own (in the snapshot of `db`); the first one
  // it asks for is then a connection the split scan opened, kept for it (`spare`).
  const bool grouping_opens =
      split.open && db.SharesSnapshotAcrossConnections() &&
      std::any_of(pending.begin(), pending.end(),
                  [](const Pending& p) { return p.type->info().shape == CheckShape::kGrouped; });
  std::unique_ptr<SourceDb> spare;
  if (!scanned.empty()) {
    const auto start = Clock::now();
    if (ActivityPublished()) NoteTableScanStart(EstimateTableRows(db, table.name));
    const bool with_rowid = HasRowid(db, table.name, from, columns);
    std::vector<RangeWork> ranges;
    TableState* keep = nullptr;
    if (with_rowid) {
      if (split.incremental != nullptr) {
        ranges = IncrementalRanges(db, context, table, from, split, scanned, leaves_keeper);
        if (!ranges.empty()) keep = split.incremental->next;
      }
      if (ranges.empty()) {
        for (const RowidRange& r : SplitRanges(db, from, split.threads, split, scanned)) {
          ranges.push_back(RangeWork{r});
        }
      }
    }
    std::vector<TableTotal> next_totals;
    if (Status s = RunFusedScan(db, context, scan_from, table.filter, key_sql, with_rowid, ranges,
                                split, scanned, keep, next_totals,
                                grouping_opens ? &spare : nullptr);
        !s.ok()) {
      for (Pending* p : scanned) p->evaluator->SetError("table scan failed: " + s.message());
    } else if (keep != nullptr) {
      if (!next_totals.empty()) {
        totals_keeper.emplace(*split.incremental->store, TotalJobs(std::move(next_totals)));
        totals_for = keep;
      }
      // (the previous state IncrementalRanges used: the one the ranges it reused came from)
      const bool reused = std::any_of(ranges.begin(), ranges.end(),
                                      [](const RangeWork& w) { return w.reuse != nullptr; });
      memos.emplace(*split.incremental->store, reused ? split.incremental->previous : nullptr, keep,
                    ranges);
    }
    scan_ms = MillisSince(start);
  }

  // Grouped checks: one RunGrouping per type, over all of its checks of this table (duplicate
  // checks share their grouping queries); each shares the time of its type's queries.
  GroupingScope scope{table.name, table.filter, key_sql, context.samples,
                      memos ? &*memos : nullptr};
  if (grouping_opens) {
    // (the connection a thread of the split scan opened first, in the same snapshot)
    scope.open = [&]() -> Result<std::unique_ptr<SourceDb>> {
      if (spare != nullptr) return std::move(spare);
      return split.open();
    };
  }
  std::vector<const CheckType*> grouped;
  for (const Pending& p : pending) {
    if (p.type->info().shape == CheckShape::kGrouped &&
        std::find(grouped.begin(), grouped.end(), p.type) == grouped.end()) {
      grouped.push_back(p.type);
    }
  }
  // The results that do not wait for the grouping go out first (SplitOptions::finished).
  // (every one finished first, then all given, as the results of a table always were: a plugin
  // that dies in its check's end of scan leaves none of the table's results sent)
  // A pending check's result: fused checks share the scan; grouped ones also share their grouping
  // queries; each has its own end of scan (fuzzy_duplicate compares and clusters there).
  const auto finish = [&](Pending& p) {
    const auto start = Clock::now();
    CheckResult r = p.evaluator->Finish();
    r.duration_ms = p.prepare_ms + (p.push_down ? push_ms : scan_ms) + p.grouping_ms +
                    MillisSince(start);
    out[p.index] = std::move(r);
  };
  std::vector<bool> finished_early(pending.size(), false);
  for (size_t i = 0; split.finished && !grouped.empty() && i < pending.size(); ++i) {
    if (pending[i].type->info().shape == CheckShape::kGrouped) continue;
    finish(pending[i]);
    finished_early[i] = true;
  }
  // The query checks (a plugin's among them) run before the results are given: no plugin code
  // runs while the caller sends them on (the worker's blame of a plugin that writes to its stream
  // counts the bytes written during each plugin call).
  for (const auto& [i, type] : queries) {
    const auto start = Clock::now();
    CheckResult r = type->RunQuery(db, table.checks[i], context);
    r.duration_ms = MillisSince(start);
    out[i] = std::move(r);
  }
  for (size_t i = 0; i < pending.size(); ++i) {
    if (finished_early[i]) split.finished(*out[pending[i].index]);
  }
  for (const CheckType* type : grouped) {
    std::vector<RowEvaluator*> evaluators;
    for (Pending& p : pending) {
      if (p.type == type) evaluators.push_back(p.evaluator.get());
    }
    const auto start = Clock::now();
    type->RunGrouping(db, scope, evaluators);
    const double ms = MillisSince(start);
    for (Pending& p : pending) {
      if (p.type == type) p.grouping_ms = ms;
    }
  }

  for (size_t i = 0; i < pending.size(); ++i) {
    if (!finished_early[i]) finish(pending[i]);
  }
  if (totals_keeper) totals_keeper->KeepIn(*totals_for, context.source, TableLabel(from));
  if (leaves_keeper) leaves_keeper->KeepIn(*split.incremental->next, context.source, TableLabel(from));

  std::vector<CheckResult> results;
  results.reserve(out.size());
  for (auto& r : out) results.push_back(std::move(*r));
  return results;
}

}  // namespace dqa
