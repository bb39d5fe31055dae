#include "core/sources/open_source.h"

#include <fmt/format.h>

#include "core/sources/pg_db.h"
#include "core/sources/sqlite_db.h"

namespace dqa {
namespace {

Result<std::unique_ptr<SourceDb>> OpenPostgres(const SourceSpec& source,
                                               const OpenSourceOptions& options) {
  PgConnectOptions pg;
  pg.statement_timeout_ms = options.statement_budget_ms;
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<PgDb> db, PgDb::Open(source.connection, pg));
  const PgLocation here = SplitSchema(source.connection);
  for (const auto& [alias, source_id] : source.attach) {
    if (!options.with_attached) break;
    const auto it = options.attach.find(alias);
    const PgLocation there =
        it == options.attach.end() ? PgLocation{} : SplitSchema(it->second);
    if (it == options.attach.end() || it->second.empty() || there.server != here.server ||
        there.schema != alias) {
      return InvalidArgument(fmt::format(
          "attached source {} (alias {}) must be a PostgreSQL source in the same database as "
          "{}, with its schema named {} (on PostgreSQL rule SQL reads its tables as {}.table)",
          source_id, alias, source.id, alias, alias));
    }
  }
  if (options.snapshot) DQA_RETURN_IF_ERROR(db->BeginSnapshot());
  return std::unique_ptr<SourceDb>(std::move(db));
}

}  // namespace

Result<std::unique_ptr<SourceDb>> OpenSourceDb(const SourceSpec& source,
                                               const OpenSourceOptions& options) {
  if (!source.connection.empty()) return OpenPostgres(source, options);
  if (source.db_path.empty()) {
    return InvalidArgument(fmt::format("cannot scan {}: no database", source.database));
  }
  SqliteDb::OpenOptions sqlite;
  sqlite.statement_budget_ms = options.statement_budget_ms;
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::OpenReadOnly(source.db_path, sqlite));
  for (const auto& [alias, source_id] : source.attach) {
    if (!options.with_attached) break;
    const auto it = options.attach.find(alias);
    if (it == options.attach.end() || it->second.empty()) {
      return NotFound(fmt::format("attached source {} (alias {}) has no SQLite database path",
                                  source_id, alias));
    }
    DQA_RETURN_IF_ERROR(db->AttachReadOnly(it->second, alias));
  }
  if (options.snapshot) DQA_RETURN_IF_ERROR(db->BeginSnapshot());
  return std::unique_ptr<SourceDb>(std::move(db));
}

}  // namespace dqa
