// The schema of each scanned source, recorded per run (table source_schemas, docs/history.md), and
// how two recorded schemas differ: what the audit pipeline reports as a schema change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/sources/sqlite_db.h"
#include "core/util/status.h"

namespace dqa {

struct SchemaColumn {
  std::string name;
  std::string type;  // the declared type as written ("" when none)
  bool operator==(const SchemaColumn&) const = default;
};

struct SchemaTable {
  std::string name;
  std::vector<SchemaColumn> columns;  // in table order
  bool operator==(const SchemaTable&) const = default;
};

// A database's tables (sorted by name; SQLite's own sqlite_* tables left out) and their columns.
struct SourceSchema {
  std::vector<SchemaTable> tables;
  bool operator==(const SourceSchema&) const = default;
};

// The schema of schema "main" of `db`.
Result<SourceSchema> ReadSourceSchema(SourceDb& db);

// JSON text {"tables": [{"name": t, "columns": [{"name": c, "type": T}, ...]}, ...]} and back.
std::string SchemaJson(const SourceSchema& schema);
Result<SourceSchema> ParseSchemaJson(const std::string& text);

// What changed from `before` to `after`, one line each, tables in name order: "table t added",
// "table t dropped", and per table kept "column t.c added", "column t.c dropped", "column t.c
// renamed to d", "column t.c retyped from TEXT to INTEGER". A dropped and an added column of one
// table at the same position with the same declared type are one rename. Names and types compare
// case-insensitively (as SQLite does).
std::vector<std::string> CompareSchemas(const SourceSchema& before, const SourceSchema& after);

// A schema as recorded for a source in a run.
struct RecordedSchema {
  int64_t run_id = 0;
  int64_t since_run = 0;  // the first run of the unbroken series of runs that saw this schema
  SourceSchema schema;
};

// The schema recorded for `source` in the most recent run before `run_id`; nullopt if none.
Result<std::optional<RecordedSchema>> LatestSchemaBefore(HistoryStore& store,
                                                         const std::string& source,
                                                         int64_t run_id);
// The schema recorded for `source` in run `run_id`; nullopt if none.
Result<std::optional<RecordedSchema>> SchemaOfRun(HistoryStore& store, const std::string& source,
                                                  int64_t run_id);
// Records (or replaces) the schema of `source` in run `recorded.run_id`.
Status RecordSchema(HistoryStore& store, const std::string& source,
                    const RecordedSchema& recorded);

}  // namespace dqa
