// Duplicate checks: the grouping queries that SQLite runs (one per distinct key-column set).
#pragma once

#include <string>
#include <vector>

#include "core/checks/row_checks.h"
#include "core/sources/sqlite_db.h"

namespace dqa {

// For every distinct key-column set among `checks` runs ONE grouping query over the table's rows
// in scope with all key columns non-NULL, and sets each check's violations (rows beyond the first
// of each group) and groups; a second query fetches samples (key tuples `key_sql` of the rows of
// duplicated groups, ordered by the duplicate columns then the key) only for checks with
// violations. A SQL error becomes the error of the checks of that query.
// `table` is unquoted; `filter` may be empty; `key_sql` are SQL expressions (quoted columns or
// rowid).
void RunDuplicateGrouping(SqliteDb& db, const std::string& table, const std::string& filter,
                          const std::vector<std::string>& key_sql,
                          const std::vector<DuplicateCheck*>& checks, int samples);

}  // namespace dqa
