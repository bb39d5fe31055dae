#include "scripts/datagen/db_writer.h"

#include <filesystem>
#include <system_error>

#include "core/sources/sqlite_db.h"

namespace dqa::datagen {
namespace {

Status RemoveIfExists(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (ec) return IoError("cannot remove " + path + ": " + ec.message());
  return Status::Ok();
}

Status BindCell(Statement& stmt, int index, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) return stmt.BindNull(index);
  if (const auto* i = std::get_if<int64_t>(&cell)) return stmt.Bind(index, *i);
  if (const auto* d = std::get_if<double>(&cell)) return stmt.Bind(index, *d);
  return stmt.Bind(index, std::string_view(std::get<std::string>(cell)));
}

Status WriteTable(SqliteDb& db, const Table& table) {
  std::string create = "CREATE TABLE " + QuoteIdent(table.name) + " (";
  std::string insert = "INSERT INTO " + QuoteIdent(table.name) + " VALUES (";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) {
      create += ", ";
      insert += ", ";
    }
    create += QuoteIdent(table.columns[i].name) + " " + table.columns[i].declared_type;
    insert += "?";
  }
  create += ")";
  insert += ")";
  DQA_RETURN_IF_ERROR(db.Exec(create));
  DQA_RETURN_IF_ERROR(db.Exec("BEGIN"));
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(insert));
  for (const auto& row : table.rows) {
    if (row.size() != table.columns.size()) {
      return Internal("row of " + table.name + " has the wrong number of cells");
    }
    for (size_t i = 0; i < row.size(); ++i) {
      DQA_RETURN_IF_ERROR(BindCell(stmt, static_cast<int>(i) + 1, row[i]));
    }
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    (void)has_row;
    DQA_RETURN_IF_ERROR(stmt.Reset());
  }
  return db.Exec("COMMIT");
}

}  // namespace

Status WriteDatabase(const std::string& path, const std::vector<const Table*>& tables) {
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    DQA_RETURN_IF_ERROR(RemoveIfExists(path + suffix));
  }
  DQA_ASSIGN_OR_RETURN(auto db, SqliteDb::OpenReadWrite(path, /*create=*/true));
  DQA_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=DELETE"));
  DQA_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=OFF"));
  for (const Table* table : tables) {
    DQA_RETURN_IF_ERROR(WriteTable(*db, *table).WithContext(path));
  }
  return Status::Ok();
}

}  // namespace dqa::datagen
