// `dqaudit worker` (internal): the process that scans one source for `dqaudit scan`.
#pragma once

#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace dqa::cli {

struct WorkerCommandOptions {
  std::string source;        // --source: for ps and logs only; the plan names the source
  bool standby = false;      // --standby: started ahead of its plan; no plan is no error
  int64_t parent_pid = 0;    // --parent-pid: exit at once if this is not our parent
  int64_t memory_limit = 0;  // --memory-limit: RLIMIT_AS in bytes; 0 = none
  int64_t cpu_limit = 0;     // --cpu-limit: RLIMIT_CPU in seconds; 0 = none
  int activity_fd = -1;      // --activity-fd: the supervisor's shared activity page; -1 = none
};

// Adds the hidden `worker` subcommand bound to `options` and returns it.
CLI::App* AddWorkerCommand(CLI::App& app, WorkerCommandOptions& options);

// Reads the plan from stdin, streams the results to fd 3 (docs/isolation.md). Returns the exit
// code: 0 after the source was scanned, 1 when the plan could not be read or the stream written.
int RunWorkerCommand(const WorkerCommandOptions& options);

}  // namespace dqa::cli
