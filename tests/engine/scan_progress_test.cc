// Progress within a source: the row estimate behind the ETA, and what a scan publishes in the
// activity page while it runs (the table being checked, rows read, the estimate).
#include "core/engine/scan_progress.h"

#include <gtest/gtest.h>

#include "core/engine/audit.h"
#include "core/sources/sqlite_db.h"
#include "core/util/activity.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

constexpr const char* kTables = R"sql(
  CREATE TABLE people(id INTEGER PRIMARY KEY, name);
  WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000)
    INSERT INTO people SELECT x, 'name ' || x FROM n;
  DELETE FROM people WHERE id BETWEEN 101 AND 200;
  CREATE TABLE empty(id INTEGER PRIMARY KEY);
  CREATE TABLE keyed(code TEXT PRIMARY KEY, name) WITHOUT ROWID;
  INSERT INTO keyed VALUES ('a', 'x');
  CREATE VIEW adults AS SELECT * FROM people WHERE id > 10;
)sql";

TEST(ScanProgressTest, EstimatesRowsWithoutCountingThem) {
  TempDir dir;
  const std::string path = dir.File("p.db");
  ExecSql(path, kTables);
  auto db = SqliteDb::OpenReadOnly(path);
  ASSERT_TRUE(db.ok()) << db.status().message();
  // max(rowid): deleted rows still count, hence "~" on the console.
  EXPECT_EQ(EstimateTableRows(**db, "people"), 1000);
  EXPECT_EQ(EstimateTableRows(**db, "empty"), 0);
  EXPECT_EQ(EstimateTableRows(**db, "keyed"), -1);   // WITHOUT ROWID: no rowid to ask
  EXPECT_EQ(EstimateTableRows(**db, "adults"), -1);  // a view
  EXPECT_EQ(EstimateTableRows(**db, "missing"), -1);
}

TEST(ScanProgressTest, ScanPublishesTableRowsAndEstimate) {
  TempDir dir;
  const std::string path = dir.File("p.db");
  ExecSql(path, kTables);
  ActivityPage page;
  InitActivityPage(page);
  PublishActivity(&page, {}, {});
  const SourceResult result = Scan(MakePlan(
      path, {MakeTable("empty", {MakeCheck("row_count", {{"min", 0}}, {}, "empty")}),
             MakeTable("people", {MakeCheck("missing", {}, {"name"}, "people")}, {"id"})}));
  PublishActivity(nullptr, {}, {});
  EXPECT_EQ(result.error, "");
  // The last table (index 1) was scanned whole: 900 rows of an estimated 1000.
  EXPECT_EQ(page.scan_table.load(), 1);
  EXPECT_EQ(page.scan_rows.load(), 900);
  EXPECT_EQ(page.scan_rows_estimate.load(), 1000);
  EXPECT_EQ(page.table_passes.load(), 2);  // one fused pass per table
  // Unpublished, a scan touches nothing.
  InitActivityPage(page);
  Scan(MakePlan(path, {MakeTable("people", {MakeCheck("missing", {}, {"name"}, "people")})}));
  EXPECT_EQ(page.scan_rows.load(), 0);
  EXPECT_EQ(page.scan_table.load(), -1);
}

}  // namespace
}  // namespace dqa
