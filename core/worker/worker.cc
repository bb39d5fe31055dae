#include "core/worker/worker.h"

#include <fmt/format.h>
#include <signal.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <new>
#include <map>
#include <mutex>

#include "core/engine/audit.h"
#include "core/worker/messages.h"
#include "core/worker/protocol.h"

namespace dqa::worker {
namespace {

#if defined(__SANITIZE_ADDRESS__)
// ASan reserves terabytes of address space for its shadow memory: RLIMIT_AS would kill it.
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

// Writes frames to the result pipe; shared by the scan and the log sink (any thread).
class StreamWriter {
 public:
  explicit StreamWriter(int fd) : fd_(fd) {}
  Status Send(MessageType type, const nlohmann::json& payload) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return WriteFrame(fd_, type, DumpPayload(payload));
  }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::mutex mutex_;
};

// spdlog sink that sends every log line to the orchestrator as a log message.
class StreamSink : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit StreamSink(StreamWriter& writer) : writer_(writer) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    LogLine line{std::string(level.data(), level.size()),
                 std::string(msg.payload.data(), msg.payload.size())};
    (void)writer_.Send(MessageType::kLog, EncodeLog(line));
  }
  void flush_() override {}

 private:
  StreamWriter& writer_;
};

struct Fault {
  std::string kind;   // "" = none
  std::string check;  // "" = right after hello
};

Fault FaultFromEnvironment() {
  const char* env = std::getenv("DQA_WORKER_TEST_FAULT");
  if (env == nullptr || *env == '\0') return {};
  const std::string text = env;
  const size_t at = text.find('@');
  if (at == std::string::npos) return {text, ""};
  return {text.substr(0, at), text.substr(at + 1)};
}

void Misbehave(const std::string& kind, int fd) {
  if (kind == "alloc") {
    // Reserves 512 MiB of address space without touching it: fails only under a smaller RLIMIT_AS
    // and then dies like an uncaught std::bad_alloc would (SIGABRT); otherwise the scan goes on.
    try {
      ::operator delete(::operator new(size_t{512} << 20));
    } catch (const std::bad_alloc&) {
      std::abort();
    }
    return;
  }
  if (kind == "segv") {
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
  } else if (kind == "abort") {
    std::abort();
  } else if (kind == "garbage") {
    const std::string junk = "this is not a frame\n";
    (void)!::write(fd, junk.data(), junk.size());
    _exit(0);
  } else if (kind == "exit") {
    _exit(7);
  }
  // "hang" (and unknown kinds): sleep until killed, like a plugin stuck in a loop.
  while (true) pause();
}

void ApplyLimits(const WorkerSetup& setup) {
  if (setup.memory_bytes > 0 && !kAddressSanitizer) {
    const auto bytes = static_cast<rlim_t>(setup.memory_bytes);
    const rlimit limit{bytes, bytes};
    if (setrlimit(RLIMIT_AS, &limit) != 0) spdlog::warn("cannot set RLIMIT_AS");
  }
  if (setup.cpu_seconds > 0) {
    const auto soft = static_cast<rlim_t>(setup.cpu_seconds);
    const rlimit limit{soft, soft + 5};
    if (setrlimit(RLIMIT_CPU, &limit) != 0) spdlog::warn("cannot set RLIMIT_CPU");
  }
}

}  // namespace

std::string PluginOf(const CheckSpec& spec) {
  if (const auto* p = std::get_if<PluginCheckParams>(&spec.params)) return p->sector;
  return "";
}

std::vector<ScanStep> SplitPlan(const SourcePlan& plan) {
  auto disabled = [&](const std::string& plugin) {
    return std::find(plan.disabled_plugins.begin(), plan.disabled_plugins.end(), plugin) !=
           plan.disabled_plugins.end();
  };
  // Step key: plugin name ("" for built-in); within a step, tables keep the plan's order.
  std::vector<std::string> order = {""};
  std::map<std::string, SourcePlan> steps;
  auto step_for = [&](const std::string& plugin) -> SourcePlan& {
    auto it = steps.find(plugin);
    if (it == steps.end()) {
      SourcePlan copy = plan;
      copy.source.tables.clear();
      it = steps.emplace(plugin, std::move(copy)).first;
      if (!plugin.empty()) order.push_back(plugin);
    }
    return it->second;
  };
  step_for("");
  for (const TableSpec& table : plan.source.tables) {
    for (const CheckSpec& check : table.checks) {
      std::string plugin = PluginOf(check);
      if (disabled(plugin)) plugin.clear();
      SourcePlan& step = step_for(plugin);
      if (step.source.tables.empty() || step.source.tables.back().name != table.name) {
        TableSpec copy = table;
        copy.checks.clear();
        step.source.tables.push_back(std::move(copy));
      }
      step.source.tables.back().checks.push_back(check);
    }
  }
  std::vector<ScanStep> out;
  for (const std::string& plugin : order) {
    SourcePlan& step = steps.at(plugin);
    // The built-in step always runs (even empty) so that a source that cannot be opened reports it.
    if (!plugin.empty() && step.source.tables.empty()) continue;
    if (plugin.empty()) {
      out.push_back({plugin, std::move(step)});
      continue;
    }
    // One step per table of the plugin: a death names the plugin and that table's checks only.
    for (TableSpec& table : step.source.tables) {
      SourcePlan one = step;
      one.source.tables = {std::move(table)};
      out.push_back({plugin, std::move(one)});
    }
  }
  return out;
}

int RunWorker(int plan_fd, int result_fd, const WorkerSetup& setup) {
  // Die with the orchestrator; the getppid() check closes the race with a parent that died
  // before prctl ran (we would then have been re-parented already).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (setup.parent_pid > 0 && getppid() != static_cast<pid_t>(setup.parent_pid)) _exit(1);
  ApplyLimits(setup);

  StreamWriter writer(result_fd);
  auto logger = std::make_shared<spdlog::logger>("dqaudit", std::make_shared<StreamSink>(writer));
  logger->set_level(spdlog::default_logger()->level());
  spdlog::set_default_logger(logger);

  auto frame = ReadFrame(plan_fd);
  if (!frame.ok() || !frame->has_value() || (*frame)->type != MessageType::kPlan) {
    const std::string why = !frame.ok()          ? frame.status().message()
                            : !frame->has_value() ? "no plan received"
                                                  : "first message is not a plan";
    fmt::print(stderr, "dqaudit worker: {}\n", why);
    return 1;
  }
  auto payload = ParsePayload((*frame)->payload);
  if (!payload.ok()) {
    fmt::print(stderr, "dqaudit worker: {}\n", payload.status().message());
    return 1;
  }
  auto plan = DecodePlan(*payload);
  if (!plan.ok()) {
    fmt::print(stderr, "dqaudit worker: {}\n", plan.status().message());
    return 1;
  }
  if (!writer.Send(MessageType::kHello, EncodeHello({kProtocolVersion, getpid(), DQA_VERSION})).ok()) {
    return 1;
  }
  const Fault fault = FaultFromEnvironment();
  if (!fault.kind.empty() && fault.check.empty()) Misbehave(fault.kind, result_fd);

  bool stream_ok = true;
  SourceResult total;
  bool first = true;
  for (const ScanStep& step : SplitPlan(*plan)) {
    for (const TableSpec& table : step.plan.source.tables) {
      for (const CheckSpec& check : table.checks) {
        stream_ok = stream_ok &&
                    writer.Send(MessageType::kCheckStarted, EncodeCheckStarted({check.id, step.plugin}))
                        .ok();
      }
    }
    SourceResult part = ScanSource(step.plan, [&](const CheckResult& r) {
      stream_ok = stream_ok && writer.Send(MessageType::kResult, EncodeCheckResult(r)).ok();
      if (!fault.kind.empty() && fault.check == r.id) Misbehave(fault.kind, result_fd);
    });
    if (first) {
      total = part;
      first = false;
    } else {
      if (total.error.empty()) total.error = part.error;
      total.finished_unix_ms = part.finished_unix_ms;
    }
    if (!stream_ok) return 1;  // the orchestrator is gone or the pipe broke: nobody to report to
  }
  total.results.clear();
  if (!writer.Send(MessageType::kSourceDone, EncodeSourceHeader(total)).ok()) return 1;
  return 0;
}

}  // namespace dqa::worker
