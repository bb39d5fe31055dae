// Test helpers: small SQLite databases in temp files, CheckSpecs and SourcePlans built directly.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "core/checks/catalog.h"
#include "core/engine/audit.h"
#include "core/sources/sqlite_db.h"
#include "core/util/dates.h"

namespace dqa::testing {

// A value to insert: NULL, INTEGER, REAL, TEXT, or BLOB.
struct Blob {
  std::string bytes;
};
using Cell = std::variant<std::nullptr_t, int64_t, double, std::string, Blob>;

inline int64_t CivilDay(int y, int m, int d) { return *DaysFromCivil(y, m, d); }
inline constexpr int64_t kToday = 20758;  // 2026-11-01

// A temporary directory removed at destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            fmt::format("dqa_engine_test_{}_{}", ::getpid(), counter++);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Creates (or opens) `path` and runs `sql`.
inline void ExecSql(const std::string& path, const std::string& sql) {
  auto db = SqliteDb::OpenReadWrite(path, true);
  ASSERT_TRUE(db.ok()) << db.status().message();
  const Status s = (*db)->Exec(sql);
  ASSERT_TRUE(s.ok()) << s.message();
}

// Creates table `table` (id INTEGER PRIMARY KEY, v) with rows id = 1.. holding `values`.
inline void MakeValueTable(const std::string& path, const std::vector<Cell>& values,
                           const std::string& table = "t") {
  auto db = SqliteDb::OpenReadWrite(path, true);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->Exec("BEGIN").ok());
  ASSERT_TRUE((*db)->Exec(fmt::format("CREATE TABLE {}(id INTEGER PRIMARY KEY, v)", table)).ok());
  auto stmt = (*db)->Prepare(fmt::format("INSERT INTO {}(id, v) VALUES (?, ?)", table));
  ASSERT_TRUE(stmt.ok()) << stmt.status().message();
  int64_t id = 1;
  for (const Cell& c : values) {
    ASSERT_TRUE(stmt->Reset().ok());
    ASSERT_TRUE(stmt->Bind(1, id++).ok());
    if (std::holds_alternative<std::nullptr_t>(c)) {
      ASSERT_TRUE(stmt->BindNull(2).ok());
    } else if (const auto* i = std::get_if<int64_t>(&c)) {
      ASSERT_TRUE(stmt->Bind(2, *i).ok());
    } else if (const auto* d = std::get_if<double>(&c)) {
      ASSERT_TRUE(stmt->Bind(2, *d).ok());
    } else if (const auto* s = std::get_if<std::string>(&c)) {
      ASSERT_TRUE(stmt->Bind(2, std::string_view(*s)).ok());
    } else {
      const std::string& b = std::get<Blob>(c).bytes;
      ASSERT_EQ(
          sqlite3_bind_blob(stmt->sqlite(), 2, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT),
          SQLITE_OK);
    }
    auto step = stmt->Step();
    ASSERT_TRUE(step.ok()) << step.status().message();
  }
  ASSERT_TRUE((*db)->Exec("COMMIT").ok());
}

// A check as the rule loader would produce it (default id, dimension, empty thresholds).
// `params` as the rule gives them (JSON, typed by the type's schema: docs/checks.md).
inline CheckSpec MakeCheck(const std::string& type, nlohmann::json params,
                           std::vector<std::string> columns, const std::string& table = "t") {
  CheckSpec spec;
  spec.type = type;
  spec.table = table;
  spec.columns = std::move(columns);
  spec.params = params.is_null() ? nlohmann::json::object() : std::move(params);
  spec.id = spec.columns.empty()
                ? fmt::format("{}:{}", spec.type, table)
                : fmt::format("{}:{}.{}", spec.type, table, fmt::join(spec.columns, ","));
  spec.dimension = Catalog().Find(spec.type)->info().dimension;
  return spec;
}

inline TableSpec MakeTable(const std::string& name, std::vector<CheckSpec> checks,
                           std::vector<std::string> key = {}, std::string filter = "") {
  TableSpec t;
  t.name = name;
  t.key = std::move(key);
  t.filter = std::move(filter);
  t.checks = std::move(checks);
  return t;
}

inline SourcePlan MakePlan(const std::string& db_path, std::vector<TableSpec> tables,
                           int64_t today_day = kToday, const std::string& id = "src") {
  SourcePlan plan;
  plan.source.id = id;
  plan.source.department = "Sở Tư pháp";
  plan.source.database = "sqlite:" + db_path;
  plan.source.db_path = db_path;
  plan.source.tables = std::move(tables);
  plan.today_day = today_day;
  plan.now_unix = today_day * kSecondsPerDay;
  plan.samples = 5;
  return plan;
}

// Runs ScanSource and returns its results, checking that `emit` saw each of them once (a table's
// duplicate checks after its other checks: SplitOptions::finished).
inline SourceResult Scan(const SourcePlan& plan) {
  std::vector<std::string> emitted;
  SourceResult r = ScanSource(plan, [&](const CheckResult& c) { emitted.push_back(c.id); });
  std::vector<std::string> returned;
  for (const CheckResult& c : r.results) returned.push_back(c.id);
  std::sort(emitted.begin(), emitted.end());
  std::sort(returned.begin(), returned.end());
  EXPECT_EQ(emitted, returned);
  return r;
}

// One check over a fresh table t(id, v) holding `values`.
inline CheckResult ScanOne(const TempDir& dir, const CheckSpec& spec,
                           const std::vector<Cell>& values, int64_t today_day = kToday) {
  static std::atomic<int> n{0};
  const std::string path = dir.File(fmt::format("one_{}.db", n++));
  MakeValueTable(path, values);
  SourceResult r = Scan(MakePlan(path, {MakeTable("t", {spec})}, today_day));
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.results.size(), 1u);
  return r.results.empty() ? CheckResult{} : r.results[0];
}

// Sample key tuples of single-column keys, flattened: {{"1"},{"4"}} -> {"1","4"}.
inline std::vector<std::string> Flat(const std::vector<std::vector<std::string>>& samples) {
  std::vector<std::string> out;
  for (const auto& s : samples) out.insert(out.end(), s.begin(), s.end());
  return out;
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace dqa::testing
