// ScanSource: one source, one read-only connection, one snapshot, every check.
#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "core/util/activity.h"
#include "core/engine/audit.h"
#include "core/engine/table_scan.h"
#include "core/engine/plan_plugins.h"
#include "core/sources/open_source.h"
#include "core/sources/sqlite_db.h"
#include "core/util/atomic_file.h"
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

// Per-range states of incremental scans, one file per table in plan.range_state_dir: CBOR of
// {"version", "key", "full_scan_unix", "ranges": [{"first", "last", "digest", "checks"}]}. A file
// is only ever used through its key and its ranges' fingerprints, so a stale or foreign one is
// harmless; it is replaced whole (written aside, then renamed).
std::string StateFile(const SourcePlan& plan, const std::string& table) {
  std::string name;
  for (const std::string* part : {&plan.source.id, &table}) {
    if (!name.empty()) name += '.';
    for (unsigned char c : *part) name += fmt::format("{:02x}", c);
  }
  return (std::filesystem::path(plan.range_state_dir) / (name + ".state")).string();
}

std::optional<TableState> LoadTableState(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::from_cbor(in);
    if (j.at("version").get<int>() != 1) return std::nullopt;
    TableState state;
    state.key = j.at("key").get<std::string>();
    state.full_scan_unix = j.at("full_scan_unix").get<int64_t>();
    for (const nlohmann::json& r : j.at("ranges")) {
      state.ranges.push_back({r.at("first").get<int64_t>(), r.at("last").get<int64_t>(),
                              r.at("digest").get<std::string>(),
                              r.at("checks").get<std::vector<nlohmann::json>>()});
    }
    return state;
  } catch (const std::exception& e) {
    spdlog::warn("range states {} cannot be read ({}); the table is scanned whole", path, e.what());
    return std::nullopt;
  }
}

void SaveTableState(const std::string& path, const TableState& state) {
  std::error_code ec;
  if (state.ranges.empty()) {
    std::filesystem::remove(path, ec);
    return;
  }
  nlohmann::json ranges = nlohmann::json::array();
  for (const RangeState& r : state.ranges) {
    ranges.push_back(
        {{"first", r.first}, {"last", r.last}, {"digest", r.digest}, {"checks", r.checks}});
  }
  const nlohmann::json j = {{"version", 1},
                            {"key", state.key},
                            {"full_scan_unix", state.full_scan_unix},
                            {"ranges", std::move(ranges)}};
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  const std::vector<uint8_t> bytes = nlohmann::json::to_cbor(j);
  if (Status s = WriteFileAtomically(
          path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
      !s.ok()) {
    spdlog::warn("range states {} could not be written ({}); the next run reads the table whole",
                 path, s.message());
  }
}

// Scans `table` keeping (and, when allowed, reusing) its range states when the plan asks for them
// and the source is an SQLite file.
std::vector<CheckResult> ScanTableWithStates(SourceDb& db, const SourcePlan& plan,
                                             const CheckContext& context, const TableSpec& table,
                                             const SplitOptions& split) {
  auto* sqlite = dynamic_cast<SqliteDb*>(&db);
  if (plan.range_state_dir.empty() || sqlite == nullptr) return ScanTable(db, context, table, split);
  const std::string path = StateFile(plan, table.name);
  const int64_t now = NowUnixMs() / 1000;
  std::optional<TableState> previous;
  if (plan.reuse_range_states) previous = LoadTableState(path);
  if (previous && now - previous->full_scan_unix >= plan.full_rescan_after_s) {
    spdlog::info("{} table {}: last read whole {} s ago; every range is read again",
                 plan.source.id, table.name, now - previous->full_scan_unix);
    previous.reset();
  }
  TableState next;
  IncrementalOptions inc;
  inc.previous = previous ? &*previous : nullptr;
  inc.next = &next;
  inc.digest = [sqlite](const std::string& schema, const std::string& t,
                        const std::vector<RowidRange>& ranges) {
    return SqliteRangeDigests(*sqlite, schema, t, ranges);
  };
  SplitOptions with_states = split;
  with_states.incremental = &inc;
  std::vector<CheckResult> results = ScanTable(db, context, table, with_states);
  next.full_scan_unix = inc.reused_ranges == 0 || !previous ? now : previous->full_scan_unix;
  if (inc.scanned_ranges + inc.reused_ranges > 0) {
    spdlog::info("{} table {}: {} range(s) read, {} unchanged and merged from their stored state",
                 plan.source.id, table.name, inc.scanned_ranges, inc.reused_ranges);
  }
  // A state is kept only when every check of the table came out without an error.
  for (const CheckResult& r : results) {
    if (r.outcome == Outcome::kError) next.ranges.clear();
  }
  SaveTableState(path, next);
  return results;
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
        for (CheckResult& r : ScanTableWithStates(**db, plan, context, table, split)) {
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
