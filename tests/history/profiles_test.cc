// Check profiles in the history store (core/history/profiles.h, migration 4): recorded with a
// result, read back with the run (so a carried-over source keeps its profile), and read as a drift
// baseline newest first without counting carried copies twice.
#include "core/history/profiles.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace dqa {
namespace {

namespace fs = std::filesystem;

class CheckProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dqa_profiles_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = HistoryStore::Open((dir_ / "audit.db").string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // Records one run of source "population" with check "drift_ngay_sinh" holding `profile`.
  int64_t Record(const std::string& profile, std::optional<int64_t> carried_from = std::nullopt) {
    RunStart start;
    start.started_unix_ms = 1793500000000;
    start.today = "2026-11-01";
    start.version = "test";
    start.command_line = "dqaudit scan";
    start.pid = getpid();
    start.host = HostName();
    start.sources_planned = 1;
    const int64_t run = store_->BeginRun(start).value();
    SourceResult s;
    s.source = "population";
    s.department = "Công an tỉnh";
    s.database = "sqlite:population.db";
    s.carried_from_run = carried_from;
    CheckResult r;
    r.id = "drift_ngay_sinh";
    r.type = "drift";
    r.source = "population";
    r.table = "cong_dan";
    r.profile = profile;
    s.results.push_back(r);
    CheckResult other = r;
    other.id = "row_count:cong_dan";
    other.profile.clear();
    s.results.push_back(other);
    EXPECT_TRUE(store_->RecordSource(run, s).ok());
    EXPECT_TRUE(store_->FinishRun(run, 0).ok());
    return run;
  }

  fs::path dir_;
  std::unique_ptr<HistoryStore> store_;
};

TEST_F(CheckProfilesTest, AResultKeepsItsProfileAndACarriedCopyIsNotCountedTwice) {
  const int64_t first = Record(R"({"rows":10})");
  const int64_t carried = Record(R"({"rows":10})", first);  // nightly: source unchanged
  Record(R"({"rows":12})");
  const int64_t now = Record(R"({"rows":13})");

  // LoadRun gives the profile back, carried copy included; results without one have none.
  const std::vector<SourceResult> loaded = store_->LoadRun(carried).value();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].results[0].profile, R"({"rows":10})");
  EXPECT_EQ(loaded[0].results[1].profile, "");
  EXPECT_EQ(store_->db().QueryNumber("SELECT COUNT(*) FROM check_profiles").value(), 4.0);

  // Before the current run: newest first, the carried copy skipped, at most `limit`.
  EXPECT_EQ(EarlierProfiles(*store_, now, "population", "drift_ngay_sinh", 7).value(),
            (std::vector<std::string>{R"({"rows":12})", R"({"rows":10})"}));
  EXPECT_EQ(EarlierProfiles(*store_, now, "population", "drift_ngay_sinh", 1).value(),
            (std::vector<std::string>{R"({"rows":12})"}));
  EXPECT_TRUE(EarlierProfiles(*store_, first, "population", "drift_ngay_sinh", 7)->empty());
  EXPECT_TRUE(EarlierProfiles(*store_, now, "social", "drift_ngay_sinh", 7)->empty());
}

TEST_F(CheckProfilesTest, MigrationFourAddsTheTable) {
  EXPECT_EQ(kHistorySchemaVersion, 6);
  EXPECT_NE(HistoryMigration(4).find("CREATE TABLE check_profiles"), std::string_view::npos);
  EXPECT_EQ(store_->db()
                .QueryNumber("SELECT COUNT(*) FROM sqlite_master WHERE name = 'check_profiles'")
                .value(),
            1.0);
}

TEST(CheckProfilesMigrationTest, AVersionThreeStoreGainsCheckProfiles) {
  const fs::path dir = fs::temp_directory_path() / ("dqa_profiles_v3_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "audit.db").string();
  {
    auto db = SqliteDb::OpenReadWrite(path, true);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA application_id=" + std::to_string(kHistoryApplicationId)).ok());
    for (int v = 1; v <= 3; ++v) ASSERT_TRUE((*db)->Exec(std::string(HistoryMigration(v))).ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version=3").ok());
  }
  {
    auto store = HistoryStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ((*store)->db().QueryNumber("PRAGMA user_version").value(), 6.0);
    EXPECT_EQ((*store)->db()
                  .QueryNumber("SELECT COUNT(*) FROM sqlite_master WHERE name = 'check_profiles'")
                  .value(),
              1.0);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dqa
