#include "core/nightly/history_queries.h"

#include <fmt/format.h>

#include <set>

#include "core/util/crash_point.h"

namespace dqa::nightly {
namespace {

Status StepDone(Statement& stmt) {
  DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  (void)row;
  return Status::Ok();
}

Result<std::vector<int64_t>> Ids(SqliteDb& db, const std::string& sql) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  std::vector<int64_t> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.ColumnInt(0));
  }
  return out;
}

}  // namespace

Result<std::optional<RunRecord>> NewestNightlyRun(HistoryStore& store) {
  DQA_ASSIGN_OR_RETURN(
      std::vector<int64_t> ids,
      Ids(store.db(), "SELECT id FROM runs WHERE kind = 'nightly' ORDER BY id DESC LIMIT 1"));
  if (ids.empty()) return std::optional<RunRecord>();
  DQA_ASSIGN_OR_RETURN(RunRecord run, store.GetRun(ids.front()));
  return std::optional<RunRecord>(std::move(run));
}

Status MarkInterrupted(HistoryStore& store, int64_t run_id) {
  DQA_ASSIGN_OR_RETURN(
      Statement update,
      store.db().Prepare("UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'"));
  DQA_RETURN_IF_ERROR(update.Bind(1, run_id));
  return StepDone(update);
}

Result<std::map<std::string, CleanScan>> LastCleanScans(HistoryStore& store,
                                                        const std::vector<std::string>& sources,
                                                        std::optional<int64_t> only_run) {
  // Newest first by row id: rows are inserted in recording order.
  DQA_ASSIGN_OR_RETURN(Statement select, store.db().Prepare(R"sql(
SELECT s.run_id, COALESCE(s.carried_from_run, s.run_id), s.fingerprint, s.started_at
FROM sources s
WHERE s.source = ? AND s.fingerprint IS NOT NULL AND s.fingerprint <> '' AND s.status = 'ok'
  AND (? IS NULL OR s.run_id = ?)
  AND NOT EXISTS (SELECT 1 FROM check_results c WHERE c.source_id = s.id AND c.outcome = 'error')
ORDER BY s.id DESC LIMIT 1)sql"));
  std::map<std::string, CleanScan> out;
  for (const std::string& source : sources) {
    DQA_RETURN_IF_ERROR(select.Reset());
    DQA_RETURN_IF_ERROR(select.Bind(1, std::string_view(source)));
    for (int i : {2, 3}) {
      DQA_RETURN_IF_ERROR(only_run ? select.Bind(i, *only_run) : select.BindNull(i));
    }
    DQA_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) continue;
    CleanScan scan;
    scan.run_id = select.ColumnInt(0);
    scan.origin_run_id = select.ColumnInt(1);
    scan.fingerprint = select.ColumnText(2);
    scan.scanned_unix_ms = select.ColumnInt(3);
    out.emplace(source, std::move(scan));
  }
  return out;
}

Result<std::map<std::string, SourceResult>> LoadCarried(
    HistoryStore& store, const std::map<std::string, CleanScan>& scans) {
  std::map<int64_t, std::vector<SourceResult>> runs;
  std::map<std::string, SourceResult> out;
  for (const auto& [source, scan] : scans) {
    auto it = runs.find(scan.run_id);
    if (it == runs.end()) {
      DQA_ASSIGN_OR_RETURN(std::vector<SourceResult> loaded, store.LoadRun(scan.run_id));
      it = runs.emplace(scan.run_id, std::move(loaded)).first;
    }
    bool found = false;
    for (const SourceResult& recorded : it->second) {
      if (recorded.source != source) continue;
      SourceResult carried = recorded;
      carried.carried_from_run = scan.origin_run_id;
      out.emplace(source, std::move(carried));
      found = true;
      break;
    }
    if (!found) {
      return Internal(fmt::format("source {} vanished from run {}", source, scan.run_id));
    }
  }
  return out;
}

Result<RetentionResult> ApplyRetention(HistoryStore& store, int64_t cutoff_unix_ms) {
  SqliteDb& db = store.db();
  WriteTransaction tx(db);
  DQA_RETURN_IF_ERROR(tx.Begin());
  RetentionResult result;
  DQA_ASSIGN_OR_RETURN(
      std::vector<int64_t> complete,
      Ids(db, "SELECT id FROM runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1"));
  if (!complete.empty()) result.newest_complete = complete.front();
  DQA_ASSIGN_OR_RETURN(std::vector<int64_t> old_ids,
                       Ids(db, fmt::format("SELECT id FROM runs WHERE started_at < {} AND status "
                                           "<> 'running' ORDER BY id",
                                           cutoff_unix_ms)));
  std::set<int64_t> doomed(old_ids.begin(), old_ids.end());
  if (result.newest_complete) doomed.erase(*result.newest_complete);
  // Runs that a kept run refers to stay, and so on backwards until nothing changes.
  DQA_ASSIGN_OR_RETURN(Statement refs, db.Prepare(R"sql(
SELECT DISTINCT carried_from_run FROM sources WHERE run_id = ?1 AND carried_from_run IS NOT NULL
UNION SELECT resumed_from FROM runs WHERE id = ?1 AND resumed_from IS NOT NULL)sql"));
  DQA_ASSIGN_OR_RETURN(std::vector<int64_t> all_ids, Ids(db, "SELECT id FROM runs ORDER BY id"));
  std::vector<int64_t> pending;
  for (int64_t id : all_ids) {
    if (!doomed.count(id)) pending.push_back(id);
  }
  std::set<int64_t> rescued;
  while (!pending.empty()) {
    const int64_t kept = pending.back();
    pending.pop_back();
    DQA_RETURN_IF_ERROR(refs.Reset());
    DQA_RETURN_IF_ERROR(refs.Bind(1, kept));
    while (true) {
      DQA_ASSIGN_OR_RETURN(bool row, refs.Step());
      if (!row) break;
      const int64_t ref = refs.ColumnInt(0);
      if (doomed.erase(ref) > 0) {
        rescued.insert(ref);
        pending.push_back(ref);
      }
    }
  }
  result.kept_referenced.assign(rescued.begin(), rescued.end());
  result.deleted_runs.assign(doomed.begin(), doomed.end());

  DQA_ASSIGN_OR_RETURN(Statement count_sources,
                       db.Prepare("SELECT COUNT(*) FROM sources WHERE run_id = ?"));
  DQA_ASSIGN_OR_RETURN(Statement count_results,
                       db.Prepare("SELECT COUNT(*) FROM check_results WHERE run_id = ?"));
  // ON DELETE CASCADE (foreign keys are on in every store connection) removes the run's sources,
  // check results, samples and metrics.
  DQA_ASSIGN_OR_RETURN(Statement remove, db.Prepare("DELETE FROM runs WHERE id = ?"));
  for (int64_t id : result.deleted_runs) {
    for (Statement* count : {&count_sources, &count_results}) {
      DQA_RETURN_IF_ERROR(count->Reset());
      DQA_RETURN_IF_ERROR(count->Bind(1, id));
      DQA_ASSIGN_OR_RETURN(bool row, count->Step());
      const int64_t n = row ? count->ColumnInt(0) : 0;
      DQA_RETURN_IF_ERROR(count->Reset());
      (count == &count_sources ? result.deleted_sources : result.deleted_check_results) += n;
    }
    DQA_RETURN_IF_ERROR(remove.Reset());
    DQA_RETURN_IF_ERROR(remove.Bind(1, id));
    DQA_RETURN_IF_ERROR(StepDone(remove));
  }
  CrashPoint("nightly.retention");  // runs deleted, not committed
  DQA_RETURN_IF_ERROR(tx.Commit());
  return result;
}

Result<CompactResult> CompactHistory(HistoryStore& store, double min_free_share) {
  SqliteDb& db = store.db();
  CompactResult result;
  const auto pragma = [&](const char* name) -> Result<int64_t> {
    DQA_ASSIGN_OR_RETURN(std::optional<double> v, db.QueryNumber(fmt::format("PRAGMA {}", name)));
    return v ? static_cast<int64_t>(*v) : 0;
  };
  DQA_ASSIGN_OR_RETURN(const int64_t page_size, pragma("page_size"));
  DQA_ASSIGN_OR_RETURN(result.total_pages, pragma("page_count"));
  DQA_ASSIGN_OR_RETURN(result.free_pages, pragma("freelist_count"));
  result.bytes_before = result.total_pages * page_size;
  result.bytes_after = result.bytes_before;
  if (result.total_pages == 0 ||
      static_cast<double>(result.free_pages) <
          min_free_share * static_cast<double>(result.total_pages)) {
    return result;
  }
  DQA_RETURN_IF_ERROR(db.Exec("VACUUM"));
  CrashPoint("nightly.compact");  // vacuumed into the WAL, not checkpointed
  DQA_RETURN_IF_ERROR(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  result.vacuumed = true;
  DQA_ASSIGN_OR_RETURN(const int64_t pages_after, pragma("page_count"));
  result.bytes_after = pages_after * page_size;
  return result;
}

}  // namespace dqa::nightly
