#include "core/sources/sqlite_db.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string_view>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "core/sources/sqlite_value.h"
#include "core/sources/wal_free_vfs.h"
#include "core/util/text.h"

namespace dqa {

// Percent-encodes a path for use inside a file: URI (SQLite decodes %HH).
bool ConfigureSqliteForProcess() {
  return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

std::string FileUri(const std::string& path, std::string_view params) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '?' || c == '#' || c == '%' || c < 0x20) {
      uri += fmt::format("%{:02X}", c);
    } else {
      uri += static_cast<char>(c);
    }
  }
  uri += "?";
  uri += params;
  return uri;
}

namespace {

// dqa_nfc(x) / dqa_fold(x): TEXT through NfcView / FoldView, any other value unchanged (so an
// INTEGER 1 and a TEXT '1' stay different, as SQL equality has them).
template <std::string_view (*Normalize)(std::string_view, std::string&)>
void NormalizeFunction(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  sqlite3_value* value = argv[0];
  if (sqlite3_value_type(value) != SQLITE_TEXT) {
    sqlite3_result_value(context, value);
    return;
  }
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_value_text(value));
  const std::string_view text(bytes == nullptr ? "" : bytes,
                              static_cast<size_t>(sqlite3_value_bytes(value)));
  std::string scratch;
  const std::string_view out = Normalize(text, scratch);
  if (out.data() == text.data()) {
    sqlite3_result_value(context, value);
  } else {
    sqlite3_result_text64(context, out.data(), out.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
}

// Registers the pure functions of kNfcFunction / kFoldFunction. DETERMINISTIC lets SQLite treat
// equal calls as one expression (GROUP BY f(x) ... ORDER BY f(x)). They are not marked INNOCENT
// (this SQLite's header does not declare it), so with TRUSTED_SCHEMA off a view or trigger of the
// database cannot call them: only statements of dqaudit and of rule files can.
void RegisterTextFunctions(sqlite3* db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  sqlite3_create_function_v2(db, kNfcFunction, 1, kFlags, nullptr, &NormalizeFunction<NfcView>,
                             nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(db, kFoldFunction, 1, kFlags, nullptr, &NormalizeFunction<FoldView>,
                             nullptr, nullptr, nullptr);
}

// The URI that opens `path` read-only, through the WAL-free VFS when that reads it without
// creating -wal/-shm files; `wal_free` says which.
std::string ReadOnlyUri(const std::string& path, bool* wal_free) {
  *wal_free = IsWalDatabaseWithoutWal(path);
  return FileUri(path, *wal_free ? fmt::format("mode=ro&vfs={}", WalFreeVfsName()) : "mode=ro");
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// What the file system says about `path` before SQLite sees it: SQLite's own message for all of
// these is "unable to open database file", or an empty database for a 0-byte file.
Status CheckDatabaseFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return NotFound(fmt::format("database file does not exist: {}", path));
    }
    if (err == EACCES) {
      return IoError(fmt::format(
          "permission denied: cannot reach {} (a folder on its path cannot be searched)", path));
    }
    return IoError(fmt::format("cannot read {}: {}", path, std::strerror(err)));
  }
  if (S_ISDIR(st.st_mode)) return IoError(fmt::format("{} is a directory, not a database file", path));
  if (!S_ISREG(st.st_mode)) return IoError(fmt::format("{} is not a regular file", path));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == EACCES || err == EPERM) {
      return IoError(fmt::format("permission denied: cannot read {}", path));
    }
    return IoError(fmt::format("cannot read {}: {}", path, std::strerror(err)));
  }
  ::close(fd);
  if (st.st_size == 0) {
    return IoError(fmt::format("{} is an empty file (0 bytes): no tables to check", path));
  }
  if (st.st_size < 100) {
    return IoError(fmt::format(
        "{} is not an SQLite database: {} bytes, shorter than the 100-byte SQLite header "
        "(truncated?)",
        path, st.st_size));
  }
  return Status::Ok();
}

int64_t SteadyNowNs() { return SqlGuard::NowNs(); }

// ", truncated: N bytes where its header says M" when the file is shorter than its header's page
// count says (a copy cut short), else "".
std::string TruncationNote(const std::string& path) {
  unsigned char header[100] = {};
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return "";
  const size_t n = std::fread(header, 1, sizeof header, file);
  std::fclose(file);
  if (n < sizeof header) return "";
  uint64_t page_size = (uint64_t{header[16]} << 8) | header[17];
  if (page_size == 1) page_size = 65536;
  const uint64_t pages = (uint64_t{header[28]} << 24) | (uint64_t{header[29]} << 16) |
                         (uint64_t{header[30]} << 8) | header[31];
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  const auto size = static_cast<uint64_t>(st.st_size);
  if (pages == 0 || size >= pages * page_size) return "";
  return fmt::format(", truncated: {} bytes where its header says {} pages of {} bytes", size,
                     pages, page_size);
}

// `message` plus what an operator needs to know of an I/O failure: the operating system's reason
// when SQLite kept it ("disk I/O error (No space left on device)"), else, for a failed write, the
// likely causes (SQLite reports a write cut short by a full disk or a file-size limit as a plain
// "disk I/O error" without an errno).
std::string WithSystemError(sqlite3* db, int rc, std::string message) {
  const int primary = rc & 0xff;
  if (db == nullptr || (primary != SQLITE_IOERR && primary != SQLITE_FULL)) return message;
  if (const int err = sqlite3_system_errno(db); err != 0) {
    return fmt::format("{} ({})", message, std::strerror(err));
  }
  if (primary == SQLITE_FULL || rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC ||
      rc == SQLITE_IOERR_TRUNCATE) {
    return message + " (a write failed: is the disk full, or a quota or file-size limit reached?)";
  }
  return message;
}

// A SQLite prepared statement (Cursor), with the guard timing each step (StepBudget).
class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(sqlite3* db, sqlite3_stmt* stmt, SqlGuard* guard, StepBudget budget)
      : db_(db), stmt_(stmt), guard_(guard), budget_(budget) {}
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;
  ~SqliteCursor() override { sqlite3_finalize(stmt_); }

  Result<bool> Step() override;
  Status Reset() override {
    if (sqlite3_reset(stmt_) != SQLITE_OK) return IoError(sqlite3_errmsg(db_));
    return Status::Ok();
  }
  Status Bind(int index, int64_t value) override {
    return Check(sqlite3_bind_int64(stmt_, index, value));
  }
  Status Bind(int index, double value) override {
    return Check(sqlite3_bind_double(stmt_, index, value));
  }
  Status Bind(int index, std::string_view value) override {
    return Check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT));
  }
  Status BindNull(int index) override { return Check(sqlite3_bind_null(stmt_, index)); }
  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int i) const override { return sqlite3_column_name(stmt_, i); }
  Value Read(int i) const override { return ReadColumnValue(stmt_, i); }
  int64_t ColumnInt(int i) const override { return sqlite3_column_int64(stmt_, i); }
  double ColumnDouble(int i) const override { return sqlite3_column_double(stmt_, i); }
  std::string_view ColumnText(int i) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    if (text == nullptr) return {};
    return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))};
  }
  sqlite3_stmt* sqlite() const override { return stmt_; }

 private:
  Status Check(int rc) const {
    if (rc != SQLITE_OK) return IoError(sqlite3_errmsg(db_));
    return Status::Ok();
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  SqlGuard* guard_;
  StepBudget budget_;
  int64_t spent_ns_ = 0;  // time inside sqlite3_step so far (kWhole)
};

Result<bool> SqliteCursor::Step() {
  int rc = SQLITE_OK;
  bool timed_out = false;
  if (guard_ != nullptr && guard_->budget_ms() > 0) {
    const int64_t budget_ns = guard_->budget_ms() * 1'000'000;
    const int64_t start = SteadyNowNs();
    const int64_t left = budget_ == StepBudget::kWhole ? budget_ns - spent_ns_ : budget_ns;
    // Steps nest (a plugin query runs inside a plugin call inside a scan): restore the outer one.
    const int64_t outer = guard_->Arm(start + std::max<int64_t>(left, 1));
    rc = sqlite3_step(stmt_);
    timed_out = guard_->fired();
    guard_->Restore(outer);
    spent_ns_ += SteadyNowNs() - start;
  } else {
    rc = sqlite3_step(stmt_);
  }
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  if (timed_out && (rc & 0xff) == SQLITE_INTERRUPT) {
    return IoError(fmt::format("statement exceeded its time budget of {} s (in: {})",
                               static_cast<double>(guard_->budget_ms()) / 1000.0,
                               sqlite3_sql(stmt_)));
  }
  if ((rc & 0xff) == SQLITE_CORRUPT) {
    return IoError(fmt::format("the database file is corrupted: {} (in: {})", sqlite3_errmsg(db_),
                               sqlite3_sql(stmt_)));
  }
  return IoError(fmt::format("{} (in: {})", WithSystemError(db_, rc, sqlite3_errmsg(db_)),
                             sqlite3_sql(stmt_)));
}

}  // namespace

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Result<std::unique_ptr<SqliteDb>> SqliteDb::OpenReadOnly(const std::string& path,
                                                       const OpenOptions& options) {
  DQA_RETURN_IF_ERROR(CheckDatabaseFile(path));
  sqlite3* db = nullptr;
  bool wal_free = false;
  const std::string uri = ReadOnlyUri(path, &wal_free);
  // NOMUTEX: a connection is used by one thread (see SqliteDb); the per-call connection mutex
  // was 12% of the instructions of a fused table scan (bench/scan_strategy.cc, docs/engine.md).
  int rc = sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  std::unique_ptr<SqliteDb> out(new SqliteDb(db, path));
  if (rc != SQLITE_OK) return out->OpenFailure(path);
  if (wal_free) out->wal_free_paths_.push_back(path);
  out->live_wal_ = !wal_free && IsWalDatabase(path);
  sqlite3_extended_result_codes(db, 1);
  out->busy_timeout_ms_ = options.busy_timeout_ms;
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  DQA_RETURN_IF_ERROR(out->Exec("PRAGMA query_only=1"));
  // Temporary b-trees (the set of an IN (SELECT ...), DISTINCT, automatic indexes) in memory: on a
  // file they get SQLite's fixed 2 MB cache and go to disk past it, which made a rule's
  // `so_cccd IN (SELECT ...)` over 227,000 beneficiaries take 14 s instead of 4.5 s at 4 times
  // the demo province (docs/benchmarks.md "Scale sweep"). Sorts (GROUP BY, ORDER BY) still spill
  // to temporary files past the cache, so memory stays bounded by what a query keeps.
  DQA_RETURN_IF_ERROR(out->Exec("PRAGMA temp_store=MEMORY"));
  out->guard_ = std::make_unique<SqlGuard>(db, options.statement_budget_ms);
  out->guard_->Install();
  RegisterTextFunctions(db);
  // Reading the schema fails here, not in the first check, when the file is not a database.
  if (!out->Exec("SELECT count(*) FROM sqlite_master").ok()) return out->OpenFailure(path);
  return out;
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::OpenReadWrite(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<SqliteDb> out(new SqliteDb(db, path));
  if (rc != SQLITE_OK) return out->ErrorStatus("cannot open " + path);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 10000);
  return out;
}

Status SqliteDb::AttachReadOnly(const std::string& path, const std::string& alias) {
  const std::string context = fmt::format("attached database {} ({})", alias, path);
  DQA_RETURN_IF_ERROR(CheckDatabaseFile(path).WithContext(context));
  bool wal_free = false;
  const std::string uri = ReadOnlyUri(path, &wal_free);
  // The guard allows no attached database to rule SQL; the host's own attaches raise the limit.
  sqlite3_limit(db_, SQLITE_LIMIT_ATTACHED, static_cast<int>(attached_.size()) + 1);
  // ATTACH is not a write, so query_only does not forbid it.
  if (!Exec(fmt::format("ATTACH DATABASE {} AS {}", QuoteLiteral(uri), QuoteIdent(alias))).ok()) {
    return OpenFailure(path).WithContext(context);
  }
  attached_.emplace_back(alias, path);
  if (wal_free) wal_free_paths_.push_back(path);
  if (!wal_free && IsWalDatabase(path)) live_wal_ = true;
  return Status::Ok();
}

Status SqliteDb::BeginSnapshot() {
  // A file read through the WAL-free VFS has no WAL index to tell this connection that pages
  // changed since its last read; start the snapshot with an empty page cache.
  if (!wal_free_paths_.empty()) sqlite3_db_release_memory(db_);
  DQA_RETURN_IF_ERROR(Exec("BEGIN DEFERRED"));
  in_snapshot_ = true;
  // A deferred transaction takes its read lock on each database at first use: touch all now.
  if (!Exec("SELECT count(*) FROM main.sqlite_master").ok()) return OpenFailure(path_);
  for (const auto& [alias, path] : attached_) {
    // The first read of an attached file is where a damaged or foreign file shows: say which.
    if (!Exec(fmt::format("SELECT count(*) FROM {}.sqlite_master", QuoteIdent(alias))).ok()) {
      return OpenFailure(path).WithContext(fmt::format("attached database {} ({})", alias, path));
    }
  }
  return Status::Ok();
}

Status SqliteDb::EndSnapshot() {
  if (!in_snapshot_) return Status::Ok();
  // Checked before COMMIT, while the snapshot's SHARED lock still stands: a -wal file cannot be
  // deleted under it (SQLite deletes it only with an EXCLUSIVE lock), so a WAL writer that came
  // during the snapshot is seen here even if it has closed since.
  std::string changed;
  for (const std::string& path : wal_free_paths_) {
    if (FileExists(path + "-wal")) changed = path;
  }
  in_snapshot_ = false;
  DQA_RETURN_IF_ERROR(Exec("COMMIT"));
  if (!changed.empty()) {
    return IoError(fmt::format(
        "a writer opened {} in WAL mode while it was being scanned (its -wal file appeared), so "
        "the results may mix two states of the database; scan it again",
        changed));
  }
  return Status::Ok();
}

Status SqliteDb::Exec(const std::string& sql) {
  SqlGuard::HostScope host(guard_.get());
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return IoError(WithSystemError(db_, sqlite3_extended_errcode(db_), std::move(msg)));
  }
  return Status::Ok();
}

Result<Statement> SqliteDb::DoPrepare(const std::string& sql, StepBudget budget) {
  if (guard_) guard_->ClearDenial();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return InvalidArgument(fmt::format("{} (in: {})", ErrorMessage(rc), sql));
  }
  if (stmt == nullptr) return InvalidArgument("empty SQL statement");
  return Statement(std::make_unique<SqliteCursor>(db_, stmt, guard_.get(), budget));
}

Result<Statement> SqliteDb::PrepareQuery(const std::string& sql) {
  if (guard_) guard_->ClearDenial();
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &raw, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return InvalidArgument(fmt::format("{} (in: {})", ErrorMessage(rc), sql));
  }
  if (raw == nullptr) return InvalidArgument("empty SQL statement");
  Statement stmt(std::make_unique<SqliteCursor>(db_, raw, guard_.get(), StepBudget::kWhole));
  // What follows may be spaces, `;` and comments; compiling it is how SQLite's own parser tells
  // those from a second statement (which is never run).
  while (tail != nullptr && *tail != '\0') {
    sqlite3_stmt* next = nullptr;
    const char* after = nullptr;
    rc = sqlite3_prepare_v2(db_, tail, -1, &next, &after);
    const bool statement = next != nullptr;
    sqlite3_finalize(next);
    if (rc != SQLITE_OK || statement) {
      return InvalidArgument(
          fmt::format("only one SQL statement is allowed, but more follows the first (in: {})", sql));
    }
    if (after == tail) break;
    tail = after;
  }
  if (sqlite3_stmt_readonly(raw) == 0) {
    return InvalidArgument(
        fmt::format("the SQL must be read-only (a SELECT), but it would change the database (in: {})",
                    sql));
  }
  return stmt;
}

std::string SqliteDb::ErrorMessage(int rc) const {
  // SQLite reports a refused function as SQLITE_ERROR "not authorized to use function", other
  // refusals as SQLITE_AUTH "not authorized"; either way the guard's last refusal is this one.
  if (guard_ && !guard_->denial().empty() &&
      ((rc & 0xff) == SQLITE_AUTH ||
       std::string_view(sqlite3_errmsg(db_)).find("not authorized") != std::string_view::npos)) {
    return guard_->denial();
  }
  if ((rc & 0xff) == SQLITE_TOOBIG) {
    return fmt::format("{}: the SQL is longer than the limit of {} bytes", sqlite3_errmsg(db_),
                       sqlite3_limit(db_, SQLITE_LIMIT_SQL_LENGTH, -1));
  }
  return sqlite3_errmsg(db_);
}

std::string SqliteDb::ColumnCollation(const std::string& schema, const std::string& table,
                                     const std::string& column) {
  const char* collation = nullptr;
  if (sqlite3_table_column_metadata(db_, schema.c_str(), table.c_str(), column.c_str(), nullptr,
                                    &collation, nullptr, nullptr, nullptr) != SQLITE_OK ||
      collation == nullptr) {
    return "BINARY";
  }
  return collation;
}

Result<std::vector<ColumnInfo>> SqliteDb::TableColumns(const std::string& schema,
                                                       const std::string& table) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, Prepare(fmt::format("PRAGMA {}.table_info({})",
                                                           QuoteIdent(schema), QuoteIdent(table))));
  std::vector<ColumnInfo> columns;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    columns.push_back({std::string(stmt.ColumnText(1)), std::string(stmt.ColumnText(2)),
                       stmt.ColumnInt(5) != 0});
  }
  if (columns.empty()) {
    return NotFound(fmt::format("table {} not found in {}", table,
                                schema == "main" ? path_ : schema));
  }
  return columns;
}

bool SqliteDb::IsBaseTable(const std::string& table) {
  auto type = Prepare("SELECT type FROM main.sqlite_master WHERE name = " + QuoteLiteral(table) +
                      " COLLATE NOCASE");
  if (!type.ok()) return false;
  auto has_row = type->Step();
  return has_row.ok() && *has_row && type->ColumnText(0) == "table";
}

Result<std::vector<std::string>> SqliteDb::TableNamesIn(const std::string& schema) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       Prepare(fmt::format("SELECT name FROM {}.sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                                           QuoteIdent(schema))));
  std::vector<std::string> names;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    names.emplace_back(stmt.ColumnText(0));
  }
  return names;
}

namespace {

// True when `tail` (what follows the first statement) holds another statement; whitespace, `;`
// and comments are fine. Compiling, not running, is how SQLite's own parser tells them apart.
bool HasAnotherStatement(sqlite3* db, const char* tail) {
  while (tail != nullptr && *tail != '\0') {
    sqlite3_stmt* stmt = nullptr;
    const char* next = nullptr;
    const int rc = sqlite3_prepare_v2(db, tail, -1, &stmt, &next);
    const bool statement = stmt != nullptr;
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK || statement) return true;
    if (next == tail) break;
    tail = next;
  }
  return false;
}

}  // namespace

std::string SqliteDb::Compile(const std::string& sql, int* column_count) {
  if (guard_) guard_->ClearDenial();
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return ErrorMessage(rc);  // names what the guard refused ("not allowed in rule SQL: ...")
  }
  std::string problem;
  if (stmt == nullptr) {
    problem = "it is empty";
  } else if (HasAnotherStatement(db_, tail)) {
    problem = "it must be a single SQL statement, but more follows the first one";
  } else if (sqlite3_stmt_readonly(stmt) == 0) {
    problem = "it must be read-only (a SELECT), but it would change the database";
  } else if (column_count != nullptr) {
    *column_count = sqlite3_column_count(stmt);
  }
  sqlite3_finalize(stmt);
  return problem;
}

Status SqliteDb::OpenFailure(const std::string& path) {
  if (db_ == nullptr) return IoError(fmt::format("cannot open {}: out of memory", path));
  const int rc = sqlite3_extended_errcode(db_);
  const std::string sqlite_message = sqlite3_errmsg(db_);
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      return IoError(fmt::format("{} is not an SQLite database (its header is not an SQLite "
                                 "header: another kind of file, or a truncated one)",
                                 path));
    case SQLITE_CORRUPT: {
      // What SQLite's own check says, briefly (the first 3 problems); it may fail itself when
      // the schema is what is damaged.
      std::string found;
      Result<Statement> check = Prepare("PRAGMA quick_check(3)");
      while (check.ok()) {
        Result<bool> row = check->Step();
        if (!row.ok()) {
          found += (found.empty() ? "" : "; ") + row.status().message();
          break;
        }
        if (!*row) break;
        found += (found.empty() ? "" : "; ") + std::string(check->ColumnText(0));
      }
      if (!check.ok()) found = check.status().message();
      return IoError(fmt::format("{} is corrupted ({}){}; PRAGMA quick_check says: {}", path,
                                 sqlite_message, TruncationNote(path),
                                 found.empty() ? "nothing" : found));
    }
    case SQLITE_BUSY:
      return IoError(fmt::format(
          "{} is locked by a writer: still busy after waiting {} s ({}); scan it again when the "
          "writer is done",
          path, static_cast<double>(busy_timeout_ms_) / 1000.0, sqlite_message));
    case SQLITE_READONLY:
      if (rc == SQLITE_READONLY_ROLLBACK || FileExists(path + "-journal")) {
        return IoError(fmt::format(
            "{} has a hot journal ({}-journal): a writer crashed in the middle of a transaction. "
            "dqaudit never writes to a source, so it cannot roll it back; open the database once "
            "with a program that may write it (for example: sqlite3 {} 'PRAGMA quick_check') to "
            "roll the transaction back, then scan again",
            path, path, path));
      }
      break;
    case SQLITE_CANTOPEN:
      if (FileExists(path + "-wal") && !FileExists(path + "-shm")) {
        return IoError(fmt::format(
            "cannot open {}: it has a -wal file but no -shm file, and the -shm file cannot be "
            "created here (read-only folder?); open it once where it can be written, or let its "
            "writer open it ({})",
            path, sqlite_message));
      }
      break;
    default:
      break;
  }
  return IoError(fmt::format("cannot open {}: {}", path, sqlite_message));
}

Status SqliteDb::ErrorStatus(const std::string& what) const {
  return IoError(fmt::format("{}: {}", what, db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"));
}

}  // namespace dqa
