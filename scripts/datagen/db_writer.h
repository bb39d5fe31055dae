// Writes generated tables into a fresh SQLite file (plain rollback-journal database).
#pragma once

#include <string>
#include <vector>

#include "core/util/status.h"
#include "scripts/datagen/table.h"

namespace dqa::datagen {

// Replaces `path` (and any -journal/-wal/-shm next to it) with a new database holding `tables`:
// one CREATE TABLE and one transaction of prepared inserts per table, synchronous=OFF during the
// load, journal_mode=DELETE so the result is a single self-contained file. Rows are inserted in
// order, so the file's bytes depend only on the tables' contents.
Status WriteDatabase(const std::string& path, const std::vector<const Table*>& tables);

}  // namespace dqa::datagen
