// Range fingerprints read from the b-tree of real SQLite databases (built with the sqlite3 C API):
// each change reaches exactly the digest of the range that holds it, the digests do not depend on
// page layout, the bounds split evenly, and every untrustworthy file is refused, never misread.
#include "core/sources/sqlite_btree.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/util/sha256.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ReadBytes;
using testing::TempDir;

// An sqlite3 connection closed on scope exit.
class Db {
 public:
  explicit Db(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error ? error : "");
    sqlite3_free(error);
  }
  int64_t Int(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << sql;
    const int64_t value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

uint32_t RootPage(const std::string& path, const std::string& name) {
  Db db(path);
  return static_cast<uint32_t>(
      db.Int(fmt::format("SELECT rootpage FROM sqlite_schema WHERE name = '{}'", name)));
}

// t(id INTEGER PRIMARY KEY, a TEXT, b INTEGER) with ids step, 2 * step, ... (rows of them), in a
// new database of `page_size` bytes per page and `reserve` reserved bytes at the end of each.
void MakeTable(const std::string& path, int page_size, int rows, int step = 1, int reserve = 0) {
  Db db(path);
  db.Exec(fmt::format("PRAGMA page_size = {}", page_size));
  if (reserve > 0) {
    int bytes = reserve;
    ASSERT_EQ(sqlite3_file_control(db.get(), "main", SQLITE_FCNTL_RESERVE_BYTES, &bytes), SQLITE_OK);
  }
  db.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b INTEGER)");
  db.Exec(fmt::format("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT {}) "
                      "INSERT INTO t SELECT x * {}, printf('row %08d of the table', x), x * 7 "
                      "FROM c",
                      rows, step));
}

RowidRangeDigests Digests(const std::string& path, const RowidBounds& bounds) {
  Result<RowidRangeDigests> digests = DigestRowidRanges(path, RootPage(path, "t"), bounds);
  EXPECT_TRUE(digests.ok()) << digests.status().message();
  return digests.ok() ? *digests : RowidRangeDigests{};
}

RowidBounds Bounds(const std::string& path, int ranges) {
  Result<RowidBounds> bounds = ChooseRowidBounds(path, RootPage(path, "t"), ranges);
  EXPECT_TRUE(bounds.ok()) << bounds.status().message();
  return bounds.ok() ? *bounds : RowidBounds{};
}

// The indexes of the ranges whose digests differ.
std::vector<size_t> Changed(const RowidRangeDigests& a, const RowidRangeDigests& b) {
  EXPECT_EQ(a.ranges.size(), b.ranges.size());
  std::vector<size_t> changed;
  for (size_t i = 0; i < a.ranges.size() && i < b.ranges.size(); ++i) {
    if (!(a.ranges[i] == b.ranges[i])) changed.push_back(i);
  }
  return changed;
}

// The range of `bounds` holding `rowid`.
size_t RangeOf(const RowidBounds& bounds, int64_t rowid) {
  return static_cast<size_t>(std::upper_bound(bounds.begin(), bounds.end(), rowid) - bounds.begin());
}

class SqliteBtreePageSizeTest : public ::testing::TestWithParam<int> {};

TEST_P(SqliteBtreePageSizeTest, BoundsSplitEvenlyAndCountsMatchSqlite) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, GetParam(), 5000, 3);
  const RowidBounds bounds = Bounds(path, 8);
  ASSERT_EQ(bounds.size(), 7u);
  const RowidRangeDigests digests = Digests(path, bounds);
  ASSERT_EQ(digests.ranges.size(), 8u);
  Db db(path);
  int64_t sum = 0;
  for (size_t i = 0; i < digests.ranges.size(); ++i) {
    const std::string where =
        fmt::format("id >= {} AND id < {}", i == 0 ? INT64_MIN : bounds[i - 1],
                    i == bounds.size() ? INT64_MAX : bounds[i]);
    const RowidRangeDigest& r = digests.ranges[i];
    // 5000 rows in 8 ranges: exactly 625 each (ChooseRowidBounds cuts inside leaves).
    EXPECT_EQ(r.row_count, 625) << i;
    EXPECT_EQ(r.row_count, db.Int("SELECT count(*) FROM t WHERE " + where)) << i;
    EXPECT_EQ(r.first_rowid, db.Int("SELECT min(id) FROM t WHERE " + where)) << i;
    EXPECT_EQ(r.last_rowid, db.Int("SELECT max(id) FROM t WHERE " + where)) << i;
    sum += r.row_count;
  }
  EXPECT_EQ(sum, db.Int("SELECT count(*) FROM t"));
  EXPECT_EQ(digests.pages_read, db.Int("SELECT count(*) FROM dbstat WHERE name = 't'"));
}

INSTANTIATE_TEST_SUITE_P(PageSizes, SqliteBtreePageSizeTest, ::testing::Values(512, 4096, 65536));

TEST(SqliteBtreeTest, DigestsDependOnRowsNotOnPageLayout) {
  TempDir dir;
  const RowidBounds bounds = {100, 2000, 2001, 3500};
  std::vector<RowidRangeDigests> all;
  // The same rows with pages of 512 and 65536 bytes, and with 1024-byte pages of which 40 bytes
  // are reserved (usable size 984).
  for (const auto& [page_size, reserve] : {std::pair{512, 0}, {65536, 0}, {1024, 40}}) {
    const std::string path = dir.File(fmt::format("db_{}_{}", page_size, reserve));
    MakeTable(path, page_size, 4000, 1, reserve);
    const std::string bytes = ReadBytes(path);
    ASSERT_EQ(static_cast<unsigned char>(bytes[20]), reserve);
    all.push_back(Digests(path, bounds));
  }
  EXPECT_EQ(all[0].ranges, all[1].ranges);
  EXPECT_EQ(all[0].ranges, all[2].ranges);
  EXPECT_EQ(all[0].ranges[2].row_count, 1);  // [2000, 2001)
  EXPECT_NE(all[0].pages_read, all[1].pages_read);
}

// Two threads read a table's ranges, each half of them: a range's digest does not depend on which
// thread hashed it, nor on where the halves meet (here inside a leaf and at leaf edges).
TEST(SqliteBtreeTest, DigestsDoNotDependOnWhichThreadReadTheRange) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 1024, 6000, 1);
  RowidBounds all;
  for (int64_t b = 250; b < 6000; b += 250) all.push_back(b);  // 23 bounds: the halves meet at 3250
  const RowidRangeDigests whole = Digests(path, all);
  ASSERT_EQ(whole.ranges.size(), 24u);
  for (size_t drop = 1; drop < 20; drop += 3) {
    // The last bounds only: range [all[i - 1], all[i]) is read by the other thread, or by the
    // same one with the halves meeting elsewhere.
    const RowidBounds tail(all.begin() + static_cast<std::ptrdiff_t>(drop), all.end());
    const RowidRangeDigests part = Digests(path, tail);
    ASSERT_EQ(part.ranges.size(), tail.size() + 1);
    for (size_t i = 1; i < part.ranges.size(); ++i) {
      EXPECT_EQ(part.ranges[i], whole.ranges[i + drop]) << "drop " << drop << " range " << i;
    }
    EXPECT_EQ(part.pages_read, whole.pages_read);
  }
  // And the first range, read by one thread alone when it is one of two.
  EXPECT_EQ(Digests(path, {all.front()}).ranges.front(), whole.ranges.front());
  EXPECT_EQ(Digests(path, {all.back()}).ranges.back(), whole.ranges.back());
}

// Two threads take chunks of consecutive ranges in turn (kDigestChunks, at least two ranges a
// chunk): whatever the number of ranges, every range's digest and the pages read are those of one
// thread reading the whole table in one walk (a span from the first rowid to the last), with
// overflow records in the ranges too.
TEST(SqliteBtreeTest, ChunksOfRangesGiveTheDigestsOfOneThreadReadingTheTableOnce) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 1024, 8000, 1);
  {
    Db db(path);
    db.Exec("UPDATE t SET a = printf('%03000d', id) WHERE id % 97 = 0");  // overflow chains
  }
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::OpenReadOnly(path);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->BeginSnapshot().ok());
  for (const int ranges : {3, 4, 17, 33, 64, 100, 257}) {
    const RowidBounds bounds = Bounds(path, ranges);
    ASSERT_EQ(bounds.size() + 1, static_cast<size_t>(ranges));
    const RowidRangeDigests two = Digests(path, bounds);
    Result<RowidRangeDigests> one = DigestRowidRanges(**db, "", "t", bounds, RowidSpan{1, 8000});
    ASSERT_TRUE(one.ok()) << one.status().message();
    ASSERT_EQ(two.ranges.size(), static_cast<size_t>(ranges));
    EXPECT_EQ(two.ranges, one->ranges) << ranges << " ranges";
    EXPECT_EQ(two.pages_read, one->pages_read) << ranges << " ranges";
    EXPECT_EQ(two.payload_bytes, one->payload_bytes) << ranges << " ranges";
    int64_t rows = 0;
    for (const RowidRangeDigest& r : two.ranges) rows += r.row_count;
    EXPECT_EQ(rows, 8000) << ranges << " ranges";
  }
  ASSERT_TRUE((*db)->EndSnapshot().ok());
}

// A table of 20000 rows (ids step, 2 * step, ...) on 4096-byte pages, split into 16 ranges, and
// their digests before the test changes it.
struct Baseline {
  explicit Baseline(int step = 1) : path(dir.File("db.sqlite")) {
    MakeTable(path, 4096, 20000, step);
    bounds = Bounds(path, 16);
    before = Digests(path, bounds);
  }
  TempDir dir;
  std::string path;
  RowidBounds bounds;
  RowidRangeDigests before;
};

TEST(SqliteBtreeTest, InPlaceUpdateChangesExactlyItsRange) {
  Baseline base;
  const std::string& path = base.path;
  const RowidBounds& bounds = base.bounds;
  const RowidRangeDigests& before = base.before;
  const auto size = std::filesystem::file_size(path);
  {
    Db db(path);
    db.Exec("UPDATE t SET a = 'ROW 00012345 of the table' WHERE id = 12345");
  }
  EXPECT_EQ(std::filesystem::file_size(path), size);
  const RowidRangeDigests after = Digests(path, bounds);
  EXPECT_EQ(Changed(before, after), std::vector<size_t>{RangeOf(bounds, 12345)});
  EXPECT_EQ(after.ranges[RangeOf(bounds, 12345)].row_count,
            before.ranges[RangeOf(bounds, 12345)].row_count);
  EXPECT_NE(before.identity.ToString(), after.identity.ToString());
  // Undone, the range has its old digest again.
  {
    Db db(path);
    db.Exec("UPDATE t SET a = 'row 00012345 of the table' WHERE id = 12345");
  }
  EXPECT_EQ(Digests(path, bounds).ranges, before.ranges);
}

TEST(SqliteBtreeTest, InsertsThatSplitPagesLeaveOtherRangesEqual) {
  Baseline base(10);  // ids 10, 20, ..., 200000
  const std::string& path = base.path;
  const RowidBounds& bounds = base.bounds;
  const RowidRangeDigests& before = base.before;
  const size_t target = 5;
  const int64_t start = bounds[target - 1] + 1;
  {
    Db db(path);
    // 9 new rows between each pair of old ones over 100 old rows: ~900 rows, many page splits.
    db.Exec(fmt::format("WITH RECURSIVE c(x) AS (SELECT {} UNION ALL SELECT x + 1 FROM c "
                        "WHERE x < {}) INSERT INTO t SELECT x, printf('new %08d of the table', x), "
                        "x FROM c WHERE x % 10 <> 0",
                        start, start + 999));
  }
  const RowidRangeDigests after = Digests(path, bounds);
  // ~900 rows of ~35 bytes: about 8 more leaves, so pages split and cells moved between them.
  EXPECT_GT(after.pages_read, before.pages_read + 5);
  EXPECT_EQ(Changed(before, after), std::vector<size_t>{target});
  EXPECT_EQ(after.ranges[target].row_count, before.ranges[target].row_count + 900);
}

TEST(SqliteBtreeTest, DeletesChangeOnlyTheirRanges) {
  Baseline base;
  const std::string& path = base.path;
  const RowidBounds& bounds = base.bounds;
  const RowidRangeDigests& before = base.before;
  {
    Db db(path);
    db.Exec("DELETE FROM t WHERE id BETWEEN 3001 AND 3400 OR id = 17777");
  }
  const RowidRangeDigests after = Digests(path, bounds);
  EXPECT_EQ(Changed(before, after),
            (std::vector<size_t>{RangeOf(bounds, 3001), RangeOf(bounds, 17777)}));
  EXPECT_EQ(after.ranges[RangeOf(bounds, 3001)].row_count,
            before.ranges[RangeOf(bounds, 3001)].row_count - 400);
  Db db(path);
  int64_t sum = 0;
  for (const auto& r : after.ranges) sum += r.row_count;
  EXPECT_EQ(sum, db.Int("SELECT count(*) FROM t"));
}

TEST(SqliteBtreeTest, ByteDeepInAnOverflowChainChangesTheDigest) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  {
    Db db(path);
    db.Exec("PRAGMA page_size = 4096; CREATE TABLE t(id INTEGER PRIMARY KEY, big TEXT)");
    db.Exec("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 60) "
            "INSERT INTO t SELECT x, printf('%d', x) || hex(randomblob(10000)) "
            "FROM c");
  }
  const RowidBounds bounds = {20, 40};
  const RowidRangeDigests before = Digests(path, bounds);
  // 60 records of ~20 KB: about 5 overflow pages each.
  EXPECT_GT(before.pages_read, 60 * 4);
  EXPECT_GT(before.payload_bytes, 60 * 20000);
  {
    Db db(path);
    db.Exec("UPDATE t SET big = substr(big, 1, 14999) || 'Z' || substr(big, 15001) WHERE id = 33");
  }
  const RowidRangeDigests after = Digests(path, bounds);
  EXPECT_EQ(Changed(before, after), std::vector<size_t>{1});
  EXPECT_EQ(after.payload_bytes, before.payload_bytes);
}

// The digests of the file at `path` read as an image, with `leaves` kept from an earlier digest.
RowidRangeDigests DigestsWithLeaves(const std::string& path, const RowidBounds& bounds,
                                    const LeafMemo* leaves) {
  const std::string image = ReadBytes(path);
  std::optional<KeptLeaves> kept;
  if (leaves != nullptr) kept = KeptLeaves::Encoded(*leaves);
  Result<RowidRangeDigests> digests =
      DigestRowidRangesInImage(image, RootPage(path, "t"), bounds, kept ? &*kept : nullptr);
  EXPECT_TRUE(digests.ok()) << digests.status().message();
  return digests.ok() ? *digests : RowidRangeDigests{};
}

TEST(SqliteBtreeTest, KeptLeavesGiveTheDigestsOfEveryCellReadAgain) {
  Baseline base(10);  // ids 10, 20, ..., 200000
  const std::string& path = base.path;
  const RowidBounds& bounds = base.bounds;
  const RowidRangeDigests first = DigestsWithLeaves(path, bounds, nullptr);
  EXPECT_EQ(first.ranges, base.before.ranges);
  EXPECT_EQ(first.leaves_reused, 0);
  // Every leaf is kept but those a bound of the 16 ranges cuts (and the ones a chunk of the two
  // threads ends in), each once, by page number.
  ASSERT_GT(first.leaves.size(), 100u);
  EXPECT_LT(first.leaves.size(), static_cast<size_t>(first.pages_read));
  for (size_t i = 1; i < first.leaves.size(); ++i) {
    ASSERT_LT(first.leaves[i - 1].pgno, first.leaves[i].pgno);
  }
  // Unchanged: every kept leaf is taken as it was, and the digests are the same.
  const RowidRangeDigests again = DigestsWithLeaves(path, bounds, &first.leaves);
  EXPECT_EQ(again.ranges, first.ranges);
  EXPECT_EQ(again.leaves_reused, static_cast<int64_t>(first.leaves.size()));
  EXPECT_EQ(again.leaves, first.leaves);
  EXPECT_EQ(again.payload_bytes, first.payload_bytes);
  // An update in place, inserts that split pages and deletes: with the kept leaves, exactly the
  // digests (and the leaves to keep) of reading every cell, and the same changed ranges.
  {
    Db db(path);
    db.Exec("UPDATE t SET a = 'ROW 00012345 of the table' WHERE id = 123450");
    db.Exec("WITH RECURSIVE c(x) AS (SELECT 60001 UNION ALL SELECT x + 1 FROM c WHERE x < 61000) "
            "INSERT INTO t SELECT x, printf('new %08d of the table', x), x FROM c "
            "WHERE x % 10 <> 0");
    db.Exec("DELETE FROM t WHERE id BETWEEN 155000 AND 156000 OR id = 177770");
  }
  const RowidRangeDigests read = DigestsWithLeaves(path, bounds, nullptr);
  const RowidRangeDigests kept = DigestsWithLeaves(path, bounds, &first.leaves);
  EXPECT_EQ(kept.ranges, read.ranges);
  EXPECT_EQ(kept.leaves, read.leaves);
  EXPECT_EQ(kept.payload_bytes, read.payload_bytes);
  EXPECT_EQ(Changed(first, kept),
            (std::vector<size_t>{RangeOf(bounds, 60001), RangeOf(bounds, 123450),
                                 RangeOf(bounds, 155000), RangeOf(bounds, 177770)}));
  ASSERT_EQ(RangeOf(bounds, 155000), RangeOf(bounds, 156000));
  EXPECT_GT(kept.leaves_reused, static_cast<int64_t>(first.leaves.size()) * 3 / 4);
  EXPECT_LT(kept.leaves_reused, static_cast<int64_t>(first.leaves.size()));
  // Other bounds than those the leaves were kept under (a leaf a bound cuts is read whole): still
  // the digests of reading every cell.
  const RowidBounds other = Bounds(path, 7);
  const RowidRangeDigests other_kept = DigestsWithLeaves(path, other, &first.leaves);
  EXPECT_EQ(other_kept.ranges, DigestsWithLeaves(path, other, nullptr).ranges);
  EXPECT_GT(other_kept.leaves_reused, 0);
}

TEST(SqliteBtreeTest, KeptLeavesReadBackAsWrittenAndAnythingElseIsRefused) {
  Baseline base;
  const RowidRangeDigests first = DigestsWithLeaves(base.path, base.bounds, nullptr);
  ASSERT_GT(first.leaves.size(), 10u);
  const std::string bytes = EncodeLeafMemo(first.leaves);
  EXPECT_EQ(bytes.size(), 8 + 64 * first.leaves.size());
  EXPECT_EQ(DecodeLeafMemo(bytes), std::optional<LeafMemo>(first.leaves));
  EXPECT_EQ(DecodeLeafMemo(EncodeLeafMemo({})), std::optional<LeafMemo>(LeafMemo{}));
  // Cut short, another magic, leaves out of page order: refused.
  EXPECT_FALSE(DecodeLeafMemo(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(DecodeLeafMemo("DQALEAF2" + bytes.substr(8)));
  LeafMemo swapped = first.leaves;
  std::swap(swapped[3], swapped[4]);
  EXPECT_FALSE(DecodeLeafMemo(EncodeLeafMemo(swapped)));
  // Read in place (KeptLeaves, as the engine reads them): the same leaves, each found by its page
  // number and no other page number found; the same bytes refused.
  const std::optional<KeptLeaves> kept = KeptLeaves::Of(bytes);
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->size(), first.leaves.size());
  for (size_t i = 0; i < first.leaves.size(); ++i) {
    EXPECT_EQ(kept->at(i), first.leaves[i]);
    EXPECT_EQ(kept->Find(first.leaves[i].pgno), first.leaves[i]);
    const uint32_t next = first.leaves[i].pgno + 1;
    if (i + 1 == first.leaves.size() || first.leaves[i + 1].pgno != next) {
      EXPECT_FALSE(kept->Find(next)) << next;
    }
  }
  EXPECT_FALSE(kept->Find(0));
  EXPECT_FALSE(kept->Find(first.leaves.front().pgno - 1));
  EXPECT_EQ(KeptLeaves::Encoded(first.leaves).Find(first.leaves[7].pgno), first.leaves[7]);
  EXPECT_EQ(KeptLeaves::Of(EncodeLeafMemo({}))->size(), 0u);
  EXPECT_FALSE(KeptLeaves::Of(EncodeLeafMemo({}))->Find(first.leaves[0].pgno));
  EXPECT_FALSE(KeptLeaves::Of(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(KeptLeaves::Of("DQALEAF2" + bytes.substr(8)));
  EXPECT_FALSE(KeptLeaves::Of(EncodeLeafMemo(swapped)));
}

TEST(SqliteBtreeTest, ALeafWithAnOverflowRecordIsNeverKept) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  {
    Db db(path);
    db.Exec("PRAGMA page_size = 4096; CREATE TABLE t(id INTEGER PRIMARY KEY, big TEXT)");
    // Short records, and every 400th one of ~6 KB: the leaves holding one have its first bytes
    // and the number of its first overflow page, never the rest.
    db.Exec("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 4000) "
            "INSERT INTO t SELECT x, CASE WHEN x % 400 = 0 THEN printf('%d', x) || "
            "hex(randomblob(3000)) ELSE printf('short %d', x) END FROM c");
  }
  const RowidBounds bounds = {1000, 2000, 3000};
  const RowidRangeDigests first = DigestsWithLeaves(path, bounds, nullptr);
  ASSERT_FALSE(first.leaves.empty());
  int64_t kept_rows = 0;
  for (const LeafDigest& leaf : first.leaves) {
    kept_rows += leaf.cells;
    // No kept leaf holds a row of ~6 KB (every 400th id).
    EXPECT_LT(leaf.last_rowid / 400 * 400, leaf.first_rowid)
        << leaf.first_rowid << ".." << leaf.last_rowid;
  }
  EXPECT_GT(kept_rows, 0);
  EXPECT_LT(kept_rows, 4000 - 10);
  // A byte deep in the overflow chain of row 1200 (SQLite may write it to the same overflow
  // page, its leaf then byte for byte as it was): its range changes with the kept leaves too.
  {
    Db db(path);
    db.Exec("UPDATE t SET big = substr(big, 1, 4999) || 'Z' || substr(big, 5001) WHERE id = 1200");
  }
  const RowidRangeDigests after = DigestsWithLeaves(path, bounds, &first.leaves);
  EXPECT_EQ(Changed(first, after), std::vector<size_t>{1});
  EXPECT_EQ(after.ranges, DigestsWithLeaves(path, bounds, nullptr).ranges);
  EXPECT_GT(after.leaves_reused, 0);
}

TEST(SqliteBtreeTest, FewerRowsThanRangesGiveOneBoundPerRowButTheFirst) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 4096, 3, 5);
  EXPECT_EQ(Bounds(path, 8), (RowidBounds{10, 15}));
  const std::string empty = dir.File("empty.sqlite");
  MakeTable(empty, 4096, 0);
  EXPECT_EQ(Bounds(empty, 8), RowidBounds{});
  const RowidRangeDigests digests = Digests(empty, {});
  ASSERT_EQ(digests.ranges.size(), 1u);
  EXPECT_EQ(digests.ranges[0].row_count, 0);
  EXPECT_FALSE(digests.ranges[0].first_rowid.has_value());
}

TEST(SqliteBtreeTest, RejectsBadArguments) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 4096, 10);
  const uint32_t root = RootPage(path, "t");
  EXPECT_EQ(DigestRowidRanges(path, root, {5, 5}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ChooseRowidBounds(path, root, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ChooseRowidBounds(dir.File("missing"), root, 2).status().code(),
            StatusCode::kNotFound);
  Result<RowidRangeDigests> out_of_range = DigestRowidRanges(path, 999, {});
  EXPECT_EQ(out_of_range.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(out_of_range.status().message().find("page 999 out of range"), std::string::npos)
      << out_of_range.status().message();
}

TEST(SqliteBtreeTest, RefusesWithoutRowidTablesAndIndexes) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  {
    Db db(path);
    db.Exec("CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO w VALUES ('a', 1);"
            "CREATE TABLE t(id INTEGER PRIMARY KEY, a); CREATE INDEX ta ON t(a)");
  }
  for (const char* name : {"w", "ta"}) {
    Result<RowidRangeDigests> r = DigestRowidRanges(path, RootPage(path, name), {});
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << name;
    EXPECT_NE(r.status().message().find("not a rowid table"), std::string::npos)
        << r.status().message();
    EXPECT_EQ(ChooseRowidBounds(path, RootPage(path, name), 4).status().code(),
              StatusCode::kUnavailable);
  }
}

TEST(SqliteBtreeTest, RefusesAWalWithFramesAndReadsAfterACheckpoint) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 4096, 1000);
  Db writer(path);
  writer.Exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0");
  writer.Exec("UPDATE t SET b = 0 WHERE id = 5");
  ASSERT_GT(std::filesystem::file_size(path + "-wal"), 32u);
  Result<RowidRangeDigests> r = DigestRowidRanges(path, RootPage(path, "t"), {});
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("-wal holds committed frames"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(ChooseRowidBounds(path, RootPage(path, "t"), 2).status().code(),
            StatusCode::kUnavailable);
  // Checkpointed and truncated: the file alone is the database again.
  writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  EXPECT_TRUE(DigestRowidRanges(path, RootPage(path, "t"), {}).ok());
}

TEST(SqliteBtreeTest, RefusesAHotJournal) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 4096, 100);
  const uint32_t root = RootPage(path, "t");
  const std::string magic("\xd9\xd5\x05\xf9\x20\xa1\x63\xd7", 8);
  std::ofstream(path + "-journal", std::ios::binary) << magic << std::string(504, '\0');
  Result<RowidRangeDigests> r = DigestRowidRanges(path, root, {});
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("-journal is hot"), std::string::npos);
  // A journal whose header was zeroed (journal_mode=PERSIST after a commit) is not hot.
  std::ofstream(path + "-journal", std::ios::binary) << std::string(512, '\0');
  EXPECT_TRUE(DigestRowidRanges(path, root, {}).ok());
}

TEST(SqliteBtreeTest, ReadsWithoutChangingOrCreatingFiles) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 4096, 3000);
  const uint32_t root = RootPage(path, "t");
  const std::string sha = *Sha256File(path);
  ASSERT_TRUE(ChooseRowidBounds(path, root, 4).ok());
  ASSERT_TRUE(DigestRowidRanges(path, root, {10, 20}).ok());
  EXPECT_EQ(*Sha256File(path), sha);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    EXPECT_FALSE(std::filesystem::exists(path + suffix)) << suffix;
  }
}

TEST(SqliteBtreeTest, RefusesAFileThatAWriterChangesWhileItIsRead) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 4096, 60000);
  const uint32_t root = RootPage(path, "t");
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    Db db(path);
    for (int i = 0; !stop; ++i) db.Exec(fmt::format("UPDATE t SET b = {} WHERE id = 777", i));
  });
  int refused = 0;
  for (int i = 0; i < 5; ++i) {
    Result<RowidRangeDigests> r = DigestRowidRanges(path, root, {30000});
    if (r.ok()) {
      EXPECT_EQ(r->ranges[0].row_count + r->ranges[1].row_count, 60000);
    } else {
      EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().message();
      ++refused;
    }
  }
  stop = true;
  writer.join();
  EXPECT_GT(refused, 0);
}

// Whether another process can take an EXCLUSIVE lock on `path` right now (no waiting).
bool OtherProcessCanLockExclusively(const std::string& path) {
  const pid_t child = fork();
  if (child == 0) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_busy_timeout(db, 0);
    const int rc = sqlite3_exec(db, "BEGIN EXCLUSIVE; COMMIT", nullptr, nullptr, nullptr);
    _exit(rc == SQLITE_OK ? 0 : rc == SQLITE_BUSY ? 1 : 2);
  }
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 2);
  return WEXITSTATUS(status) == 0;
}

TEST(SqliteBtreeTest, InsideASnapshotReadsThroughTheConnectionAndKeepsItsLock) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  MakeTable(path, 4096, 5000);
  const RowidRangeDigests by_path = Digests(path, {1000, 4000});
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::OpenReadOnly(path);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(DigestRowidRanges(**db, "t", {}).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE((*db)->BeginSnapshot().ok());
  ASSERT_FALSE(OtherProcessCanLockExclusively(path));
  Result<RowidBounds> bounds = ChooseRowidBounds(**db, "t", 5);
  ASSERT_TRUE(bounds.ok()) << bounds.status().message();
  EXPECT_EQ(*bounds, (RowidBounds{1001, 2001, 3001, 4001}));
  Result<RowidRangeDigests> in_snapshot = DigestRowidRanges(**db, "t", {1000, 4000});
  ASSERT_TRUE(in_snapshot.ok()) << in_snapshot.status().message();
  EXPECT_EQ(in_snapshot->ranges, by_path.ranges);
  EXPECT_EQ(in_snapshot->identity.ToString(), by_path.identity.ToString());
  // Closing a descriptor of our own on the file would have dropped the snapshot's SHARED lock.
  EXPECT_FALSE(OtherProcessCanLockExclusively(path));
  EXPECT_EQ(DigestRowidRanges(**db, "nope", {}).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE((*db)->EndSnapshot().ok());
  EXPECT_TRUE(OtherProcessCanLockExclusively(path));
}

// A span of rowids: its ranges get the digests a whole-table read gives them, ranges outside it
// none, and only the pages of its rows (and the interior pages above them) are read.
TEST(SqliteBtreeTest, ASpanDigestsItsRangesAsTheWholeTableDoesFromTheirPagesAlone) {
  Baseline base;
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::OpenReadOnly(base.path);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->BeginSnapshot().ok());
  Result<RowidRangeDigests> whole = DigestRowidRanges(**db, "", "t", base.bounds);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->ranges, base.before.ranges);
  // Ranges 5 and 6 (bounds[4] to bounds[6] - 1).
  const RowidSpan span{base.bounds[4], base.bounds[6] - 1};
  Result<RowidRangeDigests> part = DigestRowidRanges(**db, "", "t", base.bounds, span);
  ASSERT_TRUE(part.ok()) << part.status().message();
  ASSERT_EQ(part->ranges.size(), whole->ranges.size());
  for (size_t i = 0; i < part->ranges.size(); ++i) {
    if (i == 5 || i == 6) {
      EXPECT_EQ(part->ranges[i], whole->ranges[i]) << i;
      EXPECT_GT(part->ranges[i].row_count, 0) << i;
    } else {
      EXPECT_EQ(part->ranges[i].row_count, 0) << i;
    }
  }
  EXPECT_LT(part->pages_read * 4, whole->pages_read);  // 2 ranges of 16 (and the path to them)
  // A span from the smallest rowid, and one to the largest.
  Result<RowidRangeDigests> head = DigestRowidRanges(**db, "", "t", base.bounds,
                                                     RowidSpan{std::nullopt, base.bounds[0] - 1});
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->ranges[0], whole->ranges[0]);
  EXPECT_EQ(head->ranges[1].row_count, 0);
  Result<RowidRangeDigests> tail =
      DigestRowidRanges(**db, "", "t", base.bounds, RowidSpan{base.bounds.back(), std::nullopt});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->ranges.back(), whole->ranges.back());
  EXPECT_EQ(tail->ranges[tail->ranges.size() - 2].row_count, 0);
  // An empty span is refused.
  EXPECT_EQ(DigestRowidRanges(**db, "", "t", base.bounds, RowidSpan{10, 9}).status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE((*db)->EndSnapshot().ok());
}

// A database image with overflow pages and a 3-level tree on 512-byte pages.
std::string CorpusImage(const TempDir& dir) {
  const std::string path = dir.File("corpus.sqlite");
  {
    Db db(path);
    db.Exec("PRAGMA page_size = 512; CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT)");
    db.Exec("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 400) "
            "INSERT INTO t SELECT x * 3, printf('%0*d', (x % 7) * 150 + 5, x) FROM c");
  }
  return ReadBytes(path);
}

TEST(SqliteBtreeTest, CorruptAndTruncatedImagesGiveErrorsOrDigestsNeverACrash) {
  TempDir dir;
  const std::string image = CorpusImage(dir);
  ASSERT_EQ(image.size() % 512, 0u);
  const uint32_t root = RootPage(dir.File("corpus.sqlite"), "t");
  ASSERT_TRUE(DigestRowidRangesInImage(image, root, {300}).ok());
  // The leaves the clean image keeps, given to every corrupt one (kept leaves skip the cells of
  // unchanged leaves; the tree around them is still checked).
  Result<RowidRangeDigests> clean = DigestRowidRangesInImage(image, root, {300, 600});
  ASSERT_TRUE(clean.ok());
  ASSERT_FALSE(clean->leaves.empty());
  const KeptLeaves clean_leaves = KeptLeaves::Encoded(clean->leaves);
  int ok = 0;
  int refused = 0;
  int kept_ok = 0;
  for (uint32_t seed = 0; seed < 400; ++seed) {
    std::mt19937 rng(seed);
    std::string bad = image;
    if (seed % 4 == 0) {
      bad.resize(std::uniform_int_distribution<size_t>(0, image.size() - 1)(rng));
    } else {
      const int flips = std::uniform_int_distribution<int>(1, 16)(rng);
      for (int i = 0; i < flips; ++i) {
        // Half of the flips in the b-tree pages' headers and cell pointers, where they hurt most.
        const size_t page = std::uniform_int_distribution<size_t>(0, bad.size() / 512 - 1)(rng);
        const size_t at = page * 512 + std::uniform_int_distribution<size_t>(0, i % 2 ? 511 : 40)(rng);
        bad[at] = static_cast<char>(bad[at] ^ (1 << std::uniform_int_distribution<int>(0, 7)(rng)));
      }
    }
    Result<RowidBounds> bounds = ChooseRowidBoundsInImage(bad, root, 5);
    Result<RowidRangeDigests> digests = DigestRowidRangesInImage(bad, root, {300, 600});
    Result<RowidRangeDigests> kept = DigestRowidRangesInImage(bad, root, {300, 600}, &clean_leaves);
    for (const Status& s : {bounds.status(), digests.status(), kept.status()}) {
      if (s.ok()) continue;
      EXPECT_EQ(s.code(), StatusCode::kUnavailable) << seed << ": " << s.message();
    }
    (digests.ok() ? ok : refused) += 1;
    // With the clean leaves, a valid tree digests as when every cell is read.
    if (digests.ok() && kept.ok()) {
      EXPECT_EQ(kept->ranges, digests->ranges) << seed;
      ++kept_ok;
    }
  }
  EXPECT_GT(kept_ok, 20);
  // Both outcomes happen: flips inside records leave a valid tree.
  EXPECT_GT(ok, 20);
  EXPECT_GT(refused, 100);
}

TEST(SqliteBtreeTest, TruncatedFileIsRefused) {
  TempDir dir;
  const std::string image = CorpusImage(dir);
  const uint32_t root = RootPage(dir.File("corpus.sqlite"), "t");
  const std::string path = dir.File("truncated.sqlite");
  std::ofstream(path, std::ios::binary) << image.substr(0, image.size() / 2 + 100);
  Result<RowidRangeDigests> r = DigestRowidRanges(path, root, {});
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("out of range"), std::string::npos) << r.status().message();
}

TEST(SqliteBtreeTest, CycleInTheTreeIsRefused) {
  TempDir dir;
  std::string image = CorpusImage(dir);
  const uint32_t root = RootPage(dir.File("corpus.sqlite"), "t");
  const size_t at = (root - 1) * 512;
  ASSERT_EQ(static_cast<unsigned char>(image[at]), 0x05);  // an interior page
  // The root's right-most pointer names the root itself.
  for (int i = 0; i < 4; ++i) image[at + 8 + i] = static_cast<char>((root >> (24 - 8 * i)) & 0xff);
  for (const Status& s : {ChooseRowidBoundsInImage(image, root, 3).status(),
                          DigestRowidRangesInImage(image, root, {}).status()}) {
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_NE(s.message().find("reached twice"), std::string::npos) << s.message();
  }
}

TEST(SqliteBtreeTest, OverflowChainCutShortIsRefused) {
  TempDir dir;
  const std::string path = dir.File("db.sqlite");
  {
    Db db(path);
    db.Exec("PRAGMA page_size = 4096; CREATE TABLE t(id INTEGER PRIMARY KEY, big TEXT);"
            "INSERT INTO t VALUES (1, printf('%.10000c', 'x'))");
  }
  std::string image = ReadBytes(path);
  const uint32_t root = RootPage(path, "t");
  const size_t page = (root - 1) * 4096;
  ASSERT_EQ(static_cast<unsigned char>(image[page]), 0x0d);  // the one row's leaf is the root
  const auto byte = [&](size_t at) { return static_cast<unsigned char>(image[at]); };
  const size_t cell = page + (byte(page + 8) << 8 | byte(page + 9));
  // Payload size (a 2-byte varint), rowid 1 (1 byte), then the local part of the spill formula.
  const uint64_t payload = (byte(cell) & 0x7f) << 7 | byte(cell + 1);
  ASSERT_GT(payload, 10000u);
  const uint64_t m = (4096 - 12) * 32 / 255 - 23;
  const uint64_t k = m + (payload - m) % (4096 - 4);
  const size_t pointer = cell + 3 + (k <= 4096 - 35 ? k : m);
  ASSERT_TRUE(DigestRowidRangesInImage(image, root, {}).ok());
  image.replace(pointer, 4, std::string(4, '\0'));
  const Status s = DigestRowidRangesInImage(image, root, {}).status();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("overflow chain shorter than its record"), std::string::npos)
      << s.message();
}

TEST(SqliteBtreeTest, TreeDeeperThan64LevelsIsRefused) {
  TempDir dir;
  std::string image = CorpusImage(dir);
  const uint32_t old_root = RootPage(dir.File("corpus.sqlite"), "t");
  const auto first_new = static_cast<uint32_t>(image.size() / 512 + 1);
  // A chain of interior pages without cells, each one's right-most pointer naming the next, the
  // last naming the real root: no page twice, but 70 levels above the real tree.
  for (uint32_t i = 0; i < 70; ++i) {
    std::string page(512, '\0');
    page[0] = 0x05;
    const uint32_t next = i + 1 < 70 ? first_new + i + 1 : old_root;
    for (int b = 0; b < 4; ++b) page[8 + b] = static_cast<char>((next >> (24 - 8 * b)) & 0xff);
    image += page;
  }
  image[92] = static_cast<char>(image[92] ^ 1);  // the in-header page count no longer valid
  ASSERT_TRUE(DigestRowidRangesInImage(image, first_new + 10, {}).ok());  // 60 levels + the tree
  for (const Status& s : {ChooseRowidBoundsInImage(image, first_new, 3).status(),
                          DigestRowidRangesInImage(image, first_new, {}).status()}) {
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_NE(s.message().find("deeper than 64 levels"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace dqa
