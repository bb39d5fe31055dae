// ScanSource: one source, one read-only connection, one snapshot, every check.
#include <fmt/format.h>

#include <chrono>
#include <exception>
#include <set>

#include "core/util/activity.h"
#include "core/engine/audit.h"
#include "core/engine/table_scan.h"
#include "core/engine/plan_plugins.h"
#include "core/sources/open_source.h"
#include "core/util/clock.h"

namespace dqa {
namespace {

OpenSourceOptions OpenOptionsOf(const SourcePlan& plan) {
  OpenSourceOptions options;
  options.statement_budget_ms = plan.statement_budget_ms;
  options.attach = plan.attach_paths;
  return options;
}

Result<std::unique_ptr<SourceDb>> OpenSource(const SourcePlan& plan) {
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SourceDb> db, OpenSourceDb(plan.source, OpenOptionsOf(plan)));
  NoteSnapshot();
  return db;
}

}  // namespace

SourceResult ScanSource(const SourcePlan& plan,
                        const std::function<void(const CheckResult&)>& emit) {
  const SourceSpec& source = plan.source;
  SourceResult result;
  result.source = source.id;
  result.department = source.department;
  result.database = source.database;
  result.started_unix_ms = NowUnixMs();
  CheckContext context{source.id, plan.now_unix, plan.today_day, plan.samples, {}};
  context.disabled_plugins = plan.disabled_plugins;
  context.disabled_reasons = plan.disabled_reasons;

  // Every check not reported yet gets an error result: the source as a whole failed.
  std::set<std::string> reported;
  auto fail_rest = [&](const std::string& why) {
    if (result.error.empty()) result.error = why;
    for (const TableSpec& table : source.tables) {
      CheckContext table_context = context;
      table_context.key_columns = table.key.empty() ? std::vector<std::string>{"rowid"} : table.key;
      for (const CheckSpec& spec : table.checks) {
        if (reported.contains(spec.id)) continue;
        CheckResult r = ErrorResult(
            spec, table_context, fmt::format("source {} could not be scanned: {}", source.id, why));
        emit(r);
        result.results.push_back(std::move(r));
      }
    }
  };

  try {
    LoadPlanPlugins(plan);  // no-op when loaded already (in-process) or not needed
    auto db = OpenSource(plan);
    if (!db.ok()) {
      fail_rest(db.status().message());
    } else {
      // More connections in the same snapshot for the ranges of a split table scan.
      SplitOptions split;
      split.threads = plan.scan_threads;
      split.open = [&plan] { return OpenSourceDb(plan.source, OpenOptionsOf(plan)); };
      for (const TableSpec& table : source.tables) {
        NoteTable(static_cast<int>(&table - source.tables.data()));
        for (CheckResult& r : ScanTable(**db, context, table, split)) {
          emit(r);
          reported.insert(r.id);
          result.results.push_back(std::move(r));
        }
      }
      // Fails when a writer put a WAL beside a file read without one (SqliteDb::EndSnapshot):
      // the results of the source are not one state of it.
      if (Status s = (*db)->EndSnapshot(); !s.ok() && result.error.empty()) {
        result.error = s.message();
      }
    }
  } catch (const std::exception& e) {
    // Nothing below throws on purpose; this keeps an allocation failure from ending the audit.
    fail_rest(fmt::format("internal error: {}", e.what()));
  }
  result.finished_unix_ms = NowUnixMs();
  return result;
}

}  // namespace dqa
