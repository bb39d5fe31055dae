// One table on every core (docs/engine.md "One table on every core"): a table scanned in several
// rowid ranges at once, each on its own connection, gives exactly the results of one scan, for
// every check type and several split counts.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <optional>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "core/engine/table_scan.h"
#include "core/sources/open_source.h"
#include "core/sources/sqlite_btree.h"
#include "core/util/activity.h"
#include "core/util/dates.h"
#include "core/util/file_bytes.h"
#include "core/worker/messages.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::MakeCheck;
using testing::MakeTable;
using testing::TempDir;

// A deterministic table of `rows` citizens with every kind of fault the checks look for: blank
// and placeholder names, NFD spellings, impossible and future dates, duplicate and malformed ID
// numbers, unknown communes, numbers stored as text, rowids with holes and a negative one.
void MakeCitizens(const std::string& path, int rows) {
  auto db = SqliteDb::OpenReadWrite(path, true);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->Exec("BEGIN").ok());
  ASSERT_TRUE((*db)
                  ->Exec("CREATE TABLE dm (ma TEXT, ten TEXT);"
                         "INSERT INTO dm VALUES ('001','Xã A'),('002','Xã B'),('003','Xã C'),"
                         "('004','Xã D'),('099','Xã không có dân');"
                         "CREATE TABLE t (id INTEGER PRIMARY KEY, ho_ten TEXT, cccd, gioi_tinh TEXT,"
                         " ngay_sinh TEXT, cap_nhat TEXT, ma_xa TEXT, so_tien, trang_thai TEXT,"
                         " dien_thoai TEXT)")
                  .ok());
  auto stmt = (*db)->Prepare("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?)");
  ASSERT_TRUE(stmt.ok()) << stmt.status().message();
  const std::vector<std::string> family = {"Nguyễn", "Trần", "Lê", "Phạm", "Ho\xcc\x80ng", "Võ"};
  const std::vector<std::string> given = {"An", "Bình", "Chi", "Dũng", "Hoa", "Lan", "Minh"};
  uint64_t x = 88172645463325252ull;
  auto next = [&x](uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  int64_t id = -3;
  std::vector<std::pair<std::string, std::string>> earlier;  // name, birth date
  for (int i = 0; i < rows; ++i) {
    id += 1 + static_cast<int64_t>(next(10) == 0 ? next(40) : 0);  // holes, some large
    ASSERT_TRUE(stmt->Reset().ok());
    ASSERT_TRUE(stmt->Bind(1, id).ok());
    std::string name = family[next(family.size())] + " Văn " + given[next(given.size())];
    std::string birth = fmt::format("{:04d}-{:02d}-{:02d}", 1900 + next(127), 1 + next(12),
                                    1 + next(28));
    // Re-entered people: an earlier row's name and birth date, sometimes without its accents.
    if (!earlier.empty() && next(25) == 0) {
      const auto& [n0, b0] = earlier[next(earlier.size())];
      name = next(2) == 0 ? n0 : std::string(n0).replace(0, n0.find(' '), "Nguyen");
      birth = b0;
    } else if (earlier.size() < 400) {
      earlier.emplace_back(name, birth);
    }
    const uint64_t n = next(50);
    if (n == 0) name = "  ";
    if (n == 1) name = "N/A";
    if (n == 2) name = "nguyễn  văn an";  // not in standard form
    if (n == 3) {
      ASSERT_TRUE(stmt->BindNull(2).ok());
    } else {
      ASSERT_TRUE(stmt->Bind(2, std::string_view(name)).ok());
    }
    const uint64_t c = next(100);
    if (c < 3) {
      ASSERT_TRUE(stmt->BindNull(3).ok());
    } else if (c < 6) {
      ASSERT_TRUE(stmt->Bind(3, std::string_view("12345")).ok());
    } else if (c < 9) {
      ASSERT_TRUE(stmt->Bind(3, int64_t{79200000000} + static_cast<int64_t>(next(20))).ok());
    } else {
      const std::string cccd = fmt::format("0792{:08d}", c < 20 ? next(50) : next(100000000));
      ASSERT_TRUE(stmt->Bind(3, std::string_view(cccd)).ok());
    }
    const uint64_t g = next(20);
    const std::string gender = g == 0 ? "Nu\xcc\x9b\xcc\x83" : g == 1 ? "X" : g < 10 ? "Nam" : "Nữ";
    ASSERT_TRUE(stmt->Bind(4, std::string_view(gender)).ok());
    const uint64_t b = next(200);
    if (b == 0) birth = "2024-02-30";
    if (b == 1) birth = "15/08/1975";
    if (b == 2) birth = "2030-01-01";
    if (b == 3) birth = "1990-05-05 ";
    if (b == 4) {
      ASSERT_TRUE(stmt->BindNull(5).ok());
    } else {
      ASSERT_TRUE(stmt->Bind(5, std::string_view(birth)).ok());
    }
    const std::string updated = fmt::format("{:04d}-{:02d}-{:02d} 08:00:00", 2018 + next(9),
                                            1 + next(12), 1 + next(28));
    ASSERT_TRUE(stmt->Bind(6, std::string_view(next(300) == 0 ? "hôm qua" : updated)).ok());
    const uint64_t m = next(30);
    const std::string commune = m == 0 ? "777" : fmt::format("{:03d}", 1 + next(4));
    ASSERT_TRUE(stmt->Bind(7, std::string_view(commune)).ok());
    const uint64_t a = next(10);
    if (a == 0) {
      ASSERT_TRUE(stmt->Bind(8, std::string_view(std::to_string(next(1000)))).ok());
    } else if (a == 1) {
      ASSERT_TRUE(stmt->Bind(8, static_cast<double>(next(100000)) / 7.0).ok());
    } else {
      ASSERT_TRUE(stmt->Bind(8, static_cast<int64_t>(next(1000))).ok());
    }
    ASSERT_TRUE(stmt->Bind(9, std::string_view(next(40) == 0 ? "thu_nghiem" : "song")).ok());
    // Many violations, so that the listed failing rows are cut at their limit.
    if (next(2) == 0) {
      ASSERT_TRUE(stmt->BindNull(10).ok());
    } else {
      ASSERT_TRUE(stmt->Bind(10, std::string_view(fmt::format("09{:08d}", next(100000000)))).ok());
    }
    ASSERT_TRUE(stmt->Step().ok());
  }
  ASSERT_TRUE((*db)->Exec("COMMIT").ok());
}

CheckSpec With(CheckSpec spec, const std::string& id) {
  spec.id = id;
  return spec;
}

CheckSpec PerUnit(CheckSpec spec, const std::string& column) {
  spec.by.push_back(BySpec{column, "", "", ""});
  spec.id += " by " + column;
  return spec;
}

// Every type of check the fused scan feeds, with breakdowns (row, aggregate and grouped) and
// `where`s.
std::vector<CheckSpec> EveryCheck() {
  std::vector<CheckSpec> checks = {
      MakeCheck("row_count", {{"min", 10}}, {}),
      PerUnit(MakeCheck("row_count", {{"min", 10}}, {}), "ma_xa"),
      MakeCheck("missing", {{"missing_values", {"N/A"}}}, {"ho_ten"}),
      PerUnit(MakeCheck("missing", {}, {"dien_thoai"}), "ma_xa"),
      MakeCheck("duplicate", {}, {"cccd"}),
      With(MakeCheck("duplicate", {{"normalize", "fold"}}, {"ho_ten", "ma_xa"}), "dup_fold"),
      PerUnit(With(MakeCheck("duplicate", {}, {"cccd"}), "dup_song"), "ma_xa"),
      MakeCheck("pattern", {{"regex", "^[0-9]{12}$"}}, {"cccd"}),
      MakeCheck("allowed", {{"values", {"Nam", "Nữ"}}}, {"gioi_tinh"}),
      MakeCheck("range", {{"min", "today-120y"}, {"max", "today"}}, {"ngay_sinh"}),
      MakeCheck("range", {{"min", 0}, {"max", 900}}, {"so_tien"}),
      MakeCheck("reference", {{"table", "dm"}, {"ref_column", "ma"}}, {"ma_xa"}),
      PerUnit(MakeCheck("coverage", {{"expected", {{"table", "dm"}, {"column", "ma"}}}, {"min_rows", 2}},
                        {"ma_xa"}),
              "trang_thai"),
      MakeCheck("condition", {{"invalid_when", "so_tien > 500 AND gioi_tinh = 'Nam'"}}, {}),
      MakeCheck("stale", {{"older_than", "730d"}}, {"cap_nhat"}),
      MakeCheck("freshness", {{"max_age", "30d"}}, {"cap_nhat"}),
      MakeCheck("indicator", {{"numerator", "gioi_tinh = 'Nam'"}, {"target", 60}}, {}),
      With(MakeCheck("metric", {{"stat", "stddev"}}, {"so_tien"}), "m_stddev"),
      With(MakeCheck("metric", {{"stat", "avg"}}, {"so_tien"}), "m_avg"),
      With(MakeCheck("metric", {{"stat", "sum"}}, {"so_tien"}), "m_sum"),
      With(MakeCheck("metric", {{"stat", "median"}}, {"so_tien"}), "m_median"),
      With(MakeCheck("metric", {{"stat", "max"}, {"date_format", "iso"}}, {"ngay_sinh"}), "m_max"),
      With(MakeCheck("metric", {{"stat", "null_ratio"}}, {"dien_thoai"}), "m_null"),
      With(MakeCheck("drift", {{"date_format", "iso"}}, {"ngay_sinh"}), "drift_dates"),
      With(MakeCheck("drift", {}, {"ho_ten"}), "drift_names"),
      MakeCheck("standard_text", {}, {"ho_ten"}),
      MakeCheck("fuzzy_duplicate", {{"name", "ho_ten"}, {"same", {"ngay_sinh"}}, {"threshold", 0.2}}, {}),
  };
  checks[3].where = "trang_thai = 'song'";
  checks[6].where = "trang_thai = 'song'";
  return checks;
}

// Another read-only connection to `path`, in its snapshot (what ScanSource's opener gives).
Result<std::unique_ptr<SourceDb>> OpenInSnapshot(const std::string& path) {
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> other, SqliteDb::OpenReadOnly(path));
  DQA_RETURN_IF_ERROR(other->BeginSnapshot());
  return std::unique_ptr<SourceDb>(std::move(other));
}

struct Split {
  std::vector<nlohmann::json> results;  // EncodeCheckResult without the durations
  int64_t passes = 0;                   // fused SELECTs run (one per range)
};

// With `early`, the results SplitOptions::finished gives (without the durations) go there; with
// `open`, the other threads' connections come from it.
Split ScanSplit(const std::string& path, const TableSpec& table, int threads,
                int64_t today = testing::kToday, std::vector<nlohmann::json>* early = nullptr,
                std::function<Result<std::unique_ptr<SourceDb>>()> open = nullptr) {
  Split out;
  auto db = SqliteDb::OpenReadOnly(path);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return out;
  EXPECT_TRUE((*db)->BeginSnapshot().ok());
  SplitOptions split;
  split.threads = threads;
  split.min_rows = 0;
  split.open = open ? std::move(open) : [&path] { return OpenInSnapshot(path); };
  if (early != nullptr) {
    split.finished = [early](const CheckResult& r) {
      nlohmann::json j = worker::EncodeCheckResult(r);
      j.erase("duration_ms");
      early->push_back(std::move(j));
    };
  }
  ActivityPage page;
  InitActivityPage(page);
  PublishActivity(&page, {}, {});
  const CheckContext context{"src", today * kSecondsPerDay, today, 5, {}};
  for (const CheckResult& r : ScanTable(**db, context, table, split)) {
    nlohmann::json j = worker::EncodeCheckResult(r);
    j.erase("duration_ms");
    out.results.push_back(std::move(j));
  }
  PublishActivity(nullptr, {}, {});
  out.passes = page.table_passes.load();
  return out;
}

TEST(SplitScanTest, EveryCheckTypeGivesTheSameResultsWhateverTheSplit) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 6000);
  const TableSpec table = MakeTable("t", EveryCheck(), {"id"}, "trang_thai <> 'thu_nghiem'");
  const Split one = ScanSplit(path, table, 1);
  ASSERT_EQ(one.passes, 1);
  ASSERT_EQ(one.results.size(), table.checks.size());
  for (const nlohmann::json& r : one.results) {
    SCOPED_TRACE(r.dump());
    EXPECT_NE(r.at("outcome"), "error");
  }
  // The data gives every check something to count.
  EXPECT_GT(one.results[2].at("violations").get<int64_t>(), 0);   // missing ho_ten
  EXPECT_GT(one.results[4].at("violations").get<int64_t>(), 0);   // duplicate cccd
  EXPECT_GT(one.results[26].at("violations").get<int64_t>(), 0) << one.results[26].dump();  // fuzzy duplicates
  EXPECT_EQ(one.results[3].at("failing_rows").size(), 1000u);     // the listed rows are cut
  for (int threads : {2, 3, 7}) {
    SCOPED_TRACE(threads);
    const Split split = ScanSplit(path, table, threads);
    EXPECT_EQ(split.passes, threads);
    ASSERT_EQ(split.results.size(), one.results.size());
    for (size_t i = 0; i < one.results.size(); ++i) {
      EXPECT_EQ(split.results[i], one.results[i]) << table.checks[i].id;
    }
  }
}

// Each other thread opens its connection itself: one that cannot (an error, or an exception)
// leaves its ranges to the threads that could, with the same results.
TEST(SplitScanTest, ThreadsWhoseConnectionCannotBeOpenedLeaveTheirRangesToTheOthers) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 6000);
  const TableSpec table = MakeTable("t", EveryCheck(), {"id"}, "trang_thai <> 'thu_nghiem'");
  const Split one = ScanSplit(path, table, 1);
  ASSERT_EQ(one.results.size(), table.checks.size());

  std::atomic<int> attempts{0};
  const Split split = ScanSplit(
      path, table, 4, testing::kToday, nullptr, [&]() -> Result<std::unique_ptr<SourceDb>> {
        const int attempt = attempts.fetch_add(1);
        if (attempt == 0) return OpenInSnapshot(path);
        if (attempt == 1) return Unavailable("no more connections");
        throw std::runtime_error("the opener failed");
      });
  EXPECT_EQ(attempts.load(), 3);
  EXPECT_EQ(split.passes, 4);  // four ranges, read by two threads
  ASSERT_EQ(split.results.size(), one.results.size());
  for (size_t i = 0; i < one.results.size(); ++i) {
    EXPECT_EQ(split.results[i], one.results[i]) << table.checks[i].id;
  }
}

// SplitOptions::finished: the results that do not wait for the grouping (every check but the
// duplicate ones; fuzzy_duplicate clusters at its own end of scan) are given as soon as the scan
// is done, before it runs, the same as ScanTable returns them; a table without grouped checks
// gives none early.
TEST(SplitScanTest, ResultsThatDoNotWaitForTheGroupingAreGivenBeforeIt) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 6000);
  const TableSpec table = MakeTable("t", EveryCheck(), {"id"}, "trang_thai <> 'thu_nghiem'");
  const Split plain = ScanSplit(path, table, 2);
  ASSERT_EQ(plain.results.size(), table.checks.size());
  std::vector<nlohmann::json> early;
  EXPECT_EQ(ScanSplit(path, table, 2, testing::kToday, &early).results, plain.results);
  std::set<std::string> grouped;
  for (const CheckSpec& c : table.checks) {
    if (c.type == "duplicate") grouped.insert(c.id);
  }
  ASSERT_EQ(grouped.size(), 3u);
  std::set<std::string> early_ids;
  for (const nlohmann::json& r : early) early_ids.insert(r.at("id").get<std::string>());
  for (const CheckSpec& c : table.checks) {
    EXPECT_EQ(early_ids.contains(c.id), !grouped.contains(c.id)) << c.id;
  }
  EXPECT_EQ(early.size(), early_ids.size());
  for (const nlohmann::json& r : early) {
    const std::string id = r.at("id").get<std::string>();
    EXPECT_FALSE(grouped.contains(id)) << id;
    const auto same = std::find_if(plain.results.begin(), plain.results.end(),
                                   [&](const nlohmann::json& p) { return p.at("id") == id; });
    ASSERT_NE(same, plain.results.end()) << id;
    EXPECT_EQ(r, *same) << id;
  }
  // No grouped check: nothing is given early (the results come back as always).
  std::vector<CheckSpec> fused;
  for (const CheckSpec& c : table.checks) {
    if (!grouped.contains(c.id)) fused.push_back(c);
  }
  std::vector<nlohmann::json> none;
  EXPECT_EQ(ScanSplit(path, MakeTable("t", fused, {"id"}, "trang_thai <> 'thu_nghiem'"), 2,
                      testing::kToday, &none)
                .results.size(),
            fused.size());
  EXPECT_TRUE(none.empty());
}

TEST(SplitScanTest, SmallTablesViewsAndLiveWalDatabasesAreScannedWhole) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 300);
  testing::ExecSql(path, "CREATE VIEW v AS SELECT * FROM t");
  const std::vector<CheckSpec> checks = {MakeCheck("missing", {}, {"ho_ten"}, "v")};
  EXPECT_EQ(ScanSplit(path, MakeTable("v", checks), 4).passes, 1);

  // Above min_rows only.
  auto db = SqliteDb::OpenReadOnly(path);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->BeginSnapshot().ok());
  SplitOptions split;
  split.threads = 4;
  split.min_rows = 1'000'000;
  int opened = 0;
  split.open = [&]() -> Result<std::unique_ptr<SourceDb>> {
    ++opened;
    DQA_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> other, SqliteDb::OpenReadOnly(path));
    return std::unique_ptr<SourceDb>(std::move(other));
  };
  const CheckContext context{"src", testing::kToday * kSecondsPerDay, testing::kToday, 5, {}};
  ScanTable(**db, context, MakeTable("t", {MakeCheck("missing", {}, {"ho_ten"})}), split);
  EXPECT_EQ(opened, 0);

  // In WAL mode with its -wal file, each connection's snapshot starts at its own first read.
  const std::string wal = dir.File("wal.db");
  MakeCitizens(wal, 300);
  auto writer = SqliteDb::OpenReadWrite(wal, false);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Exec("PRAGMA journal_mode=WAL; UPDATE t SET ho_ten = 'X' WHERE id = 1").ok());
  const std::vector<CheckSpec> wal_checks = {MakeCheck("missing", {}, {"ho_ten"})};
  EXPECT_EQ(ScanSplit(wal, MakeTable("t", wal_checks), 4).passes, 1);
}

// Through ScanSource, as the audit runs it: plan.scan_threads threads, the opener of the source.
TEST(SplitScanTest, ScanSourceSplitsALargeTableWithTheSameResults) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 60'000);
  const TableSpec table = MakeTable(
      "t",
      {MakeCheck("missing", {{"missing_values", {"N/A"}}}, {"ho_ten"}),
       MakeCheck("duplicate", {}, {"cccd"}),
       MakeCheck("reference", {{"table", "dm"}, {"ref_column", "ma"}}, {"ma_xa"})},
      {"id"});
  std::vector<nlohmann::json> results[2];
  for (int threads : {1, 2}) {
    SourcePlan plan = testing::MakePlan(path, {table});
    plan.scan_threads = threads;
    ActivityPage page;
    InitActivityPage(page);
    PublishActivity(&page, {}, {});
    const SourceResult r = testing::Scan(plan);
    PublishActivity(nullptr, {}, {});
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(page.table_passes.load(), threads);
    EXPECT_EQ(page.scan_rows.load(), 60'000);
    for (const CheckResult& c : r.results) {
      nlohmann::json j = worker::EncodeCheckResult(c);
      j.erase("duration_ms");
      results[threads - 1].push_back(std::move(j));
    }
  }
  EXPECT_EQ(results[1], results[0]);
  EXPECT_GT(results[0][1].at("violations").get<int64_t>(), 0);
}

}  // namespace
}  // namespace dqa

namespace dqa {
namespace {

struct Incremental {
  std::vector<nlohmann::json> results;
  TableState state;
  int64_t scanned = 0;
  int64_t reused = 0;
  int64_t halved = 0;
  int64_t reused_leaves = 0;
};

Incremental ScanIncremental(const std::string& path, const TableSpec& table,
                            const TableState* previous, RangeStore& store,
                            int64_t today = testing::kToday, int range_count = 16,
                            bool with_identity = false, int threads = 2,
                            std::atomic<int>* opens = nullptr, bool with_leaves = false) {
  Incremental out;
  auto db = SqliteDb::OpenReadOnly(path);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return out;
  EXPECT_TRUE((*db)->BeginSnapshot().ok());
  IncrementalOptions inc;
  inc.previous = previous;
  inc.next = &out.state;
  inc.store = &store;
  inc.ranges = range_count;
  inc.min_range_rows = 1000;
  SqliteDb& conn = **db;
  inc.digest = [&conn](const std::string& schema, const std::string& t,
                       const std::vector<RowidRange>& ranges) {
    return SqliteRangeDigests(conn, schema, t, ranges);
  };
  if (with_leaves) {
    inc.digest_with_leaves = [&conn](const std::string& t, const std::vector<RowidRange>& ranges,
                                     IncrementalOptions::Leaves& leaves) {
      return SqliteRangeDigests(conn, "", t, ranges, &leaves);
    };
  }
  if (with_identity) {
    inc.identity = [&conn]() -> Result<std::string> {
      DQA_ASSIGN_OR_RETURN(SqliteFileIdentity id, SnapshotFileIdentity(conn.raw(), conn.path()));
      return id.ToString();
    };
  }
  SplitOptions split;
  split.threads = threads;
  split.min_rows = 0;
  split.open = [&path, opens] {
    if (opens != nullptr) ++*opens;
    return OpenInSnapshot(path);
  };
  split.incremental = &inc;
  const CheckContext context{"src", today * kSecondsPerDay, today, 5, {}};
  for (const CheckResult& r : ScanTable(conn, context, table, split)) {
    nlohmann::json j = worker::EncodeCheckResult(r);
    j.erase("duration_ms");
    out.results.push_back(std::move(j));
  }
  out.scanned = inc.scanned_ranges;
  out.reused = inc.reused_ranges;
  out.halved = inc.halved_ranges;
  out.reused_leaves = inc.reused_leaves;
  return out;
}

// The index of the stored range holding `rowid`.
size_t RangeOf(const TableState& state, int64_t rowid) {
  for (size_t i = 0; i < state.ranges.size(); ++i) {
    if (rowid >= state.ranges[i].first && rowid <= state.ranges[i].last) return i;
  }
  return state.ranges.size();
}

// Expects `got` (an incremental scan's) to equal a full scan of `path` on `today`.
void ExpectFullScan(const Incremental& got, const std::string& path, const TableSpec& table,
                    int64_t today) {
  const Split full = ScanSplit(path, table, 1, today);
  ASSERT_EQ(got.results.size(), full.results.size());
  for (size_t i = 0; i < full.results.size(); ++i) {
    EXPECT_EQ(got.results[i], full.results[i]) << table.checks[i].id;
  }
}

// Table t of MakeCitizens with every check that keeps a state (all but fuzzy_duplicate).
TableSpec StatefulChecks() {
  std::vector<CheckSpec> checks = EveryCheck();
  checks.pop_back();  // fuzzy_duplicate
  return MakeTable("t", checks, {"id"}, "trang_thai <> 'thu_nghiem'");
}

TEST(IncrementalScanTest, OnlyChangedRangesAreScannedAndTheResultsEqualAFullScan) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 20'000);
  const TableSpec table = StatefulChecks();  // fuzzy_duplicate keeps no state: tested below

  MemoryRangeStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  EXPECT_EQ(first.scanned, 16);
  EXPECT_EQ(first.reused, 0);
  EXPECT_EQ(first.results, ScanSplit(path, table, 1).results);

  // A department's day: one row corrected, one inserted into a hole, one deleted, one appended.
  const int64_t updated = first.state.ranges[2].first + 5;
  const int64_t deleted = first.state.ranges[9].last - 3;
  int64_t hole = 0;
  {
    auto db = SqliteDb::OpenReadOnly(path);
    ASSERT_TRUE(db.ok());
    auto stmt = (*db)->Prepare(fmt::format(
        "SELECT min(id) + 1 FROM t a WHERE id > {} AND NOT EXISTS (SELECT 1 FROM t b WHERE b.id = "
        "a.id + 1)",
        first.state.ranges[6].first));
    ASSERT_TRUE(stmt.ok());
    ASSERT_TRUE(*stmt->Step());
    hole = stmt->ColumnInt(0);
  }
  testing::ExecSql(path, fmt::format(
                             "UPDATE t SET ho_ten = 'N/A', so_tien = 999 WHERE id >= {0} AND id < {0} + 1000 "
                             "AND id = (SELECT min(id) FROM t WHERE id >= {0});"
                             "INSERT INTO t(id, ho_ten, cccd, gioi_tinh, ngay_sinh, ma_xa, trang_thai) "
                             "VALUES ({1}, 'Lê Văn Mới', '079200000001', 'Nam', '2030-01-01', '777', 'song');"
                             "DELETE FROM t WHERE id = (SELECT max(id) FROM t WHERE id <= {2});"
                             "INSERT INTO t(id, ho_ten, cccd) SELECT max(id) + 100, 'Trần Văn Cuối', "
                             "'079200000001' FROM t;",
                             updated, hole, deleted));
  std::set<size_t> changed = {RangeOf(first.state, updated), RangeOf(first.state, hole),
                              RangeOf(first.state, deleted), first.state.ranges.size() - 1};
  const Incremental second = ScanIncremental(path, table, &first.state, store);
  EXPECT_EQ(second.scanned, static_cast<int64_t>(changed.size()));
  EXPECT_EQ(second.reused, 16 - static_cast<int64_t>(changed.size()));
  ExpectFullScan(second, path, table, testing::kToday);
  EXPECT_NE(second.results, first.results);

  // Nothing changed: nothing scanned, the same results.
  const Incremental third = ScanIncremental(path, table, &second.state, store);
  EXPECT_EQ(third.scanned, 0);
  EXPECT_EQ(third.results, second.results);
}

// The fingerprints read with the leaves the previous scan kept (docs/sources.md "Range
// fingerprints") give the ranges to read and the results of reading every leaf's cells, whatever
// changed; the leaves are kept in the state, carried when the file is unchanged.
TEST(IncrementalScanTest, KeptLeavesOfTheFingerprintsGiveTheRangesOfReadingEveryLeaf) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 20'000);
  const TableSpec table = StatefulChecks();
  MemoryRangeStore store;
  const std::string name(kLeafMemoName);
  const auto scan = [&](const TableState* previous, bool leaves, bool identity = false) {
    return ScanIncremental(path, table, previous, store, testing::kToday, 16, identity, 2, nullptr,
                           leaves);
  };
  const Incremental first = scan(nullptr, true);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  EXPECT_EQ(first.reused_leaves, 0);
  ASSERT_TRUE(first.state.memos.contains(name));
  const std::optional<FileBytes> bytes = store.LoadMemo(first.state.memos.at(name));
  ASSERT_TRUE(bytes);
  const std::optional<LeafMemo> kept = DecodeLeafMemo(bytes->view());
  ASSERT_TRUE(kept);
  ASSERT_GT(kept->size(), 50u);
  // Unchanged, read again: every kept leaf is taken as it was, nothing is scanned.
  const Incremental second = scan(&first.state, true);
  EXPECT_EQ(second.reused_leaves, static_cast<int64_t>(kept->size()));
  EXPECT_EQ(second.scanned, 0);
  EXPECT_EQ(second.results, first.results);
  // A day's changes (one name in the middle of a range corrected in place to one of the same
  // length, so that its leaf keeps its page number and cell count; one row deleted, one
  // appended): the same ranges read as without the leaves, the results of a full scan.
  testing::ExecSql(path, fmt::format(
      "UPDATE t SET ho_ten = upper(ho_ten) WHERE id = (SELECT min(id) FROM t WHERE id > {0} AND "
      "ho_ten <> upper(ho_ten));"
      "DELETE FROM t WHERE id = (SELECT max(id) FROM t WHERE id <= {1});"
      "INSERT INTO t(id, ho_ten, cccd) SELECT max(id) + 100, 'Trần Văn Cuối', '079200000001' "
      "FROM t;",
      (first.state.ranges[3].first + first.state.ranges[3].last) / 2,
      first.state.ranges[11].last - 3));
  const Incremental with = scan(&second.state, true);
  const Incremental without = scan(&second.state, false);
  EXPECT_EQ(with.scanned, 3);
  EXPECT_EQ(with.scanned, without.scanned);
  EXPECT_EQ(with.reused, without.reused);
  for (size_t i = 0; i < with.state.ranges.size(); ++i) {
    EXPECT_EQ(with.state.ranges[i].digest, without.state.ranges[i].digest) << i;
  }
  EXPECT_GT(with.reused_leaves, static_cast<int64_t>(kept->size()) * 3 / 4);
  EXPECT_LT(with.reused_leaves, static_cast<int64_t>(kept->size()));
  ExpectFullScan(with, path, table, testing::kToday);
  // Without the leaves, none are kept; with an unchanged file and its identity, they are carried.
  EXPECT_FALSE(without.state.memos.contains(name));
  const Incremental identified = scan(&with.state, true, true);
  ASSERT_TRUE(identified.state.memos.contains(name));
  const Incremental carried = scan(&identified.state, true, true);
  EXPECT_EQ(carried.reused_leaves, 0);  // (not read at all)
  EXPECT_EQ(carried.state.memos.at(name), identified.state.memos.at(name));
  EXPECT_EQ(carried.results, with.results);
}

// What the scans of `scan` say at debug level about fingerprints not read again.
size_t FingerprintsKept(const std::function<void()>& scan);

// A file whose identity is the one the last scan read its range fingerprints at keeps them: they
// are not read again (a night on which the department changed nothing). Any commit changes the
// identity (the change counter), even one that leaves the file's size as it was.
TEST(IncrementalScanTest, AnUnchangedFileKeepsItsRangeFingerprints) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 20'000);
  const TableSpec table = StatefulChecks();
  MemoryRangeStore store;
  const auto scan = [&](const TableState* previous, Incremental& out) {
    return FingerprintsKept([&] {
      out = ScanIncremental(path, table, previous, store, testing::kToday, 16, true);
    });
  };
  Incremental first, second, third, fourth;
  EXPECT_EQ(scan(nullptr, first), 0u);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  EXPECT_FALSE(first.state.file_identity.empty());
  // Nothing changed: the fingerprints are the last scan's, every range is reused.
  EXPECT_EQ(scan(&first.state, second), 1u);
  EXPECT_EQ(second.scanned, 0);
  EXPECT_EQ(second.results, first.results);
  EXPECT_EQ(second.state.file_identity, first.state.file_identity);
  // One row corrected in place (the file's size stays): read, and only its range is read again.
  const auto size = std::filesystem::file_size(path);
  testing::ExecSql(path, fmt::format("UPDATE t SET ho_ten = 'N/A' WHERE id = (SELECT min(id) "
                                     "FROM t WHERE id > {});",
                                     first.state.ranges[3].first + 7));
  EXPECT_EQ(std::filesystem::file_size(path), size);
  EXPECT_EQ(scan(&second.state, third), 0u);
  EXPECT_EQ(third.scanned, 1);
  EXPECT_NE(third.state.file_identity, second.state.file_identity);
  ExpectFullScan(third, path, table, testing::kToday);
  // The same without the identity (an index written before it was kept): read again.
  TableState without = third.state;
  without.file_identity.clear();
  EXPECT_EQ(scan(&without, fourth), 0u);
  EXPECT_EQ(fourth.scanned, 0);
  EXPECT_EQ(fourth.results, third.results);
}

TEST(IncrementalScanTest, BoundsThatMoveWithTheClockMoveTheStoredStates) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 20'000);
  std::vector<CheckSpec> checks = EveryCheck();
  checks.pop_back();  // fuzzy_duplicate keeps no state
  // Few violations, so that the rows turning stale each day land among the samples and listed
  // rows; units; bounds of today on both sides, exclusive.
  checks.push_back(PerUnit(With(MakeCheck("stale", {{"older_than", "3200d"}}, {"cap_nhat"}),
                                "stale_few"),
                           "ma_xa"));
  checks.push_back(PerUnit(With(MakeCheck("range",
                                          {{"min", "today-118y"}, {"max", "today+3d"},
                                           {"min_exclusive", true}, {"max_exclusive", true}},
                                          {"ngay_sinh"}),
                                "births_exclusive"),
                           "ma_xa"));
  const TableSpec table = MakeTable("t", checks, {"id"}, "trang_thai <> 'thu_nghiem'");
  const int64_t today = testing::kToday;
  // One birth date in the next weeks, two days after today, in range 5: too new today and
  // tomorrow, allowed from the day after (the generator's others move to 1990).
  MemoryRangeStore store;
  const Incremental layout = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(layout.state.ranges.size(), 16u);
  testing::ExecSql(path, fmt::format("UPDATE t SET ngay_sinh = '1990-01-01' WHERE ngay_sinh > '{0}' "
                                     "AND ngay_sinh < '{1}';"
                                     "UPDATE t SET ngay_sinh = '{2}' WHERE id = (SELECT min(id) "
                                     "FROM t WHERE id > {3} AND trang_thai = 'song')",
                                     FormatDay(today), FormatDay(today + 60), FormatDay(today + 2),
                                     layout.state.ranges[5].first));
  const Incremental first = ScanIncremental(path, table, nullptr, store);
  ExpectFullScan(first, path, table, today);

  // Tomorrow the cutoff of `stale` and the bounds of `range` move: no range is read, and every
  // result is a full scan's of that day. From the day after, the birth date after today is
  // allowed: it leaves the stored state of its range (the first of a full list of samples,
  // followed by the listed row after the last), and still no range is read.
  for (const auto& [later, read] : std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {2, 0}, {7, 0}}) {
    SCOPED_TRACE(later);
    const Incremental night = ScanIncremental(path, table, &first.state, store, today + later);
    EXPECT_EQ(night.scanned, read);
    EXPECT_EQ(night.reused, 16 - read);
    ExpectFullScan(night, path, table, today + later);
  }
  // The days moved something: stale_few has more violations a week later, and new samples.
  const Split week = ScanSplit(path, table, 1, today + 7);
  const size_t few = checks.size() - 2;
  EXPECT_GT(week.results[few].at("violations").get<int64_t>(),
            first.results[few].at("violations").get<int64_t>());
  EXPECT_NE(week.results[few].at("failing_rows"), first.results[few].at("failing_rows"));

  // Past the window of 8 days, and on an earlier day, every range is read again.
  for (int64_t day : {today + 9, today - 1}) {
    SCOPED_TRACE(day);
    const Incremental night = ScanIncremental(path, table, &first.state, store, day);
    EXPECT_EQ(night.scanned, 16);
    ExpectFullScan(night, path, table, day);
  }
}

// Dates after today that a later night allows (a `max` of today): each leaves the stored state
// of its range, which is read again only when the row was among a full list of listed rows.
TEST(IncrementalScanTest, ReleasedRowsLeaveTheStoredStatesUnlessAFullListLosesThem) {
  TempDir dir;
  const std::string path = dir.File("births.db");
  const int64_t today = testing::kToday;
  // 6,000 rows in three ranges of about 2,000, born in 2000 (allowed), in three units by id % 3.
  // Range 0 (ids 1 to 1999): ids 100 and 200 born 2 and 5 days after today (its only violations).
  // Range 1 (2000 to 3998): every row born in 1800 (1,000 listed rows, the most kept) but id 2500,
  // born 3 days after today, among them. Range 2 (3999 to 6000): id 3999 born 4 days after today,
  // the first of its 5 samples with ids 4000 to 4004, born in 1800 (the listed rows: those 6).
  testing::ExecSql(
      path, fmt::format("CREATE TABLE v (id INTEGER PRIMARY KEY, ngay_sinh TEXT, ma_xa TEXT);"
                        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                        "WHERE x < 6000) INSERT INTO v SELECT x, CASE "
                        "WHEN x = 100 THEN '{0}' WHEN x = 200 THEN '{1}' WHEN x = 2500 THEN '{2}' "
                        "WHEN x = 3999 THEN '{3}' WHEN x BETWEEN 2000 AND 3998 "
                        "OR x BETWEEN 4000 AND 4004 THEN '1800-01-01' ELSE '2000-06-15' END, "
                        "printf('%02d', x % 3) FROM n",
                        FormatDay(today + 2), FormatDay(today + 5), FormatDay(today + 3),
                        FormatDay(today + 4)));
  // The third check reads range 2 alone, whose samples are then the table's.
  CheckSpec range_2 =
      With(MakeCheck("range", {{"min", "today-120y"}, {"max", "today"}}, {"ngay_sinh"}), "range_2");
  range_2.where = "id >= 3999";
  const TableSpec table = MakeTable(
      "v",
      {MakeCheck("range", {{"min", "today-120y"}, {"max", "today"}}, {"ngay_sinh"}),
       PerUnit(With(MakeCheck("range", {{"min", "today-120y"}, {"max", "today"}}, {"ngay_sinh"}),
                    "births_by_unit"),
               "ma_xa"),
       range_2},
      {"id"});
  MemoryRangeStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store, today, 3);
  ASSERT_EQ(first.state.ranges.size(), 3u);
  ASSERT_EQ(first.state.ranges[1].first, 2000);
  ASSERT_EQ(first.state.ranges[2].first, 3999);
  ExpectFullScan(first, path, table, today);
  EXPECT_EQ(first.results[0].at("violations").get<int64_t>(), 2 + 1999 + 6);
  // Day 2 releases id 100: nothing is read. Day 3 releases id 2500 out of a full list of listed
  // rows, whose next row the state does not hold: range 1 is read again (and is on every later
  // day, each night moving the first night's state). Day 4 releases id 3999, the first sample,
  // followed by the listed row after the fifth; day 5 id 200. Past the window of 8 days every
  // range is read.
  for (const auto& [later, read, violations] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{
           {1, 0, 2007}, {2, 0, 2006}, {3, 1, 2005}, {4, 1, 2004}, {5, 1, 2003}, {9, 3, 2003}}) {
    SCOPED_TRACE(later);
    const Incremental night = ScanIncremental(path, table, &first.state, store, today + later, 3);
    EXPECT_EQ(night.scanned, read);
    ExpectFullScan(night, path, table, today + later);
    EXPECT_EQ(night.results[0].at("violations").get<int64_t>(), violations);
    EXPECT_EQ(night.results[1].at("violations").get<int64_t>(), violations);
  }
  // From day 3's own state (range 1 read then), day 5 reads nothing.
  const Incremental third = ScanIncremental(path, table, &first.state, store, today + 3, 3);
  const Incremental fifth = ScanIncremental(path, table, &third.state, store, today + 5, 3);
  EXPECT_EQ(fifth.scanned, 0);
  ExpectFullScan(fifth, path, table, today + 5);
  EXPECT_EQ(fifth.results[0].at("samples")[0], nlohmann::json::array({"2000"}));
  // Range 2's samples once id 3999 left them: ids 4000 to 4004, the last from its listed rows.
  EXPECT_EQ(fifth.results[2].at("samples"),
            nlohmann::json::parse(R"([["4000"], ["4001"], ["4002"], ["4003"], ["4004"]])"));

  // A minimum on today close to the maximum: a row released above the maximum is below the
  // minimum once both passed it. Of the four rows born after today (the only ones the check
  // reads), id 100, born 2 days after today, is too new on day 0, allowed on days 1 and 2, too
  // old from day 3: its range is read again then, and its violation counts.
  CheckSpec close_check =
      With(MakeCheck("range", {{"min", "today"}, {"max", "today+1d"}}, {"ngay_sinh"}), "close");
  close_check.where = "ngay_sinh > '2020-01-01'";
  const TableSpec close = MakeTable("v", {close_check}, {"id"});
  MemoryRangeStore close_store;
  const Incremental close_first = ScanIncremental(path, close, nullptr, close_store, today, 3);
  EXPECT_EQ(close_first.results[0].at("violations").get<int64_t>(), 4);
  for (const auto& [later, read, violations] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{
           {1, 0, 3}, {2, 0, 2}, {3, 1, 2}}) {
    SCOPED_TRACE(later);
    const Incremental night =
        ScanIncremental(path, close, &close_first.state, close_store, today + later, 3);
    EXPECT_EQ(night.scanned, read);
    EXPECT_EQ(night.results[0].at("violations").get<int64_t>(), violations);
    ExpectFullScan(night, path, close, today + later);
  }
}

TEST(IncrementalScanTest, ATableWithACheckThatKeepsNoStateIsScannedWithoutStates) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 3000);
  const TableSpec with_fuzzy = MakeTable("t", EveryCheck(), {"id"});
  MemoryRangeStore store;
  const Incremental once = ScanIncremental(path, with_fuzzy, nullptr, store);
  EXPECT_EQ(once.scanned + once.reused, 0);
  EXPECT_TRUE(once.state.ranges.empty());
  EXPECT_EQ(once.results, ScanSplit(path, with_fuzzy, 1).results);
  // A subquery in a where may read rows a range's fingerprint does not cover.
  std::vector<CheckSpec> checks = {MakeCheck("missing", {}, {"ho_ten"})};
  checks[0].where = "ma_xa IN (SELECT ma FROM dm)";
  EXPECT_TRUE(ScanIncremental(path, MakeTable("t", checks), nullptr, store).state.ranges.empty());
  // So may SQL that reads the clock: its answer moves while the rows stay (`date()` is today).
  for (const char* where : {"ngay_sinh < date()", "ngay_sinh < CURRENT_DATE",
                            "julianday( ) - julianday(ngay_sinh) > 365", "ngay_sinh < 'now'",
                            "strftime('%Y') - substr(ngay_sinh, 1, 4) > 100",
                            "ngay_sinh < DATETIME()"}) {
    SCOPED_TRACE(where);
    checks[0].where = where;
    EXPECT_TRUE(ScanIncremental(path, MakeTable("t", checks), nullptr, store).state.ranges.empty());
  }
  EXPECT_EQ(store.size(), 0u);
  // A where that reads only the row keeps its states, date functions given a value included.
  for (const char* where : {"ngay_sinh < '2020-01-01'", "date(ngay_sinh) IS NOT NULL",
                            "strftime('%Y', ngay_sinh, '+1 day') > '1990'"}) {
    SCOPED_TRACE(where);
    checks[0].where = where;
    EXPECT_FALSE(ScanIncremental(path, MakeTable("t", checks), nullptr, store).state.ranges.empty());
  }
}

TEST(IncrementalScanTest, AWindowWithTooManyRowsEndsBeforeTheFirstLeftOut) {
  TempDir dir;
  const std::string path = dir.File("records.db");
  // 30,000 records in two ranges, updated at noon 100 to 109 days ago (one day per rowid % 10):
  // a stale cutoff of 100 days turns 1,500 rows of each range a night. Every 50th record is years
  // old (stale already): the first samples and listed rows, which those turning stale join.
  testing::ExecSql(path,
                   "CREATE TABLE u (id INTEGER PRIMARY KEY, cap_nhat TEXT, ma_xa TEXT);"
                   "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 30000) "
                   "INSERT INTO u SELECT x, CASE WHEN x % 50 = 25 THEN '2000-01-01 00:00:00' ELSE "
                   "date('2026-11-01', '-100 days', '+' || (x % 10) || ' days') || ' 12:00:00' END, "
                   "printf('%03d', x % 7) FROM n");
  const TableSpec table = MakeTable(
      "u",
      {MakeCheck("stale", {{"older_than", "100d"}}, {"cap_nhat"}),
       PerUnit(With(MakeCheck("stale", {{"older_than", "100d"}}, {"cap_nhat"}), "by_unit"), "ma_xa")},
      {"id"});
  const int64_t today = testing::kToday;
  MemoryRangeStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store, today, 2);
  ASSERT_EQ(first.state.ranges.size(), 2u);
  ExpectFullScan(first, path, table, today);
  // 12,000 rows of each range turn within 8 days; 4,096 are kept: the window ends before the
  // first day not kept whole (the third), so two nights follow and the third reads both ranges.
  for (const auto& [later, read] : std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {2, 0}, {3, 2}}) {
    SCOPED_TRACE(later);
    const Incremental night = ScanIncremental(path, table, &first.state, store, today + later, 2);
    EXPECT_EQ(night.scanned, read);
    ExpectFullScan(night, path, table, today + later);
    // The 600 years-old records and 3,000 more a day (the listed rows are cut at 1,000, the
    // first samples are rows that turned stale, before the years-old ones).
    EXPECT_EQ(night.results[0].at("violations").get<int64_t>(), 600 + 3000 * later);
    // (record 10 turned on the first night, record 1 on the second)
    EXPECT_EQ(night.results[0].at("samples")[0], nlohmann::json::array({later == 1 ? "10" : "1"}));
  }
}

// A store that has lost the state of some ranges (a file a crash tore, say).
class LosingStore : public MemoryRangeStore {
 public:
  std::set<std::string> lost;
  std::optional<std::vector<nlohmann::json>> Load(const RangeState& range) override {
    if (lost.contains(range.file)) return std::nullopt;
    return MemoryRangeStore::Load(range);
  }
  std::optional<FileBytes> LoadMemo(const std::string& file) override {
    if (lost.contains(file)) return std::nullopt;
    return MemoryRangeStore::LoadMemo(file);
  }
  std::atomic<int> parts_read{0};  // LoadPart calls
  std::optional<std::vector<nlohmann::json>> LoadPart(const RangeState& range) override {
    ++parts_read;
    if (lost.contains(range.part)) return std::nullopt;
    return MemoryRangeStore::LoadPart(range);
  }
};

// Table totals (docs/engine.md "Table totals"): the own states of drift and of the metrics that
// count values are kept apart from the rest of a range's state, with the table's total as a memo.
// A night that reads few ranges reads no other range's own states: only the parts of the ranges
// it reads again, which it takes out of the totals. A lost total or part gives exact results the
// slow way.
TEST(IncrementalScanTest, TableTotalsSpareTheOwnStatesOfUnchangedRanges) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 20'000);
  const std::vector<std::string> totals = {"drift_dates", "drift_names", "m_distinct", "m_median"};
  const TableSpec table = MakeTable(
      "t",
      {With(MakeCheck("drift", {{"date_format", "iso"}}, {"ngay_sinh"}), "drift_dates"),
       With(MakeCheck("drift", {}, {"ho_ten"}), "drift_names"),
       With(MakeCheck("metric", {{"stat", "distinct_count"}}, {"cccd"}), "m_distinct"),
       With(MakeCheck("metric", {{"stat", "median"}}, {"so_tien"}), "m_median"),
       With(MakeCheck("metric", {{"stat", "max"}, {"date_format", "iso"}}, {"ngay_sinh"}), "m_max"),
       MakeCheck("missing", {{"missing_values", {"N/A"}}}, {"ho_ten"})},
      {"id"}, "trang_thai <> 'thu_nghiem'");
  LosingStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  EXPECT_EQ(store.parts_read.load(), 0);
  ASSERT_EQ(first.state.memos.size(), totals.size());  // m_max keeps a max alone: no total
  for (const std::string& id : totals) EXPECT_TRUE(first.state.memos.contains("table total:" + id));
  for (const RangeState& r : first.state.ranges) EXPECT_FALSE(r.part.empty());

  // Night 2: 700 rows from range 3 on take one new name (3.5% of the table: the most frequent,
  // listed with its text), rows of range 11 go.
  testing::ExecSql(path, fmt::format("UPDATE t SET ho_ten = 'Bão Lụt', so_tien = 5 WHERE id IN "
                                     "(SELECT id FROM t WHERE id >= {} ORDER BY id LIMIT 700);"
                                     "DELETE FROM t WHERE id BETWEEN {} AND {};",
                                     first.state.ranges[3].first, first.state.ranges[11].first,
                                     first.state.ranges[11].first + 400));
  store.parts_read = 0;
  const Incremental second = ScanIncremental(path, table, &first.state, store);
  EXPECT_GE(second.scanned, 2);
  EXPECT_LE(second.scanned, 3);  // (the 700 rows may reach into range 4)
  EXPECT_EQ(store.parts_read.load(), second.scanned);  // the earlier own states of those ranges alone
  ExpectFullScan(second, path, table, testing::kToday);
  EXPECT_NE(second.results[1].dump().find("Bão Lụt"), std::string::npos);

  // Night 3: a lost total: the unchanged ranges' parts are merged instead.
  testing::ExecSql(path, fmt::format("UPDATE t SET ngay_sinh = '1901-02-03' WHERE id = (SELECT "
                                     "min(id) FROM t WHERE id >= {})",
                                     second.state.ranges[7].first));
  store.lost = {second.state.memos.at("table total:drift_names")};
  store.parts_read = 0;
  const Incremental third = ScanIncremental(path, table, &second.state, store);
  EXPECT_EQ(third.scanned, 1);
  EXPECT_EQ(store.parts_read.load(), 15);
  ExpectFullScan(third, path, table, testing::kToday);
  EXPECT_EQ(third.state.memos.size(), totals.size());

  // Night 4: the earlier part of the range read again is lost: its share of the totals is not
  // known, so every unchanged range's part is merged instead (one of them lost too: that range is
  // read again for its own states).
  testing::ExecSql(path, fmt::format("UPDATE t SET so_tien = 123456 WHERE id = (SELECT min(id) "
                                     "FROM t WHERE id >= {})",
                                     third.state.ranges[9].first));
  store.lost = {third.state.ranges[9].part, third.state.ranges[2].part};
  store.parts_read = 0;
  const Incremental fourth = ScanIncremental(path, table, &third.state, store);
  EXPECT_EQ(fourth.scanned, 1);
  EXPECT_EQ(store.parts_read.load(), 16);
  ExpectFullScan(fourth, path, table, testing::kToday);

  // Night 5: nothing lost, nothing changed: no part read, the same results.
  store.lost.clear();
  store.parts_read = 0;
  const Incremental fifth = ScanIncremental(path, table, &fourth.state, store);
  EXPECT_EQ(fifth.scanned, 0);
  EXPECT_EQ(store.parts_read.load(), 0);
  EXPECT_EQ(fifth.results, fourth.results);
}

// The fingerprints of the ranges of `state` read afresh over the whole table of `path`.
std::vector<std::string> FreshDigests(const std::string& path, const TableState& state) {
  auto db = SqliteDb::OpenReadOnly(path);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return {};
  EXPECT_TRUE((*db)->BeginSnapshot().ok());
  std::vector<RowidRange> ranges;
  for (const RangeState& r : state.ranges) ranges.push_back({r.first, r.last});
  auto digests = SqliteRangeDigests(**db, "", "t", ranges);
  EXPECT_TRUE(digests.ok()) << digests.status().message();
  return digests.ok() ? *digests : std::vector<std::string>();
}

std::vector<std::string> StoredDigests(const TableState& state) {
  std::vector<std::string> out;
  for (const RangeState& r : state.ranges) out.push_back(r.digest);
  return out;
}

// A night that changes one range reads it as two halves, one per thread, and keeps them as two
// ranges whose fingerprints are those a whole-table read gives; the totals take the range's
// earlier own states out once. Halves of a changed half follow; a night that reads as many ranges
// as threads, or a range under twice a fresh range's rows, keeps its ranges whole.
TEST(IncrementalScanTest, ALoneChangedRangeIsReadAsTwoHalvesKeptAsRangesOfTheirOwn) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 20'000);
  const TableSpec table = StatefulChecks();
  LosingStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store, testing::kToday, 4);
  ASSERT_EQ(first.state.ranges.size(), 4u);
  EXPECT_EQ(first.halved, 0);  // (every range read: no state to build on)

  // Night 2: rows of range 2 change, one goes, one comes into a hole of it.
  const RangeState r2 = first.state.ranges[2];
  testing::ExecSql(path, fmt::format("UPDATE t SET ho_ten = 'Trần Văn Mới', ngay_sinh = '1990-01-01' "
                                     "WHERE id BETWEEN {0} + 10 AND {0} + 30;"
                                     "DELETE FROM t WHERE id = {0} + 40;",
                                     r2.first));
  store.parts_read = 0;
  const Incremental second = ScanIncremental(path, table, &first.state, store, testing::kToday, 4);
  EXPECT_EQ(second.halved, 1);
  EXPECT_EQ(second.scanned, 2);
  EXPECT_EQ(second.reused, 3);
  EXPECT_EQ(store.parts_read.load(), 1);  // the range's earlier own states, taken out once
  ExpectFullScan(second, path, table, testing::kToday);
  ASSERT_EQ(second.state.ranges.size(), 5u);
  EXPECT_EQ(second.state.ranges[2].first, r2.first);
  EXPECT_EQ(second.state.ranges[3].last, r2.last);
  EXPECT_EQ(second.state.ranges[2].last + 1, second.state.ranges[3].first);
  const int64_t half_rows = *RangeDigestRows(second.state.ranges[2].digest);
  const int64_t rest_rows = *RangeDigestRows(second.state.ranges[3].digest);
  EXPECT_EQ(half_rows + rest_rows, *RangeDigestRows(first.state.ranges[2].digest) - 1);
  // Cut at the middle rowid (ids have holes): each half holds at least 40% of the rows.
  EXPECT_GE(std::min(half_rows, rest_rows) * 5, (half_rows + rest_rows) * 2);
  EXPECT_EQ(StoredDigests(second.state), FreshDigests(path, second.state));

  // Night 3: nothing changed: the halves' fingerprints hold, nothing is read.
  const Incremental third = ScanIncremental(path, table, &second.state, store, testing::kToday, 4);
  EXPECT_EQ(third.scanned, 0);
  EXPECT_EQ(third.reused, 5);
  EXPECT_EQ(third.results, second.results);

  // Night 4: a change in the first half alone: it is halved in turn.
  testing::ExecSql(path, fmt::format("UPDATE t SET so_tien = 77 WHERE id = (SELECT min(id) FROM t "
                                     "WHERE id > {})",
                                     second.state.ranges[2].first + 3));
  const Incremental fourth = ScanIncremental(path, table, &third.state, store, testing::kToday, 4);
  EXPECT_EQ(fourth.halved, 1);
  EXPECT_EQ(fourth.scanned, 2);
  ASSERT_EQ(fourth.state.ranges.size(), 6u);
  ExpectFullScan(fourth, path, table, testing::kToday);
  EXPECT_EQ(StoredDigests(fourth.state), FreshDigests(path, fourth.state));

  // Night 5: a change in a quarter of range 2 (under twice the 1,000 rows of a fresh range) and
  // one in range 0: two ranges for two threads, each read whole.
  testing::ExecSql(path, fmt::format("UPDATE t SET so_tien = 78 WHERE id = (SELECT min(id) FROM t "
                                     "WHERE id > {});"
                                     "UPDATE t SET so_tien = 79 WHERE id = (SELECT max(id) FROM t "
                                     "WHERE id < {});",
                                     fourth.state.ranges[2].first, fourth.state.ranges[0].last));
  const Incremental fifth = ScanIncremental(path, table, &fourth.state, store, testing::kToday, 4);
  EXPECT_EQ(fifth.halved, 0);
  EXPECT_EQ(fifth.scanned, 2);
  EXPECT_EQ(fifth.state.ranges.size(), 6u);
  ExpectFullScan(fifth, path, table, testing::kToday);

  // Night 6: the quarter alone changes again: too small to halve, read whole on one thread.
  testing::ExecSql(path, fmt::format("UPDATE t SET so_tien = 80 WHERE id = (SELECT min(id) FROM t "
                                     "WHERE id > {})",
                                     fifth.state.ranges[2].first + 2));
  const Incremental sixth = ScanIncremental(path, table, &fifth.state, store, testing::kToday, 4);
  EXPECT_EQ(sixth.halved, 0);
  EXPECT_EQ(sixth.scanned, 1);
  ExpectFullScan(sixth, path, table, testing::kToday);
}

// The duplicates of column k of table t at `path` as SQL counts them: rows beyond the first of
// each key (-1 when the file cannot be read).
int64_t RowsBeyondTheFirstOfEachKey(const std::string& path) {
  auto db = SqliteDb::OpenReadOnly(path);
  if (!db.ok()) return -1;
  auto count = (*db)->Prepare("SELECT count(*) - count(DISTINCT k) FROM t");
  if (!count.ok()) return -1;
  Result<bool> has_row = count->Step();
  if (!has_row.ok() || !*has_row) return -1;
  return count->ColumnInt(0);
}

// Two duplicate checks of table t on column k: every row, and `some`, the rows where n <> 3.
TableSpec KeyChecks() {
  CheckSpec some = MakeCheck("duplicate", {}, {"k"});
  some.id = "some";
  some.where = "n <> 3";
  return MakeTable("t", {MakeCheck("duplicate", {}, {"k"}), some});
}

// The duplicate check's key hashes are one grouping memo of the table, not part of the ranges'
// states: a night merges the hashes of the rows it read into the memo. A row of a range read again
// that joins or leaves a group whose other rows lie in unchanged ranges counts exactly; a memo that
// cannot be read back gives exact results the slow way (every row a candidate), and a state kept
// without its memo is not reused.
TEST(IncrementalScanTest, DuplicateKeyHashesAreAMemoOfTheTable) {
  TempDir dir;
  const std::string path = dir.File("keys.db");
  // 20,000 rows, 16 ranges; key k: 300 pairs spread far apart (rows i and i + 10,000), the rest
  // distinct; a second check with a where sees part of them.
  testing::ExecSql(path,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, n INTEGER);"
                   "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 20000) "
                   "INSERT INTO t SELECT x, 'k' || CASE WHEN x > 10000 AND x <= 10300 THEN x - 10000 "
                   "ELSE x END, x % 7 FROM s;");
  const TableSpec table = KeyChecks();
  LosingStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  // two checks' key hashes and the changes since, their grouping's verdicts
  ASSERT_EQ(first.state.memos.size(), 5u);
  EXPECT_EQ(first.results[0].at("violations"), 300);
  ExpectFullScan(first, path, table, testing::kToday);

  // Two ranges change: row 19,990 takes the key of row 5 (first range: a new pair), row 10,150
  // leaves its pair with row 150 (first range), and a row is added with the key of row 7,000.
  testing::ExecSql(path,
                   "UPDATE t SET k = 'k5' WHERE id = 19990;"
                   "UPDATE t SET k = 'gone' WHERE id = 10150;"
                   "INSERT INTO t VALUES (20005, 'k7000', 1);");
  const Incremental second = ScanIncremental(path, table, &first.state, store);
  EXPECT_LT(second.scanned, 4);
  EXPECT_EQ(second.results[0].at("violations"), 301);
  ExpectFullScan(second, path, table, testing::kToday);
  ASSERT_EQ(second.state.memos.size(), 5u);

  // A memo that cannot be read back: exact all the same, and kept again only after every range
  // is read.
  testing::ExecSql(path, "DELETE FROM t WHERE id = 20005;");
  for (const auto& [name, file] : second.state.memos) store.lost.insert(file);
  const Incremental third = ScanIncremental(path, table, &second.state, store);
  EXPECT_EQ(third.results[0].at("violations"), 300);
  ExpectFullScan(third, path, table, testing::kToday);
  EXPECT_TRUE(third.state.memos.empty());
  const Incremental fourth = ScanIncremental(path, table, &third.state, store);
  EXPECT_EQ(fourth.scanned, 16);
  EXPECT_EQ(fourth.results, third.results);
  EXPECT_EQ(fourth.state.memos.size(), 5u);
  const Incremental fifth = ScanIncremental(path, table, &fourth.state, store);
  EXPECT_EQ(fifth.scanned, 0);
  EXPECT_EQ(fifth.results, third.results);
}

// The first pass over the memo of key hashes walks its two parts at once (GroupingMemos::StreamSplit,
// cut at SplitPoint), each with the pairs of this night that fall in it: a group with pairs on
// both sides of the cut is output whole, whichever side holds a lone pair of it. Every key here
// has three rows, so the group across the cut has one pair on one side and two on the other; a
// fourth row joins it (on the side of the two: the lone pair is then the one a walk of its side
// alone leaves out), so that SQL groups it again from its candidate rows, all four of them.
TEST(IncrementalScanTest, AGroupAcrossTheCutOfTheKeyHashMemoIsWhole) {
  // keys, the pairs of the group before the cut, and the new row's id (first or last in the group)
  for (const auto& [keys, before, id] : {std::tuple{1750, 1, 5251}, std::tuple{1400, 2, 0}}) {
    TempDir dir;
    const std::string path = dir.File("thrice.db");
    testing::ExecSql(path, fmt::format("CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, n INTEGER);"
                                       "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                                       "FROM s WHERE x < {}) INSERT INTO t SELECT x, 'k' || (x % "
                                       "{}), x % 7 FROM s;",
                                       3 * keys, keys));
    const TableSpec table = MakeTable("t", {MakeCheck("duplicate", {}, {"k"})});
    MemoryRangeStore store;
    const Incremental first = ScanIncremental(path, table, nullptr, store);
    ASSERT_GE(first.state.ranges.size(), 4u);  // (a night reads one or two of them)
    EXPECT_EQ(first.results[0].at("violations"), 2 * keys);
    std::string memo;  // the key hashes: (hash, rowid) pairs, 16 bytes each
    for (const auto& [name, file] : first.state.memos) {
      if (name.starts_with("duplicate key hashes:")) memo = std::string(store.LoadMemo(file)->view());
    }
    ASSERT_EQ(memo.size(), 16u * 3 * keys);
    const auto pair_at = [&](size_t i) {
      std::pair<uint64_t, int64_t> p;
      std::memcpy(&p.first, memo.data() + 16 * i, 8);
      std::memcpy(&p.second, memo.data() + 16 * i + 8, 8);
      return p;
    };
    const size_t cut = SplitPoint(memo.size()) / 16;
    ASSERT_EQ(cut % 3, static_cast<size_t>(before));  // (groups of three, one after another)
    ASSERT_EQ(pair_at(cut - 1).first, pair_at(cut).first);
    testing::ExecSql(path, fmt::format("INSERT INTO t SELECT {}, k, 1 FROM t WHERE id = {};", id,
                                       pair_at(cut).second));
    const Incremental second = ScanIncremental(path, table, &first.state, store);
    EXPECT_LE(second.scanned, 2) << keys;
    EXPECT_EQ(second.results[0].at("violations"), 2 * keys + 1) << keys;
    ExpectFullScan(second, path, table, testing::kToday);
  }
}

// The lines logged at debug level while `scan` runs that hold `what`.
std::vector<std::string> DebugLines(const std::function<void()>& scan, const std::string& what) {
  std::ostringstream text;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text);
  sink->set_pattern("%v");
  const std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>("capture", sink);
  capture->set_level(spdlog::level::debug);
  spdlog::set_default_logger(capture);
  scan();
  spdlog::set_default_logger(previous);
  std::vector<std::string> lines;
  std::istringstream in(text.str());
  for (std::string line; std::getline(in, line);) {
    if (line.find(what) != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// The grouping's verdicts memo: SQL groups only the candidates whose key hash a row read again has
// (or had); the other groups keep their figures, and the first groups in key order that the listed
// rows come from are kept too, so long as they still hold the 1,000 rows listed. Each night here
// equals a full scan: samples and listed rows included.
TEST(IncrementalScanTest, DuplicateVerdictsOfUntouchedGroupsAreKept) {
  TempDir dir;
  const std::string path = dir.File("pairs.db");
  // 3,000 pairs (rows 2j - 1 and 2j, keys in row order), 6,000 rows in groups: the first groups
  // kept (twice the 1,000 rows listed) lie in the first two ranges.
  testing::ExecSql(path,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT);"
                   "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 20000) "
                   "INSERT INTO t SELECT x, CASE WHEN x <= 6000 THEN printf('k%05d', (x + 1) / 2) "
                   "ELSE 'u' || x END FROM s;");
  const TableSpec table = MakeTable("t", {MakeCheck("duplicate", {}, {"k"})});
  MemoryRangeStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  EXPECT_EQ(first.results[0].at("violations"), 3000);
  ExpectFullScan(first, path, table, testing::kToday);

  const std::string nights[] = {
      // a new group first in key order (two rows added at the end), one behind the listed
      // groups loses a row (range 4)
      "INSERT INTO t VALUES (20001, 'k00000'), (20002, 'k00000');"
      "UPDATE t SET k = 'x' WHERE id = 5000;",
      // a listed group gains a row (range 5)
      "UPDATE t SET k = 'k00001' WHERE id = 7000;",
      // nothing changed in any group
      "UPDATE t SET k = k WHERE id = 17000;",
      // a new group of 300 rows behind the listed ones: not kept among the first groups, whose
      // order past the last of them is not known...
      "INSERT INTO t SELECT 30000 + x, 'k09000' FROM (WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL "
      "SELECT x + 1 FROM s WHERE x < 300) SELECT x FROM s);",
      // the first group goes
      "DELETE FROM t WHERE id = 20001;",
      // ...so that when the groups of the first range go (about 1,250 of the 2,000 rows of the
      // first groups), the rows listed next come from the groups that follow the first ones, not
      // from the new group nor from those the first night read again
      fmt::format("UPDATE t SET k = 'v' || id WHERE id <= {};", first.state.ranges[0].last),
      // the first groups go (ranges 0 and 1): fewer rows stay in untouched groups than are
      // listed, and the grouping runs on every candidate again
      "UPDATE t SET k = 'z' || id WHERE id <= 1400;",
      // and the next night keeps the untouched groups' verdicts again
      "INSERT INTO t VALUES (20003, 'k02990');",
  };
  // A night that kept the verdicts orders the groups by their kept keys and reads the rows of
  // the first 500 alone (1,000 rows listed, pairs), not those of the 925 to 1,002 groups it has;
  // the sixth night has fewer untouched rows first than are listed and groups every candidate.
  const size_t ordered_by_keys[] = {1, 1, 1, 1, 1, 0, 1, 1};
  Incremental last = first;
  for (size_t n = 0; n < std::size(nights); ++n) {
    const std::string& sql = nights[n];
    SCOPED_TRACE(sql);
    testing::ExecSql(path, sql);
    Incremental next;
    const std::vector<std::string> log =
        DebugLines([&] { next = ScanIncremental(path, table, &last.state, store); },
                   "group(s) in key order read for its listed row(s)");
    EXPECT_EQ(log.size(), ordered_by_keys[n]);
    for (const std::string& line : log) EXPECT_NE(line.find("the first 500 of "), std::string::npos) << line;
    EXPECT_LT(next.scanned, 16);
    EXPECT_EQ(next.results[0].at("violations"), RowsBeyondTheFirstOfEachKey(path));
    ExpectFullScan(next, path, table, testing::kToday);
    EXPECT_EQ(next.state.memos.size(), 3u);
    last = std::move(next);
  }
}

// The memo of key hashes is written whole once, then a night keeps the changes beside it (the
// pairs gone, the pairs added) while they stay small; a night that changes more writes it whole
// again. Every night equals a full scan, through rows that come and go, come back with their old
// key, and change key twice.
TEST(IncrementalScanTest, KeyHashChangesAreKeptBesideTheMemoUntilTheyGrow) {
  TempDir dir;
  const std::string path = dir.File("pairs.db");
  // 40,000 rows in 32 ranges; 600 pairs: rows x and 39,400 + x (the last range).
  testing::ExecSql(path,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, n INTEGER);"
                   "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 40000) "
                   "INSERT INTO t SELECT x, CASE WHEN x <= 600 THEN 'k' || x WHEN x > 39400 THEN "
                   "'k' || (x - 39400) ELSE 'u' || x END, x % 7 FROM s;");
  const TableSpec table = KeyChecks();
  MemoryRangeStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store, testing::kToday, 32);
  ASSERT_EQ(first.state.ranges.size(), 32u);
  // The bytes of the changes kept beside the memo of key hashes of check `id`: 16 when none.
  auto changes = [&](const Incremental& night, const std::string& id) {
    const auto it = night.state.memos.find("duplicate key hash changes:" + id);
    if (it == night.state.memos.end()) return size_t{0};
    const std::optional<FileBytes> bytes = store.LoadMemo(it->second);
    return bytes ? bytes->view().size() : size_t{0};
  };
  const std::string every = table.checks[0].id;
  EXPECT_EQ(changes(first, every), 16u);

  struct Night {
    std::string sql;
    bool whole;  // the memo written whole again
  };
  const Night nights[] = {
      // a row of the last range leaves its pair, one is added with a pair's key, one goes
      {"UPDATE t SET k = 'gone' WHERE id = 39410; INSERT INTO t VALUES (40001, 'k20', 1);"
       "DELETE FROM t WHERE id = 39430;",
       false},
      // nights that do not read the last range keep its changes: a row of range 5 joins k30...
      {"UPDATE t SET k = 'k30' WHERE id = 7000;", false},
      // ...a row of range 10 joins k20
      {"UPDATE t SET k = 'k20' WHERE id = 12500;", false},
      // the added row goes, the gone one comes back with its old key, the first row takes its
      // old key back, and the row of range 5 changes key again
      {"DELETE FROM t WHERE id = 40001; INSERT INTO t VALUES (39430, 'k30', 2);"
       "UPDATE t SET k = 'k10' WHERE id = 39410; UPDATE t SET k = 'k40' WHERE id = 7000;",
       false},
      // 3,000 rows change key (6,000 pairs gone or added, past an eighth of the memo's 40,000),
      // one of them joining k50: the memo is written whole again
      {"UPDATE t SET k = 'x' || id WHERE id BETWEEN 10001 AND 13000;"
       "UPDATE t SET k = 'k50' WHERE id = 12000;",
       true},
      // and the next night keeps changes beside the new memo
      {"UPDATE t SET k = 'k60' WHERE id = 12000;", false},
  };
  Incremental last = first;
  for (const Night& night : nights) {
    SCOPED_TRACE(night.sql);
    testing::ExecSql(path, night.sql);
    Incremental next = ScanIncremental(path, table, &last.state, store, testing::kToday, 32);
    EXPECT_LT(next.scanned, 32);
    ExpectFullScan(next, path, table, testing::kToday);
    if (night.whole) {
      EXPECT_EQ(changes(next, every), 16u);
    } else {
      EXPECT_GT(changes(next, every), 16u);
    }
    last = std::move(next);
  }
  EXPECT_EQ(last.results[0].at("violations"), RowsBeyondTheFirstOfEachKey(path));
}

// What a duplicate grouping says at debug level while `scan` runs ("... N candidate row(s)
// grouped again ..."), one line per grouping that kept verdicts.
std::vector<std::string> GroupingLog(const std::function<void()>& scan) {
  return DebugLines(scan, "grouped again");
}

size_t FingerprintsKept(const std::function<void()>& scan) {
  return DebugLines(scan, "range fingerprints are not read again").size();
}

// A night: `sql` applied to the table at `path`, then an incremental scan after `last`; the scan
// and what its duplicate groupings logged (GroupingLog).
std::pair<Incremental, std::vector<std::string>> RunNight(const std::string& path,
                                                          const TableSpec& table,
                                                          const Incremental& last,
                                                          RangeStore& store,
                                                          const std::string& sql) {
  testing::ExecSql(path, sql);
  Incremental next;
  std::vector<std::string> log =
      GroupingLog([&] { next = ScanIncremental(path, table, &last.state, store); });
  return {std::move(next), std::move(log)};
}

// A night that reads a range again touches only the groups whose rows came, went, or changed key
// or scope there: a range full of grouped rows (the last one, where the second row of every pair
// lies) read again for a change elsewhere in it groups nothing again, and every change that does
// move a row between groups or scopes still counts exactly.
TEST(IncrementalScanTest, ARangeReadAgainTouchesOnlyTheGroupsItsChangesMove) {
  TempDir dir;
  const std::string path = dir.File("pairs.db");
  // 400 pairs: rows x (range 0) and 19,600 + x (range 15), keys k1..k400; `some` sees n <> 3.
  testing::ExecSql(path,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, n INTEGER, note TEXT);"
                   "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 20000) "
                   "INSERT INTO t SELECT x, CASE WHEN x <= 400 THEN 'k' || x WHEN x > 19600 THEN "
                   "'k' || (x - 19600) ELSE 'u' || x END, x % 7, '' FROM s;");
  const TableSpec table = KeyChecks();
  MemoryRangeStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  EXPECT_EQ(first.results[0].at("violations"), 400);

  struct Night {
    std::string sql;
    size_t regrouped;  // candidate rows grouped again by SQL
  };
  const Night nights[] = {
      // grouped rows of the last range change their other columns, and a row is added at its
      // end: the range is read again, no group is touched
      {"UPDATE t SET note = 'sửa' WHERE id BETWEEN 19700 AND 19800;"
       "INSERT INTO t VALUES (20001, 'new', 1, '');",
       0},
      // a grouped row leaves the scope of `some` (n was 19,611 % 7 = 4), a row of the last range
      // takes the key of another pair: groups k11 (2 rows) and k20 (3 rows) are grouped again,
      // k30 is left with one row
      {"UPDATE t SET n = 3 WHERE id = 19611;"
       "UPDATE t SET k = 'k20' WHERE id = 19630;",
       5},
      // a row deleted and inserted again with the same rowid and key touches nothing
      {"DELETE FROM t WHERE id = 19650; INSERT INTO t VALUES (19650, 'k50', 1, 'again');", 0},
  };
  Incremental last = first;
  for (const Night& night : nights) {
    SCOPED_TRACE(night.sql);
    auto [next, log] = RunNight(path, table, last, store, night.sql);
    EXPECT_EQ(next.scanned, 1);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_NE(log[0].find(fmt::format(": {} candidate row(s) grouped again", night.regrouped)),
              std::string::npos)
        << log[0];
    ExpectFullScan(next, path, table, testing::kToday);
    last = std::move(next);
  }
  EXPECT_EQ(last.results[0].at("violations"), 400);  // k20 gained a row, k30 lost one
}

// A night that touches thousands of grouped rows groups them on two connections at once, each
// half of them (by key hash) with its own first groups: the results, samples and listed rows are
// still exactly a full scan's, whether both halves, one or neither left groups out.
TEST(IncrementalScanTest, ManyTouchedGroupsAreGroupedOnTwoConnectionsExactly) {
  TempDir dir;
  const std::string path = dir.File("pairs.db");
  // 30,000 rows in 16 ranges; 8,000 pairs: rows x and 10,000 + x, keys k1..k8000; `some` sees
  // n <> 3.
  testing::ExecSql(path,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, n INTEGER);"
                   "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 30000) "
                   "INSERT INTO t SELECT x, CASE WHEN x <= 8000 THEN 'k' || x WHEN x > 10000 AND "
                   "x <= 18000 THEN 'k' || (x - 10000) ELSE 'u' || x END, x % 7 FROM s;");
  const TableSpec table = KeyChecks();
  MemoryRangeStore store;
  Incremental last = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(last.state.ranges.size(), 16u);
  EXPECT_EQ(last.results[0].at("violations"), 8000);

  struct Night {
    std::string sql;
    size_t regrouped;  // candidate rows grouped again
    bool split;        // on two connections
  };
  const Night nights[] = {
      // 3,000 rows of ranges 11 to 13 join pairs k5001..k8000 (behind the first groups in key
      // order, k1, k10, k100, k1000...): 9,000 rows grouped again, each half far more than the
      // 2,000 rows of first groups it keeps
      {"UPDATE t SET k = 'k' || (id - 17000) WHERE id BETWEEN 22001 AND 25000;", 9000, true},
      // 1,200 of them leave again: the 2,400 rows left in their groups, about 1,200 a half,
      // fewer than either keeps
      {"UPDATE t SET k = 'gone' || id WHERE id BETWEEN 22001 AND 23200;", 2400, true},
      // a row joins pair k7: one connection
      {"UPDATE t SET k = 'k7' WHERE id = 29000;", 3, false},
  };
  for (const Night& night : nights) {
    SCOPED_TRACE(night.sql);
    auto [next, log] = RunNight(path, table, last, store, night.sql);
    EXPECT_LT(next.scanned, 16);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_NE(log[0].find(fmt::format(": {} candidate row(s) grouped again{},", night.regrouped,
                                      night.split ? " on two connections" : "")),
              std::string::npos)
        << log[0];
    ExpectFullScan(next, path, table, testing::kToday);
    last = std::move(next);
  }
  EXPECT_EQ(last.results[0].at("violations"), RowsBeyondTheFirstOfEachKey(path));
}

// Nights of random edits to a table of many groups of equal keys, some large: each night
// regroups thousands of rows (two connections) whose groups lie among the first in key order
// and behind them, and each equals a full scan, samples and listed rows included.
TEST(IncrementalScanTest, RandomNightsOfManyTouchedGroupsEqualAFullScan) {
  TempDir dir;
  const std::string path = dir.File("groups.db");
  // 30,000 rows; key k: 'g' and a number below 6,000 for two rows in three, so groups of
  // about 3.3 rows on average, the rest distinct.
  testing::ExecSql(path,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, n INTEGER);"
                   "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 30000) "
                   "INSERT INTO t SELECT x, CASE WHEN x % 3 = 0 THEN 'u' || x ELSE 'g' || "
                   "((x * 7919) % 6000) END, x % 7 FROM s;");
  const TableSpec table = KeyChecks();
  MemoryRangeStore store;
  Incremental last = ScanIncremental(path, table, nullptr, store);
  uint64_t x = 0x9e3779b97f4a7c15ull;
  auto next_random = [&x](uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  size_t split_nights = 0;
  for (int night = 0; night < 8; ++night) {
    // 1,500 edits within two ranges' worth of rows: keys moved to other groups (or made unique),
    // rows deleted and added, scopes changed.
    std::string sql = "BEGIN;";
    const int64_t base = 1 + static_cast<int64_t>(next_random(26000));
    for (int e = 0; e < 1500; ++e) {
      const int64_t id = base + static_cast<int64_t>(next_random(3750));
      switch (next_random(5)) {
        case 0:
          sql += fmt::format("UPDATE t SET k = 'u{}x{}' WHERE id = {};", night, e, id);
          break;
        case 1:
          sql += fmt::format("DELETE FROM t WHERE id = {};", id);
          break;
        case 2:
          sql += fmt::format("UPDATE t SET n = 3 WHERE id = {};", id);
          break;
        default:
          sql += fmt::format("INSERT OR REPLACE INTO t VALUES ({}, 'g{}', {});", id,
                             next_random(6000), next_random(7));
      }
    }
    sql += "COMMIT;";
    SCOPED_TRACE(night);
    auto [next, log] = RunNight(path, table, last, store, sql);
    for (const std::string& line : log) {
      if (line.find("on two connections") != std::string::npos) ++split_nights;
    }
    ExpectFullScan(next, path, table, testing::kToday);
    last = std::move(next);
  }
  EXPECT_GE(split_nights, 4u);
}

// The listed rows of a night that kept its verdicts, when there are many, are read in key order
// on two connections and merged by comparing their keys as SQLite's ORDER BY does: NOCASE text,
// integers against equal and unequal reals, text after numbers and blobs after text, RTRIM text
// with trailing spaces. Each night equals a full scan, samples and listed rows included.
TEST(IncrementalScanTest, ListedRowsReadOnTwoConnectionsKeepSqlitesKeyOrder) {
  TempDir dir;
  const std::string path = dir.File("collated.db");
  // 30,000 rows in 2,500 groups of 12 (g = id % 2500): a is 'Key' or 'kEY' and g % 50 (NOCASE),
  // b by (g / 50) % 10 an integer, or the equal real on odd ids, 2.5, text or a blob, c 'v' and
  // g / 500 with two trailing spaces on every third id (RTRIM).
  testing::ExecSql(
      path,
      "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT COLLATE NOCASE, b, c TEXT COLLATE RTRIM, "
      "n INTEGER);"
      "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 30000) "
      "INSERT INTO t SELECT x, CASE x % 2 WHEN 0 THEN 'Key' ELSE 'kEY' END || (x % 2500 % 50), "
      "CASE (x % 2500 / 50) % 10 WHEN 6 THEN 2.5 WHEN 7 THEN 'b7' WHEN 8 THEN x'07' "
      "WHEN 9 THEN -3 ELSE CASE x % 2 WHEN 0 THEN (x % 2500 / 50) % 10 "
      "ELSE (x % 2500 / 50) % 10 * 1.0 END END, "
      "'v' || (x % 2500 / 500) || CASE WHEN x % 3 = 0 THEN '  ' ELSE '' END, x % 7 FROM s;");
  CheckSpec check = MakeCheck("duplicate", {{"normalize", "none"}}, {"a", "b", "c"});
  CheckSpec some = check;
  some.id = "some";
  some.where = "n <> 3";
  const TableSpec table = MakeTable("t", {check, some});
  MemoryRangeStore store;
  Incremental last = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(last.state.ranges.size(), 16u);
  ExpectFullScan(last, path, table, testing::kToday);
  EXPECT_EQ(last.results[0].at("violations"), 30000 - 2500);

  // The first night changes 2,400 rows without moving them (another case, a real equal to the
  // integer), the others move 300 rows between groups (other keys, trailing spaces, text and
  // blobs for numbers): groups touched before, among and after the first ones in key order.
  const std::string nights[] = {
      "UPDATE t SET a = upper(a), b = CASE typeof(b) WHEN 'integer' THEN b * 1.0 ELSE b END "
      "WHERE id BETWEEN 2001 AND 4400;"
      "UPDATE t SET a = 'kEY' || ((id + 3) % 50) WHERE id BETWEEN 4401 AND 4600;",
      "UPDATE t SET c = c || ' ', a = 'Key' || ((id + 7) % 50) WHERE id BETWEEN 12001 AND 12300;",
      "UPDATE t SET b = CASE WHEN id % 2 = 0 THEN 'b7' ELSE x'07' END WHERE id BETWEEN 20001 AND "
      "20300;",
  };
  size_t split = 0;
  for (const std::string& night : nights) {
    SCOPED_TRACE(night);
    testing::ExecSql(path, night);
    Incremental next;
    std::atomic<int> opens{0};
    const std::vector<std::string> log = DebugLines(
        [&] {
          next = ScanIncremental(path, table, &last.state, store, testing::kToday, 16, false, 2,
                                 &opens);
        },
        "listed row(s)");
    for (const std::string& line : log) {
      EXPECT_EQ(line.find("not merged"), std::string::npos) << line;
      EXPECT_EQ(line.find("not ordered by their keys"), std::string::npos) << line;
      if (line.find("on two connections") != std::string::npos) ++split;
    }
    // One connection opened: the split scan's other thread's, which the grouping then reuses.
    EXPECT_EQ(opens.load(), 1);
    EXPECT_LT(next.scanned, 16);
    ExpectFullScan(next, path, table, testing::kToday);
    last = std::move(next);
  }
  EXPECT_EQ(split, 6u);  // both checks, every night
}

TEST(IncrementalScanTest, ARangeWhoseStateCannotBeReadBackIsReadAgain) {
  TempDir dir;
  const std::string path = dir.File("citizens.db");
  MakeCitizens(path, 20'000);
  const TableSpec table = StatefulChecks();
  LosingStore store;
  const Incremental first = ScanIncremental(path, table, nullptr, store);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  store.lost = {first.state.ranges[0].file, first.state.ranges[7].file};
  const Incremental second = ScanIncremental(path, table, &first.state, store);
  EXPECT_EQ(second.scanned, 2);
  EXPECT_EQ(second.reused, 14);
  EXPECT_EQ(second.results, first.results);
  // Their new states are kept: the next scan reads nothing.
  store.lost.clear();
  const Incremental third = ScanIncremental(path, table, &second.state, store);
  EXPECT_EQ(third.scanned, 0);
  EXPECT_EQ(third.results, first.results);
  EXPECT_NE(second.state.ranges[0].file, first.state.ranges[0].file);
  EXPECT_EQ(second.state.ranges[1].file, first.state.ranges[1].file);
}

// A store whose states come back with their listed rows garbled: a state whose listed rows are
// read back (UnpackRows) cannot be read and its range is read again.
class GarbledListedRows : public MemoryRangeStore {
 public:
  bool garble = false;
  std::optional<std::vector<nlohmann::json>> Load(const RangeState& range) override {
    auto states = MemoryRangeStore::Load(range);
    for (nlohmann::json& state : states ? *states : none_) {
      if (garble) state["listed"] = nlohmann::json::binary({1, 2, 3});
    }
    return states;
  }

 private:
  std::vector<nlohmann::json> none_;
};

// Every row fails, so the first range fills the listed rows (kListedFailingRows) and the
// samples: the later ranges' stored rows are never read back (their counts are), and the results
// still equal a full scan's. On one thread each range is merged before the next is loaded: only
// the first range's rows are read (garbled, so it is read again) and the changed range's.
TEST(IncrementalScanTest, StoredRowsAfterTheListedOnesAreNotReadBack) {
  TempDir dir;
  const std::string path = dir.File("t.db");
  testing::ExecSql(path,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, v, w);"
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
                   "INSERT INTO t(id, v, w) SELECT i, NULL, i FROM n;");
  const TableSpec table = MakeTable("t", {MakeCheck("missing", {}, {"v"})}, {"id"});
  GarbledListedRows store;
  const Incremental first = ScanIncremental(path, table, nullptr, store, testing::kToday, 16,
                                            false, 1);
  ASSERT_EQ(first.state.ranges.size(), 16u);
  ASSERT_GT(first.state.ranges[0].last, kListedFailingRows);  // rowids 1.. in the first range
  testing::ExecSql(path, "UPDATE t SET w = -1 WHERE id = 19990;");
  store.garble = true;
  const Incremental second = ScanIncremental(path, table, &first.state, store, testing::kToday, 16,
                                             false, 1);
  EXPECT_EQ(second.scanned, 2);  // the changed range, and the first (its rows are needed)
  EXPECT_EQ(second.reused, 14);
  ExpectFullScan(second, path, table, testing::kToday);
  EXPECT_EQ(second.results[0].at("violations").get<int64_t>(), 20000);
  EXPECT_EQ(second.results[0].at("failing_rows").size(), static_cast<size_t>(kListedFailingRows));
}

}  // namespace
}  // namespace dqa

namespace dqa {
namespace {

// Duplicate groups come from the rows whose key hash is shared (docs/engine.md "One table, one
// pass"); the candidate list is bound to the query, so one longer than the SQL guard's statement
// limit works as well.
TEST(DuplicateCandidatesTest, AListLongerThanTheStatementLimitIsBoundToTheQuery) {
  TempDir dir;
  const std::string path = dir.File("many.db");
  testing::ExecSql(path,
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, k);"
                   "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 320000) "
                   "INSERT INTO t SELECT x, x % 240000 FROM n;");
  // 80,000 pairs: 160,000 candidates, half the rows, whose list is over 1 MB of SQL.
  const TableSpec table = MakeTable("t", {MakeCheck("duplicate", {}, {"k"})});
  const Split one = ScanSplit(path, table, 1);
  ASSERT_EQ(one.results.size(), 1u);
  EXPECT_EQ(one.results[0].at("outcome"), "fail") << one.results[0].dump();
  EXPECT_EQ(one.results[0].at("violations"), 80000);
  EXPECT_EQ(one.results[0].at("groups"), 80000);
  EXPECT_EQ(ScanSplit(path, table, 3).results, one.results);
}

}  // namespace
}  // namespace dqa
