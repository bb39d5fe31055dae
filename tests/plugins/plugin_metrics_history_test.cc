// Plugin metrics reach the history store's metrics table as "<check id>.<metric>".
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/history/store.h"
#include "core/sources/sqlite_db.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

TEST(PluginMetricsHistoryTest, MetricsAreStoredPerCheck) {
  testing::TempDir dir;
  const std::string path = dir.File("audit.db");
  {
    auto store = HistoryStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().message();
    RunStart start;
    start.started_unix_ms = 1;
    start.today = "2026-11-01";
    start.pid = ::getpid();
    start.host = "test";
    start.sources_planned = 1;
    const int64_t run = (*store)->BeginRun(start).value();
    SourceResult source;
    source.source = "social";
    CheckResult a;
    a.id = "social_protection.no_bank_account:beneficiaries.so_tai_khoan";
    a.type = "social_protection.no_bank_account";
    a.source = "social";
    a.metrics = {{"cashless_coverage_percent", 87.5}, {"beneficiaries", 400}};
    CheckResult b;
    b.id = "missing:beneficiaries.ho_ten";
    b.type = "missing";
    b.source = "social";
    source.results = {a, b};
    ASSERT_TRUE((*store)->RecordSource(run, source).ok());
  }
  auto db = SqliteDb::OpenReadOnly(path);
  ASSERT_TRUE(db.ok());
  auto stmt = (*db)->Prepare("SELECT source, name, value FROM metrics ORDER BY name");
  ASSERT_TRUE(stmt.ok());
  std::vector<std::string> rows;
  while (*stmt->Step()) {
    rows.push_back(std::string(stmt->ColumnText(0)) + "|" + std::string(stmt->ColumnText(1)) +
                   "|" + stmt->ColumnDisplay(2));
  }
  EXPECT_EQ(rows,
            (std::vector<std::string>{
                "social|social_protection.no_bank_account:beneficiaries.so_tai_khoan.beneficiaries|400",
                "social|social_protection.no_bank_account:beneficiaries.so_tai_khoan."
                "cashless_coverage_percent|87.5"}));
}

}  // namespace
}  // namespace dqa
