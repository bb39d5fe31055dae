// The recorded audit shared by `dqaudit scan` and `dqaudit nightly`: load plugins and rules,
// validate them against the databases, plan, then begin a run in the history store, scan (one
// worker process per source, or in process), and record every source as it finishes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/audit/plugin_loading.h"
#include "core/engine/audit.h"
#include "core/engine/drift.h"
#include "core/engine/plan.h"
#include "core/history/store.h"
#include "core/model/result.h"
#include "core/util/status.h"
#include "core/worker/supervisor.h"

namespace dqa {

struct PrepareOptions {
  std::vector<std::string> rule_paths;  // rule files or folders
  PluginOptions plugins;                // loaded before the rules (plugin check types resolve)
  AuditOptions audit;                   // --today, samples, jobs
};

struct PreparedAudit {
  std::vector<SourcePlan> plans;  // one per source, in rule-file order, every check of the rules
  int64_t today_day = 0;          // the run's reference day (RunToday)
  // Schema drift: by source id, the checks that are not scanned because the database no longer
  // has a table or column they need, and why (RunRecordedAudit records them as errors).
  std::map<std::string, BrokenChecks> broken;
  // --today when given (the reference day of delivery findings; else a source's `today:`, else
  // now_unix) and the current time of tests (AuditOptions::now_unix; unset: the clock).
  std::optional<int64_t> pinned_day;
  std::optional<int64_t> now_unix;
};

// Loads the plugins and the rules, validates the rules against the databases (a source whose
// database cannot be opened is logged as a warning and fails at scan time) and plans the audit.
// A table or column the database no longer has is not a rule error: the checks that need it are
// put in `broken` and logged as a warning. InvalidArgument/NotFound with the loader's message
// (every problem, "file:line:col: ...") when the rules are wrong: the caller exits 2, nothing was
// scanned.
Result<PreparedAudit> PrepareAudit(const PrepareOptions& options);

// The run's reference day: --today, else the day every source agrees on, else the current date.
int64_t RunToday(const AuditOptions& options, const std::vector<SourcePlan>& plans);

// Progress of a recorded run. Called from the calling thread of RunRecordedAudit only, never
// concurrently.
class RunProgress {
 public:
  virtual ~RunProgress() = default;
  // Once, after the run was begun: `total` sources, of which `carried` are carried over.
  virtual void OnRunStarted(size_t /*total*/, size_t /*carried*/) {}
  virtual void OnSourceStarted(const SourcePlan& /*plan*/) {}
  // The running table scan of a source (AuditObserver::OnSourceProgress).
  virtual void OnSourceProgress(const SourcePlan& /*plan*/, const TableScanProgress& /*progress*/) {}
  // After the source was recorded (carried sources first, with carried_from_run set). `done`
  // counts from 1 to `total`.
  virtual void OnSourceDone(const SourceResult& result, size_t done, size_t total) = 0;
  // A plugin quarantined for the rest of the run (AuditObserver::OnPluginQuarantined).
  virtual void OnPluginQuarantined(const std::string& /*plugin*/, const std::string& /*reason*/) {}
};

struct RecordedRunOptions {
  std::string kind = "scan";            // runs.kind: "scan" | "nightly"
  std::optional<int64_t> resumed_from;  // runs.resumed_from
  std::string command_line;             // recorded with the run
  // Results to record instead of scanning, by source id (carried_from_run already set). Sources
  // not in the plan are ignored.
  std::map<std::string, SourceResult> carried;
  // Fingerprint recorded with each scanned source, by source id (none: not recorded).
  std::map<std::string, std::string> fingerprints;
  bool in_process = false;               // scan in this process (no worker isolation)
  worker::SupervisorOptions supervisor;  // jobs, limits, log level of the workers
};

struct RecordedRun {
  std::optional<int64_t> run_id;      // unset when no store was given
  std::vector<SourceResult> results;  // every source in plan order, carried ones included
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  size_t carried = 0;                 // sources carried over
  bool history_failed = false;        // some source could not be recorded (logged)
  // ExitCodeFor(results), raised to kExitRuntime when history_failed.
  int exit_code = 0;
};

// Begins a run in `store` (nullptr: nothing is recorded), records the carried sources, scans the
// others (in workers unless options.in_process) and records each one as it finishes. Does NOT
// finish the run: the caller calls store->FinishRun(run_id, code) once it knows the final exit
// code (e.g. after writing its output files). Error only when BeginRun fails (nothing scanned).
Result<RecordedRun> RunRecordedAudit(HistoryStore* store, const PreparedAudit& audit,
                                     const RecordedRunOptions& options, RunProgress& progress);

// The current spdlog level as --log-level spells it (passed on to workers).
std::string LogLevelName();

}  // namespace dqa
