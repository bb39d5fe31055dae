// End to end: the schema history of a source (docs/history.md "Schema changes"). `dqaudit scan` runs
// again and again on a copy of the demo population database while its table is altered between
// runs (a column added, renamed, dropped by rebuilding the table): each run's schema_change finding,
// its samples and the exit code, the schemas recorded in audit.db, and a database dqaudit never
// changes.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/support.h"

namespace dqa {
namespace schema_change_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_support::CommandResult;
using test_support::FreshTestDir;
using test_support::MakeDemoProvince;
using test_support::Quote;
using test_support::ReadFile;
using test_support::RunDqaudit;
using test_support::RunShell;
using test_support::Sha256;
using test_support::WriteFile;

constexpr const char* kToday = "2026-11-01";

std::string Rules(const std::string& schema_changes) {
  return "source: population\n"
         "department: \"Công an tỉnh\"\n"
         "database: sqlite:../../data/demo/population.db\n" +
         schema_changes +
         "tables:\n"
         "  cong_dan:\n"
         "    key: [id]\n"
         "    checks:\n"
         "      - row_count: {min: 1}\n"
         "      - missing: {columns: [ma_xa], warn: {max_percent: 100}}\n";
}

class SchemaChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir("SchemaChangeTest");
    ASSERT_TRUE(MakeDemoProvince(dir_, kToday));
    fs::create_directories(dir_ / "rules" / "one");
    WriteFile(dir_ / "rules" / "one" / "population.yaml", Rules(""));
  }

  fs::path Db() const { return dir_ / "data" / "demo" / "population.db"; }

  void Alter(const std::string& sql) {
    ASSERT_EQ(RunShell("sqlite3 " + Quote(Db().string()) + " " + Quote(sql)), 0) << sql;
  }

  // Scans rules/one into audit.db; the source database is unchanged by it; the finding.
  json Scan(int expected_exit) {
    const std::string before = Sha256(Db());
    EXPECT_EQ(before.size(), 64u);
    const CommandResult r = RunDqaudit(
        dir_, std::string("scan rules/one --history audit.db --json out.json --today ") + kToday);
    EXPECT_EQ(r.code, expected_exit) << r.out << r.err;
    EXPECT_EQ(Sha256(Db()), before) << "dqaudit changed the source database";
    const json out = json::parse(ReadFile(dir_ / "out.json"), nullptr, false);
    results_ = out.is_object() ? out["results"] : json::array();
    for (const json& result : results_) {
      if (result["id"] == "schema_change:population") return result;
    }
    ADD_FAILURE() << "no schema_change result: " << out.dump();
    return json::object();
  }

  static json Changes(const json& finding) {
    json changes = json::array();
    for (const json& s : finding["samples"]) changes.push_back(s["change"]);
    return changes;
  }

  fs::path dir_;
  json results_;
};

TEST_F(SchemaChangeTest, AddRenameAndDropBetweenRunsAreEachNamedWithTheirRun) {
  // Run 1: the baseline.
  json f = Scan(0);
  EXPECT_EQ(f["type"], "schema_change");
  EXPECT_EQ(f["dimension"], "validity");
  EXPECT_EQ(f["outcome"], "pass");
  EXPECT_EQ(f["violations"], 0);
  EXPECT_EQ(f["message"],
            "Schema baseline recorded in run 1: 1 table; later runs are compared with it");
  EXPECT_EQ(results_.size(), 3u);  // row_count, missing, then the finding

  // Run 2: a column added.
  Alter("ALTER TABLE cong_dan ADD COLUMN ghi_chu TEXT;");
  f = Scan(0);  // a warning by default
  EXPECT_EQ(f["outcome"], "warn");
  EXPECT_EQ(f["severity"], "warn");
  EXPECT_EQ(f["violations"], 1);
  EXPECT_EQ(Changes(f), json({"column cong_dan.ghi_chu added in run 2"}));
  EXPECT_EQ(f["message"], "Schema changed in run 2 since run 1: column cong_dan.ghi_chu added");
  // The finding is in every report of the run (the XLSX's shared strings, unzipped).
  const CommandResult report =
      RunDqaudit(dir_, "report --history audit.db --out rep --format html,xlsx,csv,json");
  ASSERT_EQ(report.code, 0) << report.err;
  for (const char* ext : {"html", "csv", "json"}) {
    const std::string text = ReadFile(dir_ / "rep" / (std::string("dqaudit-run-2-vi.") + ext));
    EXPECT_NE(text.find("schema_change:population"), std::string::npos) << ext;
    EXPECT_NE(text.find("column cong_dan.ghi_chu added in run 2"), std::string::npos) << ext;
  }
  EXPECT_EQ(RunShell("unzip -p " + Quote((dir_ / "rep" / "dqaudit-run-2-vi.xlsx").string()) +
                     " | grep -q 'schema_change:population'"),
            0);

  // Run 3: nothing changed: it passes, naming the run that first saw this schema.
  f = Scan(0);
  EXPECT_EQ(f["outcome"], "pass");
  EXPECT_EQ(f["message"], "Schema unchanged since run 2");

  // Run 4: a column renamed in place, with schema changes made failures.
  WriteFile(dir_ / "rules" / "one" / "population.yaml", Rules("schema_changes: fail\n"));
  Alter("ALTER TABLE cong_dan RENAME COLUMN so_dien_thoai TO dien_thoai;");
  f = Scan(1);
  EXPECT_EQ(f["outcome"], "fail");
  EXPECT_EQ(Changes(f), json({"column cong_dan.so_dien_thoai renamed to dien_thoai in run 4"}));

  // Run 5: ma_xa dropped by rebuilding the table. The rule that names it is a schema-drift error
  // (exit 3), as before; the finding says what happened to the table.
  Alter("CREATE TABLE moi (id INTEGER PRIMARY KEY, so_cccd TEXT, ho_ten TEXT, ngay_sinh TEXT, "
        "gioi_tinh TEXT, dien_thoai TEXT, trang_thai TEXT, ngay_cap_nhat TEXT, ghi_chu TEXT); "
        "INSERT INTO moi SELECT id, so_cccd, ho_ten, ngay_sinh, gioi_tinh, dien_thoai, trang_thai, "
        "ngay_cap_nhat, ghi_chu FROM cong_dan; DROP TABLE cong_dan; "
        "ALTER TABLE moi RENAME TO cong_dan;");
  f = Scan(3);
  EXPECT_EQ(f["outcome"], "fail");
  EXPECT_EQ(Changes(f), json({"column cong_dan.ma_xa dropped in run 5"}));
  bool drift = false;
  for (const json& r : results_) {
    if (r["id"] != "missing:cong_dan.ma_xa") continue;
    drift = true;
    EXPECT_EQ(r["outcome"], "error");
    EXPECT_EQ(r["message"].get<std::string>().rfind(
                  "schema drift: column 'ma_xa' is no longer in table cong_dan", 0),
              0u)
        << r["message"];
  }
  EXPECT_TRUE(drift);

  // One schema per run in the history, each with the run that first saw it.
  ASSERT_EQ(RunShell("sqlite3 " + Quote((dir_ / "audit.db").string()) +
                     " 'SELECT run_id, since_run FROM source_schemas ORDER BY run_id' > " +
                     Quote((dir_ / "schemas.txt").string())),
            0);
  EXPECT_EQ(ReadFile(dir_ / "schemas.txt"), "1|1\n2|2\n3|2\n4|4\n5|5\n");
}

TEST_F(SchemaChangeTest, IgnoredChangesAreRecordedWithoutAFinding) {
  WriteFile(dir_ / "rules" / "one" / "population.yaml", Rules("schema_changes: ignore\n"));
  for (int run = 1; run <= 2; ++run) {
    if (run == 2) Alter("ALTER TABLE cong_dan ADD COLUMN ghi_chu TEXT;");
    const CommandResult r = RunDqaudit(
        dir_, std::string("scan rules/one --history audit.db --json out.json --today ") + kToday);
    EXPECT_EQ(r.code, 0) << r.err;
    const std::string out = ReadFile(dir_ / "out.json");
    EXPECT_NE(out.find("row_count:cong_dan"), std::string::npos);
    EXPECT_EQ(out.find("schema_change"), std::string::npos) << "run " << run;
  }
  // The schema is still recorded: a later change is measured from it.
  WriteFile(dir_ / "rules" / "one" / "population.yaml", Rules(""));
  Alter("ALTER TABLE cong_dan ADD COLUMN ghi_chu_2 TEXT;");
  const json f = Scan(0);
  EXPECT_EQ(Changes(f), json({"column cong_dan.ghi_chu_2 added in run 3"}));
}

}  // namespace
}  // namespace schema_change_test
}  // namespace dqa
