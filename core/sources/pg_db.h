// PgDb and PgStatement: the one adapter between dqaudit and libpq (PostgreSQL sources), shaped like
// SqliteDb and Statement (sqlite_db.h) so that the engine can use either through one interface.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sources/source_db.h"
#include "core/sources/sql_guard.h"  // kDefaultStatementBudgetMs
#include "core/sources/value.h"
#include "core/util/status.h"

typedef struct pg_conn PGconn;      // NOLINT: libpq's own names (libpq-fe.h)
typedef struct pg_result PGresult;  // NOLINT

namespace dqa {

// `dsn` (a postgresql:// or postgres:// URI, or a libpq keyword string) with every password
// replaced by "***": the user-info password (`postgresql://u:***@h/db`), a `password=` query
// parameter and a `password=` keyword (quoted or not). Everything else is kept as written. Every
// message that names a PostgreSQL source uses this form.
std::string RedactDsn(std::string_view dsn);

// `dsn` with every password left out (what a file may keep of it): the user-info password and its
// ':' (`postgresql://u@h/db`), a `password=` query parameter or keyword with its separator.
// Everything else is kept as written; libpq then takes the password from PGPASSWORD, ~/.pgpass
// or a service file.
std::string DsnWithoutPassword(std::string_view dsn);

// Rule and plugin SQL written for SQLite, as PostgreSQL reads it: `?` and `?NNN` parameters become
// `$N`, and the bare word `rowid` (a row's identity in SQLite) becomes `ctid`. Text in quotes,
// identifiers in double quotes and comments are left alone.
std::string PortableToPostgres(std::string_view sql);

// A DSN split into what libpq sees (without dqaudit's own `schema=`) and that schema ("public"
// when it names none): two sources read the same database when their `server` parts are equal.
struct PgLocation {
  std::string server;
  std::string schema;
};
PgLocation SplitSchema(std::string_view dsn);

struct PgConnectOptions {
  // libpq's connect_timeout (seconds; libpq counts less than 2 as 2). A `connect_timeout` in the
  // URI wins, as every libpq parameter of the URI does.
  int connect_timeout_s = 10;
  // The session's statement_timeout: the budget of one whole statement, streaming included
  // (SqlGuard's StepBudget::kWhole); <= 0: none.
  int64_t statement_timeout_ms = kDefaultStatementBudgetMs;
};

class PgDb;

// A prepared statement (a named server-side statement, deallocated on destruction). Move-only.
// Results stream in libpq's single-row mode: one row in client memory at a time, however big the
// result. While one statement streams, its connection cannot run another (libpq has one result
// in flight): Prepare/Exec/Step of another statement fail with Internal until it is done or Reset.
class PgStatement {
 public:
  PgStatement(PgStatement&& other) noexcept;
  PgStatement& operator=(PgStatement&& other) noexcept;
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;
  ~PgStatement();

  // Sends the statement on the first call, then advances to the next row: true if a row is
  // available, false when done, error otherwise (the error kinds of PgDb, and for a timeout
  // "statement exceeded its time budget of N s (in: <sql>)").
  Result<bool> Step();
  // Drops what is left of the result; the statement can run again with new bindings.
  Status Reset();
  // Binding (1-based index, $1 is 1), always as parameters, never spliced into the SQL.
  Status Bind(int index, int64_t value);
  Status Bind(int index, double value);
  Status Bind(int index, std::string_view value);
  Status BindNull(int index);

  int ColumnCount() const { return static_cast<int>(names_.size()); }
  const std::string& ColumnName(int i) const { return names_[static_cast<size_t>(i)]; }
  // The PostgreSQL type OID of column i (23 = int4, ...).
  unsigned ColumnTypeOid(int i) const { return types_[static_cast<size_t>(i)]; }
  // Accessors of the current row (after Step() returned true).
  bool IsNull(int i) const;
  int64_t ColumnInt(int i) const;    // ReadValue's integer (a real truncated, text parsed; else 0)
  double ColumnDouble(int i) const;  // ReadValue's number (an integer converted; text parsed)
  // PostgreSQL's text form of the value, valid until the next Step/Reset.
  std::string_view ColumnText(int i) const;
  // The value as dqaudit sees it, by the column's type (valid until the next Step/Reset):
  //   int2, int4, int8, oid, bool (0/1)        -> kInteger
  //   float4, float8                           -> kReal
  //   numeric                                  -> kInteger when integral and within int64, else
  //                                               kReal (NaN stays a kReal NaN)
  //   date                                     -> kText 'YYYY-MM-DD'
  //   timestamp                                -> kText 'YYYY-MM-DD HH:MM:SS[.ffffff]' (as SQLite
  //                                               databases store times as text)
  //   timestamptz                              -> kText, the instant in UTC with an explicit
  //                                               offset: 'YYYY-MM-DD HH:MM:SS[.ffffff]+00:00'
  //   bytea                                    -> kBlob, the bytes themselves
  //   text, varchar, bpchar (padded), name and every other type -> kText, PostgreSQL's text form
  // The session runs with TimeZone 'UTC' and DateStyle 'ISO', so these forms are stable.
  Value ReadValue(int i) const;

 private:
  friend class PgDb;
  PgStatement(PgDb* db, std::string name, std::string sql, int param_count,
              std::vector<std::string> names, std::vector<unsigned> types);
  void Release();  // drains the result in flight (if any) and clears the current row
  Result<bool> StepCursor();  // the next row of cursor_, FETCHing the next batch when needed
  bool NextInBatch();         // moves to the next row of batch_; false (batch freed) at its end

  PgDb* db_;
  std::string name_;  // server-side prepared statement name
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  std::vector<std::string> names_;
  std::vector<unsigned> types_;
  // The rows at hand, owned: one row in single-row mode, a batch of FETCH on a cursor; row_ is
  // the current one.
  PGresult* batch_ = nullptr;
  int row_ = 0;
  std::string cursor_;     // the server-side cursor streaming the result ("" = single-row mode)
  bool exhausted_ = false;  // the cursor's last FETCH returned fewer rows than asked
  bool sent_ = false;
  bool done_ = false;
  bool whole_ = false;  // SourceDb::PrepareSmall: the whole result at once, not through a cursor
  mutable std::vector<std::string> scratch_;  // decoded bytea and rewritten timestamptz per column
};

// An open PostgreSQL connection (a SourceDb: the engine and checks read it as they read SQLite).
// Not thread-safe; one per thread.
class PgDb final : public SourceDb {
 public:
  ~PgDb() override;

  // Connects with PQconnectdbParams (expand_dbname: libpq itself parses the URI or keyword string;
  // every libpq parameter passes through unchanged) except `schema=`, dqaudit's own, which libpq
  // never sees: the schema that tables are read from (default "public"). application_name is
  // "dqaudit" unless `uri` sets one. The session is then read-only
  // (default_transaction_read_only), with TimeZone UTC, DateStyle ISO and the statement timeout.
  // Errors start "cannot connect to <RedactDsn(uri)>: " then say why: "connection refused (...)"
  // (no server at that address or socket), "password authentication failed for user \"u\"",
  // "database \"d\" does not exist" (NotFound), "connect timeout: no answer within N s", "no
  // password supplied", else libpq's message. No password ever appears in a message.
  static Result<std::unique_ptr<PgDb>> Open(const std::string& uri,
                                            const PgConnectOptions& options);
  static Result<std::unique_ptr<PgDb>> Open(const std::string& uri) {
    return Open(uri, PgConnectOptions{});
  }

  // BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY: every later query sees one snapshot.
  // EndSnapshot() commits it (a read-only transaction has nothing to write); destruction rolls
  // back.
  Status BeginSnapshot() override;
  Status EndSnapshot() override;

  // Runs the host's own SQL (one or more statements, no result wanted).
  Status Exec(const std::string& sql);
  // Prepares one statement on the server: syntax errors, missing tables and columns fail here.
  // Inside the snapshot its result streams through a cursor in batches (several statements may
  // stream at once); outside, in single-row mode (one at a time).
  Result<PgStatement> PrepareNative(const std::string& sql);
  // Rule and plugin SQL: one statement that returns rows (the session is read-only, so a write
  // fails when it runs).
  Result<Statement> PrepareQuery(const std::string& sql) override;
  // Runs at once with the whole result (no cursor): the server may use parallel workers, which
  // a cursor's query never gets.
  Result<Statement> PrepareSmall(const std::string& sql) override;
  // Runs `sql` and returns the first column of its first row as a number; nullopt if no row or
  // NULL; InvalidArgument when it is text that is not a number.
  Result<std::optional<double>> QueryNumber(const std::string& sql);
  // Columns of `schema.table` (a table, view, materialized view or foreign table) in order, with
  // the declared type as format_type() writes it ("character varying(20)") and the primary key;
  // NotFound "no such table: schema.table" when it does not exist.
  Result<std::vector<ColumnInfo>> TableColumns(const std::string& schema,
                                               const std::string& table) override;
  // Tables and views of schema() (sorted by name).
  Result<std::vector<std::string>> Tables();
  // Base tables (ordinary and partitioned) of schema(), sorted.
  Result<std::vector<std::string>> TableNamesIn(const std::string& schema) override;
  std::string Compile(const std::string& sql, int* column_count) override;
  bool IsBaseTable(const std::string& table) override;

  Engine engine() const override { return Engine::kPostgres; }
  std::string Describe() const override { return redacted_; }
  std::string MainSchema() const override { return schema_; }
  // ctid as text: the row's physical place, stable within the snapshot.
  std::string RowIdSql() const override { return "ctid::text"; }
  // The default collation compares by bytes as far as equality goes (deterministic collations).
  std::string ColumnCollation(const std::string&, const std::string&,
                              const std::string&) override {
    return "BINARY";
  }
  // A cheap fingerprint of the content of schema()'s tables (nothing is scanned): per base table its
  // storage file (relfilenode: changes on TRUNCATE, VACUUM FULL, a reload) and the server's
  // cumulative counts of inserted, updated and deleted rows. Any committed write changes it; an
  // aborted one or a reset of the server's statistics may too (a harmless extra rescan).
  Result<std::string> ContentFingerprint();
  bool PushesDown() const override { return push_down_; }
  bool NormalizesUnicode() const override;
  // Push-down off: every check streams its rows as on SQLite (tests compare the two ways).
  void set_push_down(bool on) { push_down_ = on; }
  // NotFound "no such schema: s in <dsn> (schemas: a, b)" when schema() does not exist (the
  // server's own schemas, pg_* and information_schema, are not listed); else Ok. Opening does not
  // check it: a missing schema reads as one without tables.
  Status CheckSchemaExists();
  // Changes the session's statement timeout (<= 0: none).
  Status SetStatementTimeout(int64_t ms);

  // The schema of the `schema=` parameter, else "public".
  const std::string& schema() const { return schema_; }
  // The DSN as given, passwords redacted: how messages name this source.
  const std::string& redacted_dsn() const { return redacted_; }
  PGconn* raw() const { return conn_; }

 private:
  Result<Statement> DoPrepare(const std::string& sql, StepBudget budget) override;
  // The relations of schema() whose pg_class.relkind is in `kinds` ("'r','p'"), sorted.
  Result<std::vector<std::string>> RelationsOf(const std::string& schema, std::string_view kinds);
  friend class PgStatement;
  PgDb(PGconn* conn, std::string redacted, std::string schema, std::vector<std::string> secrets)
      : conn_(conn), redacted_(std::move(redacted)), schema_(std::move(schema)),
        secrets_(std::move(secrets)) {}
  // The Status for a failed `result` (or the connection's error when null) of `sql`: by SQLSTATE
  // and connection state (see Open and PgStatement::Step), secrets scrubbed.
  Status ResultError(const PGresult* result, const std::string& sql) const;
  // `text` with every secret of the DSN replaced by "***".
  std::string Scrub(std::string text) const;
  Status CheckIdle() const;  // Internal when a statement is still streaming
  // Inside the snapshot, an error would abort the whole transaction: each statement runs under a
  // savepoint that an error rolls back to, so the next statement still sees the same snapshot.
  Status BeginStatement();
  Status EndStatement(bool failed);

  PGconn* conn_;
  std::string redacted_;
  std::string schema_;
  std::vector<std::string> secrets_;  // passwords found in the DSN (as written and decoded)
  bool push_down_ = true;
  int64_t statement_timeout_ms_ = 0;
  int next_statement_ = 0;
  std::string streaming_;  // name of the statement whose result is in flight; "" when idle
  bool in_snapshot_ = false;
};

}  // namespace dqa
