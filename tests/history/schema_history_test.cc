// The schema history (core/history/schema_history.h): how two recorded schemas differ, and the
// source_schemas table of migration 4 (recorded, read back, kept by an older store migrating).
#include "core/history/schema_history.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace dqa {
namespace {

namespace fs = std::filesystem;

SourceSchema Schema(std::vector<SchemaTable> tables) { return SourceSchema{std::move(tables)}; }

const SchemaTable kCongDan = {"cong_dan",
                              {{"id", "INTEGER"}, {"ho_ten", "TEXT"}, {"ngay_sinh", "TEXT"}}};

TEST(CompareSchemasTest, SameSchemaHasNoChange) {
  EXPECT_TRUE(CompareSchemas(Schema({kCongDan}), Schema({kCongDan})).empty());
  // SQLite compares names and types without case: neither is a change.
  const SchemaTable upper = {"CONG_DAN",
                             {{"ID", "integer"}, {"Ho_Ten", "text"}, {"ngay_sinh", "Text"}}};
  EXPECT_TRUE(CompareSchemas(Schema({kCongDan}), Schema({upper})).empty());
}

TEST(CompareSchemasTest, ColumnAdded) {
  SchemaTable after = kCongDan;
  after.columns.push_back({"so_cccd", "TEXT"});
  EXPECT_EQ(CompareSchemas(Schema({kCongDan}), Schema({after})),
            (std::vector<std::string>{"column cong_dan.so_cccd added"}));
}

TEST(CompareSchemasTest, ColumnDropped) {
  SchemaTable after = kCongDan;
  after.columns.pop_back();
  EXPECT_EQ(CompareSchemas(Schema({kCongDan}), Schema({after})),
            (std::vector<std::string>{"column cong_dan.ngay_sinh dropped"}));
}

TEST(CompareSchemasTest, SamePositionAndTypeIsARename) {
  SchemaTable after = kCongDan;
  after.columns[1].name = "ho_va_ten";
  EXPECT_EQ(CompareSchemas(Schema({kCongDan}), Schema({after})),
            (std::vector<std::string>{"column cong_dan.ho_ten renamed to ho_va_ten"}));
}

TEST(CompareSchemasTest, AnotherTypeOrPositionIsADropAndAnAdd) {
  SchemaTable retyped = kCongDan;
  retyped.columns[1] = {"ho_va_ten", "BLOB"};
  EXPECT_EQ(CompareSchemas(Schema({kCongDan}), Schema({retyped})),
            (std::vector<std::string>{"column cong_dan.ho_ten dropped",
                                      "column cong_dan.ho_va_ten added"}));
  // ho_ten dropped at 1, ho_va_ten added at 2 (after ngay_sinh): not the same place.
  const SchemaTable moved = {"cong_dan",
                             {{"id", "INTEGER"}, {"ngay_sinh", "TEXT"}, {"ho_va_ten", "TEXT"}}};
  EXPECT_EQ(CompareSchemas(Schema({kCongDan}), Schema({moved})),
            (std::vector<std::string>{"column cong_dan.ho_ten dropped",
                                      "column cong_dan.ho_va_ten added"}));
}

TEST(CompareSchemasTest, ColumnRetyped) {
  SchemaTable after = kCongDan;
  after.columns[2].type = "DATE";
  after.columns[0].type = "";
  EXPECT_EQ(CompareSchemas(Schema({kCongDan}), Schema({after})),
            (std::vector<std::string>{"column cong_dan.id retyped from INTEGER to (none)",
                                      "column cong_dan.ngay_sinh retyped from TEXT to DATE"}));
}

TEST(CompareSchemasTest, TablesAddedAndDropped) {
  const SchemaTable ho = {"ho_khau", {{"id", "INTEGER"}}};
  const SchemaTable xa = {"dm_xa", {{"ma_xa", "TEXT"}}};
  EXPECT_EQ(CompareSchemas(Schema({kCongDan, ho}), Schema({xa, kCongDan})),
            (std::vector<std::string>{"table ho_khau dropped", "table dm_xa added"}));
}

TEST(SchemaJsonTest, RoundTripsAndRefusesWhatIsNotASchema) {
  const SourceSchema schema = Schema({kCongDan, {"empty_types", {{"x", ""}}}});
  const Result<SourceSchema> back = ParseSchemaJson(SchemaJson(schema));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, schema);
  const Result<SourceSchema> bad = ParseSchemaJson("{\"tables\": [{\"name\": 1}]}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("a recorded schema is not valid"), std::string::npos);
}

class SchemaHistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dqa_schema_history_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "audit.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static int64_t Begin(HistoryStore& store) {
    RunStart s;
    s.started_unix_ms = 1793500000123;
    s.today = "2026-11-01";
    s.version = "0.1.0";
    s.command_line = "dqaudit scan rules";
    s.pid = getpid();
    s.host = HostName();
    return store.BeginRun(s).value();
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(SchemaHistoryStoreTest, RecordsAndReadsTheLatestEarlierSchemaOfASource) {
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  const int64_t r1 = Begin(**store);
  const int64_t r2 = Begin(**store);
  const int64_t r3 = Begin(**store);
  SchemaTable changed = kCongDan;
  changed.columns.push_back({"so_cccd", "TEXT"});
  ASSERT_TRUE(RecordSchema(**store, "population", {r1, r1, Schema({kCongDan})}).ok());
  ASSERT_TRUE(RecordSchema(**store, "population", {r2, r2, Schema({changed})}).ok());
  ASSERT_TRUE(RecordSchema(**store, "civil", {r2, r1, Schema({})}).ok());

  auto none = LatestSchemaBefore(**store, "population", r1);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto latest = LatestSchemaBefore(**store, "population", r3);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->run_id, r2);
  EXPECT_EQ((*latest)->since_run, r2);
  EXPECT_EQ((*latest)->schema, Schema({changed}));
  auto first = SchemaOfRun(**store, "population", r1);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->schema, Schema({kCongDan}));
  auto civil = LatestSchemaBefore(**store, "civil", r3);
  ASSERT_TRUE(civil.ok() && civil->has_value());
  EXPECT_EQ((*civil)->since_run, r1);
}

TEST_F(SchemaHistoryStoreTest, AStoreOfVersionThreeMigratesAndKeepsItsRuns) {
  {
    auto db = SqliteDb::OpenReadWrite(path_, /*create=*/true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("PRAGMA application_id=" + std::to_string(kHistoryApplicationId)).ok());
    for (int v = 1; v <= 3; ++v) ASSERT_TRUE((*db)->Exec(std::string(HistoryMigration(v))).ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version=3").ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO runs (started_at, status, today, version, command_line, "
                            "pid, host, sources_planned) VALUES (1, 'complete', '2026-11-01', "
                            "'0.0.9', 'dqaudit scan rules', 1, 'h', 0)")
                    .ok());
  }
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto version = (*store)->db().QueryNumber("PRAGMA user_version");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(**version, kHistorySchemaVersion);
  EXPECT_EQ((*store)->ListRuns(10)->size(), 1u);
  auto none = LatestSchemaBefore(**store, "population", 100);
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(RecordSchema(**store, "population", {1, 1, Schema({kCongDan})}).ok());
  EXPECT_TRUE(LatestSchemaBefore(**store, "population", 2)->has_value());
}

}  // namespace
}  // namespace dqa
