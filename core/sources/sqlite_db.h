// SqliteDb: the one adapter between dqaudit and the SQLite C API (a SourceDb, source_db.h).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sources/source_db.h"
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

// Sets SQLite up for this process, before its first connection (a no-op returning false once
// SQLite has started): no memory statistics. Debian's SQLite keeps them by default, taking one
// lock of the whole process at every allocation of every connection, which the threads of a split
// scan or grouping then wait on one another for; dqaudit reads none of them (no heap limit either).
bool ConfigureSqliteForProcess();

// An open SQLite connection. Not thread-safe; one per thread.
class SqliteDb final : public SourceDb {
 public:
  ~SqliteDb() override;

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
  Status BeginSnapshot() override;
  Status EndSnapshot() override;

  // Runs the host's own SQL (never rule SQL): the guard's authorizer lets it through.
  Status Exec(const std::string& sql);
  // Prepare (SourceDb) prepares one statement (what follows it is ignored). On a guarded
  // connection a refused construct fails there with "not allowed in rule SQL: ...".
  Result<Statement> PrepareQuery(const std::string& sql) override;
  // Why the last call on this connection failed with `rc`, in words: the guard's refusal, the
  // limit that was exceeded, else SQLite's message.
  std::string ErrorMessage(int rc) const;
  Engine engine() const override { return Engine::kSqlite; }
  bool SharesSnapshotAcrossConnections() const override { return !live_wal_; }
  std::string Describe() const override { return path_; }
  std::string MainSchema() const override { return "main"; }
  std::string RowIdSql() const override { return "rowid"; }
  // The collating sequence declared for `schema.table.column` ("NOCASE"); "BINARY" when it has
  // none or SQLite cannot say (a view's column).
  std::string ColumnCollation(const std::string& schema, const std::string& table,
                              const std::string& column) override;
  // Columns of `schema.table` ("main" or an attach alias); NotFound if the table does not exist.
  Result<std::vector<ColumnInfo>> TableColumns(const std::string& schema,
                                               const std::string& table) override;
  bool IsBaseTable(const std::string& table) override;
  Result<std::vector<std::string>> TableNamesIn(const std::string& schema) override;
  std::string Compile(const std::string& sql, int* column_count) override;

  sqlite3* raw() const { return db_; }
  // The file attached as `alias` (AttachReadOnly); nullopt when none is.
  std::optional<std::string> AttachedPath(const std::string& alias) const {
    for (const auto& [a, p] : attached_) {
      if (a == alias) return p;
    }
    return std::nullopt;
  }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Result<Statement> DoPrepare(const std::string& sql, StepBudget budget) override;
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
  bool live_wal_ = false;  // a file (main or attached) in WAL mode read with its -wal file
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
