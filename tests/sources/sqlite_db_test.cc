// SqliteDb on real files: the guard around rule SQL (authorizer, connection settings, limits, time
// budget), the cause named by each open failure, and WAL sources read without leaving files.
#include "core/sources/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <thread>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::TempDir;
namespace fs = std::filesystem;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// A database with table t(id INTEGER PRIMARY KEY, v) of `rows` rows.
void MakeTable(const std::string& path, int rows, const std::string& journal_mode = "delete") {
  ExecSql(path, fmt::format("PRAGMA journal_mode={}; CREATE TABLE t(id INTEGER PRIMARY KEY, v);"
                            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                            "LIMIT {}) INSERT INTO t(v) SELECT printf('value %d', x) FROM c;",
                            journal_mode, rows));
}

// The error of preparing and running `sql` as rule SQL on a fresh read-only connection; "" when it
// ran.
std::string RuleSqlError(SqliteDb& db, const std::string& sql) {
  Result<Statement> stmt = db.PrepareQuery(sql);
  if (!stmt.ok()) return stmt.status().message();
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status().message();
    if (!*row) return "";
  }
}

std::unique_ptr<SqliteDb> OpenGuarded(const std::string& path,
                                      SqliteDb::OpenOptions options = {}) {
  auto db = SqliteDb::OpenReadOnly(path, options);
  EXPECT_TRUE(db.ok()) << db.status().message();
  return db.ok() ? std::move(db).value() : nullptr;
}

class SqlGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("source.db");
    MakeTable(path_, 100);
    db_ = OpenGuarded(path_);
    ASSERT_NE(db_, nullptr);
  }
  // The connection's value of a sqlite3_db_config on/off setting.
  int Setting(int op) const {
    int value = -1;
    sqlite3_db_config(db_->raw(), op, -1, &value);
    return value;
  }
  TempDir dir_;
  std::string path_;
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(SqlGuardTest, RefusesFts3TokenizerWhichHandsOutPointers) {
  // The one-argument form leaks a pointer; the two-argument form stores one that FTS later
  // dereferences (the SIGSEGV of issue 10 in the sqlite3 shell of this machine).
  EXPECT_EQ(RuleSqlError(*db_, "SELECT fts3_tokenizer('simple')"),
            "not allowed in rule SQL: function fts3_tokenizer() (in: SELECT "
            "fts3_tokenizer('simple'))");
  EXPECT_NE(RuleSqlError(*db_, "SELECT fts3_tokenizer('simple', x'4141414141414141')")
                .find("not allowed in rule SQL: function fts3_tokenizer()"),
            std::string::npos);
  // Nor through the connection's own setting, for code that does not go through the authorizer.
  EXPECT_EQ(Setting(SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER), 0);
}

TEST_F(SqlGuardTest, RefusesLoadExtension) {
  EXPECT_NE(RuleSqlError(*db_, "SELECT load_extension('x')")
                .find("not allowed in rule SQL: function load_extension()"),
            std::string::npos);
  EXPECT_EQ(Setting(SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION), 0);
}

TEST_F(SqlGuardTest, ConnectionIsDefensiveWithUntrustedSchema) {
  EXPECT_EQ(Setting(SQLITE_DBCONFIG_DEFENSIVE), 1);
  EXPECT_EQ(Setting(SQLITE_DBCONFIG_TRUSTED_SCHEMA), 0);
}

TEST_F(SqlGuardTest, RuleSqlCanCallThePureTextFunctions) {
  // TEXT is normalised; any other value comes back as it was, type included.
  auto stmt = db_->PrepareQuery(
      "SELECT dqa_nfc('Nguye' || char(770, 771) || 'n'), dqa_fold(' NGUY' || char(7876) || "
      "'N ' || char(12288) || char(9) || ' V' || char(258) || 'n  '), typeof(dqa_nfc(1)), "
      "dqa_fold(2.5), dqa_nfc(NULL) IS NULL, typeof(dqa_fold(x'41')), dqa_fold('Plain')");
  ASSERT_TRUE(stmt.ok()) << stmt.status().message();
  auto has_row = stmt->Step();
  ASSERT_TRUE(has_row.ok() && *has_row);
  EXPECT_EQ(stmt->ColumnText(0), "Nguy\u1EC5n");
  EXPECT_EQ(stmt->ColumnText(1), "nguy\u1EC5n v\u0103n");
  EXPECT_EQ(stmt->ColumnText(2), "integer");
  EXPECT_EQ(stmt->ColumnDouble(3), 2.5);
  EXPECT_EQ(stmt->ColumnInt(4), 1);
  EXPECT_EQ(stmt->ColumnText(5), "blob");
  EXPECT_EQ(stmt->ColumnText(6), "plain");
}

TEST_F(SqlGuardTest, RefusesAttachAndDetachButTheHostAttaches) {
  const std::string other = dir_.File("other.db");
  MakeTable(other, 7);
  EXPECT_EQ(RuleSqlError(*db_, "ATTACH " + QuoteLiteral(other) + " AS x").substr(0, 31),
            "not allowed in rule SQL: ATTACH");
  ASSERT_TRUE(db_->AttachReadOnly(other, "ref").ok());
  EXPECT_EQ(RuleSqlError(*db_, "SELECT count(*) FROM ref.t"), "");
  EXPECT_EQ(RuleSqlError(*db_, "DETACH ref").substr(0, 31), "not allowed in rule SQL: DETACH");
  // A second attach by rule SQL is over the limit too, even past the authorizer.
  EXPECT_EQ(sqlite3_limit(db_->raw(), SQLITE_LIMIT_ATTACHED, -1), 1);
}

TEST_F(SqlGuardTest, AllowsReadOnlyPragmasOnly) {
  EXPECT_NE(RuleSqlError(*db_, "PRAGMA writable_schema=1")
                .find("not allowed in rule SQL: PRAGMA writable_schema = 1"),
            std::string::npos);
  EXPECT_NE(RuleSqlError(*db_, "PRAGMA journal_mode=delete")
                .find("not allowed in rule SQL: PRAGMA journal_mode = delete"),
            std::string::npos);
  EXPECT_NE(RuleSqlError(*db_, "PRAGMA query_only=0").find("not allowed in rule SQL: PRAGMA"),
            std::string::npos);
  EXPECT_EQ(RuleSqlError(*db_, "PRAGMA table_info(t)"), "");
  EXPECT_EQ(RuleSqlError(*db_, "SELECT count(*) FROM pragma_table_info('t')"), "");
  EXPECT_EQ(RuleSqlError(*db_, "SELECT count(*) FROM pragma_index_list('t')"), "");
  EXPECT_EQ(RuleSqlError(*db_, "SELECT count(*) FROM json_each('[1,2]')"), "");
  auto n = db_->QueryNumber("SELECT count(*) FROM pragma_table_info('t')");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(**n, 2);
}

TEST_F(SqlGuardTest, RefusesWritesAndTransactionControl) {
  EXPECT_NE(RuleSqlError(*db_, "INSERT INTO t(v) VALUES (1)")
                .find("not allowed in rule SQL: writing to the database (INSERT (t)): it is "
                      "read-only"),
            std::string::npos);
  EXPECT_NE(RuleSqlError(*db_, "COMMIT").find("not allowed in rule SQL: COMMIT"), std::string::npos);
  EXPECT_NE(RuleSqlError(*db_, "BEGIN").find("not allowed in rule SQL: BEGIN"), std::string::npos);
  EXPECT_NE(RuleSqlError(*db_, "SAVEPOINT a").find("not allowed in rule SQL: SAVEPOINT"),
            std::string::npos);
  EXPECT_EQ(RuleSqlError(*db_, "SELECT 1; DELETE FROM t").substr(0, 36),
            "only one SQL statement is allowed, b");
  // The refusals left the connection usable.
  auto n = db_->QueryNumber("SELECT count(*) FROM t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(**n, 100);
}

TEST_F(SqlGuardTest, RefusesSqlOverTheLengthLimit) {
  std::string sql = "SELECT 1 WHERE 1 = 1";
  while (sql.size() < 2'000'000) sql += " AND 1 = 1";
  const std::string error = RuleSqlError(*db_, sql);
  EXPECT_NE(error.find("the SQL is longer than the limit of 1000000 bytes"), std::string::npos)
      << error.substr(0, 200);
}

TEST_F(SqlGuardTest, RefusesDeepNesting) {
  std::string chain = "1";
  for (int i = 0; i < 300; ++i) chain += " + 1";
  const std::string error = RuleSqlError(*db_, "SELECT " + chain);
  EXPECT_TRUE(StartsWith(error, "Expression tree is too large (maximum depth 250)"))
      << error.substr(0, 200);
  // Parentheses nest in SQLite's parser first: its own stack limit refuses them, no crash.
  std::string nested = "1";
  for (int i = 0; i < 300; ++i) nested = "(1 + " + nested + ")";
  EXPECT_TRUE(StartsWith(RuleSqlError(*db_, "SELECT " + nested), "parser stack overflow"));
  std::string compound = "SELECT 1";
  for (int i = 0; i < 60; ++i) compound += " UNION ALL SELECT 1";
  EXPECT_NE(RuleSqlError(*db_, compound).find("too many terms in compound SELECT"),
            std::string::npos);
}

TEST(SqlBudgetTest, StopsARecursiveCteThatNeverEnds) {
  TempDir dir;
  const std::string path = dir.File("source.db");
  MakeTable(path, 10);
  SqliteDb::OpenOptions options;
  options.statement_budget_ms = 200;
  auto db = OpenGuarded(path, options);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->BeginSnapshot().ok());
  const auto start = std::chrono::steady_clock::now();
  const std::string error = RuleSqlError(
      *db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(error.substr(0, 45), "statement exceeded its time budget of 0.2 s (");
  EXPECT_LT(seconds, 5.0);
  // The snapshot and the connection survive: the next check runs.
  auto n = db->QueryNumber("SELECT count(*) FROM t");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(**n, 10);
  EXPECT_TRUE(db->EndSnapshot().ok());
}

TEST(SqlBudgetTest, PerStepBudgetLetsALongStreamRunWholeBudgetDoesNot) {
  TempDir dir;
  const std::string path = dir.File("source.db");
  MakeTable(path, 400);
  SqliteDb::OpenOptions options;
  options.statement_budget_ms = 1000;
  auto db = OpenGuarded(path, options);
  ASSERT_NE(db, nullptr);
  // Each row waits 5 ms in a function of the test's own: 400 rows take at least 2 s in all, twice
  // the budget, and a step about 5 ms, far less, however busy the machine (a step that computed
  // instead once overran a budget of 500 ms under the sanitizers on a loaded machine). Each row
  // also counts 2,000 generated rows, so that SQLite's progress handler, which checks the budget
  // every 10,000 instructions, runs at every row.
  ASSERT_EQ(sqlite3_create_function(
                db->raw(), "test_wait_ms", 1, SQLITE_UTF8, nullptr,
                [](sqlite3_context* context, int, sqlite3_value** argv) {
                  std::this_thread::sleep_for(std::chrono::milliseconds(sqlite3_value_int(argv[0])));
                  sqlite3_result_int(context, 1);
                },
                nullptr, nullptr),
            SQLITE_OK);
  const std::string sql =
      "SELECT test_wait_ms(5) + (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
      "LIMIT 2000) SELECT count(*) FROM c WHERE x % 7 = id % 7) FROM t";
  for (StepBudget budget : {StepBudget::kPerStep, StepBudget::kWhole}) {
    auto stmt = db->Prepare(sql, budget);
    ASSERT_TRUE(stmt.ok());
    int rows = 0;
    std::string error;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) {
        error = row.status().message();
        break;
      }
      if (!*row) break;
      ++rows;
    }
    if (budget == StepBudget::kPerStep) {
      EXPECT_EQ(rows, 400);
      EXPECT_EQ(error, "");
    } else {
      EXPECT_LT(rows, 400);
      EXPECT_EQ(error.substr(0, 42), "statement exceeded its time budget of 1 s ");
    }
  }
}

// --- The process's SQLite set-up (ConfigureSqliteForProcess, called first in main).

// In a child (SQLite started afresh there): allocates through a connection with memory
// statistics on (`on`) or as ConfigureSqliteForProcess leaves them; exits 0 when SQLite counted
// the memory exactly when `on`.
void AllocateAndCount(bool on) {
  if (sqlite3_shutdown() != SQLITE_OK) _exit(3);
  if (on ? sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1) != SQLITE_OK : !ConfigureSqliteForProcess()) {
    _exit(4);
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) _exit(5);
  if (sqlite3_exec(db,
                   "CREATE TABLE t(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                   "FROM n WHERE i < 1000) INSERT INTO t SELECT printf('%0100d', i) FROM n",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    _exit(6);
  }
  const bool counted = sqlite3_memory_used() > 0 && sqlite3_memory_highwater(0) > 0;
  sqlite3_close(db);
  _exit(counted == on ? 0 : 1);
}

TEST(SqliteProcessTest, NoMemoryStatisticsSoNoAllocationTakesTheirProcessWideLock) {
  // The measure itself: with statistics on, the same allocations are counted.
  EXPECT_EXIT(AllocateAndCount(true), ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(AllocateAndCount(false), ::testing::ExitedWithCode(0), "");
  // Once SQLite has started, the set-up is refused (main calls it before any connection).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  EXPECT_FALSE(ConfigureSqliteForProcess());
  sqlite3_close(db);
}

// --- Open failures: each cause its own message, naming the file.

std::string OpenError(const std::string& path, SqliteDb::OpenOptions options = {}) {
  auto db = SqliteDb::OpenReadOnly(path, options);
  return db.ok() ? "" : db.status().message();
}

TEST(SqliteOpenTest, MissingFile) {
  TempDir dir;
  EXPECT_EQ(OpenError(dir.File("nope.db")), "database file does not exist: " + dir.File("nope.db"));
  auto db = SqliteDb::OpenReadOnly(dir.File("nope.db"));
  EXPECT_EQ(db.status().code(), StatusCode::kNotFound);
}

TEST(SqliteOpenTest, Directory) {
  TempDir dir;
  fs::create_directories(dir.File("folder.db"));
  EXPECT_EQ(OpenError(dir.File("folder.db")),
            dir.File("folder.db") + " is a directory, not a database file");
}

TEST(SqliteOpenTest, EmptyFile) {
  TempDir dir;
  WriteBytes(dir.File("empty.db"), "");
  EXPECT_EQ(OpenError(dir.File("empty.db")),
            dir.File("empty.db") + " is an empty file (0 bytes): no tables to check");
  EXPECT_EQ(Bytes(dir.File("empty.db")), "");
}

TEST(SqliteOpenTest, RandomBytesAndTruncatedHeaderAreNotADatabase) {
  TempDir dir;
  std::mt19937 gen(7);
  std::string noise(8192, '\0');
  for (char& c : noise) c = static_cast<char>(gen() & 0xff);
  WriteBytes(dir.File("noise.db"), noise);
  EXPECT_EQ(OpenError(dir.File("noise.db")),
            dir.File("noise.db") +
                " is not an SQLite database (its header is not an SQLite header: another kind "
                "of file, or a truncated one)");
  MakeTable(dir.File("whole.db"), 10);
  WriteBytes(dir.File("cut.db"), Bytes(dir.File("whole.db")).substr(0, 60));
  EXPECT_EQ(OpenError(dir.File("cut.db")),
            dir.File("cut.db") + " is not an SQLite database: 60 bytes, shorter than the "
                                 "100-byte SQLite header (truncated?)");
}

TEST(SqliteOpenTest, TruncatedCopySaysSo) {
  TempDir dir;
  MakeTable(dir.File("whole.db"), 3000);
  const std::string whole = Bytes(dir.File("whole.db"));
  WriteBytes(dir.File("cut.db"), whole.substr(0, 4096 + 1000));
  const std::string error = OpenError(dir.File("cut.db"));
  EXPECT_TRUE(StartsWith(error, dir.File("cut.db") + " is corrupted (")) << error;
  EXPECT_NE(error.find(fmt::format(", truncated: 5096 bytes where its header says {} pages of "
                                   "4096 bytes; PRAGMA quick_check says: ",
                                   whole.size() / 4096)),
            std::string::npos)
      << error;
}

TEST(SqliteOpenTest, CorruptedSchemaSaysWhatQuickCheckSays) {
  TempDir dir;
  const std::string path = dir.File("bad.db");
  MakeTable(path, 10);
  std::string bytes = Bytes(path);
  // Page 1 past the header holds sqlite_master's b-tree page: garble its cell pointers.
  for (size_t i = 108; i < 200; ++i) bytes[i] = static_cast<char>(0xA5);
  WriteBytes(path, bytes);
  const std::string error = OpenError(path);
  EXPECT_TRUE(StartsWith(error, path + " is corrupted (malformed database schema")) << error;
  EXPECT_NE(error.find("PRAGMA quick_check says: "), std::string::npos) << error;
}

TEST(SqliteOpenTest, CorruptedTablePageFailsTheReadNamingCorruption) {
  TempDir dir;
  const std::string path = dir.File("bad.db");
  MakeTable(path, 2000);
  std::string bytes = Bytes(path);
  for (size_t i = 4096 * 3; i < 4096 * 3 + 200; ++i) bytes[i] = static_cast<char>(0xA5);
  WriteBytes(path, bytes);
  auto db = OpenGuarded(path);
  ASSERT_NE(db, nullptr);
  const std::string error = RuleSqlError(*db, "SELECT sum(length(v)) FROM t");
  EXPECT_TRUE(StartsWith(error, "the database file is corrupted: database disk image is malformed"))
      << error;
}

TEST(SqliteOpenTest, HotJournalLeftByACrashedWriter) {
  TempDir dir;
  const std::string path = dir.File("crashed.db");
  MakeTable(path, 3000);
  const std::string before = Bytes(path);
  // A writer that dies in the middle of a transaction whose pages already reached the file.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto db = SqliteDb::OpenReadWrite(path, false);
    if (!db.ok()) _exit(2);
    if (!(*db)->Exec("PRAGMA cache_size=1; BEGIN; UPDATE t SET v = v || v;").ok()) _exit(3);
    _exit(0);  // no COMMIT, no close: the -journal stays hot
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_TRUE(fs::exists(path + "-journal"));
  const std::string error = OpenError(path);
  EXPECT_TRUE(StartsWith(error, path + " has a hot journal (" + path + "-journal): a writer crashed"))
      << error;
  EXPECT_NE(error.find("open the database once with a program that may write it"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(path + "-journal"));  // we never roll back
  EXPECT_NE(Bytes(path), before);              // the half-written file is as the writer left it
}

TEST(SqliteOpenTest, LockedByAWriter) {
  TempDir dir;
  const std::string path = dir.File("busy.db");
  MakeTable(path, 10);
  auto writer = SqliteDb::OpenReadWrite(path, false);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Exec("BEGIN EXCLUSIVE; UPDATE t SET v = 1").ok());
  SqliteDb::OpenOptions options;
  options.busy_timeout_ms = 200;
  const std::string error = OpenError(path, options);
  EXPECT_TRUE(StartsWith(error, path + " is locked by a writer: still busy after waiting 0.2 s"))
      << error;
  ASSERT_TRUE((*writer)->Exec("ROLLBACK").ok());
}

// Runs `fn` in a child process that has lost every capability (root without CAP_DAC_OVERRIDE
// obeys file modes, like the unprivileged service account of a real deployment); returns what
// `fn` returned, "" for success.
std::string WithoutCapabilities(const std::function<std::string()>& fn) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    std::string out;
    if (syscall(SYS_capset, &header, data) != 0) {
      out = "capset failed";
    } else {
      out = fn();
    }
    (void)!write(fds[1], out.data(), out.size());
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buf[512];
  ssize_t n = 0;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) return "child crashed";
  return out;
}

TEST(SqliteOpenTest, PermissionDenied) {
  TempDir dir;
  const std::string path = dir.File("secret.db");
  MakeTable(path, 10);
  chmod(path.c_str(), 0);
  EXPECT_EQ(WithoutCapabilities([&] { return OpenError(path); }),
            "permission denied: cannot read " + path);
}

// --- WAL sources: read whole, in any folder, leaving nothing behind.

std::string CountRows(const std::string& path) {
  auto db = SqliteDb::OpenReadOnly(path);
  if (!db.ok()) return db.status().message();
  if (Status s = (*db)->BeginSnapshot(); !s.ok()) return s.message();
  auto n = (*db)->QueryNumber("SELECT count(*) FROM t");
  if (!n.ok()) return n.status().message();
  if (Status s = (*db)->EndSnapshot(); !s.ok()) return s.message();
  return fmt::format("{} rows", **n);
}

TEST(WalSourceTest, ReadsWithoutLeavingWalOrShmFiles) {
  TempDir dir;
  const std::string path = dir.File("wal.db");
  MakeTable(path, 42, "wal");
  ASSERT_FALSE(fs::exists(path + "-wal"));
  const std::string before = Bytes(path);
  ASSERT_EQ(before[18], 2);  // a WAL database
  EXPECT_EQ(CountRows(path), "42 rows");
  EXPECT_FALSE(fs::exists(path + "-wal"));
  EXPECT_FALSE(fs::exists(path + "-shm"));
  EXPECT_EQ(Bytes(path), before);
}

TEST(WalSourceTest, ReadsInAReadOnlyFolder) {
  TempDir dir;
  fs::create_directories(dir.File("ro"));
  const std::string path = dir.File("ro/wal.db");
  MakeTable(path, 42, "wal");
  const std::string before = Bytes(path);
  chmod(dir.File("ro").c_str(), 0555);
  EXPECT_EQ(WithoutCapabilities([&] { return CountRows(path); }), "42 rows");
  chmod(dir.File("ro").c_str(), 0755);
  EXPECT_FALSE(fs::exists(path + "-wal"));
  EXPECT_FALSE(fs::exists(path + "-shm"));
  EXPECT_EQ(Bytes(path), before);
}

// A writer holds the database open in WAL mode: 42 committed rows in the file, 8 more committed in
// the -wal only, and an open transaction whose uncommitted pages spilled into the -wal too.
struct LiveWriter {
  explicit LiveWriter(const std::string& path) {
    MakeTable(path, 42, "wal");
    auto opened = SqliteDb::OpenReadWrite(path, false);
    EXPECT_TRUE(opened.ok());
    db = std::move(opened).value();
    EXPECT_TRUE(db->Exec("PRAGMA wal_autocheckpoint=0; INSERT INTO t(v) SELECT v FROM t LIMIT 8;"
                         "PRAGMA cache_size=2; BEGIN;"
                         "INSERT INTO t(v) SELECT randomblob(3000) FROM t;")
                    .ok());
  }
  ~LiveWriter() { (void)db->Exec("ROLLBACK"); }
  std::unique_ptr<SqliteDb> db;
};

TEST(WalSourceTest, LiveWritersCommittedStateIsRead) {
  TempDir dir;
  const std::string path = dir.File("live.db");
  LiveWriter writer(path);
  ASSERT_GT(fs::file_size(path + "-wal"), 8 * 4096u);  // uncommitted frames spilled
  const std::string before = Bytes(path);
  EXPECT_EQ(CountRows(path), "50 rows");
  EXPECT_EQ(Bytes(path), before);
}

TEST(WalSourceTest, LiveWritersCommittedStateIsReadInAReadOnlyFolder) {
  TempDir dir;
  fs::create_directories(dir.File("ro"));
  const std::string path = dir.File("ro/live.db");
  LiveWriter writer(path);
  const std::string before = Bytes(path);
  chmod(dir.File("ro").c_str(), 0555);
  // The -shm cannot be written: SQLite (3.22+) reads the WAL with a private index in heap memory.
  EXPECT_EQ(WithoutCapabilities([&] { return CountRows(path); }), "50 rows");
  chmod(dir.File("ro").c_str(), 0755);
  EXPECT_EQ(Bytes(path), before);
}

TEST(WalSourceTest, AWriterArrivingDuringTheSnapshotIsReported) {
  TempDir dir;
  const std::string path = dir.File("wal.db");
  MakeTable(path, 42, "wal");
  auto db = OpenGuarded(path);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->BeginSnapshot().ok());
  auto n = db->QueryNumber("SELECT count(*) FROM t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(**n, 42);
  ExecSql(path, "INSERT INTO t(v) VALUES ('late')");
  const Status end = db->EndSnapshot();
  EXPECT_TRUE(StartsWith(end.message(), "a writer opened " + path + " in WAL mode while it was "
                                         "being scanned"))
      << end.message();
}

}  // namespace
}  // namespace dqa
