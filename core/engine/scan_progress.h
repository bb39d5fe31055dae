// The row estimate behind the ETA of a table scan (README "Command line": progress within a
// source). Estimates are cheap and may be off: the console prints them with "~".
#pragma once

#include <cstdint>
#include <string>

#include "core/sources/source_db.h"

namespace dqa {

// About how many rows a scan of `table` reads, without counting them (a count is a scan of its
// own): SQLite max(rowid) (deleted rows make it high; a WITHOUT ROWID table or a view has none),
// PostgreSQL pg_class.reltuples (as of the last ANALYZE or VACUUM). -1 when unknown; 0 for an
// empty SQLite table.
int64_t EstimateTableRows(SourceDb& db, const std::string& table);

}  // namespace dqa
