// The orchestrator side of source isolation: scan each source in its own worker process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/audit.h"
#include "core/engine/plan.h"
#include "core/model/result.h"
#include "core/util/process.h"  // SignalName

namespace dqa::worker {

class StandbyWorkers;

struct SupervisorOptions {
  // The dqaudit binary to run as `<executable> worker`. Default: this process's own image.
  std::string executable = "/proc/self/exe";
  int jobs = 0;                             // workers at once; 0 = number of cores
  int64_t memory_bytes = int64_t{4} << 30;  // RLIMIT_AS per worker; 0 = none (ASan: never applied)
  int timeout_seconds = 900;                // wall clock per attempt; > 0 (docs/isolation.md)
  int cpu_seconds = 0;                      // RLIMIT_CPU per worker; 0 = timeout_seconds
  std::string log_level = "info";           // passed to workers (--log-level)
  // Workers started ahead of their plans (StandbyWorkers), handed the first attempts; nullptr or
  // empty: every worker is started when its source's turn comes.
  StandbyWorkers* standby = nullptr;
};

// Workers started before the plans exist (`<executable> worker --standby`), each waiting on its
// stdin for the plan RunAuditInWorkers will give it: starting a process (loading dqaudit and its
// libraries, some 15 ms) then overlaps the orchestrator's own start, reading of the rules and
// checking of the databases (docs/isolation.md "Workers started ahead"). A standby worker that is
// not given a plan is released: its stdin is closed, it exits 0 without a word, and it is reaped.
// Start, Release and the destructor must run on the thread that runs RunAuditInWorkers (the
// workers' PR_SET_PDEATHSIG follows the thread that started them).
class StandbyWorkers {
 public:
  StandbyWorkers();
  ~StandbyWorkers();  // Release()
  StandbyWorkers(const StandbyWorkers&) = delete;
  StandbyWorkers& operator=(const StandbyWorkers&) = delete;

  // Starts `count` workers with `options`, at most as many as run at once (WorkerSlots). A worker that cannot be started is logged at debug level and left out: its source's
  // worker is then started in its turn, as without standby workers.
  void Start(const SupervisorOptions& options, int count);
  // Stops and reaps every worker not handed out yet; their wait statuses (0: exited 0).
  std::vector<int> Release();
  size_t size() const;

  struct Impl;  // core/worker/supervisor.cc
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Whether a source whose database file holds `own` bytes yields the CPU to one of `other` bytes
// scanned at the same time (docs/isolation.md "Small sources wait, then yield the CPU"): both
// sizes known (more than 0) and `own` at most 1/kYieldRatio of `other`. It then starts only once
// that scan has sent its first results, and its worker runs at nice kYieldNice, so that it takes
// the cores only when the larger scan leaves one free.
inline constexpr uintmax_t kYieldRatio = 64;
inline constexpr int kYieldNice = 19;
bool YieldsCpuTo(uintmax_t own, uintmax_t other);

// The workers RunAuditInWorkers runs at once with `options`: jobs, or the number of cores.
size_t WorkerSlots(const SupervisorOptions& options);

// How many standby workers a command that will scan up to `sources` sources starts: as many, at
// most WorkerSlots and one fewer than the cores (one is the orchestrator's while they start).
int StandbyWorkersWorthStarting(const SupervisorOptions& options, size_t sources);

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
