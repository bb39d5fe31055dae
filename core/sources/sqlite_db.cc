#include "core/sources/sqlite_db.h"

#include <filesystem>
#include <utility>

#include <fmt/format.h>

namespace dqa {

std::string QuoteIdent(std::string_view ident) {
  std::string out = "\"";
  for (char c : ident) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

// Percent-encodes a path for use inside a file: URI (SQLite decodes %HH).
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

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return IoError(fmt::format("{} (in: {})", sqlite3_errmsg(db_), sqlite3_sql(stmt_)));
}

Status Statement::Reset() {
  if (sqlite3_reset(stmt_) != SQLITE_OK) return IoError(sqlite3_errmsg(db_));
  return Status::Ok();
}

Status Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) return IoError(sqlite3_errmsg(db_));
  return Status::Ok();
}

Status Statement::Bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) return IoError(sqlite3_errmsg(db_));
  return Status::Ok();
}

Status Statement::Bind(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    return IoError(sqlite3_errmsg(db_));
  }
  return Status::Ok();
}

Status Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) return IoError(sqlite3_errmsg(db_));
  return Status::Ok();
}

std::string_view Statement::ColumnText(int i) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  if (text == nullptr) return {};
  return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))};
}

std::string Statement::ColumnDisplay(int i) const {
  switch (ColumnType(i)) {
    case SQLITE_NULL: return "NULL";
    case SQLITE_INTEGER: return std::to_string(ColumnInt(i));
    case SQLITE_FLOAT: return fmt::format("{}", ColumnDouble(i));
    default: return std::string(ColumnText(i));
  }
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Result<std::unique_ptr<SqliteDb>> SqliteDb::OpenReadOnly(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(fmt::format("database file not found: {}", path));
  }
  sqlite3* db = nullptr;
  const std::string uri = FileUri(path, "mode=ro");
  // NOMUTEX: a connection is used by one thread (see SqliteDb); the per-call connection mutex
  // was 12% of the instructions of a fused table scan (bench/scan_strategy.cc, docs/engine.md).
  int rc = sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  std::unique_ptr<SqliteDb> out(new SqliteDb(db, path));
  if (rc != SQLITE_OK) return out->ErrorStatus("cannot open " + path);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 10000);
  DQA_RETURN_IF_ERROR(out->Exec("PRAGMA query_only=1"));
  // Reading the schema fails here, not in the first check, when the file is not a database.
  DQA_RETURN_IF_ERROR(out->Exec("SELECT count(*) FROM sqlite_master").WithContext(path));
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
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(fmt::format("attached database file not found: {}", path));
  }
  // ATTACH is not a write, so query_only does not forbid it.
  DQA_RETURN_IF_ERROR(Exec(fmt::format("ATTACH DATABASE {} AS {}",
                                       QuoteLiteral(FileUri(path, "mode=ro")), QuoteIdent(alias)))
                          .WithContext(fmt::format("attached database {} ({})", alias, path)));
  attached_.emplace_back(alias, path);
  return Status::Ok();
}

Status SqliteDb::BeginSnapshot() {
  DQA_RETURN_IF_ERROR(Exec("BEGIN DEFERRED"));
  in_snapshot_ = true;
  // A deferred transaction takes its read lock on each database at first use: touch all now.
  DQA_RETURN_IF_ERROR(Exec("SELECT count(*) FROM main.sqlite_master"));
  for (const auto& [alias, path] : attached_) {
    // The first read of an attached file is where a damaged or foreign file shows: say which.
    DQA_RETURN_IF_ERROR(
        Exec(fmt::format("SELECT count(*) FROM {}.sqlite_master", QuoteIdent(alias)))
            .WithContext(fmt::format("attached database {} ({})", alias, path)));
  }
  return Status::Ok();
}

Status SqliteDb::EndSnapshot() {
  if (!in_snapshot_) return Status::Ok();
  in_snapshot_ = false;
  return Exec("COMMIT");
}

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return IoError(msg);
  }
  return Status::Ok();
}

Result<Statement> SqliteDb::Prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return InvalidArgument(fmt::format("{} (in: {})", sqlite3_errmsg(db_), sql));
  }
  if (stmt == nullptr) return InvalidArgument("empty SQL statement");
  return Statement(db_, stmt);
}

Result<std::optional<double>> SqliteDb::QueryNumber(const std::string& sql) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row || stmt.ColumnCount() == 0 || stmt.IsNull(0)) return std::optional<double>();
  return std::optional<double>(stmt.ColumnDouble(0));
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

Status SqliteDb::ErrorStatus(const std::string& what) const {
  return IoError(fmt::format("{}: {}", what, db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"));
}

}  // namespace dqa
