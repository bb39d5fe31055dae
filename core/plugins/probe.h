// The plugin probe: a plugin library's descriptor read by a short-lived helper process, so that
// no plugin code (initialisers, entry point) ever runs in the orchestrator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/plugins/plugin_info.h"
#include "core/util/status.h"

namespace dqa::plugins {

// The fd on which the helper writes its answer (its stdout goes to the orchestrator's stderr).
inline constexpr int kProbeAnswerFd = 3;
inline constexpr int kDefaultProbeTimeoutSeconds = 10;

struct ProbeOptions {
  // The dqaudit binary, run as `<executable> plugins probe FILE`. Default: this process's image.
  std::string executable = "/proc/self/exe";
  int timeout_seconds = kDefaultProbeTimeoutSeconds;  // per file, wall clock; > 0
  int parallel = 4;                                   // helpers at once; > 0
  // When set, a file of answers kept between runs (core/plugins/probe_cache.h): a library whose
  // bytes and dqaudit's binary are those of a kept answer is not probed again.
  std::string cache_file;
};

// Probes each of `files` (absolute, canonical, already admitted: CheckPluginAdmission) in its own
// helper process, a few at once; results in the order of `files`. A helper gets /dev/null as
// stdin, the caller's stderr as stdout and stderr, its own process group, and is killed at the
// timeout. Each result is the validated descriptor (ValidateDescriptor: the checks
// LoadedPlugin::Load makes, same messages) or InvalidArgument "plugin <file>: <cause>" where the
// cause is the helper's load error (not a library, no entry point...), "killed by SIGSEGV while
// loading", "did not answer within N s while loading", "exited with status N while loading,
// without an answer" or "answered something that is not a descriptor (...)". Must be called from a
// thread that outlives the helpers (it returns only after every helper was reaped).
std::vector<Result<PluginInfo>> ProbePlugins(const std::vector<std::string>& files,
                                             const ProbeOptions& options);

// The helper's side (`dqaudit plugins probe FILE`): loads `file`, writes its raw descriptor (or
// {"error": message}) as JSON to kProbeAnswerFd, and _exit()s without running any destructor.
// Dies with its parent (PR_SET_PDEATHSIG), and exits at once if `parent_pid` (> 0) is no longer
// its parent. Returns 1 only when kProbeAnswerFd is not open (not started by ProbePlugins).
int AnswerProbe(const std::string& file, int64_t parent_pid);

}  // namespace dqa::plugins
