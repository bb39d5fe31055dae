// Profiling a source database (SQLite or PostgreSQL): per table one streamed scan, per column a
// ColumnProfile.
#pragma once

#include <string>
#include <vector>

#include "core/profiling/column_profiler.h"
#include "core/sources/source_db.h"
#include "core/util/status.h"

namespace dqa::profiling {

struct TableProfile {
  std::string name;
  int64_t rows = 0;
  std::vector<ColumnProfile> columns;  // in table order
  double elapsed_ms = 0;               // wall time of the scan
};

struct DatabaseProfile {
  std::string database;  // the path as given, or the DSN with its password redacted
  std::string today;     // YYYY-MM-DD: reference date of future/old dates
  ProfileSettings settings;
  std::vector<TableProfile> tables;
};

// Profiles the tables of an open (read-only) database inside one read snapshot (BeginSnapshot and
// EndSnapshot are called here). `tables` empty: every base table of db.MainSchema() (SQLite: no
// sqlite_* table), in name order; otherwise those tables or views, in the order given. Each table
// is read by exactly one `SELECT <all columns>` (SQLite: in rowid order, NOT INDEXED; PostgreSQL:
// in the server's order), every value as the engine's Statement::Read gives it, so the same data
// gives the same figures on both engines; memory stays bounded by `settings` whatever the row
// count.
// Errors: NotFound for a table that does not exist (the message lists the tables) and, on
// PostgreSQL, for a `schema=` that does not exist (the message lists the schemas); the engine's
// error (IoError...) for a failure during the scan.
Result<DatabaseProfile> ProfileDatabase(SourceDb& db, const std::vector<std::string>& tables,
                                        const ProfileSettings& settings);

// Profiles one table (no snapshot handling; ProfileDatabase's contract otherwise).
Result<TableProfile> ProfileTable(SourceDb& db, const std::string& table,
                                  const ProfileSettings& settings);

}  // namespace dqa::profiling
