// PgDb against a real PostgreSQL server (tests/pg_test_support.h): connection, snapshot, type
// mapping, streaming, binding, every fault with its message, read-only, RedactDsn, schema=.
#include "core/sources/pg_db.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "tests/pg_test_support.h"

namespace dqa {
namespace {

using testing::PgAdminExec;
using testing::PgTestDatabase;
using testing::TestPg;

std::unique_ptr<PgDb> OpenOrFail(const std::string& dsn, const PgConnectOptions& options = {}) {
  Result<std::unique_ptr<PgDb>> db = PgDb::Open(dsn, options);
  EXPECT_TRUE(db.ok()) << db.status().message();
  return db.ok() ? std::move(db).value() : nullptr;
}

// All rows of column 0 of `sql` as text forms.
std::vector<std::string> Column0(PgDb& db, const std::string& sql) {
  std::vector<std::string> out;
  Result<PgStatement> statement = db.PrepareNative(sql);
  EXPECT_TRUE(statement.ok()) << statement.status().message();
  if (!statement.ok()) return out;
  while (true) {
    Result<bool> row = statement->Step();
    EXPECT_TRUE(row.ok()) << row.status().message();
    if (!row.ok() || !*row) break;
    out.push_back(TextFormCopy(statement->ReadValue(0)));
  }
  return out;
}

TEST(PgDbTest, OpensReadsEveryTypeInOneSnapshot) {
  PgTestDatabase pg(
      "CREATE TABLE t (i2 int2, i4 int4, i8 int8, b bool, f4 float4, f8 float8, n_int numeric, "
      "n_frac numeric(10,3), n_big numeric, tx text, vc varchar(5), bp char(4), nm name, d date, "
      "ts timestamp, tsf timestamp, tz timestamptz, by bytea, nu int4);"
      "SET TimeZone = 'Asia/Ho_Chi_Minh';"
      "INSERT INTO t VALUES (-7, 2147483647, 9007199254740993, true, 1.5, 0.1, 12.000, 3.250, "
      "123456789012345678901234567890, 'Nguyễn Văn A', 'abc', 'ab', 'nm', '2024-02-29', "
      "'2024-01-02 03:04:05', '2024-01-02 03:04:05.123456', '2024-01-02 07:00:00+07', "
      "'\\x00ff41'::bytea, NULL)");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->BeginSnapshot().ok());
  Result<PgStatement> s = db->PrepareNative("SELECT * FROM t");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->ColumnCount(), 19);
  EXPECT_EQ(s->ColumnName(0), "i2");
  Result<bool> row = s->Step();
  ASSERT_TRUE(row.ok() && *row) << row.status().message();
  using T = Value::Type;
  const auto integer = [&](int i, int64_t v) {
    const Value value = s->ReadValue(i);
    EXPECT_EQ(value.type, T::kInteger) << s->ColumnName(i);
    EXPECT_EQ(value.integer, v) << s->ColumnName(i);
  };
  const auto real = [&](int i, double v) {
    const Value value = s->ReadValue(i);
    EXPECT_EQ(value.type, T::kReal) << s->ColumnName(i);
    EXPECT_EQ(value.real, v) << s->ColumnName(i);
  };
  const auto text = [&](int i, std::string_view v) {
    const Value value = s->ReadValue(i);
    EXPECT_EQ(value.type, T::kText) << s->ColumnName(i);
    EXPECT_EQ(value.bytes, v) << s->ColumnName(i);
  };
  integer(0, -7);
  integer(1, 2147483647);
  integer(2, 9007199254740993);
  integer(3, 1);
  real(4, 1.5);
  real(5, 0.1);
  integer(6, 12);
  real(7, 3.25);
  real(8, 1.2345678901234568e29);
  text(9, "Nguyễn Văn A");
  text(10, "abc");
  text(11, "ab  ");
  text(12, "nm");
  text(13, "2024-02-29");
  text(14, "2024-01-02 03:04:05");
  text(15, "2024-01-02 03:04:05.123456");
  text(16, "2024-01-02 00:00:00+00:00");
  const Value blob = s->ReadValue(17);
  EXPECT_EQ(blob.type, T::kBlob);
  EXPECT_EQ(blob.bytes, std::string_view("\x00\xff" "A", 3));
  EXPECT_TRUE(s->IsNull(18));
  EXPECT_EQ(s->ReadValue(18).type, T::kNull);
  EXPECT_EQ(s->ColumnInt(1), 2147483647);
  EXPECT_EQ(s->ColumnDouble(7), 3.25);
  EXPECT_EQ(s->ColumnText(9), "Nguyễn Văn A");
  row = s->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
  EXPECT_TRUE(db->EndSnapshot().ok());
}

TEST(PgDbTest, SnapshotDoesNotSeeLaterCommits) {
  PgTestDatabase pg("CREATE TABLE t (x int); INSERT INTO t VALUES (1)");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->BeginSnapshot().ok());
  EXPECT_EQ(*db->QueryNumber("SELECT count(*) FROM t"), std::optional<double>(1));
  pg.Exec("INSERT INTO t VALUES (2)");
  EXPECT_EQ(*db->QueryNumber("SELECT count(*) FROM t"), std::optional<double>(1));
  ASSERT_TRUE(db->EndSnapshot().ok());
  EXPECT_EQ(*db->QueryNumber("SELECT count(*) FROM t"), std::optional<double>(2));
}

TEST(PgDbTest, StreamsAHundredThousandRows) {
  PgTestDatabase pg(
      "CREATE TABLE big AS SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 100000) g");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->BeginSnapshot().ok());
  const auto start = std::chrono::steady_clock::now();
  Result<PgStatement> s = db->PrepareNative("SELECT id, label FROM big ORDER BY id");
  ASSERT_TRUE(s.ok());
  int64_t rows = 0;
  int64_t sum = 0;
  bool labels_match = true;
  while (true) {
    Result<bool> row = s->Step();
    ASSERT_TRUE(row.ok()) << row.status().message();
    if (!*row) break;
    ++rows;
    sum += s->ColumnInt(0);
    labels_match = labels_match && s->ColumnText(1) == fmt::format("row {}", s->ColumnInt(0));
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start).count();
  RecordProperty("stream_ms", static_cast<int>(ms));
  EXPECT_EQ(rows, 100000);
  EXPECT_EQ(sum, int64_t{100000} * 100001 / 2);
  EXPECT_TRUE(labels_match);
}

// Leaving a big result half read must not read the rest of it (Reset cancels it on the server),
// and while one statement streams the connection refuses to start another.
TEST(PgDbTest, ResetStopsAStreamAndOneStreamRunsAtATimeOutsideTheSnapshot) {
  PgTestDatabase pg("CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 3000000) g");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  Result<PgStatement> s = db->PrepareNative("SELECT id FROM big ORDER BY id");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->ColumnInt(0), 1);
  const Result<std::optional<double>> nested = db->QueryNumber("SELECT 1");
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.status().code(), StatusCode::kInternal);
  EXPECT_NE(nested.status().message().find("a statement is still streaming its result"),
            std::string::npos)
      << nested.status().message();
  ASSERT_TRUE(s->Reset().ok());
  EXPECT_EQ(*db->QueryNumber("SELECT count(*) FROM big WHERE id <= 10"), std::optional<double>(10));
  // The statement runs again from the start after Reset.
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->ColumnInt(0), 1);
  ASSERT_TRUE(s->Reset().ok());
}

// Inside the snapshot results stream through cursors in batches: a query can run while another
// streams (a plugin's query during the table scan), a failing one leaves the other streaming, and
// Reset closes the cursor.
TEST(PgDbTest, StatementsNestInsideTheSnapshot) {
  PgTestDatabase pg("CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 10000) g");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->BeginSnapshot().ok());
  Result<PgStatement> s = db->PrepareNative("SELECT id FROM big ORDER BY id");
  ASSERT_TRUE(s.ok());
  int64_t rows = 0;
  int64_t sum = 0;
  while (true) {
    Result<bool> row = s->Step();
    ASSERT_TRUE(row.ok()) << row.status().message();
    if (!*row) break;
    ++rows;
    sum += s->ColumnInt(0);
    if (rows == 5000) {
      EXPECT_EQ(*db->QueryNumber("SELECT count(*) FROM big WHERE id <= 10"),
                std::optional<double>(10));
      const Result<std::optional<double>> bad = db->QueryNumber("SELECT 1 / (id - id) FROM big");
      EXPECT_FALSE(bad.ok());
      EXPECT_NE(bad.status().message().find("division by zero"), std::string::npos)
          << bad.status().message();
    }
  }
  EXPECT_EQ(rows, 10000);
  EXPECT_EQ(sum, int64_t{10000} * 10001 / 2);
  ASSERT_TRUE(s->Reset().ok());
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->ColumnInt(0), 1);
  ASSERT_TRUE(s->Reset().ok());
  EXPECT_TRUE(db->EndSnapshot().ok());
}

TEST(PgDbTest, BindsParametersNeverSplicing) {
  PgTestDatabase pg("CREATE TABLE p (name text, n int8, x float8);"
                    "INSERT INTO p VALUES ('a''b; DROP TABLE p', 5, 0.5), ('c', NULL, 2)");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  Result<PgStatement> s = db->PrepareNative("SELECT count(*) FROM p WHERE name = $1 OR n = $2 OR x = $3");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE(s->Bind(1, std::string_view("a'b; DROP TABLE p")).ok());
  ASSERT_TRUE(s->Bind(2, int64_t{-1}).ok());
  ASSERT_TRUE(s->Bind(3, 9.0).ok());
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->ColumnInt(0), 1);
  ASSERT_TRUE(s->Reset().ok());
  ASSERT_TRUE(s->Bind(1, std::string_view("zz")).ok());
  ASSERT_TRUE(s->Bind(2, int64_t{5}).ok());
  ASSERT_TRUE(s->Bind(3, 2.0).ok());
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->ColumnInt(0), 2);
  ASSERT_TRUE(s->Reset().ok());
  ASSERT_TRUE(s->BindNull(1).ok());
  ASSERT_TRUE(s->BindNull(2).ok());
  ASSERT_TRUE(s->BindNull(3).ok());
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->ColumnInt(0), 0);
  const Status out_of_range = s->Bind(4, int64_t{1});
  EXPECT_EQ(out_of_range.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out_of_range.message().find("bind index 4 out of range: the statement has 3"),
            std::string::npos);
}

TEST(PgDbTest, SetsApplicationNameAndSessionSettings) {
  PgTestDatabase pg;
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Column0(*db, "SELECT current_setting('application_name')"),
            std::vector<std::string>{"dqaudit"});
  EXPECT_EQ(Column0(*db, "SELECT current_setting('TimeZone')"), std::vector<std::string>{"UTC"});
  EXPECT_EQ(Column0(*db, "SELECT current_setting('default_transaction_read_only')"),
            std::vector<std::string>{"on"});
  EXPECT_EQ(Column0(*db, "SELECT current_setting('statement_timeout')"),
            std::vector<std::string>{"1min"});
  auto named = OpenOrFail(pg.Uri() + "&application_name=auditor");
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(Column0(*named, "SELECT current_setting('application_name')"),
            std::vector<std::string>{"auditor"});
}

TEST(PgDbTest, WritesAreRefused) {
  PgTestDatabase pg("CREATE TABLE t (x int)");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  const Status insert = db->Exec("INSERT INTO t VALUES (1)");
  EXPECT_FALSE(insert.ok());
  EXPECT_NE(insert.message().find("not allowed in rule SQL: writing to the database (cannot "
                                  "execute INSERT in a read-only transaction)"),
            std::string::npos)
      << insert.message();
  ASSERT_TRUE(db->BeginSnapshot().ok());
  Result<PgStatement> s = db->PrepareNative("INSERT INTO t VALUES (2)");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_FALSE(s->Step().ok());
  ASSERT_TRUE(db->EndSnapshot().ok());
  EXPECT_EQ(*db->QueryNumber("SELECT count(*) FROM t"), std::optional<double>(0));
}

TEST(PgDbTest, ConnectionRefusedWhenNoServerListens) {
  const std::filesystem::path empty = std::filesystem::temp_directory_path() /
                                      fmt::format("dqa_pg_none_{}", getpid());
  std::filesystem::create_directories(empty);
  Result<std::unique_ptr<PgDb>> db =
      PgDb::Open(fmt::format("postgresql://u:hunter2@/db?host={}&port=5999", empty.string()));
  std::filesystem::remove_all(empty);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kIoError);
  const std::string m = db.status().message();
  EXPECT_TRUE(m.starts_with(fmt::format("cannot connect to postgresql://u:***@/db?host={}&port=5999: "
                                        "connection refused",
                                        empty.string())))
      << m;
  EXPECT_EQ(m.find("hunter2"), std::string::npos);
}

TEST(PgDbTest, AuthenticationFailureNamesTheUser) {
  PgTestDatabase pg;
  const auto& server = TestPg();
  setenv("PGPASSWORD", "wrong-password", 1);
  Result<std::unique_ptr<PgDb>> db = PgDb::Open(pg.Uri(server.password_role));
  EXPECT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("password authentication failed for user \"dqa_pw\""),
            std::string::npos)
      << db.status().message();
  setenv("PGPASSWORD", server.password.c_str(), 1);
  auto right = OpenOrFail(pg.Uri(server.password_role));
  unsetenv("PGPASSWORD");
  EXPECT_NE(right, nullptr);
  // A password in the URI itself is never echoed.
  Result<std::unique_ptr<PgDb>> inline_pw = PgDb::Open(fmt::format(
      "postgresql://{}:s3cr%40t@/{}?host={}&port={}", server.password_role, pg.name(),
      server.socket_dir, server.port));
  ASSERT_FALSE(inline_pw.ok());
  EXPECT_NE(inline_pw.status().message().find("postgresql://dqa_pw:***@/"), std::string::npos)
      << inline_pw.status().message();
  EXPECT_EQ(inline_pw.status().message().find("s3cr"), std::string::npos);
}

TEST(PgDbTest, UnknownDatabaseIsNotFound) {
  TestPg();
  const auto& server = TestPg();
  Result<std::unique_ptr<PgDb>> db = PgDb::Open(
      fmt::format("host={} port={} user=postgres dbname=no_such_db", server.socket_dir, server.port));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kNotFound);
  EXPECT_NE(db.status().message().find("database \"no_such_db\" does not exist"), std::string::npos)
      << db.status().message();
}

TEST(PgDbTest, ConnectTimeoutWhenTheServerNeverAnswers) {
  // A Unix socket that accepts connections (the kernel's backlog) but never speaks.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    fmt::format("dqa_pg_mute_{}", getpid());
  std::filesystem::create_directories(dir);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = (dir / ".s.PGSQL.5998").string();
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  PgConnectOptions options;
  options.connect_timeout_s = 2;
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<PgDb>> db =
      PgDb::Open(fmt::format("host={} port=5998 user=u dbname=d", dir.string()), options);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("connect timeout: no answer within 2 s"), std::string::npos)
      << db.status().message();
  EXPECT_LT(seconds, 10);
}

TEST(PgDbTest, StatementTimeoutStopsTheQuery) {
  PgTestDatabase pg;
  PgConnectOptions options;
  options.statement_timeout_ms = 200;
  auto db = OpenOrFail(pg.conninfo(), options);
  ASSERT_NE(db, nullptr);
  const auto start = std::chrono::steady_clock::now();
  Result<std::optional<double>> slept = db->QueryNumber("SELECT 1 FROM pg_sleep(5)");
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(slept.ok());
  EXPECT_EQ(slept.status().code(), StatusCode::kIoError);
  EXPECT_NE(slept.status().message().find("statement exceeded its time budget of 0.2 s (in: SELECT 1 "
                                          "FROM pg_sleep(5)"),
            std::string::npos)
      << slept.status().message();
  EXPECT_LT(seconds, 3);
}

TEST(PgDbTest, ServerClosingTheConnectionMidStreamIsAClearError) {
  PgTestDatabase pg("CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 2000000) g");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  const int64_t pid = static_cast<int64_t>(**db->QueryNumber("SELECT pg_backend_pid()"));
  ASSERT_TRUE(db->BeginSnapshot().ok());
  Result<PgStatement> s = db->PrepareNative("SELECT id FROM big");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(PgAdminExec(TestPg().conninfo, fmt::format("SELECT pg_terminate_backend({})", pid)), "");
  Status error;
  int64_t rows = 1;
  while (true) {
    Result<bool> row = s->Step();
    if (!row.ok()) {
      error = row.status();
      break;
    }
    if (!*row) break;
    ++rows;
  }
  ASSERT_FALSE(error.ok()) << "read all " << rows << " rows";
  EXPECT_LT(rows, 2000000);
  EXPECT_NE(error.message().find("connection to the server lost"), std::string::npos)
      << error.message();
  EXPECT_NE(error.message().find("not retried"), std::string::npos);
  // Nothing is retried: the next statement fails too.
  EXPECT_FALSE(db->QueryNumber("SELECT 1").ok());
}

TEST(PgDbTest, MissingTableAndColumnAreNotFoundAndTheSnapshotGoesOn) {
  PgTestDatabase pg("CREATE TABLE t (id int PRIMARY KEY, name varchar(20)); INSERT INTO t VALUES (1, 'x')");
  auto db = OpenOrFail(pg.conninfo());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->BeginSnapshot().ok());
  Result<PgStatement> table = db->PrepareNative("SELECT * FROM nope");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(table.status().message().starts_with("no such table: nope (in: SELECT * FROM nope"))
      << table.status().message();
  Result<PgStatement> column = db->PrepareNative("SELECT missing_col FROM t");
  ASSERT_FALSE(column.ok());
  EXPECT_EQ(column.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(column.status().message().starts_with("no such column: missing_col"))
      << column.status().message();
  // The error did not abort the snapshot's transaction.
  EXPECT_EQ(*db->QueryNumber("SELECT count(*) FROM t"), std::optional<double>(1));
  Result<std::vector<ColumnInfo>> columns = db->TableColumns("public", "t");
  ASSERT_TRUE(columns.ok()) << columns.status().message();
  ASSERT_EQ(columns->size(), 2u);
  EXPECT_EQ((*columns)[0].name, "id");
  EXPECT_EQ((*columns)[0].declared_type, "integer");
  EXPECT_TRUE((*columns)[0].primary_key);
  EXPECT_EQ((*columns)[1].declared_type, "character varying(20)");
  EXPECT_FALSE((*columns)[1].primary_key);
  Result<std::vector<ColumnInfo>> none = db->TableColumns("public", "nope");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(none.status().message().starts_with("no such table: public.nope")) << none.status().message();
  EXPECT_TRUE(db->EndSnapshot().ok());
}

TEST(PgDbTest, SchemaParameterChoosesTheSchemaAndLibpqNeverSeesIt) {
  PgTestDatabase pg("CREATE SCHEMA census; CREATE TABLE census.people (id int);"
                    "CREATE VIEW census.adults AS SELECT * FROM census.people; CREATE TABLE other (x int)");
  auto db = OpenOrFail(pg.Uri() + "&schema=census");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->schema(), "census");
  EXPECT_EQ(*db->Tables(), (std::vector<std::string>{"adults", "people"}));
  auto plain = OpenOrFail(pg.Uri());
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->schema(), "public");
  EXPECT_EQ(*plain->Tables(), std::vector<std::string>{"other"});
  auto keywords = OpenOrFail(pg.conninfo() + " schema=census");
  ASSERT_NE(keywords, nullptr);
  EXPECT_EQ(keywords->schema(), "census");
}

TEST(RedactDsnTest, HidesEveryPassword) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"postgresql://u:secret@h/db", "postgresql://u:***@h/db"},
      {"postgres://u:secret@h:5432/db?sslmode=require", "postgres://u:***@h:5432/db?sslmode=require"},
      {"postgresql://u@h/db", "postgresql://u@h/db"},
      {"postgresql://h/db", "postgresql://h/db"},
      {"postgresql://u:p%40ss%2Fw@h/db", "postgresql://u:***@h/db"},
      {"postgresql://u:p@ss/w@h/db", "postgresql://u:***@h/db"},
      {"postgresql:///db?host=/run/pg&password=secret&schema=x",
       "postgresql:///db?host=/run/pg&password=***&schema=x"},
      {"postgresql:///db?pass%77ord=secret", "postgresql:///db?pass%77ord=***"},
      {"host=/tmp user=u password=secret dbname=d", "host=/tmp user=u password=*** dbname=d"},
      {"host=/tmp password = 'se cr\\'et' dbname=d", "host=/tmp password = *** dbname=d"},
      {"password=", "password=***"},
      {"host=h dbname=d", "host=h dbname=d"},
  };
  for (const auto& [dsn, redacted] : cases) EXPECT_EQ(RedactDsn(dsn), redacted) << dsn;
}

TEST(DsnWithoutPasswordTest, LeavesOutEveryPasswordAndItsSeparator) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"postgresql://u:secret@h/db", "postgresql://u@h/db"},
      {"postgres://u:p@ss/w@h:5432/db?sslmode=require", "postgres://u@h:5432/db?sslmode=require"},
      {"postgresql://u@h/db?schema=s", "postgresql://u@h/db?schema=s"},
      {"postgresql:///db?host=/run/pg&password=secret&schema=x",
       "postgresql:///db?host=/run/pg&schema=x"},
      {"postgresql:///db?password=secret&schema=x", "postgresql:///db?schema=x"},
      {"postgresql:///db?schema=x&password=secret", "postgresql:///db?schema=x"},
      {"postgresql:///db?password=secret", "postgresql:///db"},
      {"postgresql://u:a@h/db?pass%77ord=b", "postgresql://u@h/db"},
      {"host=/tmp user=u password=secret dbname=d", "host=/tmp user=u dbname=d"},
      {"host=/tmp password = 'se cr\\'et' dbname=d", "host=/tmp dbname=d"},
      {"host=h dbname=d", "host=h dbname=d"},
  };
  for (const auto& [dsn, kept] : cases) EXPECT_EQ(DsnWithoutPassword(dsn), kept) << dsn;
}

}  // namespace
}  // namespace dqa
