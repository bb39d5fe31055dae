// The steps of a nightly run that are not command-line wiring (docs/nightly.md): the audit its
// configuration describes, the interrupted run it finishes, which sources it scans or carries
// over, and keeping the history within `keep`. `dqaudit nightly` (and --dry-run) call these.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/audit/pipeline.h"
#include "core/engine/plan.h"
#include "core/history/store.h"
#include "core/model/result.h"
#include "core/nightly/config.h"
#include "core/nightly/incremental.h"
#include "core/util/status.h"

namespace dqa::nightly {

// The scan settings of `config` (jobs, samples, utc_offset, sql_timeout); the reference day is
// left unset (the caller sets --today).
AuditOptions AuditOptionsFor(const NightlyConfig& config);

// The rules of `config`, loaded with its plugins, validated and planned (PrepareAudit, same
// errors).
Result<PreparedAudit> PrepareNightlyAudit(const NightlyConfig& config, const AuditOptions& options);

// The interrupted nightly run a new one finishes: the id of the newest run of kind "nightly" when
// it is "interrupted", or when it is still "running" on this host and its process is gone. With
// `mark` (the caller holds the nightly lock, so no nightly run of this host can be alive) a
// "running" newest nightly run of this host is taken as dead whatever its pid, and set to
// "interrupted" in the store (logged as a warning); without `mark` (--dry-run) nothing is written.
// nullopt when the newest nightly run is anything else, or there is none.
Result<std::optional<int64_t>> FindResumable(HistoryStore& store, bool mark);

// What the incremental logic decides for a run.
struct IncrementalPlan {
  // The fingerprint of each source that has one (SourceFingerprint; a source whose fingerprint
  // cannot be read is logged as a warning and has none, so it is scanned).
  std::map<std::string, std::string> fingerprints;
  std::optional<int64_t> resumed_from;  // the run this one finishes (FindResumable)
  std::vector<SourceDecision> decisions;  // one per plan, in plan order
};

// Decides, per source of `plans`, carry over or scan (DecideSources). `store` may be null (no
// history yet: every source is scanned). With `full` nothing is carried and nothing resumed.
// Candidates for carrying over are the last clean scans of every run when config.incremental,
// else only those of the resumed run (a run that finishes an interrupted one never scans a
// source twice). `mark`: see FindResumable. `now_unix_ms` decides what is older than
// config.rescan_after. Store errors only.
Result<IncrementalPlan> PlanIncremental(HistoryStore* store, const std::vector<SourcePlan>& plans,
                                        const NightlyConfig& config, bool full,
                                        std::optional<int64_t> pinned_day, bool mark,
                                        int64_t now_unix_ms);

// The recorded results of the sources `plan` carries over, by source id, ready for
// RecordedRunOptions::carried (LoadCarried).
Result<std::map<std::string, SourceResult>> LoadCarriedResults(HistoryStore& store,
                                                               const IncrementalPlan& plan);

// Deletes the runs that started before `now_unix_ms` minus `keep` (ApplyRetention), logs what
// went and what was kept, and compacts the store when runs were deleted (a compaction failure is
// only a warning: the space comes back at a later run). Error when the deletion failed.
Status KeepHistory(HistoryStore& store, const Duration& keep, int64_t now_unix_ms);

}  // namespace dqa::nightly
