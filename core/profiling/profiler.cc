#include "core/profiling/profiler.h"

#include <fmt/format.h>

#include <chrono>

#include "core/sources/sqlite_value.h"
#include "core/util/dates.h"

namespace dqa::profiling {
namespace {

Result<std::vector<std::string>> ListTables(SqliteDb& db, const char* types) {
  DQA_ASSIGN_OR_RETURN(
      Statement stmt,
      db.Prepare(fmt::format("SELECT name FROM main.sqlite_master WHERE type IN ({}) AND name NOT "
                             "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                             types)));
  std::vector<std::string> names;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    names.emplace_back(stmt.ColumnText(0));
  }
  return names;
}

}  // namespace

Result<TableProfile> ProfileTable(SqliteDb& db, const std::string& table,
                                  const ProfileSettings& settings) {
  const auto start = std::chrono::steady_clock::now();
  DQA_ASSIGN_OR_RETURN(std::vector<ColumnInfo> columns, db.TableColumns("main", table));
  TableProfile out;
  out.name = table;
  std::vector<ColumnProfiler> profilers;
  profilers.reserve(columns.size());
  std::string select;
  for (const ColumnInfo& c : columns) {
    profilers.emplace_back(c.name, c.declared_type, c.primary_key, settings);
    if (!select.empty()) select += ", ";
    select += QuoteIdent(c.name);
  }
  // NOT INDEXED: a plain rowid-order scan, never a sorter (views cannot take it).
  DQA_ASSIGN_OR_RETURN(std::vector<std::string> plain_tables, ListTables(db, "'table'"));
  bool is_table = false;
  for (const std::string& t : plain_tables) is_table = is_table || t == table;
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       db.Prepare(fmt::format("SELECT {} FROM main.{}{}", select, QuoteIdent(table),
                                              is_table ? " NOT INDEXED" : ""),
                                  StepBudget::kPerStep));
  sqlite3_stmt* raw = stmt.sqlite();
  const int n = static_cast<int>(profilers.size());
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    ++out.rows;
    for (int i = 0; i < n; ++i) profilers[static_cast<size_t>(i)].Observe(ReadColumnValue(raw, i));
  }
  for (const ColumnProfiler& p : profilers) out.columns.push_back(p.Finish());
  out.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return out;
}

Result<DatabaseProfile> ProfileDatabase(SqliteDb& db, const std::vector<std::string>& tables,
                                        const ProfileSettings& settings) {
  DatabaseProfile out;
  out.database = db.path();
  out.today = FormatDay(settings.today_day);
  out.settings = settings;
  DQA_RETURN_IF_ERROR(db.BeginSnapshot());
  DQA_ASSIGN_OR_RETURN(std::vector<std::string> all, ListTables(db, "'table', 'view'"));
  std::vector<std::string> names;
  if (tables.empty()) {
    DQA_ASSIGN_OR_RETURN(names, ListTables(db, "'table'"));
  } else {
    for (const std::string& t : tables) {
      bool found = false;
      for (const std::string& a : all) found = found || a == t;
      if (!found) {
        return NotFound(fmt::format("table '{}' not found in {} (tables: {})", t, db.path(),
                                    fmt::join(all, ", ")));
      }
      names.push_back(t);
    }
  }
  for (const std::string& t : names) {
    DQA_ASSIGN_OR_RETURN(TableProfile p, ProfileTable(db, t, settings));
    out.tables.push_back(std::move(p));
  }
  DQA_RETURN_IF_ERROR(db.EndSnapshot());
  return out;
}

}  // namespace dqa::profiling
