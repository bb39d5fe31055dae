#include "core/audit/schema_changes.h"

#include <fmt/format.h>

#include "core/checks/evaluator.h"
#include "core/sources/open_source.h"
#include "dqaudit/text.h"

namespace dqa {

int64_t SchemaSinceRun(int64_t run_id, const std::optional<RecordedSchema>& earlier,
                       const SourceSchema& current) {
  if (!earlier || !CompareSchemas(earlier->schema, current).empty()) return run_id;
  return earlier->since_run;
}

CheckResult SchemaChangeResult(const std::string& source, int64_t run_id,
                               const std::optional<RecordedSchema>& earlier,
                               const SourceSchema& current, Severity severity) {
  CheckResult r;
  r.id = "schema_change:" + source;
  r.type = "schema_change";
  r.source = source;
  r.dimension = Dimension::kValidity;
  r.severity = severity;
  r.thresholds.fail.max_count = 0;
  r.key_columns = {"change"};
  r.rows_checked = static_cast<int64_t>(current.tables.size());
  if (!earlier) {
    r.message = fmt::format("Schema baseline recorded in run {}: {} table{}; later runs are "
                            "compared with it",
                            run_id, current.tables.size(), current.tables.size() == 1 ? "" : "s");
    SetWords(r, "check.schema_change.baseline",
             {{"n_run", std::to_string(run_id)},
              {"n_tables", std::to_string(current.tables.size())}});
    return r;
  }
  const std::vector<std::string> changes = CompareSchemas(earlier->schema, current);
  if (changes.empty()) {
    r.message = fmt::format("Schema unchanged since run {}", earlier->since_run);
    SetWords(r, "check.schema_change.unchanged", {{"n_since", std::to_string(earlier->since_run)}});
    return r;
  }
  r.violations = static_cast<int64_t>(changes.size());
  r.percent = r.rows_checked > 0 ? 100.0 * static_cast<double>(r.violations) /
                                       static_cast<double>(r.rows_checked)
                                 : 0;
  for (const std::string& change : changes) {
    r.samples.push_back({fmt::format("{} in run {}", change, run_id)});
  }
  r.outcome = DecideOutcome(r.violations, r.percent, r.thresholds, r.severity);
  r.message = fmt::format("Schema changed in run {} since run {}: {}", run_id, earlier->run_id,
                          sdk::Join(changes, "; "));
  SetWords(r, "check.schema_change.changed",
           {{"n_run", std::to_string(run_id)},
            {"n_since", std::to_string(earlier->run_id)},
            {"n_changes", std::to_string(changes.size())},
            {"changes_text", sdk::Join(changes, "; ")}});
  return r;
}

Result<SourceSchema> ReadSchemaOf(const SourceSpec& source) {
  OpenSourceOptions options;
  options.snapshot = false;
  options.with_attached = false;
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SourceDb> db, OpenSourceDb(source, options));
  return ReadSourceSchema(*db);
}

Result<std::optional<RecordedSchema>> CompareSchemaWithLastRun(HistoryStore& store, int64_t run_id,
                                                               const SourceSpec& source,
                                                               SourceResult& result,
                                                               const Result<SourceSchema>* read) {
  if (!result.error.empty()) return std::optional<RecordedSchema>();
  DQA_ASSIGN_OR_RETURN(SourceSchema current, read != nullptr ? *read : ReadSchemaOf(source));
  DQA_ASSIGN_OR_RETURN(std::optional<RecordedSchema> earlier,
                       LatestSchemaBefore(store, source.id, run_id));
  if (source.schema_changes) {
    result.results.push_back(
        SchemaChangeResult(source.id, run_id, earlier, current, *source.schema_changes));
  }
  const int64_t since = SchemaSinceRun(run_id, earlier, current);
  return std::optional<RecordedSchema>(RecordedSchema{run_id, since, std::move(current)});
}

Status CarrySchema(HistoryStore& store, int64_t run_id, const SourceResult& carried) {
  if (!carried.carried_from_run) return Status::Ok();
  DQA_ASSIGN_OR_RETURN(std::optional<RecordedSchema> then,
                       SchemaOfRun(store, carried.source, *carried.carried_from_run));
  if (!then) return Status::Ok();
  then->run_id = run_id;
  return RecordSchema(store, carried.source, *then);
}

}  // namespace dqa
