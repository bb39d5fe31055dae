// `dqaudit worker`: hidden; started by `dqaudit scan` with its plan on stdin and fd 3 for results.
#include "core/cli/worker_command.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "core/util/process.h"
#include "core/worker/worker.h"

namespace dqa::cli {

namespace {
constexpr int kResultFd = 3;
}

CLI::App* AddWorkerCommand(CLI::App& app, WorkerCommandOptions& o) {
  CLI::App* worker = app.add_subcommand("worker", "Internal: scan one source for `dqaudit scan`");
  worker->group("");  // hidden from --help: not for people
  worker->fallthrough();
  worker->add_option("--source", o.source, "Source id (for ps and logs)");
  worker->add_flag("--standby", o.standby,
                   "Started ahead of its plan: exit 0 quietly when stdin ends without one");
  worker->add_option("--parent-pid", o.parent_pid, "Exit unless this process is the parent");
  worker->add_option("--memory-limit", o.memory_limit, "RLIMIT_AS in bytes (0 = none)")
      ->check(CLI::NonNegativeNumber);
  worker->add_option("--cpu-limit", o.cpu_limit, "RLIMIT_CPU in seconds (0 = none)")
      ->check(CLI::NonNegativeNumber);
  worker->add_option("--activity-fd", o.activity_fd,
                     "Inherited fd of the shared page where the worker publishes the running plugin");
  return worker;
}

int RunWorkerCommand(const WorkerCommandOptions& o) {
  ClaimSmallPagesOfScanHeap();  // (first: no thread has started; core/util/process.h)
  if (fcntl(kResultFd, F_GETFD) < 0) {
    fmt::print(stderr,
               "dqaudit worker: fd 3 is not open; this subcommand is started by `dqaudit scan`\n");
    return 1;
  }
  worker::WorkerSetup setup;
  setup.memory_bytes = o.memory_limit;
  setup.cpu_seconds = o.cpu_limit;
  setup.parent_pid = o.parent_pid;
  setup.standby = o.standby;
  if (o.activity_fd >= 0 && fcntl(o.activity_fd, F_GETFD) < 0) {
    fmt::print(stderr, "dqaudit worker: --activity-fd {} is not open\n", o.activity_fd);
    return 1;
  }
  setup.activity_fd = o.activity_fd;
  return worker::RunWorker(0, kResultFd, setup);
}

}  // namespace dqa::cli
