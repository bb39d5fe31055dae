// The deliveries table (core/history/deliveries.cc) and migration 4 that creates it.
#include "core/history/deliveries.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace dqa {
namespace {

namespace fs = std::filesystem;

class DeliveriesStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("dqa_deliveries_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "audit.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static int64_t Begin(HistoryStore& store, const std::string& today, int64_t started_ms) {
    RunStart s;
    s.started_unix_ms = started_ms;
    s.today = today;
    s.version = "0.1.0";
    s.command_line = "dqaudit nightly";
    s.pid = getpid();
    s.host = HostName();
    return store.BeginRun(s).value();
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(DeliveriesStoreTest, MigratesAVersionThreeStore) {
  {
    auto db = SqliteDb::OpenReadWrite(path_, /*create=*/true);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA application_id=" + std::to_string(kHistoryApplicationId)).ok());
    for (int v = 1; v <= 3; ++v) ASSERT_TRUE((*db)->Exec(std::string(HistoryMigration(v))).ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version=3").ok());
  }
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ(kHistorySchemaVersion, 6);
  EXPECT_EQ(*(*store)->db().QueryNumber("PRAGMA user_version"), 6.0);
  EXPECT_EQ(*(*store)->db().QueryNumber(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('deliveries', "
                "'deliveries_by_source')"),
            2.0);
}

TEST_F(DeliveriesStoreTest, RecordsReadsBackAndLists) {
  auto opened = HistoryStore::Open(path_);
  ASSERT_TRUE(opened.ok());
  HistoryStore& store = **opened;
  const int64_t run1 = Begin(store, "2026-11-01", 1000);
  const int64_t run2 = Begin(store, "2026-11-02", 2000);
  DeliveryRow a{.run_id = run1, .source = "civil", .fingerprint = "f1", .file_time = 100,
                .newest_record = std::nullopt, .changed = true, .due_at = 90,
                .verdict = "late", .utc_offset_minutes = 420, .run_started_unix_ms = 0,
                .run_today = ""};
  ASSERT_TRUE(RecordDelivery(store, a).ok());
  DeliveryRow b = a;
  b.run_id = run2;
  b.newest_record = 50;
  b.changed = false;
  b.verdict = "missed";
  ASSERT_TRUE(RecordDelivery(store, b).ok());
  DeliveryRow other = a;
  other.source = "social";
  ASSERT_TRUE(RecordDelivery(store, other).ok());
  // One row per run and source.
  EXPECT_EQ(RecordDelivery(store, a).code(), StatusCode::kInvalidArgument);

  auto last = LastDeliveryRow(store, "civil", run2);
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->run_id, run1);
  EXPECT_EQ((*last)->fingerprint, "f1");
  EXPECT_EQ((*last)->file_time, 100);
  EXPECT_EQ((*last)->newest_record, std::nullopt);
  EXPECT_TRUE((*last)->changed);
  EXPECT_EQ((*last)->run_today, "2026-11-01");
  EXPECT_FALSE(LastDeliveryRow(store, "civil", run1)->has_value());

  auto civil = ListDeliveryRows(store, "civil", std::nullopt, std::nullopt);
  ASSERT_TRUE(civil.ok());
  ASSERT_EQ(civil->size(), 2u);
  EXPECT_EQ((*civil)[1].newest_record, 50);
  EXPECT_EQ((*civil)[1].verdict, "missed");
  EXPECT_EQ((*civil)[1].due_at, 90);
  EXPECT_EQ((*civil)[1].utc_offset_minutes, 420);
  EXPECT_EQ(ListDeliveryRows(store, "", std::nullopt, std::nullopt)->size(), 3u);
  EXPECT_EQ(ListDeliveryRows(store, "", 2000, std::nullopt)->size(), 1u);
  EXPECT_EQ(ListDeliveryRows(store, "", std::nullopt, run2)->size(), 2u);

  // Deleting a run deletes its rows.
  ASSERT_TRUE(store.db().Exec("DELETE FROM runs WHERE id = " + std::to_string(run1)).ok());
  EXPECT_EQ(ListDeliveryRows(store, "", std::nullopt, std::nullopt)->size(), 1u);
}

}  // namespace
}  // namespace dqa
