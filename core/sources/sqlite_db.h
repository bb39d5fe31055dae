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

#include "core/sources/sql_guard.h"
#include "core/util/status.h"
#include "dqaudit/sql.h"

namespace dqa {

// "ident" with embedded quotes doubled: safe for any table or column name from a rule file (the
// SDK's dqa::sdk::QuoteIdentifier, which plugins use too).
inline std::string QuoteIdent(std::string_view ident) { return sdk::QuoteIdentifier(ident); }
// 'text' with embedded quotes doubled (dqa::sdk::QuoteSqlLiteral).
inline std::string QuoteLiteral(std::string_view text) { return sdk::QuoteSqlLiteral(text); }
// SQL functions of every read-only connection, usable by the host and by rule SQL alike: pure,
// deterministic, TEXT normalised as core/util/text.h says and any other value returned unchanged.
// dqa_nfc(x): NfcView (Unicode NFC). dqa_fold(x): FoldView (NFC, case folding, whitespace
// collapsed).
inline constexpr const char* kNfcFunction = "dqa_nfc";
inline constexpr const char* kFoldFunction = "dqa_fold";

// "file:<path, percent-encoded>?<params>" for sqlite3_open_v2 with SQLITE_OPEN_URI.
std::string FileUri(const std::string& path, std::string_view params);

// How the time budget of a statement on a guarded connection is counted (docs/sources.md "the
// guard"): kWhole, the time SQLite spends in all the steps of the statement (a query that returns
// one answer: sql checks, plugin queries, probes); kPerStep, each step on its own (a scan that
// streams a whole table: a step that returns a row is quick however big the table is, while a
// hostile `where` that never ends is stopped in the step that evaluates it).
enum class StepBudget { kWhole, kPerStep };

// A prepared statement. Move-only; finalized on destruction.
class Statement {
 public:
  // `guard` (nullable) times each Step() against its budget, counted as `budget` says.
  Statement(sqlite3* db, sqlite3_stmt* stmt, SqlGuard* guard = nullptr,
            StepBudget budget = StepBudget::kWhole)
      : db_(db), stmt_(stmt), guard_(guard), budget_(budget) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Advances to the next row: true if a row is available, false when done, error otherwise
  // ("statement exceeded its time budget of N s" when the guard interrupted it).
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
  SqlGuard* guard_;
  StepBudget budget_;
  int64_t spent_ns_ = 0;  // time inside sqlite3_step so far (kWhole)
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

  struct OpenOptions {
    // Time budget of one statement (StepBudget says how it is counted); <= 0: none.
    int64_t statement_budget_ms = kDefaultStatementBudgetMs;
    // How long a read waits for a writer's lock before it fails as "locked by a writer".
    int busy_timeout_ms = 10'000;
  };

  // Opens an existing database file read-only (SQLITE_OPEN_READONLY | SQLITE_OPEN_URI), sets
  // `PRAGMA query_only=1`, installs the SqlGuard (sql_guard.h), registers dqa_nfc and dqa_fold
  // (kNfcFunction, kFoldFunction) and reads the schema. A WAL
  // database without a -wal file is read through the WAL-free VFS (wal_free_vfs.h): no -wal or
  // -shm file is created, so read-only folders work and nothing is left behind.
  // Errors name the file and the cause: NotFound "database file does not exist", IoError for a
  // directory, permission denied, an empty file, not a database, corrupted (with what
  // PRAGMA quick_check says), a hot journal left by a crashed writer, locked by a writer.
  static Result<std::unique_ptr<SqliteDb>> OpenReadOnly(const std::string& path,
                                                        const OpenOptions& options);
  static Result<std::unique_ptr<SqliteDb>> OpenReadOnly(const std::string& path) {
    return OpenReadOnly(path, OpenOptions{});
  }
  // Opens (creating if `create`) a database for writing: the history store and the generator.
  static Result<std::unique_ptr<SqliteDb>> OpenReadWrite(const std::string& path, bool create);

  // Attaches another database file read-only under `alias` (ATTACH 'file:...?mode=ro'), with the
  // same checks and messages as OpenReadOnly. Must be called before BeginSnapshot().
  Status AttachReadOnly(const std::string& path, const std::string& alias);
  // Starts one read transaction and touches every attached schema so all later queries see the
  // same snapshot of every database. Ends with EndSnapshot() (or destruction), which fails when a
  // file read through the WAL-free VFS got a -wal file meanwhile (a writer opened it in WAL mode
  // during the snapshot, so the reads may mix two states).
  Status BeginSnapshot();
  Status EndSnapshot();

  // Runs the host's own SQL (never rule SQL): the guard's authorizer lets it through.
  Status Exec(const std::string& sql);
  // Prepares one statement (what follows it is ignored). On a guarded connection a refused
  // construct fails here with "not allowed in rule SQL: ...".
  Result<Statement> Prepare(const std::string& sql, StepBudget budget = StepBudget::kWhole);
  // Prepares SQL written by a rule file or a plugin: exactly one statement (comments, spaces and
  // `;` may follow), read-only. InvalidArgument otherwise.
  Result<Statement> PrepareQuery(const std::string& sql);
  // Why the last call on this connection failed with `rc`, in words: the guard's refusal, the
  // limit that was exceeded, else SQLite's message.
  std::string ErrorMessage(int rc) const;
  // Runs `sql` and returns the first column of its first row; nullopt if no row or NULL.
  Result<std::optional<double>> QueryNumber(const std::string& sql);

  // The collating sequence declared for `schema.table.column` ("NOCASE"); "BINARY" when it has
  // none or SQLite cannot say (a view's column).
  std::string ColumnCollation(const std::string& schema, const std::string& table,
                              const std::string& column);
  // Columns of `schema.table` ("main" or an attach alias); NotFound if the table does not exist.
  Result<std::vector<ColumnInfo>> TableColumns(const std::string& schema, const std::string& table);

  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status ErrorStatus(const std::string& what) const;
  // The cause of a failed open, read or attach of `path`, from the connection's error code.
  Status OpenFailure(const std::string& path);

  sqlite3* db_;
  std::string path_;
  std::vector<std::pair<std::string, std::string>> attached_;  // alias, path
  std::vector<std::string> wal_free_paths_;  // files read through the WAL-free VFS
  std::unique_ptr<SqlGuard> guard_;          // read-only connections only
  int busy_timeout_ms_ = 10'000;
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
