// The worker side of source isolation: scan one SourcePlan read from a pipe, stream the results.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/plan.h"

namespace dqa::worker {

struct WorkerSetup {
  int64_t memory_bytes = 0;  // RLIMIT_AS of the worker; 0 = none. Not applied under ASan.
  int64_t cpu_seconds = 0;   // RLIMIT_CPU soft limit (hard = soft + 5 s); 0 = none
  int64_t parent_pid = 0;    // the orchestrator; 0 = do not check
  // An fd of the ActivityPage the supervisor reads after a death (core/util/activity.h); mapped
  // MAP_SHARED then closed. -1 = publish nothing.
  int activity_fd = -1;
  // Started ahead of its plan (StandbyWorkers): stdin ending before any byte of a plan means it
  // was not needed, and the worker exits 0 without a word.
  bool standby = false;
};

// Runs a worker: dies with its parent (PR_SET_PDEATHSIG + a getppid() check against
// `parent_pid`), applies the limits, reads one plan frame from `plan_fd`, takes the name
// "dqa <source id>" (/proc/<pid>/comm, what ps and top show), sends hello, then scans
// the whole plan in ONE ScanSource (one snapshot, one fused pass per table) while publishing in
// the activity page which plugin (index into plan.plugin_files) and check run, sending each result
// as it is known and source-done last. Logs go to the stream as log messages. Returns the process
// exit code: 0 after source-done, 1 when the plan cannot be read or the stream written.
// Test hook: the environment variable DQA_WORKER_TEST_FAULT=<fault>[@<check id>] makes the worker
// misbehave after hello (or after sending that check's result): segv, abort, hang, garbage
// (writes non-protocol bytes), exit (exits with status 7 without source-done), alloc (reserves
// 512 MiB of address space, then goes on: dies only under a smaller --worker-memory).
int RunWorker(int plan_fd, int result_fd, const WorkerSetup& setup);

// The check ids of `plan` in plan order (tables, then checks): the indexes of ActivityPage::check.
std::vector<std::string> PlanCheckIds(const SourcePlan& plan);

}  // namespace dqa::worker
