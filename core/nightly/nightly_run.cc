#include "core/nightly/nightly_run.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/nightly/fingerprint.h"
#include "core/nightly/history_queries.h"
#include "core/util/dates.h"

namespace dqa::nightly {

AuditOptions AuditOptionsFor(const NightlyConfig& config) {
  AuditOptions options;
  options.jobs = config.jobs;
  options.samples = config.samples;
  options.utc_offset_minutes = config.utc_offset_minutes;
  options.statement_budget_ms = static_cast<int64_t>(config.sql_timeout_seconds * 1000.0);
  return options;
}

Result<PreparedAudit> PrepareNightlyAudit(const NightlyConfig& config, const AuditOptions& options) {
  PrepareOptions prepare;
  prepare.rule_paths = config.rules;
  prepare.plugins.dirs = config.plugin_dirs;
  prepare.plugins.probe_timeout_seconds = config.plugin_probe_timeout_seconds;
  prepare.plugins.probe_cache = PluginProbeCachePath(config.history);
  prepare.audit = options;
  return PrepareAudit(prepare);
}

Result<std::optional<int64_t>> FindResumable(HistoryStore& store, bool mark) {
  DQA_ASSIGN_OR_RETURN(std::optional<RunRecord> newest, NewestNightlyRun(store));
  if (!newest) return std::optional<int64_t>();
  if (newest->status == "running" && newest->host == HostName() &&
      (mark || !ProcessAlive(newest->pid))) {
    if (mark) {
      DQA_RETURN_IF_ERROR(MarkInterrupted(store, newest->id));
      spdlog::warn("run {} (pid {}) ended without finishing; marked interrupted", newest->id,
                   newest->pid);
    }
    newest->status = "interrupted";
  }
  if (newest->status != "interrupted") return std::optional<int64_t>();
  return std::optional<int64_t>(newest->id);
}

Result<IncrementalPlan> PlanIncremental(HistoryStore* store, const std::vector<SourcePlan>& plans,
                                        const NightlyConfig& config, bool full,
                                        std::optional<int64_t> pinned_day, bool mark,
                                        int64_t now_unix_ms) {
  IncrementalPlan out;
  std::vector<std::string> ids;
  for (const SourcePlan& plan : plans) {
    ids.push_back(plan.source.id);
    Result<std::string> fp = SourceFingerprint(plan, pinned_day);
    if (fp.ok()) {
      if (!fp->empty()) out.fingerprints[plan.source.id] = *fp;
    } else {
      spdlog::warn("{}: no fingerprint ({}); it will be scanned", plan.source.id,
                   fp.status().message());
    }
  }
  std::map<std::string, CleanScan> candidates;
  if (!full && store != nullptr) {
    DQA_ASSIGN_OR_RETURN(out.resumed_from, FindResumable(*store, mark));
    if (config.incremental || out.resumed_from) {
      DQA_ASSIGN_OR_RETURN(
          candidates,
          LastCleanScans(*store, ids, config.incremental ? std::nullopt : out.resumed_from));
    }
  }
  out.decisions =
      DecideSources(ids, out.fingerprints, candidates, now_unix_ms, config.rescan_after, full);
  return out;
}

Result<std::map<std::string, SourceResult>> LoadCarriedResults(HistoryStore& store,
                                                               const IncrementalPlan& plan) {
  std::map<std::string, CleanScan> carry;
  for (const SourceDecision& d : plan.decisions) {
    if (d.reason == ScanReason::kCarried) carry.emplace(d.source, *d.last);
  }
  return LoadCarried(store, carry);
}

Status KeepHistory(HistoryStore& store, const Duration& keep, int64_t now_unix_ms) {
  const int64_t cutoff_ms = ShiftBy(now_unix_ms / 1000, keep, -1) * 1000;
  DQA_ASSIGN_OR_RETURN(const RetentionResult r, ApplyRetention(store, cutoff_ms));
  if (r.deleted_runs.empty()) {
    spdlog::info("history retention (keep {}): no run started before {}", keep.ToString(),
                 FormatTimestamp(cutoff_ms / 1000));
  } else {
    spdlog::info("history retention (keep {}): deleted {} run(s) started before {} ({}): {} "
                 "source(s), {} check result(s)",
                 keep.ToString(), r.deleted_runs.size(), FormatTimestamp(cutoff_ms / 1000),
                 fmt::join(r.deleted_runs, ", "), r.deleted_sources, r.deleted_check_results);
  }
  if (!r.kept_referenced.empty()) {
    spdlog::info("history retention: kept old run(s) {} (kept runs carry results from them)",
                 fmt::join(r.kept_referenced, ", "));
  }
  if (r.deleted_runs.empty()) return Status::Ok();
  Result<CompactResult> compact = CompactHistory(store);
  if (!compact.ok()) {
    // The deletion stands; the space comes back at a later run.
    spdlog::warn("history retention: could not compact the store: {}",
                 compact.status().message());
  } else if (compact->vacuumed) {
    spdlog::info("history retention: store compacted from {:.1f} MB to {:.1f} MB",
                 static_cast<double>(compact->bytes_before) / 1e6,
                 static_cast<double>(compact->bytes_after) / 1e6);
  }
  return Status::Ok();
}

}  // namespace dqa::nightly
