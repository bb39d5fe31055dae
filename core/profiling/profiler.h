// Profiling a SQLite database: per table one streamed scan, per column a ColumnProfile.
#pragma once

#include <string>
#include <vector>

#include "core/profiling/column_profiler.h"
#include "core/sources/sqlite_db.h"
#include "core/util/status.h"

namespace dqa::profiling {

struct TableProfile {
  std::string name;
  int64_t rows = 0;
  std::vector<ColumnProfile> columns;  // in table order
  double elapsed_ms = 0;               // wall time of the scan
};

struct DatabaseProfile {
  std::string database;  // the path as given
  std::string today;     // YYYY-MM-DD: reference date of future/old dates
  ProfileSettings settings;
  std::vector<TableProfile> tables;
};

// Profiles the tables of an open (read-only) database inside one read snapshot. `tables` empty:
// every table of the main schema except sqlite_* tables, in name order; otherwise those tables or
// views, in the order given. Each table is read by exactly one `SELECT <all columns>` in rowid
// order; memory stays bounded by `settings` whatever the row count.
// Errors: NotFound for a table that does not exist (the message lists the tables), IoError for a
// SQLite error during the scan.
Result<DatabaseProfile> ProfileDatabase(SqliteDb& db, const std::vector<std::string>& tables,
                                        const ProfileSettings& settings);

// Profiles one table (no snapshot handling; ProfileDatabase's contract otherwise).
Result<TableProfile> ProfileTable(SqliteDb& db, const std::string& table,
                                  const ProfileSettings& settings);

}  // namespace dqa::profiling
