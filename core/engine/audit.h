// Running an audit: scanning sources (each a self-contained unit) in parallel.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/engine/plan.h"
#include "core/model/result.h"

namespace dqa {

// Scans one source: opens its database (and attachments) read-only in one snapshot, runs every
// check, and passes each CheckResult to `emit` as soon as it is known (a table's duplicate checks
// after its other checks, whose results do not wait for their grouping: SplitOptions::finished),
// then calls `table_done` (when set) once a table's results are all emitted, before the next
// table. Never throws; a source that cannot be opened yields a SourceResult with `error` set and
// every check Outcome::kError. This is the unit that the plugin issue moves into a worker process.
SourceResult ScanSource(const SourcePlan& plan, const std::function<void(const CheckResult&)>& emit,
                        const std::function<void()>& table_done = {});

// Receives progress from RunAudit. Called from worker threads, but never concurrently
// (RunAudit serializes the calls).
// How far the running table scan of a source is (README "Command line": progress within a
// source): the table, the rows read so far, and the estimate of its rows (EstimateTableRows; -1 =
// unknown).
struct TableScanProgress {
  std::string table;
  int64_t rows = 0;
  int64_t estimate = -1;
};

class AuditObserver {
 public:
  virtual ~AuditObserver() = default;
  virtual void OnSourceStarted(const SourcePlan& /*plan*/) {}
  // Once, when the first sources' workers have their plans (RunAuditInWorkers only): what the
  // calling thread does now no longer holds a scan up.
  virtual void OnScansUnderWay() {}
  // While a worker scans `plan`'s source, about once a second and whenever results arrive
  // (RunAuditInWorkers only: an in-process scan publishes no progress).
  virtual void OnSourceProgress(const SourcePlan& /*plan*/, const TableScanProgress& /*progress*/) {}
  virtual void OnSourceFinished(const SourceResult& result) = 0;
  // The same, for an observer that keeps the result: it may move `result` out, which RunAudit
  // then returns empty (the recording observer keeps every source's result and assembles the run
  // from them: a copy of a source's failing rows costs a couple of milliseconds at the end of the
  // night). By default, OnSourceFinished(result).
  virtual void TakeFinishedSource(SourceResult& result) { OnSourceFinished(result); }
  // A plugin blamed for a worker's death is disabled for the rest of the run (worker isolation
  // only); once per plugin, with the reason its later checks carry.
  virtual void OnPluginQuarantined(const std::string& /*plugin*/, const std::string& /*reason*/) {}
};

// Scans all plans with up to `jobs` sources in parallel (0 = number of cores). Returns the results
// in the order of `plans` (those the observer took, TakeFinishedSource, left empty).
std::vector<SourceResult> RunAudit(const std::vector<SourcePlan>& plans, int jobs,
                                   AuditObserver& observer);

}  // namespace dqa
