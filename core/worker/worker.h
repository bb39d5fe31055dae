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
};

// Runs a worker: dies with its parent (PR_SET_PDEATHSIG + a getppid() check against
// `parent_pid`), applies the limits, reads one plan frame from `plan_fd`, sends hello, then scans
// the plan step by step (SplitPlan) sending check-started before each step's checks, each result
// as it is known, and source-done last. Logs go to the stream as log messages. Returns the
// process exit code: 0 after source-done, 1 when the plan cannot be read or the stream written.
// Test hook: the environment variable DQA_WORKER_TEST_FAULT=<fault>[@<check id>] makes the worker
// misbehave after hello (or after sending that check's result): segv, abort, hang, garbage
// (writes non-protocol bytes), exit (exits with status 7 without source-done), alloc (reserves
// 512 MiB of address space, then goes on: dies only under a smaller --worker-memory).
int RunWorker(int plan_fd, int result_fd, const WorkerSetup& setup);

// One scan of a worker: the checks of `plan` (a copy of the source's plan with some checks only).
struct ScanStep {
  std::string plugin;  // the plugin whose code runs in this step; "" for built-in checks
  SourcePlan plan;
};

// The steps in which a worker scans a plan: first every check that calls no plugin code (one
// fused scan in one snapshot, as in-process), then, per plugin and table, that plugin's checks.
// Separate steps are what lets the orchestrator name the plugin that was running when a worker
// died. Checks of plugins in `disabled_plugins` run in the first step (the engine turns them into
// errors without calling the plugin). Tables without checks are dropped; empty steps are omitted.
std::vector<ScanStep> SplitPlan(const SourcePlan& plan);

// The plugin a check calls: PluginCheckParams::sector (a plugin check's type is
// "<plugin>.<check>"); "" for built-in checks.
std::string PluginOf(const CheckSpec& spec);

}  // namespace dqa::worker
