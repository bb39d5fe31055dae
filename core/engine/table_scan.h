// ScanTable: every check of one table, with ONE fused streamed SELECT for all row checks.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checks/evaluator.h"
#include "core/model/source.h"
#include "core/sources/sqlite_btree.h"
#include "core/sources/sqlite_db.h"
#include "core/util/file_bytes.h"

namespace dqa {

// Runs the checks of `table` on `db` (already in its read snapshot) and returns their results in
// the table's check order. Row checks share one streamed SELECT (keys, each needed column once, a
// 0/1 flag per distinct `where` and per `invalid_when`) evaluated in C++; duplicate checks add one
// grouping query per key-column set; sql checks run their own query. A check whose columns or SQL
// fragments do not work gets an error result; a failure of the fused SELECT is the error of every
// row check of the table. `base.key_columns` is ignored (the table's key, or rowid, is used).
//
// With `split` (docs/engine.md "One table on every core"), the fused scan of a large SQLite rowid
// table whose checks can all be split runs in `split.threads` rowid ranges at once, each but the
// first on a connection of its own (split.open) in the same snapshot, and their evaluators are
// merged in rowid order: the results are exactly those of one scan.
// Rowids first..last, both included.
struct RowidRange {
  int64_t first = 0;
  int64_t last = 0;
};

// Incremental scans (docs/engine.md "Incremental scans"): a table's scan state by rowid range, so
// that the next scan reads only the ranges that changed and merges the stored state of the others.
struct RangeState {
  int64_t first = 0;
  int64_t last = 0;
  std::string digest;  // the range's fingerprint when its state was taken
  std::string file;    // where RangeStore keeps its check states
  // Where RangeStore keeps the own states of the checks that keep a table total
  // (RowEvaluator::KeepsTableTotal), apart from the rest; "" when no check does.
  std::string part;
};
struct TableState {
  // What the states hold under: the checks and their parameters as resolved for this scan, the
  // table's filter and key, the fingerprints of the tables the checks look values up in.
  std::string key;
  std::vector<RangeState> ranges;
  int64_t full_scan_unix = 0;  // when every range was last read (kept by the caller)
  // The identity of the table's database file when the ranges' fingerprints were read
  // (IncrementalOptions::identity; "" = unknown): while it holds, they are still those.
  std::string file_identity;
  // The grouping memos and table totals this scan kept (GroupingMemos, "table total:<check id>"):
  // name -> where RangeStore keeps the bytes.
  std::map<std::string, std::string> memos;
};
// Where the check states of ranges are kept: written once per scanned range, read back a few ranges
// at a time while the scan merges (never all at once). Called from the scan's threads at once.
class RangeStore {
 public:
  virtual ~RangeStore() = default;
  // The states `Store` kept for `range` (per check of the fused scan, in table order); nullopt
  // when they cannot be read back whole, and the range is then scanned instead.
  virtual std::optional<std::vector<nlohmann::json>> Load(const RangeState& range) = 0;
  // The own states `Store` kept apart for `range` (range.part), in check order.
  virtual std::optional<std::vector<nlohmann::json>> LoadPart(const RangeState& range) = 0;
  // Keeps `checks` (SaveState per check) for `range` and sets range.file, and keeps `part` (the
  // own states of the checks that keep a table total, left out of `checks`) apart, setting
  // range.part ("" when `part` is empty). Non-OK: nothing of this scan is kept.
  virtual Status Store(RangeState& range, const std::vector<nlohmann::json>& checks,
                       const std::vector<nlohmann::json>& part) = 0;
  // A grouping memo's bytes, kept under the name StoreMemo returned (nullopt when they cannot be
  // read back whole), and kept.
  virtual std::optional<FileBytes> LoadMemo(const std::string& file) = 0;
  virtual Result<std::string> StoreMemo(std::string_view bytes) = 0;
  // The same bytes a piece at a time (GroupingMemos::Stream): here from LoadMemo, in pieces of
  // 97 times `align` (an odd count, so that tests meet pieces of uneven length).
  virtual bool StreamMemo(const std::string& file, size_t align,
                          const std::function<bool(std::string_view)>& consume);
  // The same bytes in two parts read at once (GroupingMemos::StreamSplit): here from LoadMemo,
  // one part after the other (FeedSplit).
  virtual bool StreamMemoSplit(const std::string& file, size_t align,
                               const std::function<bool(std::string_view)>& start,
                               const std::function<bool(std::string_view)>& first,
                               const std::function<bool(std::string_view)>& second);
};
// A RangeStore in memory (tests, benchmarks).
class MemoryRangeStore : public RangeStore {
 public:
  std::optional<std::vector<nlohmann::json>> Load(const RangeState& range) override;
  std::optional<std::vector<nlohmann::json>> LoadPart(const RangeState& range) override;
  Status Store(RangeState& range, const std::vector<nlohmann::json>& checks,
               const std::vector<nlohmann::json>& part) override;
  std::optional<FileBytes> LoadMemo(const std::string& file) override;
  Result<std::string> StoreMemo(std::string_view bytes) override;
  size_t size() const;  // range states and parts kept

 private:
  mutable std::mutex mutex_;
  std::vector<std::vector<nlohmann::json>> states_;  // file = index into it; part = "p" + index
  std::vector<std::string> memos_;                   // file = "m" + index into it
};

// A list of states as bytes (what a range file holds: the binary values of the states apart, read
// back with one copy each), and back; Decode throws on anything Encode did not write.
std::string EncodeStates(std::vector<nlohmann::json> states);
std::vector<nlohmann::json> DecodeStates(std::string_view bytes);
struct IncrementalOptions {
  const TableState* previous = nullptr;  // the state the table's last scan kept, if any
  TableState* next = nullptr;             // filled with this scan's state when it can be kept
  RangeStore* store = nullptr;            // the ranges' check states (required)
  int ranges = 64;                        // ranges of a fresh split, at most
  int64_t min_range_rows = 10'000;        // a fresh range spans at least this many rowids
  // The fingerprints of `ranges` of `schema.table` ("" = the source's own database), read in the
  // scan's snapshot: ranges that follow each other, covering every rowid (a whole table) or one
  // range's (the halves of a range read on two threads); non-OK: no state is used or kept.
  std::function<Result<std::vector<std::string>>(const std::string& schema,
                                                 const std::string& table,
                                                 const std::vector<RowidRange>& ranges)>
      digest;
  // The fingerprints of the table's own ranges (as `digest` reads them) with the leaves the
  // previous scan kept (docs/sources.md "Range fingerprints": a leaf whose bytes are unchanged adds
  // its kept part instead of its cells). When set, the scan uses it in place of `digest` for them,
  // and keeps the leaves it gives in the state as the memo kLeafMemoName.
  struct Leaves {
    const KeptLeaves* previous = nullptr;  // the previous scan's, if any
    LeafMemo next;                         // out: the leaves to keep
    int64_t reused = 0;                    // out: leaves taken from `previous`
  };
  std::function<Result<std::vector<std::string>>(const std::string& table,
                                                 const std::vector<RowidRange>& ranges,
                                                 Leaves& leaves)>
      digest_with_leaves;
  // The identity of the table's own database file in the scan's snapshot (SnapshotFileIdentity);
  // empty function or non-OK: unknown, and the fingerprints are read from the file every time.
  std::function<Result<std::string>()> identity;
  int64_t scanned_ranges = 0;  // out: ranges read
  int64_t reused_ranges = 0;   // out: ranges merged from their stored state
  int64_t halved_ranges = 0;   // out: changed ranges read (and kept) as two halves
  int64_t reused_leaves = 0;   // out: leaves whose part of the fingerprints was kept (Leaves)
};
// The name of the memo of a table's kept leaves in TableState::memos.
inline constexpr std::string_view kLeafMemoName = "range leaves";

// IncrementalOptions::digest for an SQLite source: the range fingerprints of `db`'s own or
// attached `schema.table`, read from the file inside `db`'s snapshot (core/sources/sqlite_btree.h),
// for `ranges` that follow each other (each "rows:hash", RangeDigestRows reads the rows). When
// they do not cover every rowid, only the pages of their rowids are read. Unavailable when the
// file alone is not the snapshot (a WAL with frames) or not a rowid table.
// With `leaves` (the table's own ranges only), its previous leaves are used and the new ones kept
// (IncrementalOptions::Leaves).
Result<std::vector<std::string>> SqliteRangeDigests(SqliteDb& db, const std::string& schema,
                                                    const std::string& table,
                                                    const std::vector<RowidRange>& ranges,
                                                    IncrementalOptions::Leaves* leaves = nullptr);
// The rows a fingerprint of the form "rows:..." counts; nullopt for any other form.
std::optional<int64_t> RangeDigestRows(std::string_view digest);

struct SplitOptions {
  int threads = 1;  // ranges scanned at once; 1 = the whole table on the calling thread
  // Tables whose rowids span fewer rows are scanned whole (a thread costs more than it saves).
  int64_t min_rows = 50'000;
  // Opens another connection to the source, in its snapshot, while `db` is in its own (ScanSource
  // passes its opener); empty: no split.
  std::function<Result<std::unique_ptr<SourceDb>>()> open;
  // Keeps and reuses per-range states when set (and the table allows: an SQLite rowid table whose
  // checks can all be kept, with no subquery in its SQL).
  IncrementalOptions* incremental = nullptr;
  // When set, called on the calling thread with the result of each check of a table with grouped
  // checks (CheckShape::kGrouped: duplicate) that is final before their grouping runs (every
  // other check of the fused scan), as soon as the scan is done: the caller can send them on while
  // the grouping runs. ScanTable still returns every result, these too, in the checks' order.
  std::function<void(const CheckResult&)> finished;
};
std::vector<CheckResult> ScanTable(SourceDb& db, const CheckContext& base, const TableSpec& table,
                                   const SplitOptions& split = {});

}  // namespace dqa
