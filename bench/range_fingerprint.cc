// Times the range fingerprints of core/sources/sqlite_btree.h on one table against SQLite reading
// the same table: `SELECT count(*)` and a SELECT that reads every column of every row
// (docs/sources.md "Range fingerprints"), and the fingerprints again with the leaves a first
// reading kept. Usage: dqa_bench_range_fingerprint DB TABLE [RANGES] [REPEAT]; prints the median
// CPU and wall time of each and the fingerprint's throughput in MB/s of the table's pages.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/sources/sqlite_btree.h"

namespace {

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// The median CPU time (user + system) of `repeat` runs: on a shared machine the wall time says
// more about the neighbours than about the code. The median wall time goes to `wall`.
double MedianSeconds(int repeat, const std::function<void()>& run, double* wall = nullptr) {
  std::vector<double> cpu;
  std::vector<double> walls;
  for (int i = 0; i < repeat; ++i) {
    const double cpu_start = CpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    run();
    walls.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    cpu.push_back(CpuSeconds() - cpu_start);
  }
  std::sort(cpu.begin(), cpu.end());
  std::sort(walls.begin(), walls.end());
  if (wall) *wall = walls[walls.size() / 2];
  return cpu[cpu.size() / 2];
}

// Runs `sql` on a read-only connection, touching every column of every row; the number of rows.
int64_t RunQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    fmt::print(stderr, "{}: {}\n", sql, sqlite3_errmsg(db));
    std::exit(1);
  }
  int64_t rows = 0;
  int64_t bytes = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    ++rows;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      if (sqlite3_column_type(stmt, c) == SQLITE_TEXT) {
        sqlite3_column_text(stmt, c);
        bytes += sqlite3_column_bytes(stmt, c);
      } else {
        bytes += sqlite3_column_int64(stmt, c);
      }
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows + (bytes == -1 ? 1 : 0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} DB TABLE [RANGES] [REPEAT]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const std::string table = argv[2];
  const int ranges = argc > 3 ? std::atoi(argv[3]) : 64;
  const int repeat = argc > 4 ? std::atoi(argv[4]) : 5;
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema WHERE name = ?1", -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  const auto root = static_cast<uint32_t>(sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0);
  sqlite3_finalize(stmt);
  sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &stmt, nullptr);
  const int64_t page_size = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  sqlite3_close(db);

  dqa::RowidBounds bounds;
  double choose_wall = 0;
  const double choose = MedianSeconds(repeat, [&] {
    auto b = dqa::ChooseRowidBounds(path, root, ranges);
    if (!b.ok()) {
      fmt::print(stderr, "ChooseRowidBounds: {}\n", b.status().message());
      std::exit(1);
    }
    bounds = *b;
  }, &choose_wall);
  int64_t rows = 0;
  int64_t pages = 0;
  double digest_wall = 0;
  const double digest = MedianSeconds(repeat, [&] {
    auto d = dqa::DigestRowidRanges(path, root, bounds);
    if (!d.ok()) {
      fmt::print(stderr, "DigestRowidRanges: {}\n", d.status().message());
      std::exit(1);
    }
    rows = 0;
    for (const auto& r : d->ranges) rows += r.row_count;
    pages = d->pages_read;
  }, &digest_wall);
  // The form the engine calls: through an open connection's own handle, inside its snapshot.
  sqlite3* snapshot = nullptr;
  sqlite3_open_v2(path.c_str(), &snapshot, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  sqlite3_exec(snapshot, "BEGIN; SELECT count(*) FROM sqlite_schema;", nullptr, nullptr, nullptr);
  double in_snapshot_wall = 0;
  const double in_snapshot = MedianSeconds(repeat, [&] {
    auto d = dqa::DigestRowidRangesInSnapshot(snapshot, path, table, bounds);
    if (!d.ok()) {
      fmt::print(stderr, "DigestRowidRangesInSnapshot: {}\n", d.status().message());
      std::exit(1);
    }
  }, &in_snapshot_wall);
  // The same with the leaves a first digest kept (every leaf unchanged: each is hashed whole and
  // its kept part added, its cells not parsed), as a night after a day of few changes reads it.
  auto first = dqa::DigestRowidRangesInSnapshot(snapshot, path, table, bounds);
  if (!first.ok()) std::exit(1);
  const dqa::KeptLeaves leaves = dqa::KeptLeaves::Encoded(first->leaves);
  int64_t reused = 0;
  double kept_wall = 0;
  const double kept = MedianSeconds(repeat, [&] {
    auto d = dqa::DigestRowidRangesInSnapshot(snapshot, path, table, bounds, "main", {}, &leaves);
    if (!d.ok() || d->ranges != first->ranges) {
      fmt::print(stderr, "DigestRowidRangesInSnapshot with kept leaves: {}\n",
                 d.ok() ? "other digests" : d.status().message());
      std::exit(1);
    }
    reused = d->leaves_reused;
  }, &kept_wall);
  sqlite3_exec(snapshot, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(snapshot);
  int64_t count_rows = 0;
  double count_wall = 0;
  const double count = MedianSeconds(repeat, [&] {
    count_rows = RunQuery(path, "SELECT count(*) FROM \"" + table + "\"");
  }, &count_wall);
  int64_t select_rows = 0;
  double select_wall = 0;
  const double select = MedianSeconds(repeat, [&] {
    select_rows = RunQuery(path, "SELECT * FROM \"" + table + "\"");
  }, &select_wall);
  const double mb = static_cast<double>(pages * page_size) / 1e6;
  fmt::print("{} {}: {} rows, {} table pages ({:.1f} MB of {:.1f} MB), {} ranges ({} bounds)\n",
             path, table, rows, pages, mb,
             static_cast<double>(std::filesystem::file_size(path)) / 1e6, ranges, bounds.size());
  fmt::print("median of {} runs     CPU s    wall s\n", repeat);
  fmt::print("ChooseRowidBounds   {:8.3f}  {:8.3f}\n", choose, choose_wall);
  fmt::print("DigestRowidRanges   {:8.3f}  {:8.3f}  {:.0f} MB/s of table pages (CPU)\n", digest,
             digest_wall, mb / digest);
  fmt::print("... in a snapshot   {:8.3f}  {:8.3f}  {:.0f} MB/s of table pages (CPU)\n",
             in_snapshot, in_snapshot_wall, mb / in_snapshot);
  fmt::print("... with kept leaves{:8.3f}  {:8.3f}  {:.0f} MB/s of table pages (CPU), {} of {} "
             "leaves kept\n",
             kept, kept_wall, mb / kept, reused, leaves.size());
  fmt::print("SELECT count(*)     {:8.3f}  {:8.3f}\n", count, count_wall);
  fmt::print("SELECT * (all read) {:8.3f}  {:8.3f}  {} rows\n", select, select_wall, select_rows);
  return rows == select_rows && count_rows == 1 ? 0 : 1;
}
