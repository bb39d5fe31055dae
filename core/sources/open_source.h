// OpenSourceDb: a source's database opened read-only, whichever engine holds it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/model/source.h"
#include "core/sources/source_db.h"
#include "core/util/status.h"

namespace dqa {

struct OpenSourceOptions {
  int64_t statement_budget_ms = 0;  // <= 0: none
  // The database of each `attach` alias: the SQLite file, or the attached PostgreSQL source's
  // connection (it must be the same database: the alias then names its schema).
  std::map<std::string, std::string> attach;
  bool snapshot = true;         // BeginSnapshot once opened and attached
  bool with_attached = true;    // false: the source's own tables only (`attach` ignored)
};

// SQLite (`db_path`, read-only, attachments ATTACHed) or PostgreSQL (`connection`: one read-only
// REPEATABLE READ snapshot; an attached source must live in the same database and its schema be
// named as its alias, since rule SQL names its tables `alias.table`).
Result<std::unique_ptr<SourceDb>> OpenSourceDb(const SourceSpec& source,
                                               const OpenSourceOptions& options);

}  // namespace dqa
