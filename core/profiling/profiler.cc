#include "core/profiling/profiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/sources/pg_db.h"
#include "core/sources/sqlite_value.h"
#include "core/util/dates.h"
#include "dqaudit/sql.h"

namespace dqa::profiling {

Result<TableProfile> ProfileTable(SourceDb& db, const std::string& table,
                                  const ProfileSettings& settings) {
  const auto start = std::chrono::steady_clock::now();
  DQA_ASSIGN_OR_RETURN(std::vector<ColumnInfo> columns, db.TableColumns(db.MainSchema(), table));
  TableProfile out;
  out.name = table;
  std::vector<ColumnProfiler> profilers;
  profilers.reserve(columns.size());
  std::string select;
  for (const ColumnInfo& c : columns) {
    profilers.emplace_back(c.name, c.declared_type, c.primary_key, settings);
    if (!select.empty()) select += ", ";
    select += sdk::QuoteIdentifier(c.name);
  }
  // SQLite: NOT INDEXED, a plain rowid-order scan, never a sorter (views cannot take it).
  const bool not_indexed = db.engine() == Engine::kSqlite && db.IsBaseTable(table);
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       db.Prepare(fmt::format("SELECT {} FROM {}{}", select, db.QualifiedTable(table),
                                              not_indexed ? " NOT INDEXED" : ""),
                                  StepBudget::kPerStep));
  sqlite3_stmt* raw = stmt.sqlite();  // the SQLite fast path: no virtual call per value
  const int n = static_cast<int>(profilers.size());
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    ++out.rows;
    for (int i = 0; i < n; ++i) {
      profilers[static_cast<size_t>(i)].Observe(raw != nullptr ? ReadColumnValue(raw, i)
                                                               : stmt.Read(i));
    }
  }
  for (const ColumnProfiler& p : profilers) out.columns.push_back(p.Finish());
  out.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return out;
}

Result<DatabaseProfile> ProfileDatabase(SourceDb& db, const std::vector<std::string>& tables,
                                        const ProfileSettings& settings) {
  DatabaseProfile out;
  out.database = db.Describe();
  out.today = FormatDay(settings.today_day);
  out.settings = settings;
  // A schema that does not exist would otherwise read as one without tables.
  if (auto* pg = dynamic_cast<PgDb*>(&db)) DQA_RETURN_IF_ERROR(pg->CheckSchemaExists());
  DQA_RETURN_IF_ERROR(db.BeginSnapshot());
  DQA_ASSIGN_OR_RETURN(std::vector<std::string> names, db.TableNames());
  if (!tables.empty()) {
    for (const std::string& t : tables) {
      // A view has columns too: it may be profiled, though it is not among the base tables.
      if (Result<std::vector<ColumnInfo>> columns = db.TableColumns(db.MainSchema(), t);
          !columns.ok()) {
        if (columns.status().code() != StatusCode::kNotFound) return columns.status();
        return NotFound(fmt::format("table '{}' not found in {} (tables: {})", t, db.Describe(),
                                    fmt::join(names, ", ")));
      }
    }
    names = tables;
  }
  for (const std::string& t : names) {
    DQA_ASSIGN_OR_RETURN(TableProfile p, ProfileTable(db, t, settings));
    out.tables.push_back(std::move(p));
  }
  DQA_RETURN_IF_ERROR(db.EndSnapshot());
  return out;
}

}  // namespace dqa::profiling
