// ProbePlugins: one poll loop on the calling thread runs a few helpers at once (a loop, not a
// thread per helper, keeps PR_SET_PDEATHSIG tied to one thread that outlives them all).
#include "core/plugins/probe.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/plugins/descriptor.h"
#include "core/plugins/loaded_plugin.h"
#include "core/plugins/probe_cache.h"
#include "core/util/process.h"

namespace dqa::plugins {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// A descriptor's JSON is a few KB; more than this is garbage, not an answer.
constexpr size_t kMaxAnswerBytes = size_t{4} << 20;

struct Helper {
  size_t index = 0;  // in files
  pid_t pid = -1;
  Fd answer_fd;      // read end; reset at EOF
  std::string answer;
  Clock::time_point deadline;
  bool timed_out = false;
  bool too_long = false;
  bool killed = false;
  std::optional<int> wait_status;
};

Status Spawn(const std::string& file, const ProbeOptions& options, Helper& h) {
  Fd read_end, write_end;
  DQA_RETURN_IF_ERROR(MakePipe(read_end, write_end));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // A noisy initialiser must never reach dqaudit's stdout: the helper's stdout is our stderr.
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), kProbeAnswerFd);
  posix_spawn_file_actions_addclosefrom_np(&actions, kProbeAnswerFd + 1);
  // Own process group: a timeout kills what the plugin started too.
  Result<pid_t> pid = SpawnChild(options.executable,
                                 {"dqaudit", "plugins", "probe", file, "--parent-pid",
                                  std::to_string(getpid())},
                                 actions);
  posix_spawn_file_actions_destroy(&actions);
  if (!pid.ok()) {
    return IoError(fmt::format("cannot start the plugin probe {}: {}", options.executable,
                               pid.status().message()));
  }
  fcntl(read_end.get(), F_SETFL, O_NONBLOCK);
  h.pid = *pid;
  h.answer_fd = std::move(read_end);
  h.deadline = Clock::now() + std::chrono::seconds(options.timeout_seconds);
  return Status::Ok();
}

void Kill(Helper& h) {
  if (h.killed) return;
  h.killed = true;
  KillProcessGroup(h.pid);
}

// Reads what is there; closes the fd at EOF.
void ReadFrom(Helper& h) {
  char buf[65536];
  while (h.answer_fd.get() >= 0) {
    const ssize_t n = ::read(h.answer_fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      h.answer_fd.Reset();
      return;
    }
    h.answer.append(buf, static_cast<size_t>(n));
    if (h.answer.size() > kMaxAnswerBytes) {
      h.too_long = true;
      h.answer_fd.Reset();
      Kill(h);
    }
  }
}

Result<PluginInfo> FromAnswer(const std::string& file, const std::string& text);

Result<PluginInfo> Outcome(const std::string& file, const Helper& h, const ProbeOptions& options) {
  auto fail = [&](const std::string& cause) -> Result<PluginInfo> {
    return InvalidArgument(fmt::format("plugin {}: {}", file, cause));
  };
  if (h.timed_out) {
    return fail(fmt::format("did not answer within {} s while loading (killed)",
                            options.timeout_seconds));
  }
  if (h.too_long) {
    return fail(fmt::format("answered more than {} bytes while loading (killed)", kMaxAnswerBytes));
  }
  const int status = h.wait_status.value_or(0);
  if (WIFSIGNALED(status)) return fail("killed by " + SignalName(WTERMSIG(status)) + " while loading");
  if (h.answer.empty()) {
    return fail(fmt::format("exited with status {} while loading, without an answer",
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return FromAnswer(file, h.answer);
}

// What an answer (fresh, or kept in the probe cache) says: the validated descriptor, or the error.
Result<PluginInfo> FromAnswer(const std::string& file, const std::string& text) {
  auto fail = [&](const std::string& cause) -> Result<PluginInfo> {
    return InvalidArgument(fmt::format("plugin {}: {}", file, cause));
  };
  const json answer = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded() || !answer.is_object()) {
    return fail(fmt::format("answered something that is not a descriptor ({} bytes starting '{}')",
                            text.size(), text.substr(0, 40)));
  }
  if (const auto e = answer.find("error"); e != answer.end() && e->is_string()) {
    return InvalidArgument(e->get<std::string>());  // LoadedPlugin's message, naming the file
  }
  Result<RawDescriptor> raw = DescriptorFromJson(answer);
  if (!raw.ok()) {
    return fail("answered something that is not a descriptor (" + raw.status().message() + ")");
  }
  return ValidateDescriptor(*raw, file);
}

// Probes every file in a helper (the answers' raw text into `answers` when given).
std::vector<Result<PluginInfo>> ProbeEach(const std::vector<std::string>& files,
                                          const ProbeOptions& options,
                                          std::vector<std::string>* answers) {
  if (answers != nullptr) answers->assign(files.size(), "");
  std::vector<std::optional<Result<PluginInfo>>> results(files.size());
  signal(SIGPIPE, SIG_IGN);
  const size_t parallel = static_cast<size_t>(std::max(1, options.parallel));
  std::vector<Helper> active;
  size_t next = 0;
  while (next < files.size() || !active.empty()) {
    while (active.size() < parallel && next < files.size()) {
      Helper h;
      h.index = next++;
      if (Status s = Spawn(files[h.index], options, h); !s.ok()) {
        results[h.index] = s;
        continue;
      }
      active.push_back(std::move(h));
    }
    if (active.empty()) continue;
    std::vector<pollfd> fds;
    bool waiting_exit = false;
    Clock::time_point next_deadline = Clock::time_point::max();
    for (Helper& h : active) {
      if (h.answer_fd.get() >= 0) {
        fds.push_back({h.answer_fd.get(), POLLIN, 0});
      } else {
        waiting_exit = true;
      }
      if (h.killed) waiting_exit = true;
      if (!h.killed) next_deadline = std::min(next_deadline, h.deadline);
    }
    int timeout_ms = waiting_exit ? 10 : 1000;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_deadline - Clock::now()).count();
    timeout_ms = static_cast<int>(std::clamp<int64_t>(left + 1, 0, timeout_ms));
    if (poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) {
      for (Helper& h : active) Kill(h);
    }
    const auto now = Clock::now();
    for (size_t i = 0; i < active.size();) {
      Helper& h = active[i];
      if (h.answer_fd.get() >= 0) ReadFrom(h);
      if (!h.killed && now >= h.deadline) {
        h.timed_out = true;
        Kill(h);
      }
      // Reap once the answer ended, or once killed (a grandchild that left the process group
      // could hold the pipe open forever).
      if (h.answer_fd.get() < 0 || h.killed) {
        h.wait_status = TryReap(h.pid);
        if (h.wait_status) {
          results[h.index] = Outcome(files[h.index], h, options);
          if (answers != nullptr) (*answers)[h.index] = std::move(h.answer);
          active.erase(active.begin() + static_cast<std::ptrdiff_t>(i));
          continue;
        }
      }
      ++i;
    }
  }
  std::vector<Result<PluginInfo>> out;
  out.reserve(files.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace

std::vector<Result<PluginInfo>> ProbePlugins(const std::vector<std::string>& files,
                                             const ProbeOptions& options) {
  if (options.cache_file.empty()) return ProbeEach(files, options, nullptr);
  ProbeCache cache(options.cache_file);
  std::vector<std::optional<Result<PluginInfo>>> results(files.size());
  std::vector<std::optional<std::string>> keys(files.size());
  std::vector<std::string> to_probe;
  std::vector<size_t> probed_index;
  for (size_t i = 0; i < files.size(); ++i) {
    keys[i] = cache.Key(files[i]);
    const std::optional<std::string> answer = keys[i] ? cache.Find(files[i], *keys[i]) : std::nullopt;
    if (answer) {
      results[i] = FromAnswer(files[i], *answer);
      if (results[i]->ok()) {
        cache.Put(files[i], *keys[i], *answer);  // the file's identity kept with it, if new
        continue;
      }
    }
    to_probe.push_back(files[i]);
    probed_index.push_back(i);
  }
  std::vector<std::string> answers;
  std::vector<Result<PluginInfo>> probed = ProbeEach(to_probe, options, &answers);
  for (size_t j = 0; j < probed.size(); ++j) {
    const size_t i = probed_index[j];
    // Only descriptors are kept: a library that failed is probed again next time.
    if (probed[j].ok() && keys[i]) cache.Put(files[i], *keys[i], std::move(answers[j]));
    results[i] = std::move(probed[j]);
  }
  cache.Save();
  std::vector<Result<PluginInfo>> out;
  out.reserve(files.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

int AnswerProbe(const std::string& file, int64_t parent_pid) {
  if (fcntl(kProbeAnswerFd, F_GETFD) < 0) {
    fmt::print(stderr, "dqaudit plugins probe: fd {} is not open; this subcommand is started by "
                       "dqaudit itself\n",
               kProbeAnswerFd);
    return 1;
  }
  // Die with the orchestrator; the getppid() check closes the race with a parent already gone.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (parent_pid > 0 && getppid() != static_cast<pid_t>(parent_pid)) _exit(1);
  Result<RawDescriptor> raw = LoadedPlugin::ReadDescriptorForProbe(file);
  const json answer = raw.ok() ? DescriptorToJson(*raw) : json{{"error", raw.status().message()}};
  const std::string text = answer.dump(-1, ' ', false, json::error_handler_t::replace);
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(kProbeAnswerFd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(1);
    written += static_cast<size_t>(n);
  }
  // No destructor of the plugin (or of dqaudit) runs: the answer is all that was asked for.
  _exit(0);
}

}  // namespace dqa::plugins
