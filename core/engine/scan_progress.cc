// EstimateTableRows: one indexed look-up (SQLite: the last rowid of the table's b-tree) or one
// catalogue row (PostgreSQL), run in the scan's own snapshot.
#include "core/engine/scan_progress.h"

#include <fmt/format.h>

#include "dqaudit/sql.h"

namespace dqa {

int64_t EstimateTableRows(SourceDb& db, const std::string& table) {
  std::string sql;
  if (db.engine() == Engine::kSqlite) {
    if (!db.IsBaseTable(table)) return -1;
    sql = fmt::format("SELECT max(rowid) FROM {}", db.QualifiedTable(table));
  } else {
    sql = fmt::format("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass({})",
                      sdk::QuoteSqlLiteral(db.QualifiedTable(table)));
  }
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return -1;
  auto row = stmt->Step();
  if (!row.ok() || !*row) return -1;
  if (stmt->IsNull(0)) return db.engine() == Engine::kSqlite ? 0 : -1;  // max() of no rows
  const int64_t rows = stmt->ColumnInt(0);
  return rows >= 0 ? rows : -1;  // reltuples is -1 before the first ANALYZE
}

}  // namespace dqa
