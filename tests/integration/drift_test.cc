// metric and drift through the real binary (docs/checks.md "Metric", "Drift"): a demo population
// scanned twice records its birth-date profile; then 40% of the birth dates are overwritten with
// 1900-01-01 and the next scan, in worker processes, flags the drift with the exact figures
// (computed here with SQL), leaves the database untouched, and `report` shows it from audit.db.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"

namespace dqa {
namespace drift_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_support::CommandResult;
using test_support::ReadFile;
using test_support::RunDqaudit;
using test_support::Sha256;
using test_support::WriteFile;

constexpr const char* kDriftScope = "trang_thai <> 'thu_nghiem'";

// One integer from `sql` on `path`.
int64_t QueryInt(const fs::path& path, const std::string& sql) {
  auto db = SqliteDb::OpenReadWrite(path.string(), false);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return -1;
  auto stmt = (*db)->Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << sql;
  if (!stmt.ok()) return -1;
  const Result<bool> row = stmt->Step();
  if (!row.ok() || !*row) return -1;
  return stmt->ColumnInt(0);
}

// The figures of ngay_sinh in scope that drift compares.
struct BirthFigures {
  int64_t non_null, distinct, top1, top5;
};
BirthFigures BirthFiguresOf(const fs::path& db) {
  const std::string in_scope = fmt::format("FROM cong_dan WHERE {} AND ngay_sinh IS NOT NULL", kDriftScope);
  const std::string groups =
      fmt::format("SELECT COUNT(*) AS c {} GROUP BY ngay_sinh ORDER BY c DESC", in_scope);
  return {QueryInt(db, "SELECT COUNT(*) " + in_scope),
          QueryInt(db, "SELECT COUNT(DISTINCT ngay_sinh) " + in_scope),
          QueryInt(db, fmt::format("SELECT MAX(c) FROM ({})", groups)),
          QueryInt(db, fmt::format("SELECT SUM(c) FROM ({} LIMIT 5)", groups))};
}

const json* ResultById(const json& doc, const std::string& id) {
  for (const json& r : doc["results"]) {
    if (r["id"] == id) return &r;
  }
  return nullptr;
}

class DriftTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::FreshTestDir("drift");
    ASSERT_TRUE(test_support::MakeDemoProvince(dir_, "2026-11-01"));
    WriteFile(dir_ / "rules" / "drift.yaml", fmt::format(R"(source: population
department: "Công an tỉnh"
database: sqlite:../data/demo/population.db
tables:
  cong_dan:
    key: [id]
    filter: "{}"
    checks:
      - drift: {{id: ngay_sinh_on_dinh, column: ngay_sinh, date_format: iso}}
      - metric: {{id: ngay_sinh_som_nhat, column: ngay_sinh, stat: min, date_format: iso}}
)", kDriftScope));
    db_ = dir_ / "data" / "demo" / "population.db";
  }

  json Scan(int expected_exit, const std::string& out) {
    const CommandResult r = RunDqaudit(
        dir_, "scan rules/drift.yaml --today 2026-11-01 --history audit.db --json " + out);
    EXPECT_EQ(r.code, expected_exit) << r.err;
    return json::parse(ReadFile(dir_ / out), nullptr, false);
  }

  fs::path dir_, db_;
};

TEST_F(DriftTest, ABirthDateDefaultLoadedFor40PercentOfRowsIsFlagged) {
  // First scan: the baseline is recorded.
  json doc = Scan(0, "r1.json");
  const json* drift = ResultById(doc, "ngay_sinh_on_dinh");
  ASSERT_NE(drift, nullptr);
  EXPECT_EQ((*drift)["outcome"], "pass");
  const BirthFigures before = BirthFiguresOf(db_);
  EXPECT_EQ((*drift)["message"],
            fmt::format("ngay_sinh profile of {} rows: baseline recorded (no earlier run to "
                        "compare with)",
                        QueryInt(db_, fmt::format("SELECT COUNT(*) FROM cong_dan WHERE {}", kDriftScope))));
  EXPECT_EQ((*drift)["profile"]["distinct"], before.distinct);
  EXPECT_EQ((*drift)["profile"]["kind"], "date");

  // Second scan, nothing changed: nothing drifted against the one earlier run.
  doc = Scan(0, "r2.json");
  drift = ResultById(doc, "ngay_sinh_on_dinh");
  ASSERT_NE(drift, nullptr);
  EXPECT_EQ((*drift)["message"],
            "0 of 4 stats of ngay_sinh changed more than 20% against the median of 1 earlier run "
            "(null_rate 0, distinct_count 0, top_values 0, quantiles 0)");

  // A department starts loading 1900-01-01 for 40% of its rows.
  {
    auto db = SqliteDb::OpenReadWrite(db_.string(), false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("UPDATE cong_dan SET ngay_sinh = '1900-01-01' WHERE id % 5 < 2").ok());
  }
  const BirthFigures after = BirthFiguresOf(db_);
  ASSERT_GT(after.top1, after.non_null / 3);
  const std::string checksum = Sha256(db_);
  doc = Scan(1, "r3.json");  // worker processes (the default)
  EXPECT_EQ(Sha256(db_), checksum);
  drift = ResultById(doc, "ngay_sinh_on_dinh");
  ASSERT_NE(drift, nullptr);
  EXPECT_EQ((*drift)["outcome"], "fail");
  EXPECT_EQ((*drift)["violations"], 3);  // distinct_count, top_values, quantiles; not null_rate
  EXPECT_EQ((*drift)["rows_checked"], 4);
  EXPECT_EQ((*drift)["profile"]["top"][0], json::array({"1900-01-01", after.top1}));
  const auto share = [](int64_t count, int64_t of) {
    return 100.0 * static_cast<double>(count) / static_cast<double>(of);
  };
  const double d_top1 = share(after.top1, after.non_null) - share(before.top1, before.non_null);
  const double d_top5 = share(after.top5, after.non_null) - share(before.top5, before.non_null);
  const std::string top_sample =
      std::abs(d_top1) >= std::abs(d_top5)
          ? fmt::format("ngay_sinh top value 1900-01-01: {:.1f}% -> {:.1f}%",
                        share(before.top1, before.non_null), share(after.top1, after.non_null))
          : fmt::format("ngay_sinh top 5 values: {:.1f}% -> {:.1f}%",
                        share(before.top5, before.non_null), share(after.top5, after.non_null));
  ASSERT_EQ((*drift)["samples"].size(), 3u);
  EXPECT_EQ((*drift)["samples"][0]["drift"],
            fmt::format("ngay_sinh distinct values: {} -> {}", before.distinct, after.distinct));
  EXPECT_EQ((*drift)["samples"][1]["drift"], top_sample);
  EXPECT_TRUE((*drift)["samples"][2]["drift"].get<std::string>().starts_with(
      "ngay_sinh p5: "))
      << (*drift)["samples"][2];
  EXPECT_NE((*drift)["samples"][2]["drift"].get<std::string>().find(" -> 1900-01-01 ("),
            std::string::npos);
  const std::string message = (*drift)["message"];
  EXPECT_TRUE(message.starts_with(
      "3 of 4 stats of ngay_sinh changed more than 20% against the median of 2 earlier runs "
      "(null_rate "))
      << message;
  // The metric saw it too.
  const json* earliest = ResultById(doc, "ngay_sinh_som_nhat");
  ASSERT_NE(earliest, nullptr);
  EXPECT_EQ((*earliest)["value"], -25567);  // 1900-01-01 in days since 1970-01-01
  EXPECT_TRUE((*earliest)["message"].get<std::string>().starts_with("min of ngay_sinh is 1900-01-01"));

  // The history keeps one profile per scan; the report of the run, from audit.db, shows the drift.
  EXPECT_EQ(QueryInt(dir_ / "audit.db",
                     "SELECT COUNT(*) FROM check_profiles p JOIN check_results r ON r.id = "
                     "p.result_id WHERE r.check_id = 'ngay_sinh_on_dinh'"),
            3);
  const CommandResult report =
      RunDqaudit(dir_, "report --history audit.db --format json,csv,html,xlsx --out rep --lang en");
  ASSERT_EQ(report.code, 0) << report.err;
  const std::string report_json = ReadFile(dir_ / "rep" / "dqaudit-run-3-en.json");
  EXPECT_NE(report_json.find("3 of 4 stats of ngay_sinh changed more than 20%"), std::string::npos);
  const std::string report_csv = ReadFile(dir_ / "rep" / "dqaudit-run-3-en.csv");
  EXPECT_NE(report_csv.find("3 of 4 stats of ngay_sinh changed more than 20%"), std::string::npos);
  const std::string report_html = ReadFile(dir_ / "rep" / "dqaudit-run-3-en.html");
  EXPECT_NE(report_html.find("3 of 4 stats of ngay_sinh changed more than 20%"), std::string::npos);
  FILE* pipe = popen(("unzip -p " + test_support::Quote((dir_ / "rep" / "dqaudit-run-3-en.xlsx").string()) +
                      " xl/sharedStrings.xml")
                         .c_str(),
                     "r");
  ASSERT_NE(pipe, nullptr);
  std::string strings;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) strings.append(buf, n);
  pclose(pipe);
  EXPECT_NE(strings.find("ngay_sinh_on_dinh"), std::string::npos);
}

}  // namespace
}  // namespace drift_test
}  // namespace dqa
