#include "core/sources/sql_guard.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <string_view>
#include <utility>

namespace dqa {
namespace {

// Pragmas that only read, allowed with no argument (a value would make most of them a write).
constexpr std::array<std::string_view, 17> kPlainPragmas = {
    "application_id", "auto_vacuum",  "collation_list", "compile_options", "data_version",
    "database_list",  "encoding",     "freelist_count", "function_list",   "journal_mode",
    "module_list",    "page_count",   "page_size",      "pragma_list",     "schema_version",
    "user_version",   "table_list"};
// Pragmas whose argument names a table or index (or a count for the integrity checks): they only
// read, with or without it.
constexpr std::array<std::string_view, 10> kTablePragmas = {
    "table_info", "table_xinfo",       "table_list",      "index_list",      "index_info",
    "index_xinfo", "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"};
// Functions that hand out or take raw pointers, or load code.
constexpr std::array<std::string_view, 2> kRefusedFunctions = {"load_extension", "fts3_tokenizer"};

std::string LowerAscii(const char* text) {
  std::string out = text == nullptr ? "" : text;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool IsSchemaTable(const std::string& table) {
  return table == "sqlite_master" || table == "sqlite_schema" || table == "sqlite_temp_master" ||
         table == "sqlite_temp_schema";
}

// Names of the actions the authorizer refuses, for the message.
std::string ActionName(int action, const char* a1) {
  const std::string object = a1 == nullptr ? "" : fmt::format(" ({})", a1);
  switch (action) {
    case SQLITE_ATTACH: return "ATTACH";
    case SQLITE_DETACH: return "DETACH";
    case SQLITE_TRANSACTION: return fmt::format("{} (transactions belong to dqaudit)",
                                                a1 == nullptr ? "BEGIN/COMMIT" : a1);
    case SQLITE_SAVEPOINT: return "SAVEPOINT/RELEASE";
    case SQLITE_INSERT: return "writing to the database (INSERT" + object + "): it is read-only";
    case SQLITE_UPDATE: return "writing to the database (UPDATE" + object + "): it is read-only";
    case SQLITE_DELETE: return "writing to the database (DELETE" + object + "): it is read-only";
    default: break;
  }
  // CREATE/DROP/ALTER/ANALYZE/REINDEX and anything newer.
  return fmt::format("changing the database (SQLite authorizer action {}{}): it is read-only",
                     action, object);
}

}  // namespace

SqlGuard::SqlGuard(sqlite3* db, int64_t budget_ms) : db_(db), budget_ms_(budget_ms) {}

void SqlGuard::Install() {
  // Each setting closes a door that rule SQL must not open (docs/sources.md "the guard").
  sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, nullptr);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_limit(db_, SQLITE_LIMIT_SQL_LENGTH, 1'000'000);
  sqlite3_limit(db_, SQLITE_LIMIT_EXPR_DEPTH, 250);
  sqlite3_limit(db_, SQLITE_LIMIT_COMPOUND_SELECT, 50);
  sqlite3_limit(db_, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1'000);
  sqlite3_limit(db_, SQLITE_LIMIT_FUNCTION_ARG, 32);
  sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, 256);
  sqlite3_limit(db_, SQLITE_LIMIT_VDBE_OP, 1'000'000);
  sqlite3_limit(db_, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_set_authorizer(db_, &SqlGuard::Authorize, this);
  // Every 10,000 VM instructions (~0.1 ms): a clock read each time costs nothing measurable.
  sqlite3_progress_handler(db_, 10'000, &SqlGuard::Progress, this);
}

int64_t SqlGuard::NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t SqlGuard::Arm(int64_t deadline_ns) {
  fired_ = false;
  return std::exchange(deadline_ns_, deadline_ns);
}

int SqlGuard::Progress(void* self) {
  auto* guard = static_cast<SqlGuard*>(self);
  if (guard->deadline_ns_ == 0 || NowNs() < guard->deadline_ns_) return 0;
  guard->fired_ = true;
  return 1;  // SQLITE_INTERRUPT for the running statement
}

int SqlGuard::Deny(std::string what) {
  denial_ = "not allowed in rule SQL: " + std::move(what);
  return SQLITE_DENY;
}

int SqlGuard::Authorize(void* self, int action, const char* a1, const char* a2,
                        const char* /*schema*/, const char* /*inner*/) {
  auto* guard = static_cast<SqlGuard*>(self);
  if (guard->host_depth_ > 0) return SQLITE_OK;
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_FUNCTION: {
      const std::string name = LowerAscii(a2);
      if (Contains(kRefusedFunctions, name)) return guard->Deny(fmt::format("function {}()", name));
      return SQLITE_OK;
    }
    case SQLITE_PRAGMA: {
      const std::string name = LowerAscii(a1);
      if (Contains(kTablePragmas, name) || (a2 == nullptr && Contains(kPlainPragmas, name))) {
        return SQLITE_OK;
      }
      return guard->Deny(a2 == nullptr ? fmt::format("PRAGMA {}", name)
                                       : fmt::format("PRAGMA {} = {}", name, a2));
    }
    case SQLITE_UPDATE:
      // The first use of an eponymous virtual table (pragma_table_info, json_each...) checks an
      // UPDATE of the schema table's columns while SQLite declares it; nothing is written (the
      // connection is read-only and query_only), and refusing it would refuse the table.
      if (IsSchemaTable(LowerAscii(a1))) return SQLITE_OK;
      return guard->Deny(ActionName(action, a1));
    default:
      return guard->Deny(ActionName(action, a1));
  }
}

}  // namespace dqa
