// SqliteDb and Statement: the one adapter between dqaudit and the SQLite C API.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/status.h"

namespace dqa {

// "ident" with embedded quotes doubled: safe for any table or column name from a rule file.
std::string QuoteIdent(std::string_view ident);
// 'text' with embedded quotes doubled.
std::string QuoteLiteral(std::string_view text);
// "file:<path, percent-encoded>?<params>" for sqlite3_open_v2 with SQLITE_OPEN_URI.
std::string FileUri(const std::string& path, std::string_view params);

// A prepared statement. Move-only; finalized on destruction.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Advances to the next row: true if a row is available, false when done, error otherwise.
  Result<bool> Step();
  Status Reset();
  // Binding (1-based index, as in SQLite).
  Status Bind(int index, int64_t value);
  Status Bind(int index, double value);
  Status Bind(int index, std::string_view value);
  Status BindNull(int index);

  int ColumnCount() const { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int i) const { return sqlite3_column_name(stmt_, i); }
  int ColumnType(int i) const { return sqlite3_column_type(stmt_, i); }  // SQLITE_INTEGER ...
  bool IsNull(int i) const { return ColumnType(i) == SQLITE_NULL; }
  int64_t ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
  double ColumnDouble(int i) const { return sqlite3_column_double(stmt_, i); }
  // Text of the column (converts numbers); valid until the next Step/Reset.
  std::string_view ColumnText(int i) const;
  // The column as text for display: NULL -> "NULL", integers without decimals.
  std::string ColumnDisplay(int i) const;
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

struct ColumnInfo {
  std::string name;
  std::string declared_type;
  bool primary_key = false;
};

// An open SQLite connection. Not thread-safe; one per thread.
class SqliteDb {
 public:
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // Opens an existing database file read-only (SQLITE_OPEN_READONLY | SQLITE_OPEN_URI) and sets
  // `PRAGMA query_only=1`. NotFound if the file does not exist, IoError if it is not a database.
  static Result<std::unique_ptr<SqliteDb>> OpenReadOnly(const std::string& path);
  // Opens (creating if `create`) a database for writing: the history store and the generator.
  static Result<std::unique_ptr<SqliteDb>> OpenReadWrite(const std::string& path, bool create);

  // Attaches another database file read-only under `alias` (ATTACH 'file:...?mode=ro').
  // Must be called before BeginSnapshot().
  Status AttachReadOnly(const std::string& path, const std::string& alias);
  // Starts one read transaction and touches every attached schema so all later queries see the
  // same snapshot of every database. Ends with EndSnapshot() (or destruction).
  Status BeginSnapshot();
  Status EndSnapshot();

  Status Exec(const std::string& sql);
  Result<Statement> Prepare(const std::string& sql);
  // Runs `sql` and returns the first column of its first row; nullopt if no row or NULL.
  Result<std::optional<double>> QueryNumber(const std::string& sql);

  // Columns of `schema.table` ("main" or an attach alias); NotFound if the table does not exist.
  Result<std::vector<ColumnInfo>> TableColumns(const std::string& schema, const std::string& table);

  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status ErrorStatus(const std::string& what) const;

  sqlite3* db_;
  std::string path_;
  std::vector<std::pair<std::string, std::string>> attached_;  // alias, path
  bool in_snapshot_ = false;
};

// A write transaction: Begin() runs BEGIN IMMEDIATE, which takes the write lock at once (so a busy
// database fails there, after the busy timeout, not halfway through the writes); destruction rolls
// back unless Commit() succeeded.
class WriteTransaction {
 public:
  explicit WriteTransaction(SqliteDb& db) : db_(db) {}
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction() {
    if (open_) (void)db_.Exec("ROLLBACK");
  }
  Status Begin() {
    DQA_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    DQA_RETURN_IF_ERROR(db_.Exec("COMMIT"));
    open_ = false;
    return Status::Ok();
  }

 private:
  SqliteDb& db_;
  bool open_ = false;
};

}  // namespace dqa
