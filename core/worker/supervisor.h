// The orchestrator side of source isolation: scan each source in its own worker process.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/audit.h"
#include "core/engine/plan.h"
#include "core/model/result.h"
#include "core/util/process.h"  // SignalName

namespace dqa::worker {

struct SupervisorOptions {
  // The dqaudit binary to run as `<executable> worker`. Default: this process's own image.
  std::string executable = "/proc/self/exe";
  int jobs = 0;                             // workers at once; 0 = number of cores
  int64_t memory_bytes = int64_t{4} << 30;  // RLIMIT_AS per worker; 0 = none (ASan: never applied)
  int timeout_seconds = 900;                // wall clock per attempt; > 0 (docs/isolation.md)
  int cpu_seconds = 0;                      // RLIMIT_CPU per worker; 0 = timeout_seconds
  std::string log_level = "info";           // passed to workers (--log-level)
};

// Same contract as RunAudit (results in the order of `plans`, observer called from this thread
// only, never concurrently), but each source is scanned by `<executable> worker` started with
// posix_spawn in its own process group, fed its plan on stdin, streaming framed messages back on
// fd 3, and publishing the plugin it is running in a shared page (memfd on fd 4, ActivityPage).
// A worker that dies (signal, exit, timeout, garbage on the stream) costs only its source:
// results already received are kept, every other check of the source gets Outcome::kError naming
// the cause (and the plugin and check the page says were running), and if a plugin was running
// the unreported checks are retried once in a new worker with that plugin disabled; the retry's
// results replace the errors. SourceResult::error is set when the source's last attempt failed. Must be called from a thread that outlives the workers
// (PR_SET_PDEATHSIG follows the spawning thread): it returns only after every worker was reaped.
// Ignores SIGPIPE in this process (a dead worker must not kill the orchestrator).
std::vector<SourceResult> RunAuditInWorkers(const std::vector<SourcePlan>& plans,
                                            const SupervisorOptions& options,
                                            AuditObserver& observer);

// A memory size: "4G", "512M" (no fractions); K/M/G/T are binary units (KiB, MiB, ...),
// an optional trailing "B"/"iB" is allowed, a plain number is MiB; "0", "none" and "unlimited"
// are 0 (no limit). nullopt when malformed or too large.
std::optional<int64_t> ParseMemoryLimit(std::string_view text);

}  // namespace dqa::worker
