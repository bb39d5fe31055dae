// Range fingerprints of an SQLite rowid table, read from the database file's table b-tree without
// SQLite (docs/sources.md "Range fingerprints"): the boundaries that split a table into rowid
// ranges of equal row counts, and per range a 128-bit hash of its rows' stored bytes, so that an
// incremental run knows exactly which ranges changed since the last one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sources/sqlite_db.h"
#include "core/sources/sqlite_file_identity.h"
#include "core/util/murmur3.h"
#include "core/util/status.h"

namespace dqa {

// Ranges are given by strictly increasing rowid bounds b_1 < ... < b_n: range 0 is
// (-inf, b_1), range i is [b_i, b_{i+1}), range n is [b_n, +inf). n bounds make n + 1 ranges,
// and `rowid >= b_i AND rowid < b_{i+1}` selects the same rows through SQLite.
using RowidBounds = std::vector<int64_t>;

// One range's fingerprint.
struct RowidRangeDigest {
  int64_t row_count = 0;
  std::optional<int64_t> first_rowid;  // absent when the range is empty
  std::optional<int64_t> last_rowid;
  // The sum, lane by lane (mod 2^64), of RowPart(rowid, record hash) over the range's rows, the
  // record hash being RecordHash of the record's bytes (its local part then its overflow pages)
  // seeded with its size. Depends only on the rows' stored records, never on which pages hold
  // them nor in which order they are met.
  Hash128 hash;

  bool operator==(const RowidRangeDigest&) const = default;
};

// A leaf page's part of the range fingerprints, kept from one digest for the next (LeafMemo): a
// page whose usable bytes hash as they did, at the same page number, holds the same cells, so its
// part is added again without its cells being read. Only pages whose records are all local (no
// overflow page, whose bytes the leaf does not hold) and whose rows all fall in one range and
// inside the rowids read are kept.
struct LeafDigest {
  uint32_t pgno = 0;
  uint32_t cells = 0;
  Hash128 page;  // BulkHash128 of the page's usable bytes
  int64_t first_rowid = 0;
  int64_t last_rowid = 0;
  Hash128 part;      // the sum of the page's rows' RowPart
  uint64_t payload = 0;  // the record bytes of its rows
  bool operator==(const LeafDigest&) const = default;
};
// Sorted by page number, each at most once.
using LeafMemo = std::vector<LeafDigest>;

// The bytes of a LeafMemo kept between runs ("DQALEAF1", then 64 bytes per leaf in this machine's
// byte order: a memo is read back by the same build, as range states are), and back: nullopt when
// `bytes` are not what EncodeLeafMemo wrote (or its leaves are not in page order).
std::string EncodeLeafMemo(const LeafMemo& leaves);
std::optional<LeafMemo> DecodeLeafMemo(std::string_view bytes);

// The leaves a digest kept, read where they lie in EncodeLeafMemo's bytes: each looked up by page
// number (a binary search over the records) and read when met, the whole never decoded into a
// LeafMemo of its own (two megabytes of fresh memory a night for a province's citizens).
class KeptLeaves {
 public:
  // nullopt when `bytes` are not what EncodeLeafMemo wrote (or its leaves are not in page order),
  // as DecodeLeafMemo. The view reads `bytes`, which must outlive it.
  static std::optional<KeptLeaves> Of(std::string_view bytes);
  // The leaves of `leaves` (sorted by page number, each at most once), encoded into bytes of
  // the view's own.
  static KeptLeaves Encoded(const LeafMemo& leaves);

  size_t size() const { return records_.size() / kRecordBytes; }
  LeafDigest at(size_t i) const;
  // The leaf kept at page `pgno`, if any.
  std::optional<LeafDigest> Find(uint32_t pgno) const;

 private:
  static constexpr size_t kRecordBytes = 64;
  KeptLeaves() = default;
  uint32_t PageAt(size_t i) const;

  std::shared_ptr<const std::string> owned_;  // (Encoded only)
  std::string_view records_;                  // the records, after the magic
};

struct RowidRangeDigests {
  std::vector<RowidRangeDigest> ranges;  // bounds.size() + 1, in rowid order
  LeafMemo leaves;             // the leaves kept for the next digest (LeafDigest), by page number
  int64_t leaves_reused = 0;   // leaves whose part was taken from the memo given
  // The file's identity, the same before and after reading: the caller can compare it with the one
  // of its own snapshot (core/nightly/fingerprint.h).
  SqliteFileIdentity identity;
  int64_t pages_read = 0;     // b-tree and overflow pages
  int64_t payload_bytes = 0;  // record bytes hashed
};

// The bounds that split the rowid table whose b-tree starts at `root_page` (sqlite_schema.rootpage
// in the caller's snapshot) into `ranges` ranges of equal row counts (sizes differ by at most one
// row): reads every interior page and the 8-byte header of every leaf page, plus the cells of the
// ranges - 1 leaves where a cut falls; never a record or an overflow page. A table of fewer rows
// than `ranges` gets fewer bounds (one per row but the first); an empty table none.
//
// Reads the file itself (ReadOnlyFile: pread, nothing written, no -wal/-shm created) and returns
// Unavailable, never a guess, when the file alone is not a trustworthy snapshot or not a rowid
// table: a -wal file holding frames, a hot rollback journal, a root page that is not a table
// b-tree page (WITHOUT ROWID tables and indexes), any structural inconsistency (page out of range,
// a page reached twice, a cell outside its page, keys out of order, an overflow chain of the wrong
// length, depth above 64), or a file whose identity changed while it was read. NotFound / IoError
// when the file cannot be opened or read; InvalidArgument when `ranges` < 1.
// Opens and closes a descriptor of its own on the file, which drops every POSIX lock this process
// holds on it: never while this process has an SQLite read transaction open on the file (use the
// SqliteDb overloads below inside a snapshot).
Result<RowidBounds> ChooseRowidBounds(const std::string& path, uint32_t root_page, int ranges);

// The digest of every range of `bounds` (strictly increasing, else InvalidArgument) in the rowid
// table at `root_page`. Reads every page of the table once. Refuses as ChooseRowidBounds does.
Result<RowidRangeDigests> DigestRowidRanges(const std::string& path, uint32_t root_page,
                                            const RowidBounds& bounds);

// The same two on the main database of `db` (connection `conn` to the file at `path`) inside its
// open snapshot (SqliteDb::BeginSnapshot, else InvalidArgument), for `table` (its root page read
// from sqlite_schema in that snapshot; NotFound when there is no such table, or it is a view or
// virtual table). The pages are read
// through the connection's own file handle (SQLITE_FCNTL_FILE_POINTER), so no descriptor is
// opened on the file and the snapshot's SHARED lock stays held: in rollback-journal mode no writer
// can rewrite pages during the read. This is the form the engine and the nightly run should call,
// with the same snapshot their scans use.
Result<RowidBounds> ChooseRowidBoundsInSnapshot(sqlite3* conn, const std::string& path,
                                                const std::string& table, int ranges);
// The identity of the database file of `conn` (`schema`, at `path`) inside its open snapshot, as
// the two above read it (stat by path, the header through the connection's handle: no descriptor
// opened); Unavailable when the file alone is not the snapshot (a -wal holding frames, a hot
// journal). Equal identities of one file before and after mean range fingerprints read at either
// time are equal (the change counter moves with every commit in rollback-journal mode, the -wal's
// identity with every commit in WAL mode).
Result<SqliteFileIdentity> SnapshotFileIdentity(sqlite3* conn, const std::string& path,
                                                const std::string& schema = "main");
// The rowids a digest reads: every one (the default), or only those from `first` and up to `last`
// (both included) when set; ranges of the bounds outside them then get no rows. Pages holding
// none of them are not read: a span of one range reads that range's pages alone.
struct RowidSpan {
  std::optional<int64_t> first;
  std::optional<int64_t> last;
};
// `schema`: "main", or the alias of a database attached to `conn` (whose file is `path`).
Result<RowidRangeDigests> DigestRowidRangesInSnapshot(sqlite3* conn, const std::string& path,
                                                      const std::string& table,
                                                      const RowidBounds& bounds,
                                                      const std::string& schema = "main",
                                                      const RowidSpan& span = {},
                                                      const KeptLeaves* previous_leaves = nullptr);
inline Result<RowidBounds> ChooseRowidBounds(SqliteDb& db, const std::string& table, int ranges) {
  return ChooseRowidBoundsInSnapshot(db.raw(), db.path(), table, ranges);
}
inline Result<RowidRangeDigests> DigestRowidRanges(SqliteDb& db, const std::string& table,
                                                   const RowidBounds& bounds) {
  return DigestRowidRangesInSnapshot(db.raw(), db.path(), table, bounds);
}
// A table of the database attached to `db` as `schema` ("" or "main": the main database).
inline Result<RowidRangeDigests> DigestRowidRanges(SqliteDb& db, const std::string& schema,
                                                   const std::string& table,
                                                   const RowidBounds& bounds,
                                                   const RowidSpan& span = {},
                                                   const KeptLeaves* previous_leaves = nullptr) {
  if (schema.empty() || schema == "main") {
    return DigestRowidRangesInSnapshot(db.raw(), db.path(), table, bounds, "main", span,
                                       previous_leaves);
  }
  const std::optional<std::string> path = db.AttachedPath(schema);
  if (!path) return NotFound("no database attached as " + schema);
  return DigestRowidRangesInSnapshot(db.raw(), *path, table, bounds, schema, span, previous_leaves);
}

// The same two over a whole database image in memory, without the file checks (no -wal, journal
// or identity): for tests and the fuzz target (tests/fuzz/sqlite_btree_fuzz.cc). Never read outside
// `image` whatever it holds.
Result<RowidBounds> ChooseRowidBoundsInImage(std::string_view image, uint32_t root_page,
                                             int ranges);
Result<RowidRangeDigests> DigestRowidRangesInImage(std::string_view image, uint32_t root_page,
                                                   const RowidBounds& bounds,
                                                   const KeptLeaves* previous_leaves = nullptr);

}  // namespace dqa
