// SourceDb and Statement: how the engine, the checks and the plugin host read a department
// database, whichever engine holds it (a SQLite file: sqlite_db.h; a PostgreSQL server: pg_db.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sources/value.h"
#include "core/util/status.h"

struct sqlite3_stmt;

namespace dqa {

enum class Engine { kSqlite, kPostgres };

// How the time budget of a statement is counted (docs/sources.md "the guard"): kWhole, all the
// steps of the statement together (a query that returns one answer: sql checks, plugin queries,
// probes); kPerStep, each step on its own (a scan that streams a whole table: a step that returns a
// row is quick however big the table is, while a hostile `where` that never ends is stopped in the
// step that evaluates it).
enum class StepBudget { kWhole, kPerStep };

struct ColumnInfo {
  std::string name;
  std::string declared_type;
  bool primary_key = false;
};

// One engine's prepared statement and its current row (SqliteCursor, PgCursor).
class Cursor {
 public:
  virtual ~Cursor() = default;
  // Advances to the next row: true if a row is available, false when done, error otherwise.
  virtual Result<bool> Step() = 0;
  virtual Status Reset() = 0;
  // Parameters, 1-based. Values are always bound, never spliced into the SQL.
  virtual Status Bind(int index, int64_t value) = 0;
  virtual Status Bind(int index, double value) = 0;
  virtual Status Bind(int index, std::string_view value) = 0;
  virtual Status BindNull(int index) = 0;
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int i) const = 0;
  // Column `i` of the current row; TEXT/BLOB bytes borrowed until the next Step/Reset.
  virtual Value Read(int i) const = 0;
  // Conversions as SQLite's sqlite3_column_int64/double/text do them (text parsed as a number,
  // numbers formatted as text; NULL -> 0 or ""); the text is valid until the next Step/Reset.
  virtual int64_t ColumnInt(int i) const = 0;
  virtual double ColumnDouble(int i) const = 0;
  virtual std::string_view ColumnText(int i) const = 0;
  // The SQLite statement behind it (the table scan's fast path); nullptr for other engines.
  virtual sqlite3_stmt* sqlite() const { return nullptr; }
};

// A prepared statement of any engine. Move-only; finalized on destruction.
class Statement {
 public:
  explicit Statement(std::unique_ptr<Cursor> cursor) : cursor_(std::move(cursor)) {}

  Result<bool> Step() { return cursor_->Step(); }
  Status Reset() { return cursor_->Reset(); }
  Status Bind(int index, int64_t value) { return cursor_->Bind(index, value); }
  Status Bind(int index, double value) { return cursor_->Bind(index, value); }
  Status Bind(int index, std::string_view value) { return cursor_->Bind(index, value); }
  Status BindNull(int index) { return cursor_->BindNull(index); }

  int ColumnCount() const { return cursor_->ColumnCount(); }
  std::string ColumnName(int i) const { return cursor_->ColumnName(i); }
  Value Read(int i) const { return cursor_->Read(i); }
  Value::Type ColumnType(int i) const { return cursor_->Read(i).type; }
  bool IsNull(int i) const { return ColumnType(i) == Value::Type::kNull; }
  int64_t ColumnInt(int i) const { return cursor_->ColumnInt(i); }
  double ColumnDouble(int i) const { return cursor_->ColumnDouble(i); }
  std::string_view ColumnText(int i) const { return cursor_->ColumnText(i); }
  // The column as text for display: NULL -> "NULL", integers without decimals.
  std::string ColumnDisplay(int i) const;
  sqlite3_stmt* sqlite() const { return cursor_->sqlite(); }

 private:
  std::unique_ptr<Cursor> cursor_;
};

// A read-only connection to one source's database. Not thread-safe; one per thread.
class SourceDb {
 public:
  SourceDb() = default;
  SourceDb(const SourceDb&) = delete;
  SourceDb& operator=(const SourceDb&) = delete;
  virtual ~SourceDb() = default;

  virtual Engine engine() const = 0;
  // The database as the user may see it in messages: a file path, or a DSN without its password.
  virtual std::string Describe() const = 0;

  // Prepares one statement of the host's own SQL.
  Result<Statement> Prepare(const std::string& sql, StepBudget budget = StepBudget::kWhole) {
    return DoPrepare(sql, budget);
  }
  // Prepares host SQL whose whole result is a few rows (an aggregate over a table): an engine may
  // run it at once rather than streaming it (PostgreSQL then uses parallel workers).
  virtual Result<Statement> PrepareSmall(const std::string& sql) { return Prepare(sql); }
  // Prepares SQL written by a rule file or a plugin: exactly one statement (comments, spaces and
  // `;` may follow), read-only. InvalidArgument otherwise.
  virtual Result<Statement> PrepareQuery(const std::string& sql) = 0;
  // Compiles rule SQL without running it: "" when it is one read-only statement (its number of
  // result columns in `column_count` when given), else the problem in words ("no such column:
  // x", "it must be a single SQL statement, but more follows the first one", ...).
  virtual std::string Compile(const std::string& sql, int* column_count) = 0;
  // Runs `sql` and returns the first column of its first row; nullopt if no row or NULL.
  Result<std::optional<double>> QueryNumber(const std::string& sql);

  // The schema the source's tables are read from: "main" for SQLite, the `schema=` of a
  // PostgreSQL URI ("public" by default).
  virtual std::string MainSchema() const = 0;
  // `table` of `schema` (MainSchema() when empty: an attach alias in SQLite, a schema in
  // PostgreSQL), quoted for SQL: main."t", "public"."t".
  std::string QualifiedTable(std::string_view table, std::string_view schema = {}) const;
  // `schema`, or MainSchema() when it is empty.
  std::string SchemaOr(std::string_view schema) const {
    return schema.empty() ? MainSchema() : std::string(schema);
  }
  // An expression naming a row of a table without a key, for samples: rowid in SQLite, ctid in
  // PostgreSQL (as text).
  virtual std::string RowIdSql() const = 0;
  // Columns of `schema.table`; NotFound if the table does not exist.
  virtual Result<std::vector<ColumnInfo>> TableColumns(const std::string& schema,
                                                       const std::string& table) = 0;
  // The collating sequence of `schema.table.column` that equality uses ("NOCASE"); "BINARY"
  // when it compares bytes (or the engine cannot say).
  virtual std::string ColumnCollation(const std::string& schema, const std::string& table,
                                      const std::string& column) = 0;
  // True when `table` of MainSchema() is a base table (not a view).
  virtual bool IsBaseTable(const std::string& table) = 0;
  // The base tables of MainSchema() (not views, not the engine's own), sorted by name.
  Result<std::vector<std::string>> TableNames() { return TableNamesIn(MainSchema()); }
  // The base tables of `schema` (an attach alias in SQLite, a schema in PostgreSQL), sorted.
  virtual Result<std::vector<std::string>> TableNamesIn(const std::string& schema) = 0;

  // Push-down (docs/engine.md "Push-down on PostgreSQL"): true when the checks that can be written
  // in SQL are counted in the server, one aggregate query per table, instead of streamed. PostgreSQL
  // pushes down (sending rows costs more than counting them where they are); SQLite does not (it
  // runs in the process: the fused scan reads its rows as fast as SQL would).
  virtual bool PushesDown() const { return false; }
  // True when another connection opened (and put in its snapshot) while this one is in its snapshot
  // sees the same state of every database: then a table's scan may be split over several
  // connections (docs/engine.md "One table on every core"). SQLite in rollback-journal mode (this
  // connection's read lock keeps writers from committing) or read without its WAL; not a live WAL,
  // where each connection's snapshot starts at its own first read; not PostgreSQL.
  virtual bool SharesSnapshotAcrossConnections() const { return false; }
  // True when the server's normalize(text, NFC) works (a UTF8 database).
  virtual bool NormalizesUnicode() const { return false; }

  // One read snapshot for every later query (docs/sources.md); EndSnapshot fails when the reads
  // may not be one state of the database.
  virtual Status BeginSnapshot() = 0;
  virtual Status EndSnapshot() = 0;

 protected:
  virtual Result<Statement> DoPrepare(const std::string& sql, StepBudget budget) = 0;
};

}  // namespace dqa
