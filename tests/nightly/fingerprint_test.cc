#include "core/nightly/fingerprint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/sources/sqlite_db.h"

namespace dqa::nightly {
namespace {

namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

CheckSpec Check(const std::string& type, const std::string& params, const std::string& where = "") {
  CheckSpec check;
  check.id = type + ":t";
  check.type = type;
  check.table = "t";
  check.params = nlohmann::json::parse(params);
  check.where = where;
  return check;
}

TableSpec TableOf(std::vector<CheckSpec> checks, const std::string& filter = "") {
  TableSpec table;
  table.name = "t";
  table.filter = filter;
  table.checks = std::move(checks);
  return table;
}

class FingerprintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("dqa_fingerprint_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_path_ = (dir_ / "people.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<SqliteDb> Create(const std::string& journal_mode) {
    auto db = SqliteDb::OpenReadWrite(db_path_, true);
    EXPECT_TRUE(db.ok()) << db.status().message();
    EXPECT_TRUE((*db)->Exec("PRAGMA journal_mode=" + journal_mode).ok());
    EXPECT_TRUE((*db)->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
                            "INSERT INTO t VALUES (1, 'a'), (2, 'b');")
                    .ok());
    return std::move(db).value();
  }

  SqliteFileIdentity Identity() {
    auto id = ReadSqliteFileIdentity(db_path_);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : SqliteFileIdentity{};
  }

  fs::path dir_;
  std::string db_path_;
};

TEST_F(FingerprintTest, ChangeCounterFollowsCommitsInRollbackMode) {
  auto db = Create("DELETE");
  const SqliteFileIdentity before = Identity();
  // CREATE TABLE and INSERT: two write transactions on a new file.
  EXPECT_EQ(before.change_counter, 2u);
  EXPECT_FALSE(before.wal.has_value());
  EXPECT_EQ(before.size, static_cast<int64_t>(fs::file_size(db_path_)));
  EXPECT_NE(before.inode, 0u);
  EXPECT_EQ(Identity().ToString(), before.ToString());  // stable while nothing changes

  ASSERT_TRUE(db->Exec("UPDATE t SET v = 'c' WHERE id = 1").ok());
  const SqliteFileIdentity after = Identity();
  EXPECT_EQ(after.change_counter, 3u);
  EXPECT_EQ(after.inode, before.inode);
  EXPECT_NE(after.ToString(), before.ToString());
}

TEST_F(FingerprintTest, WalCommitsChangeTheFingerprintBeforeACheckpoint) {
  auto db = Create("WAL");
  ASSERT_TRUE(db->Exec("PRAGMA wal_autocheckpoint=0").ok());
  ASSERT_TRUE(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  const SqliteFileIdentity before = Identity();
  ASSERT_TRUE(before.wal.has_value());
  EXPECT_EQ(before.wal->size, 0);
  EXPECT_FALSE(before.wal->checkpoint_sequence.has_value());  // an empty WAL has no header

  ASSERT_TRUE(db->Exec("UPDATE t SET v = 'c' WHERE id = 1").ok());
  const SqliteFileIdentity after = Identity();
  // The commit lives in the WAL only: the main file and its change counter are untouched.
  EXPECT_EQ(after.change_counter, before.change_counter);
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(after.mtime_ns, before.mtime_ns);
  ASSERT_TRUE(after.wal.has_value());
  EXPECT_GT(after.wal->size, 32);
  EXPECT_TRUE(after.wal->checkpoint_sequence.has_value());
  EXPECT_TRUE(after.wal->salts.has_value());
  EXPECT_NE(after.ToString(), before.ToString());

  ASSERT_TRUE(db->Exec("UPDATE t SET v = 'd' WHERE id = 2").ok());
  EXPECT_NE(Identity().ToString(), after.ToString());
}

TEST_F(FingerprintTest, ReadingChangesNothingAndCreatesNoFiles) {
  { auto db = Create("DELETE"); }
  const std::string bytes = ReadBytes(db_path_);
  const auto mtime = fs::last_write_time(db_path_);
  for (int i = 0; i < 3; ++i) (void)Identity();
  EXPECT_EQ(ReadBytes(db_path_), bytes);
  EXPECT_EQ(fs::last_write_time(db_path_), mtime);
  EXPECT_FALSE(fs::exists(db_path_ + "-wal"));
  EXPECT_FALSE(fs::exists(db_path_ + "-shm"));
  EXPECT_FALSE(fs::exists(db_path_ + "-journal"));
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) entries += e.is_regular_file();
  EXPECT_EQ(entries, 1u);
}

TEST_F(FingerprintTest, RejectsWhatIsNotAnSqliteFile) {
  auto missing = ReadSqliteFileIdentity((dir_ / "none.db").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  std::ofstream(dir_ / "text.db") << std::string(200, 'x');
  auto text = ReadSqliteFileIdentity((dir_ / "text.db").string());
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(text.status().message().find("not an SQLite database"), std::string::npos);

  std::ofstream(dir_ / "empty.db").close();  // SQLite treats an empty file as an empty database
  auto empty = ReadSqliteFileIdentity((dir_ / "empty.db").string());
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(empty->size, 0);
  EXPECT_EQ(empty->change_counter, 0u);
}

TEST_F(FingerprintTest, SourceFingerprintCoversAttachmentsRulesAndPinnedDay) {
  { auto db = Create("DELETE"); }
  const std::string other = (dir_ / "other.db").string();
  {
    auto db = SqliteDb::OpenReadWrite(other, true);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE u (x)").ok());
  }
  SourcePlan plan;
  plan.source.id = "people";
  plan.source.database = "sqlite:people.db";
  plan.source.db_path = db_path_;
  plan.attach_paths = {{"other", other}};
  plan.now_unix = 1793500000;
  auto fp = SourceFingerprint(plan, std::nullopt);
  ASSERT_TRUE(fp.ok()) << fp.status().message();
  EXPECT_EQ(fp->rfind("v1 plan=", 0), 0u) << *fp;
  EXPECT_NE(fp->find(" main=dev="), std::string::npos) << *fp;
  EXPECT_NE(fp->find(" attach.other=dev="), std::string::npos) << *fp;

  // The reference instant alone does not change it; the samples or the rules do, and a pinned day
  // does when a check reads it (PinnedDayCountsOnlyWhenACheckMayReadIt).
  SourcePlan later = plan;
  later.now_unix += 86400 * 3;
  later.today_day += 3;
  EXPECT_EQ(*SourceFingerprint(later, std::nullopt), *fp);
  SourcePlan stale = plan;
  stale.source.tables.push_back(TableOf({Check("stale", R"({"column": "v", "older_than": "30d"})")}));
  EXPECT_NE(*SourceFingerprint(stale, int64_t{20393}), *SourceFingerprint(stale, std::nullopt));
  SourcePlan samples = plan;
  samples.samples = 9;
  EXPECT_NE(*SourceFingerprint(samples, std::nullopt), *fp);
  SourcePlan department = plan;
  department.source.department = "Sở Tư pháp";
  EXPECT_NE(*SourceFingerprint(department, std::nullopt), *fp);

  // A change in the attached database changes the source's fingerprint.
  {
    auto db = SqliteDb::OpenReadWrite(other, false);
    ASSERT_TRUE((*db)->Exec("INSERT INTO u VALUES (1)").ok());
  }
  EXPECT_NE(*SourceFingerprint(plan, std::nullopt), *fp);

  SourcePlan postgres;
  postgres.source.database = "postgresql://audit@db/people";
  EXPECT_EQ(*SourceFingerprint(postgres, std::nullopt), "");

  fs::remove(other);
  auto gone = SourceFingerprint(plan, std::nullopt);
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.status().message().find("attached database other"), std::string::npos);
}

// A pinned day (--today, a rule file's `today:`) is part of the digest only when some check may
// read it: a night a day later carries over a source whose checks cannot change with the day.
TEST(PlanDigestTest, PinnedDayCountsOnlyWhenACheckMayReadIt) {
  const auto digests_differ = [](std::vector<TableSpec> tables) {
    SourcePlan plan;
    plan.source.id = "catalog";
    plan.source.tables = std::move(tables);
    const std::string day1 = PlanDigest(plan, int64_t{20393});
    const std::string day2 = PlanDigest(plan, int64_t{20394});
    const std::string unpinned = PlanDigest(plan, std::nullopt);
    EXPECT_EQ(day1 != day2, PlanReadsReferenceDay(plan));
    EXPECT_EQ(day1 != unpinned, PlanReadsReferenceDay(plan));
    return day1 != day2;
  };
  // Checks that never read the day: the day moves, the digest does not.
  EXPECT_FALSE(digests_differ({}));
  EXPECT_FALSE(digests_differ({TableOf({Check("missing", R"({})"),
                                        Check("duplicate", R"({})"),
                                        Check("pattern", R"({"column": "v", "regex": "^[0-9]{5}$"})"),
                                        Check("row_count", R"({"min": 100})")})}));
  // Types that read it, whatever their parameters.
  EXPECT_TRUE(digests_differ({TableOf({Check("stale", R"({"column": "d", "older_than": "30d"})")})}));
  EXPECT_TRUE(digests_differ({TableOf({Check("freshness", R"({"column": "d", "max_age": "2d"})")})}));
  EXPECT_TRUE(digests_differ({TableOf({Check("range", R"({"column": "n", "min": 0})")})}));
  EXPECT_TRUE(digests_differ(
      {TableOf({Check("metric", R"({"column": "d", "stat": "max", "max": "today"})")})}));
  // One such check among others is enough.
  EXPECT_TRUE(digests_differ({TableOf({Check("missing", R"({})")}),
                              TableOf({Check("stale", R"({"column": "d", "older_than": "1y"})")})}));
  // A plugin's type (here not even loaded) and an unknown type may read it.
  EXPECT_TRUE(digests_differ({TableOf({Check("population.birth_date", R"({})")})}));
  EXPECT_TRUE(digests_differ({TableOf({Check("no_such_type", R"({})")})}));
  // SQL that may read the clock: a check's `where`, the table's filter, a parameter.
  EXPECT_TRUE(digests_differ({TableOf({Check("missing", R"({})", "d > date('now', '-1 year')")})}));
  EXPECT_TRUE(digests_differ({TableOf({Check("missing", R"({})")}, "created <= CURRENT_DATE")}));
  EXPECT_TRUE(digests_differ(
      {TableOf({Check("condition", R"({"invalid_when": "julianday() - julianday(d) > 30"})")})}));
  EXPECT_FALSE(digests_differ(
      {TableOf({Check("condition", R"({"invalid_when": "length(v) <> 5"})")}, "status = 'active'")}));
  EXPECT_FALSE(digests_differ(
      {TableOf({Check("indicator", R"j({"numerator": "date(tra) <= date(hen)", "target": 0.9})j")})}));
  // A parameter that names today (generous: any text that says it).
  EXPECT_TRUE(digests_differ({TableOf({Check("pattern", R"({"column": "v", "regex": "today"})")})}));
}

}  // namespace
}  // namespace dqa::nightly
