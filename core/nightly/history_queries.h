// What nightly runs ask of the history store: the newest nightly run, the last clean scan of each
// source (incremental), and retention. Works on HistoryStore::db() so that the store's own API
// stays what every command needs; SQL in docs/nightly.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/model/result.h"
#include "core/util/status.h"

namespace dqa::nightly {

// The newest run of kind "nightly"; nullopt when there is none.
Result<std::optional<RunRecord>> NewestNightlyRun(HistoryStore& store);

// Sets a "running" run to "interrupted" (no effect on any other status). Only for a run known to
// be dead: nightly calls it under its lock for a nightly run of this host, which cannot be alive.
Status MarkInterrupted(HistoryStore& store, int64_t run_id);

// The newest recorded scan of a source that can be carried over: recorded with a fingerprint,
// status ok and no check with outcome error.
struct CleanScan {
  int64_t run_id = 0;         // the run whose row it is (may itself be a carried row)
  int64_t origin_run_id = 0;  // the run that actually scanned it (carried_from_run or run_id)
  std::string fingerprint;
  int64_t scanned_unix_ms = 0;  // when the origin scan started
};

// For each id in `sources`, its CleanScan, restricted to run `only_run` when given. Sources
// without one are absent from the map.
Result<std::map<std::string, CleanScan>> LastCleanScans(HistoryStore& store,
                                                        const std::vector<std::string>& sources,
                                                        std::optional<int64_t> only_run);

// The recorded results of `scans` (loads each run once), ready to be recorded again in a new run:
// every field as stored, carried_from_run = origin_run_id. By source id.
Result<std::map<std::string, SourceResult>> LoadCarried(
    HistoryStore& store, const std::map<std::string, CleanScan>& scans);

struct RetentionResult {
  std::vector<int64_t> deleted_runs;  // ascending
  int64_t deleted_sources = 0;
  int64_t deleted_check_results = 0;
  std::optional<int64_t> newest_complete;  // always kept
  std::vector<int64_t> kept_referenced;    // older than the cutoff, kept because a kept run
                                           // carries results from it or resumed it
};

// Deletes (in one transaction, cascading to sources, check results, samples and metrics) every
// run that started before `cutoff_unix_ms`, except: the newest complete run, runs still
// "running", and runs a kept run refers to (sources.carried_from_run, runs.resumed_from,
// transitively). Never touches inspections.
Result<RetentionResult> ApplyRetention(HistoryStore& store, int64_t cutoff_unix_ms);

struct CompactResult {
  bool vacuumed = false;
  int64_t free_pages = 0;    // before
  int64_t total_pages = 0;   // before
  int64_t bytes_before = 0;  // page_count * page_size
  int64_t bytes_after = 0;
};

// Gives the space of deleted runs back to the file system: VACUUM when at least `min_free_share`
// of the store's pages are free (a deleted history is mostly free pages), then a TRUNCATE
// checkpoint so the -wal file does not keep the copy. Call it with the nightly lock held, outside
// any transaction. VACUUM is atomic: a kill leaves the store as it was before.
Result<CompactResult> CompactHistory(HistoryStore& store, double min_free_share = 0.25);

}  // namespace dqa::nightly
