#include "core/history/store.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace dqa {
namespace {

namespace fs = std::filesystem;

class HistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("dqa_history_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "audit.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<HistoryStore> OpenStore() {
    auto store = HistoryStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return std::move(store).value();
  }

  static RunStart Start(int64_t planned, int64_t pid = getpid(), std::string host = HostName()) {
    RunStart s;
    s.started_unix_ms = 1793500000123;
    s.today = "2026-11-01";
    s.version = "0.1.0";
    s.command_line = "dqaudit scan rules/demo";
    s.pid = pid;
    s.host = std::move(host);
    s.sources_planned = planned;
    return s;
  }

  static int64_t Count(HistoryStore& store, const std::string& sql) {
    auto n = store.db().QueryNumber(sql);
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() && n->has_value() ? static_cast<int64_t>(**n) : -1;
  }

  fs::path dir_;
  std::string path_;
};

CheckResult FullResult() {
  CheckResult r;
  r.id = "duplicate:cong_dan.so_cccd,ho_ten";
  r.type = "duplicate";
  r.source = "population";
  r.table = "cong_dan";
  r.columns = {"so_cccd", "ho_ten"};
  r.title = {{"vi", "Số CCCD và họ tên trùng"}, {"en", "Duplicate ID number and name"}};
  r.dimension = Dimension::kUniqueness;
  r.severity = Severity::kCritical;
  r.outcome = Outcome::kFail;
  r.violations = 17;
  r.rows_checked = 1234;
  r.percent = 100.0 * 17 / 1234;
  r.groups = 9;
  r.unparseable = 3;
  r.value = 0.1 + 0.2;
  r.thresholds.warn = {2, 0.25};
  r.thresholds.fail = {std::nullopt, 1.5};
  r.key_columns = {"id", "ma_xa"};
  r.samples = {{"7", "Xã Ân Nghĩa"}, {"12", "\"quoted\""}, {"40", ""}};
  r.message = "17 dòng trùng trong 9 nhóm";
  r.duration_ms = 12.375;
  r.indicators = {{.id = "ho_so_dung_han", .title = "Hồ sơ đúng hạn", .value = 100.0 / 3,
                   .target = 98.5, .direction = Direction::kHigher, .warn_within = 2,
                   .unit = "percent", .numerator = 1, .denominator = 3},
                  {.id = "khong_muc_tieu", .direction = Direction::kLower}};
  r.breakdowns = {{"ma_huyen", {{"815", 12, 400, 3.0, std::nullopt, "Thành phố Mỹ Tho"}, {"(không xác định)", 5, 34, 100.0 * 5 / 34, 2.5}}},
                  {"ma_xa", {{"28252", 12, 100, 12, std::nullopt}}}};
  return r;
}

CheckResult MinimalResult() {
  CheckResult r;
  r.id = "row_count:ho_so";
  r.type = "row_count";
  r.source = "one_stop";
  r.table = "ho_so";
  r.dimension = Dimension::kCompleteness;
  r.severity = Severity::kWarn;
  r.outcome = Outcome::kError;
  r.message = "database file not found: /nope.db";
  return r;
}

SourceResult MakeSource(const std::string& name, int checks, int samples_each) {
  SourceResult s;
  s.source = name;
  s.department = "Sở Tư pháp";
  s.database = "sqlite:" + name + ".db";
  s.started_unix_ms = 1793500000200;
  s.finished_unix_ms = 1793500000900;
  for (int i = 0; i < checks; ++i) {
    CheckResult r = FullResult();
    r.source = name;
    r.id = "check_" + std::to_string(i);
    r.samples.clear();
    for (int k = 0; k < samples_each; ++k) r.samples.push_back({std::to_string(k), "x"});
    s.results.push_back(r);
  }
  return s;
}

void ExpectSameResult(const CheckResult& a, const CheckResult& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.table, b.table);
  EXPECT_EQ(a.columns, b.columns);
  EXPECT_EQ(a.dimension, b.dimension);
  EXPECT_EQ(a.severity, b.severity);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.violations, b.violations);
  EXPECT_EQ(a.rows_checked, b.rows_checked);
  EXPECT_EQ(a.percent, b.percent);  // exact: REAL stores the same 64-bit double
  EXPECT_EQ(a.groups, b.groups);
  EXPECT_EQ(a.unparseable, b.unparseable);
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.thresholds, b.thresholds);
  EXPECT_EQ(a.key_columns, b.key_columns);
  EXPECT_EQ(a.samples, b.samples);
  EXPECT_EQ(a.message, b.message);
  EXPECT_EQ(a.duration_ms, b.duration_ms);
  EXPECT_EQ(a.indicators, b.indicators);
  EXPECT_EQ(a.breakdowns, b.breakdowns);
}

TEST_F(HistoryStoreTest, CreatesVersionedWalSchema) {
  auto store = OpenStore();
  EXPECT_EQ(Count(*store, "PRAGMA user_version"), kHistorySchemaVersion);
  EXPECT_EQ(Count(*store, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(Count(*store, "PRAGMA synchronous"), 2);  // FULL
  auto mode = store->db().Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(mode->Step().value());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  for (const char* table : {"runs", "sources", "check_results", "samples", "metrics"}) {
    EXPECT_EQ(Count(*store, std::string("SELECT COUNT(*) FROM sqlite_master WHERE type='table' "
                                        "AND name='") +
                                table + "'"),
              1)
        << table;
  }
  EXPECT_EQ(Count(*store,
                  "SELECT COUNT(*) FROM sqlite_master WHERE type='index' AND name IN "
                  "('check_results_by_run', 'check_results_by_check')"),
            2);
}

// Schema 4 adds the indicators table: a version-3 store with a result is migrated when opened
// for writing, and its results load with no indicators.
TEST_F(HistoryStoreTest, MigratesAVersionThreeStoreToIndicators) {
  int64_t run_id = 0;
  {
    auto store = OpenStore();
    run_id = store->BeginRun(Start(1)).value();
    SourceResult s = MakeSource("population", 0, 0);
    CheckResult r = FullResult();
    r.indicators.clear();
    s.results = {r};
    ASSERT_TRUE(store->RecordSource(run_id, s).ok());
    // A version-3 store: without the tables that version 4 added.
    ASSERT_TRUE(store->db()
                    .Exec("DROP TABLE indicators; DROP TABLE deliveries; DROP TABLE source_schemas; "
                          "DROP TABLE check_profiles; DROP TABLE breakdowns; "
                          "ALTER TABLE check_results DROP COLUMN message_key; "
                          "ALTER TABLE check_results DROP COLUMN message_args; "
                          "ALTER TABLE check_results DROP COLUMN title; PRAGMA user_version=3")
                    .ok());
  }
  auto store = OpenStore();
  EXPECT_EQ(Count(*store, "PRAGMA user_version"), kHistorySchemaVersion);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM sqlite_master WHERE name='indicators'"), 1);
  auto loaded = store->LoadRun(run_id);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->at(0).results.size(), 1u);
  EXPECT_TRUE(loaded->at(0).results[0].indicators.empty());
  EXPECT_NE(HistoryMigration(4).find("CREATE TABLE indicators"), std::string_view::npos);
}

// Migration 6 adds titles: a version-5 store's results load without one (reports then say the
// default sentence of the type), and results recorded after the migration keep theirs.
TEST_F(HistoryStoreTest, MigratesAVersionFiveStoreToTitles) {
  int64_t old_run = 0;
  {
    auto store = OpenStore();
    old_run = store->BeginRun(Start(1)).value();
    SourceResult s = MakeSource("population", 0, 0);
    s.results = {FullResult()};
    s.results[0].title.clear();
    ASSERT_TRUE(store->RecordSource(old_run, s).ok());
    ASSERT_TRUE(store->db()
                    .Exec("ALTER TABLE check_results DROP COLUMN title; "
                          "ALTER TABLE breakdowns DROP COLUMN label; PRAGMA user_version=5")
                    .ok());
  }
  auto store = OpenStore();
  EXPECT_EQ(Count(*store, "PRAGMA user_version"), 6);
  auto loaded = store->LoadRun(old_run);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(loaded->at(0).results.at(0).title.empty());
  const int64_t new_run = store->BeginRun(Start(2)).value();
  SourceResult s = MakeSource("population", 0, 0);
  s.results = {FullResult()};
  ASSERT_TRUE(store->RecordSource(new_run, s).ok());
  auto reloaded = store->LoadRun(new_run);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().message();
  EXPECT_EQ(reloaded->at(0).results.at(0).title, FullResult().title);
  EXPECT_EQ(HistoryMigration(6),
            "\nALTER TABLE check_results ADD COLUMN title TEXT;\n"
            "ALTER TABLE breakdowns ADD COLUMN label TEXT;\n");
}

// The run's start is committed with synchronous=NORMAL; the store is FULL again right after, so
// that every source is recorded durably (and with it the run's start, the log being synced in
// order), also when the start could not be committed.
TEST_F(HistoryStoreTest, BeginRunLeavesTheStoreFullySynced) {
  auto store = OpenStore();
  const int64_t run_id = store->BeginRun(Start(1)).value();
  EXPECT_EQ(Count(*store, "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM runs WHERE status = 'running'"), 1);
  // Another writer holds the store: the start fails (busy), and the store is FULL all the same.
  auto other = SqliteDb::OpenReadWrite(path_, false);
  ASSERT_TRUE(other.ok()) << other.status().message();
  ASSERT_TRUE((*other)->Exec("PRAGMA busy_timeout=0; BEGIN IMMEDIATE").ok());
  ASSERT_TRUE(store->db().Exec("PRAGMA busy_timeout=0").ok());
  EXPECT_FALSE(store->BeginRun(Start(1)).ok());
  ASSERT_TRUE((*other)->Exec("ROLLBACK").ok());
  EXPECT_EQ(Count(*store, "PRAGMA synchronous"), 2);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM runs"), 1);
  SourceResult s = MakeSource("population", 0, 0);
  s.results = {FullResult()};
  EXPECT_TRUE(store->RecordSource(run_id, s).ok());
}

// What goes with a source (its delivery, its schema) is written in the source's transaction; when
// it fails, what it wrote is rolled back, the source is kept, and its error comes back.
TEST_F(HistoryStoreTest, RecordSourceWritesWhatGoesWithItOrKeepsTheSourceAlone) {
  auto store = OpenStore();
  const int64_t run_id = store->BeginRun(Start(1)).value();
  const auto schema_row = [&](const std::string& source) -> Status {
    return store->db().Exec(fmt::format(
        "INSERT INTO source_schemas (run_id, source, since_run, schema) VALUES ({0}, '{1}', {0}, "
        "'{{\"tables\": []}}')",
        run_id, source));
  };
  SourceResult a = MakeSource("population", 0, 0);
  a.results = {FullResult()};
  ASSERT_TRUE(store->RecordSource(run_id, a, [&]() -> Status { return schema_row("population"); }).ok());
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM source_schemas WHERE source = 'population'"), 1);

  SourceResult b = MakeSource("civil", 0, 0);
  b.results = {FullResult()};
  const Status s = store->RecordSource(run_id, b, [&]() -> Status {
    DQA_RETURN_IF_ERROR(schema_row("civil"));
    return Internal("the delivery could not be judged");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(s.message(), "the delivery could not be judged");
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM source_schemas WHERE source = 'civil'"), 0);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM sources WHERE source = 'civil'"), 1);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM sources"), 2);
  // The store is out of any transaction: the next write goes through.
  EXPECT_TRUE(store->FinishRun(run_id, 0).ok());
}

// A title that is not a JSON object of texts is a corrupt store, said as such.
TEST_F(HistoryStoreTest, CorruptTitleIsAnInternalError) {
  auto store = OpenStore();
  const int64_t run_id = store->BeginRun(Start(1)).value();
  SourceResult s = MakeSource("population", 0, 0);
  s.results = {FullResult()};
  ASSERT_TRUE(store->RecordSource(run_id, s).ok());
  ASSERT_TRUE(store->db().Exec("UPDATE check_results SET title = '[\"vi\"]'").ok());
  auto loaded = store->LoadRun(run_id);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(std::string(loaded.status().message()), ::testing::HasSubstr("corrupt title"));
}

TEST_F(HistoryStoreTest, ReopeningKeepsData) {
  int64_t run_id = 0;
  {
    auto store = OpenStore();
    run_id = store->BeginRun(Start(1)).value();
  }
  auto store = OpenStore();
  EXPECT_EQ(store->GetRun(run_id)->status, "running");
  EXPECT_EQ(Count(*store, "PRAGMA user_version"), kHistorySchemaVersion);
}

TEST_F(HistoryStoreTest, RejectsNewerSchema) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->db().Exec("PRAGMA user_version=99").ok());
  }
  auto store = HistoryStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(store.status().message().find("schema version 99 is newer"), std::string::npos)
      << store.status().message();
}

// The whole file as bytes.
std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A SQLite database of another program at `path`, closed again; `sql` runs after `pragmas`.
void MakeDatabase(const std::string& path, const std::string& sql) {
  auto db = SqliteDb::OpenReadWrite(path, true);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->Exec(sql).ok()) << sql;
}

// Open and OpenReadOnly both refuse `path_` with a message containing `why`, leaving the file as
// it was and no -wal, -shm or -journal beside it.
void ExpectRefusedUntouched(const std::string& path, const std::string& why) {
  const std::string before = Bytes(path);
  for (bool read_only : {false, true}) {
    SCOPED_TRACE(read_only ? "OpenReadOnly" : "Open");
    auto store = read_only ? HistoryStore::OpenReadOnly(path) : HistoryStore::Open(path);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store.status().message(), path + " is not a dqaudit history store (" + why +
                                            "); it was left untouched: name another file");
  }
  EXPECT_EQ(Bytes(path), before);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    EXPECT_FALSE(fs::exists(path + suffix)) << suffix;
  }
}

TEST_F(HistoryStoreTest, NewStoreCarriesTheApplicationId) {
  auto store = OpenStore();
  EXPECT_EQ(Count(*store, "PRAGMA application_id"), kHistoryApplicationId);
  // In the main file's header (offset 68, big-endian), not only in the WAL.
  const std::string header = Bytes(path_).substr(68, 4);
  EXPECT_EQ(header, "DQA1");
}

TEST_F(HistoryStoreTest, RefusesAnotherProgramsDatabaseWithoutTouchingIt) {
  MakeDatabase(path_,
               "CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT);"
               "INSERT INTO patients VALUES (1, 'An');");
  ExpectRefusedUntouched(path_, "a SQLite database without dqaudit's tables");
}

TEST_F(HistoryStoreTest, RefusesAWalModeDatabaseWithoutCreatingWalOrShm) {
  MakeDatabase(path_, "PRAGMA journal_mode=WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  ASSERT_FALSE(fs::exists(path_ + "-wal"));  // checkpointed and removed on close
  ExpectRefusedUntouched(path_, "a SQLite database without dqaudit's tables");
}

TEST_F(HistoryStoreTest, RefusesADatabaseWithAnotherApplicationId) {
  MakeDatabase(path_, "PRAGMA application_id=1234; CREATE TABLE runs (id INTEGER);");
  ExpectRefusedUntouched(path_, "a SQLite database of another program: application_id 0x000004D2");
}

TEST_F(HistoryStoreTest, RefusesAFileThatIsNotSqlite) {
  std::ofstream(path_) << "source: population\ndatabase: sqlite:population.db\n";
  ExpectRefusedUntouched(path_, "not a SQLite database");
}

TEST_F(HistoryStoreTest, AdoptsAnEmptyFileAsANewStore) {
  std::ofstream(path_).close();
  ASSERT_EQ(fs::file_size(path_), 0u);
  auto store = OpenStore();
  EXPECT_EQ(Count(*store, "PRAGMA application_id"), kHistoryApplicationId);
  EXPECT_EQ(Count(*store, "PRAGMA user_version"), kHistorySchemaVersion);
}

TEST_F(HistoryStoreTest, AdoptsAStoreOfAnEarlierDqauditAndSetsItsId) {
  int64_t run_id = 0;
  {
    auto store = OpenStore();
    run_id = store->BeginRun(Start(1)).value();
    // Stores written before the application_id existed have 0 there.
    ASSERT_TRUE(store->db().Exec("PRAGMA application_id=0").ok());
  }
  ASSERT_EQ(Bytes(path_).substr(68, 4), std::string(4, '\0'));
  auto read_only = HistoryStore::OpenReadOnly(path_);
  ASSERT_TRUE(read_only.ok()) << read_only.status().message();
  read_only->reset();
  auto store = OpenStore();
  EXPECT_EQ(Count(*store, "PRAGMA application_id"), kHistoryApplicationId);
  EXPECT_EQ(store->GetRun(run_id)->status, "running");
}

// Migration 4 adds the breakdowns table: a store of schema 3 opened for writing gets it, its old
// results load without breakdowns, and new results keep theirs.
TEST_F(HistoryStoreTest, MigratesAVersionThreeStoreToBreakdowns) {
  {
    auto db = SqliteDb::OpenReadWrite(path_, true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("PRAGMA application_id=" + std::to_string(kHistoryApplicationId)).ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL").ok());
    for (int v = 1; v <= 3; ++v) ASSERT_TRUE((*db)->Exec(std::string(HistoryMigration(v))).ok()) << v;
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version=3").ok());
  }
  int64_t old_run = 0;
  {
    auto store = OpenStore();
    EXPECT_EQ(Count(*store, "PRAGMA user_version"), kHistorySchemaVersion);
    EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'breakdowns'"), 1);
    EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'breakdowns_by_unit'"), 1);
    old_run = store->BeginRun(Start(1)).value();
    SourceResult s = MakeSource("population", 1, 0);
    s.results[0].breakdowns.clear();
    ASSERT_TRUE(store->RecordSource(old_run, s).ok());
    SourceResult with = MakeSource("civil", 1, 0);
    ASSERT_TRUE(store->RecordSource(old_run, with).ok());
  }
  auto store = OpenStore();
  auto loaded = store->LoadRun(old_run);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_TRUE((*loaded)[0].results[0].breakdowns.empty());
  EXPECT_EQ((*loaded)[1].results[0].breakdowns, FullResult().breakdowns);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM breakdowns"), 3);
  // Rank order is kept: the unknown district is second.
  EXPECT_EQ(Count(*store, "SELECT ordinal FROM breakdowns WHERE unit = '(không xác định)'"), 1);
}

TEST_F(HistoryStoreTest, OpenWithoutCreateRequiresFile) {
  auto store = HistoryStore::Open(path_, /*create=*/false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(HistoryStoreTest, RoundTripsEveryField) {
  auto store = OpenStore();
  const int64_t run_id = store->BeginRun(Start(2)).value();
  SourceResult ok = MakeSource("population", 0, 0);
  ok.results = {FullResult(), MinimalResult()};
  ok.results[1].outcome = Outcome::kPass;
  ok.results[1].message = "";
  SourceResult bad;
  bad.source = "one_stop";
  bad.department = "Trung tâm Phục vụ hành chính công";
  bad.database = "sqlite:missing.db";
  bad.error = "database file not found: /nope.db";
  bad.started_unix_ms = 5;
  bad.finished_unix_ms = 6;
  bad.results = {MinimalResult()};
  ASSERT_TRUE(store->RecordSource(run_id, ok).ok());
  ASSERT_TRUE(store->RecordSource(run_id, bad).ok());

  auto loaded = store->LoadRun(run_id);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->size(), 2u);
  const std::vector<SourceResult> expected = {ok, bad};
  for (size_t i = 0; i < expected.size(); ++i) {
    const SourceResult& got = (*loaded)[i];
    EXPECT_EQ(got.source, expected[i].source);
    EXPECT_EQ(got.department, expected[i].department);
    EXPECT_EQ(got.database, expected[i].database);
    EXPECT_EQ(got.error, expected[i].error);
    EXPECT_EQ(got.started_unix_ms, expected[i].started_unix_ms);
    EXPECT_EQ(got.finished_unix_ms, expected[i].finished_unix_ms);
    ASSERT_EQ(got.results.size(), expected[i].results.size());
    for (size_t j = 0; j < got.results.size(); ++j) {
      SCOPED_TRACE(got.results[j].id);
      ExpectSameResult(got.results[j], expected[i].results[j]);
    }
  }
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM samples"), 3);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM sources WHERE status = 'error'"), 1);
}

TEST_F(HistoryStoreTest, FailingRowsAreKeptApartAndReadOnDemand) {
  auto store = OpenStore();
  const int64_t first = store->BeginRun(Start(2)).value();
  SourceResult population = MakeSource("population", 0, 0);
  CheckResult fuzzy = FullResult();
  fuzzy.id = "ho_ten_fuzzy";
  fuzzy.key_columns = {"id", "group", "matched_with", "probability", "agreement"};
  fuzzy.failing_rows = {{"7", "1", "12", "0.998", "ho_ten≈ ngay_sinh="},
                        {"12", "1", "7", "0.998", "ho_ten≈ ngay_sinh="},
                        {"40", "2", "41", "0.950", "ho_ten~ ngay_sinh= so_cccd?"}};
  fuzzy.failing_rows_total = 5;  // the list was cut
  population.results = {fuzzy, FullResult()};
  SourceResult other = MakeSource("civil", 0, 0);
  other.results = {FullResult()};
  ASSERT_TRUE(store->RecordSource(first, population).ok());
  ASSERT_TRUE(store->RecordSource(first, other).ok());

  // Not loaded with the run (reports do not need them) ...
  auto loaded = store->LoadRun(first);
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE((*loaded)[0].results[0].failing_rows.empty());
  // ... but on demand, whole.
  auto list = store->FailingRows(first, "ho_ten_fuzzy", "");
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_TRUE(list->complete_list);
  EXPECT_EQ(list->run_id, first);
  EXPECT_EQ(list->source, "population");
  EXPECT_EQ(list->columns, fuzzy.key_columns);
  EXPECT_EQ(list->rows, fuzzy.failing_rows);
  EXPECT_EQ(list->total, 5);

  // A check that keeps samples only gives its samples, said as such.
  auto samples = store->FailingRows(first, FullResult().id, "civil");
  ASSERT_TRUE(samples.ok()) << samples.status().message();
  EXPECT_FALSE(samples->complete_list);
  EXPECT_EQ(samples->rows, FullResult().samples);
  EXPECT_EQ(samples->violations, 17);
  // The same id on two sources needs --source; unknown ids and runs are NotFound.
  auto ambiguous = store->FailingRows(first, FullResult().id, "");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(ambiguous.status().message().find("population, civil"), std::string::npos)
      << ambiguous.status().message();
  const Status nope = store->FailingRows(first, "nope", "").status();
  EXPECT_EQ(nope.code(), StatusCode::kNotFound);
  EXPECT_EQ(nope.message(), "run 1 has no check 'nope'; its checks: " + FullResult().id +
                                ", ho_ten_fuzzy");
  EXPECT_EQ(store->FailingRows(first, "ho_ten_fuzzy", "civil").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store->FailingRows(first + 7, "ho_ten_fuzzy", "").status().code(),
            StatusCode::kNotFound);

  // A later run that carried the source over (nightly, unchanged database) reads the first run's.
  const int64_t second = store->BeginRun(Start(1)).value();
  SourceResult carried = population;
  carried.carried_from_run = first;
  for (CheckResult& r : carried.results) r.failing_rows.clear(), r.failing_rows_total = 0;
  ASSERT_TRUE(store->RecordSource(second, carried).ok());
  auto again = store->FailingRows(second, "ho_ten_fuzzy", "population");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->run_id, first);
  EXPECT_EQ(again->rows, fuzzy.failing_rows);

  // Deleting a run deletes its lists with it.
  ASSERT_TRUE(store->db().Exec("PRAGMA foreign_keys=ON; DELETE FROM runs").ok());
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM failing_rows"), 0);
}

TEST_F(HistoryStoreTest, OneCommitPerSource) {
  auto store = OpenStore();
  const int64_t run_id = store->BeginRun(Start(1)).value();
  int commits = 0;
  sqlite3_commit_hook(
      store->db().raw(),
      [](void* n) {
        ++*static_cast<int*>(n);
        return 0;
      },
      &commits);
  ASSERT_TRUE(store->RecordSource(run_id, MakeSource("civil", 25, 4)).ok());
  sqlite3_commit_hook(store->db().raw(), nullptr, nullptr);
  EXPECT_EQ(commits, 1);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM check_results"), 25);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM samples"), 100);
}

TEST_F(HistoryStoreTest, FailureMidSourceRecordsNothingOfIt) {
  auto store = OpenStore();
  const int64_t run_id = store->BeginRun(Start(2)).value();
  // Make the 4th check result of any source fail to insert.
  ASSERT_TRUE(store->db()
                  .Exec("CREATE TRIGGER boom BEFORE INSERT ON check_results "
                        "WHEN NEW.check_id = 'check_3' BEGIN SELECT RAISE(ABORT, 'boom'); END")
                  .ok());
  Status s = store->RecordSource(run_id, MakeSource("civil", 6, 2));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("boom"), std::string::npos) << s.message();
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM sources"), 0);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM check_results"), 0);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM samples"), 0);
  // The connection is usable again and the same source can be recorded once fixed.
  ASSERT_TRUE(store->RecordSource(run_id, MakeSource("civil", 3, 2)).ok());
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM check_results"), 3);
}

TEST_F(HistoryStoreTest, RejectsSourceRecordedTwiceAndUnknownRun) {
  auto store = OpenStore();
  const int64_t run_id = store->BeginRun(Start(1)).value();
  ASSERT_TRUE(store->RecordSource(run_id, MakeSource("civil", 2, 0)).ok());
  Status twice = store->RecordSource(run_id, MakeSource("civil", 2, 0));
  EXPECT_EQ(twice.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(twice.message().find("source civil is already recorded"), std::string::npos)
      << twice.message();
  EXPECT_EQ(store->RecordSource(run_id + 1, MakeSource("x", 1, 0)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM check_results"), 2);
  EXPECT_EQ(store->LoadRun(run_id + 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->FinishRun(run_id + 1, 0).code(), StatusCode::kNotFound);
}

TEST_F(HistoryStoreTest, FinishRunDecidesStatus) {
  struct Case {
    const char* name;
    int64_t planned;
    int ok_sources;
    int error_sources;
    const char* status;
  };
  const Case cases[] = {
      {"all scanned", 2, 2, 0, "complete"},      {"nothing planned", 0, 0, 0, "complete"},
      {"one source error", 2, 1, 1, "partial"},  {"one source never recorded", 2, 1, 0, "partial"},
      {"every source error", 2, 0, 2, "failed"}, {"nothing recorded", 3, 0, 0, "failed"},
  };
  auto store = OpenStore();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const int64_t run_id = store->BeginRun(Start(c.planned)).value();
    EXPECT_EQ(store->GetRun(run_id)->status, "running");
    int n = 0;
    for (int i = 0; i < c.ok_sources; ++i) {
      ASSERT_TRUE(store->RecordSource(run_id, MakeSource("s" + std::to_string(n++), 1, 0)).ok());
    }
    for (int i = 0; i < c.error_sources; ++i) {
      SourceResult s = MakeSource("s" + std::to_string(n++), 1, 0);
      s.error = "cannot open";
      ASSERT_TRUE(store->RecordSource(run_id, s).ok());
    }
    ASSERT_TRUE(store->FinishRun(run_id, 3).ok());
    RunRecord run = store->GetRun(run_id).value();
    EXPECT_EQ(run.status, c.status);
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_TRUE(run.finished_unix_ms.has_value());
    EXPECT_EQ(run.sources_recorded, c.ok_sources + c.error_sources);
    EXPECT_EQ(run.source_errors, c.error_sources);
  }
}

// The pid of a process that has exited and been reaped.
int64_t DeadPid() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

TEST_F(HistoryStoreTest, MarksRunsOfDeadProcessesInterrupted) {
  auto store = OpenStore();
  const int64_t dead = store->BeginRun(Start(1, DeadPid())).value();
  // Runs are only examined when a later run begins.
  EXPECT_EQ(store->GetRun(dead)->status, "running");
  const int64_t alive = store->BeginRun(Start(1, getpid())).value();
  EXPECT_EQ(store->GetRun(dead)->status, "interrupted");
  EXPECT_FALSE(store->GetRun(dead)->finished_unix_ms.has_value());
  const int64_t other_host = store->BeginRun(Start(1, DeadPid(), "another-host")).value();
  const int64_t finished = store->BeginRun(Start(0, DeadPid())).value();
  ASSERT_TRUE(store->FinishRun(finished, 0).ok());
  const int64_t next = store->BeginRun(Start(1)).value();
  EXPECT_EQ(store->GetRun(alive)->status, "running");
  EXPECT_EQ(store->GetRun(other_host)->status, "running");
  EXPECT_EQ(store->GetRun(finished)->status, "complete");
  EXPECT_EQ(store->GetRun(next)->status, "running");
}

TEST_F(HistoryStoreTest, ListRunsNewestFirstWithCounts) {
  auto store = OpenStore();
  std::vector<int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(store->BeginRun(Start(1)).value());
  SourceResult s = MakeSource("civil", 3, 1);
  s.results[0].outcome = Outcome::kPass;
  ASSERT_TRUE(store->RecordSource(ids[2], s).ok());
  ASSERT_TRUE(store->FinishRun(ids[2], 1).ok());
  auto runs = store->ListRuns(3);
  ASSERT_TRUE(runs.ok()) << runs.status().message();
  ASSERT_EQ(runs->size(), 3u);
  EXPECT_EQ((*runs)[0].id, ids[3]);
  EXPECT_EQ((*runs)[1].id, ids[2]);
  EXPECT_EQ((*runs)[2].id, ids[1]);
  const RunRecord& r = (*runs)[1];
  EXPECT_EQ(r.status, "complete");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.checks, 3);
  EXPECT_EQ(r.failed_checks, 2);
  EXPECT_EQ(r.sources_recorded, 1);
  EXPECT_EQ(r.today, "2026-11-01");
  EXPECT_EQ(r.command_line, "dqaudit scan rules/demo");
  EXPECT_EQ(r.host, HostName());
  EXPECT_EQ(r.started_unix_ms, 1793500000123);
  EXPECT_EQ((*runs)[0].status, "running");
  EXPECT_FALSE((*runs)[0].exit_code.has_value());
}

// A child process records sources as fast as it can and is killed with SIGKILL at an arbitrary
// moment. The store must pass integrity_check and every recorded source must be whole.
TEST_F(HistoryStoreTest, KillNineLeavesConsistentStore) {
  constexpr int kChecks = 40;
  constexpr int kSamples = 3;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    fs::remove(path_);
    fs::remove(path_ + "-wal");
    fs::remove(path_ + "-shm");
    { OpenStore(); }  // create the schema before forking
    pid_t child = fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
      auto store = HistoryStore::Open(path_);
      if (!store.ok()) _exit(10);
      auto run = (*store)->BeginRun(Start(1000000));
      if (!run.ok()) _exit(11);
      for (int i = 0;; ++i) {
        if (!(*store)
                 ->RecordSource(*run, MakeSource("s" + std::to_string(i), kChecks, kSamples))
                 .ok()) {
          _exit(12);
        }
      }
    }
    // Wait until a few sources are in, then kill at a moment that varies between rounds.
    auto store = OpenStore();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (Count(*store, "SELECT COUNT(*) FROM sources") < 3 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(7 * round + 3));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited with " << WEXITSTATUS(wstatus);
    store.reset();

    store = OpenStore();
    auto check = store->db().Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.ok());
    ASSERT_TRUE(check->Step().value());
    EXPECT_EQ(check->ColumnText(0), "ok");
    EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
    const int64_t sources = Count(*store, "SELECT COUNT(*) FROM sources");
    EXPECT_GE(sources, 3);
    EXPECT_EQ(Count(*store,
                    "SELECT COUNT(*) FROM sources s WHERE (SELECT COUNT(*) FROM "
                    "check_results c WHERE c.source_id = s.id) <> " +
                        std::to_string(kChecks)),
              0);
    EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM check_results"), sources * kChecks);
    EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM samples"), sources * kChecks * kSamples);
    auto runs = store->ListRuns(10).value();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].status, "running");
    auto loaded = store->LoadRun(runs[0].id);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    EXPECT_EQ(static_cast<int64_t>(loaded->size()), sources);
    // The next run notices that the killed one is gone.
    ASSERT_TRUE(store->BeginRun(Start(0)).ok());
    EXPECT_EQ(store->GetRun(runs[0].id)->status, "interrupted");
  }
}

}  // namespace
}  // namespace dqa
