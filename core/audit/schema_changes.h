// Schema changes of a source between recorded runs: while a source is scanned, its schema is read;
// once it is scanned, compared with the one recorded in the source's most recent earlier run,
// recorded with this run, and reported as one finding result (type schema_change, docs/history.md
// "Schema changes").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/history/schema_history.h"
#include "core/history/store.h"
#include "core/model/result.h"
#include "core/model/source.h"
#include "core/util/status.h"

namespace dqa {

// The finding of source `source` in run `run_id` whose current schema is `current`, with `earlier`
// the one recorded before (nullopt: the first run, the baseline). Id "schema_change:<source>",
// dimension validity, severity `severity`; a change makes it warn or fail by that severity,
// one sample per change ("column t.c added in run 7"); no change, or the baseline, passes.
CheckResult SchemaChangeResult(const std::string& source, int64_t run_id,
                               const std::optional<RecordedSchema>& earlier,
                               const SourceSchema& current, Severity severity);

// The run in which `current` was first seen in an unbroken series (run_id when it changed or is
// the baseline, else earlier->since_run).
int64_t SchemaSinceRun(int64_t run_id, const std::optional<RecordedSchema>& earlier,
                       const SourceSchema& current);

// The schema of source.db_path (ReadSourceSchema), on a connection of its own, outside any
// snapshot and without the source's attached databases. Safe on any thread.
Result<SourceSchema> ReadSchemaOf(const SourceSpec& source);

// For a scanned source (result.error empty): takes its schema (`read`: ReadSchemaOf's answer,
// taken while the source was scanned; nullptr: read now), compares it with the source's latest
// earlier recorded schema and appends the finding to `result` (none when source.schema_changes is
// unset). Returns the schema to record with run `run_id` once the source itself is recorded
// (RecordSchema), so that a run killed in between leaves no schema of a source it did not record;
// nullopt for a source that could not be scanned (left alone). Errors of the store or of the
// database are returned (the scan's results stand).
Result<std::optional<RecordedSchema>> CompareSchemaWithLastRun(
    HistoryStore& store, int64_t run_id, const SourceSpec& source, SourceResult& result,
    const Result<SourceSchema>* read = nullptr);

// For a source carried over from run `carried.carried_from_run`: records the schema recorded then
// with run `run_id` too (the database did not change), so the next run compares with it.
Status CarrySchema(HistoryStore& store, int64_t run_id, const SourceResult& carried);

}  // namespace dqa
