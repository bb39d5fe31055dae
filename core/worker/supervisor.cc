// RunAuditInWorkers: one poll loop on the calling thread supervises every worker. A loop (not a
// thread per worker) keeps PR_SET_PDEATHSIG tied to one long-lived thread, needs no locking around
// the observer, and makes timeouts a matter of poll()'s timeout.
#include "core/worker/supervisor.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "core/checks/evaluator.h"
#include "core/util/activity.h"
#include "core/worker/messages.h"
#include "core/worker/protocol.h"
#include "core/util/clock.h"
#include "core/util/process.h"
#include "core/worker/worker.h"


namespace dqa::worker {
namespace {

using Clock = std::chrono::steady_clock;

// The worker's fd of the activity page; pipes never land there (they are numbered 4 or above but
// dup2'ed onto 0, 1 and 3 first), and the memfd itself is numbered 5 or above so that dup2 onto 4
// always clears its O_CLOEXEC.
constexpr int kActivityFd = 4;

// The activity page of one attempt: a memfd mapped MAP_SHARED, inherited by the worker.
class SharedActivity {
 public:
  SharedActivity() = default;
  SharedActivity(const SharedActivity&) = delete;
  SharedActivity& operator=(const SharedActivity&) = delete;
  ~SharedActivity() {
    if (page_ != nullptr) munmap(page_, sizeof(ActivityPage));
  }

  Status Create() {
    const int raw = memfd_create("dqaudit-activity", MFD_CLOEXEC);
    if (raw < 0) return IoError(fmt::format("memfd_create: {}", std::strerror(errno)));
    Fd fd(raw);
    if (raw <= kActivityFd) {
      const int moved = fcntl(raw, F_DUPFD_CLOEXEC, kActivityFd + 1);
      if (moved < 0) return IoError(fmt::format("fcntl: {}", std::strerror(errno)));
      fd.Reset(moved);
    }
    if (ftruncate(fd.get(), static_cast<off_t>(sizeof(ActivityPage))) != 0) {
      return IoError(fmt::format("ftruncate: {}", std::strerror(errno)));
    }
    void* p = mmap(nullptr, sizeof(ActivityPage), PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
    if (p == MAP_FAILED) return IoError(fmt::format("mmap: {}", std::strerror(errno)));
    page_ = new (p) ActivityPage;
    InitActivityPage(*page_);
    fd_ = std::move(fd);
    return Status::Ok();
  }
  int fd() const { return fd_.get(); }
  void CloseFd() { fd_.Reset(); }  // once the worker has its copy
  const ActivityPage* page() const { return page_; }

 private:
  Fd fd_;
  ActivityPage* page_ = nullptr;
};

// What the page said when the worker was gone.
struct ActivityReport {
  ActivityPhase phase = ActivityPhase::kStarting;
  int plugin = -1;
  int check = -1;
  int64_t snapshots = 0;
  int64_t table_passes = 0;
  int trap_plugin = -1;  // who wrote into the stream trap (WatchStreamTrap)
  int trap_check = -1;
  int64_t trap_bytes = 0;
};

// One source and its checks in plan order, filled in by one attempt and a retry per blamed plugin.
struct SourceRun {
  const SourcePlan* plan = nullptr;
  std::vector<const CheckSpec*> specs;
  std::vector<const TableSpec*> tables;  // table of specs[i]
  std::vector<std::optional<CheckResult>> slots;
  SourceResult header;  // from the last attempt's source-done, else from the plan
  bool header_from_worker = false;
  int64_t started_unix_ms = 0;
  int attempts = 0;

  // Fills the first empty slot of check `id`; false when the id is unknown or already filled.
  bool Fill(CheckResult r) {
    for (size_t i = 0; i < specs.size(); ++i) {
      if (!slots[i] && specs[i]->id == r.id) {
        slots[i] = std::move(r);
        return true;
      }
    }
    return false;
  }
};

// One worker process scanning one attempt's plan.
struct Attempt {
  SourceRun* run = nullptr;
  SourcePlan plan;  // the source's plan, or on retry its unreported checks with a plugin disabled
  pid_t pid = -1;
  Fd plan_fd;  // write end of the worker's stdin; reset once the plan is written
  std::string plan_bytes;
  size_t plan_written = 0;
  Fd result_fd;  // read end of the worker's fd 3; reset at EOF
  Fd exit_fd;    // the worker's pidfd (OpenPidFd): readable once it has ended; empty without one
  FrameReader reader;
  uint32_t next_sequence = 0;  // of the next frame expected
  int64_t received = 0;        // bytes read from the stream
  // A corrupt frame (detected while the stream was open) or a stream that ended inside a frame:
  // what was wrong and the stream offset where the bad frame starts.
  std::string stream_error;
  int64_t stream_error_offset = -1;
  bool truncated = false;
  Clock::time_point deadline;
  bool timed_out = false;
  bool killed = false;
  std::string protocol_error;
  bool hello = false;
  std::optional<SourceResult> done;
  std::optional<int> wait_status;
  SharedActivity activity;
  ActivityReport report;  // read from the page once the worker was reaped
  std::vector<int> blamed_plugins;  // indexes into plan.plugin_files, from the page once reaped
  int blamed_check = -1;            // index into PlanCheckIds(plan); -1 = unknown
  int64_t results = 0;              // result messages received
};

int CpuSeconds(const SupervisorOptions& options) {
  return options.cpu_seconds > 0 ? options.cpu_seconds : options.timeout_seconds;
}

// Starts the worker process of `a`: its pipes, its activity page, the process. `source` names it
// on its command line (for ps); "" starts a standby worker (StandbyWorkers), which waits for the
// plan GivePlan prepares.
Status StartWorker(const SupervisorOptions& options, Attempt& a, const std::string& source) {
  Fd plan_read, plan_write, result_read, result_write;
  DQA_RETURN_IF_ERROR(MakePipe(plan_read, plan_write));
  DQA_RETURN_IF_ERROR(MakePipe(result_read, result_write));
  DQA_RETURN_IF_ERROR(a.activity.Create());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, plan_read.get(), 0);
  // Plugins that print must not corrupt anything: stdout goes to stderr, results use fd 3.
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, 1);
  posix_spawn_file_actions_adddup2(&actions, result_write.get(), 3);
  posix_spawn_file_actions_adddup2(&actions, a.activity.fd(), kActivityFd);
  // Every fd is O_CLOEXEC already; this also closes any a library opened without it.
  posix_spawn_file_actions_addclosefrom_np(&actions, kActivityFd + 1);

  const int64_t cpu_seconds = CpuSeconds(options);
  std::vector<std::string> args = {"dqaudit", "worker"};
  if (source.empty()) {
    args.emplace_back("--standby");
  } else {
    args.insert(args.end(), {"--source", source});
  }
  args.insert(args.end(), {"--parent-pid",   std::to_string(getpid()),
                           "--memory-limit", std::to_string(options.memory_bytes),
                           "--cpu-limit",    std::to_string(cpu_seconds),
                           "--activity-fd",  std::to_string(kActivityFd),
                           "--log-level",    options.log_level});
  // Own process group: a timeout kills the worker and anything a plugin started.
  Result<pid_t> pid = SpawnChild(options.executable, std::move(args), actions, /*scan_heap=*/true);
  posix_spawn_file_actions_destroy(&actions);
  if (!pid.ok()) {
    return IoError(
        fmt::format("cannot start worker {}: {}", options.executable, pid.status().message()));
  }
  a.pid = *pid;
  a.exit_fd = OpenPidFd(a.pid);
  a.activity.CloseFd();
  fcntl(plan_write.get(), F_SETFL, O_NONBLOCK);
  fcntl(result_read.get(), F_SETFL, O_NONBLOCK);
  a.plan_fd = std::move(plan_write);
  a.result_fd = std::move(result_read);
  return Status::Ok();
}

// The plan frame the loop writes to a started worker, and the attempt's deadline, which runs from
// now (a standby worker's wait for its plan is not the source's time).
void GivePlan(const SupervisorOptions& options, Attempt& a) {
  a.plan_bytes = EncodeFrame(MessageType::kPlan, DumpPayload(EncodePlan(a.plan)));
  a.deadline = Clock::now() + std::chrono::seconds(options.timeout_seconds);
}

Status Spawn(const SupervisorOptions& options, Attempt& a) {
  DQA_RETURN_IF_ERROR(StartWorker(options, a, a.plan.source.id));
  GivePlan(options, a);
  return Status::Ok();
}

void Kill(Attempt& a) {
  if (a.killed || a.pid <= 0) return;
  a.killed = true;
  KillProcessGroup(a.pid);  // the worker's process group
}

void ProtocolError(Attempt& a, const std::string& what) {
  if (a.protocol_error.empty()) a.protocol_error = what;
  Kill(a);
}

void StreamError(Attempt& a, const std::string& what, uint64_t offset) {
  if (a.stream_error.empty() && a.protocol_error.empty()) {
    a.stream_error = what;
    a.stream_error_offset = static_cast<int64_t>(offset);
  }
  Kill(a);
}

void Handle(Attempt& a, const Frame& frame) {
  auto payload = ParsePayload(frame.payload);
  if (!payload.ok()) return ProtocolError(a, payload.status().message());
  if (!a.hello && frame.type != MessageType::kHello) {
    return ProtocolError(
        a, fmt::format("first message is {}, expected hello", MessageTypeName(frame.type)));
  }
  switch (frame.type) {
    case MessageType::kHello: {
      auto hello = DecodeHello(*payload);
      if (!hello.ok()) return ProtocolError(a, hello.status().message());
      if (hello->protocol != kProtocolVersion) {
        return ProtocolError(a, fmt::format("worker speaks protocol {}", hello->protocol));
      }
      a.hello = true;
      return;
    }
    case MessageType::kResult: {
      auto r = DecodeCheckResult(*payload);
      if (!r.ok()) return ProtocolError(a, r.status().message());
      const std::string id = r->id;
      ++a.results;
      if (!a.run->Fill(std::move(r).value())) {
        return ProtocolError(a, fmt::format("result for unknown or already reported check {}", id));
      }
      return;
    }
    case MessageType::kSourceDone: {
      auto h = DecodeSourceHeader(*payload);
      if (!h.ok()) return ProtocolError(a, h.status().message());
      a.done = std::move(h).value();
      return;
    }
    case MessageType::kLog: {
      auto log = DecodeLog(*payload);
      if (!log.ok()) return ProtocolError(a, log.status().message());
      spdlog::log(spdlog::level::from_str(log->level), "{}: {}", a.plan.source.id, log->message);
      return;
    }
    case MessageType::kPlan:
      return ProtocolError(a, "worker sent a plan message");
  }
}

// Reads what the worker sent; closes the fd at EOF.
void ReadFrom(Attempt& a) {
  char buf[65536];
  while (a.result_fd.get() >= 0) {
    const ssize_t n = ::read(a.result_fd.get(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      ProtocolError(a, fmt::format("read failed: {}", std::strerror(errno)));
      a.result_fd.Reset();
      return;
    }
    if (n == 0) {
      if (a.reader.pending_bytes() > 0 && a.protocol_error.empty() && a.stream_error.empty() &&
          !a.killed) {
        a.truncated = true;
        a.stream_error = fmt::format("truncated frame: the stream ended {} bytes into a frame",
                                     a.reader.pending_bytes());
        a.stream_error_offset = static_cast<int64_t>(a.reader.frames_end());
      }
      a.result_fd.Reset();
      return;
    }
    a.received += n;
    if (!a.protocol_error.empty() || !a.stream_error.empty()) continue;  // drain after an error
    a.reader.Append(std::string_view(buf, static_cast<size_t>(n)));
    while (a.protocol_error.empty() && a.stream_error.empty()) {
      auto frame = a.reader.Next();
      if (!frame.ok()) {
        StreamError(a, frame.status().message(), a.reader.frames_end());
        break;
      }
      if (!frame->has_value()) break;
      const Frame& f = **frame;
      if (f.sequence != a.next_sequence) {
        StreamError(a,
                    fmt::format("frame number {} where {} was expected", f.sequence,
                                a.next_sequence),
                    a.reader.frames_end() - kHeaderSize - f.payload.size());
        break;
      }
      ++a.next_sequence;
      Handle(a, f);
    }
  }
}

void WriteTo(Attempt& a) {
  while (a.plan_fd.get() >= 0 && a.plan_written < a.plan_bytes.size()) {
    const ssize_t n = ::write(a.plan_fd.get(), a.plan_bytes.data() + a.plan_written,
                              a.plan_bytes.size() - a.plan_written);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      a.plan_fd.Reset();  // EPIPE: the worker died; its exit status tells why
      return;
    }
    a.plan_written += static_cast<size_t>(n);
  }
  a.plan_fd.Reset();
  a.plan_bytes.clear();
}

// Why an attempt failed: `text` for the results and the log, `how` for a quarantine reason
// ("crashed (SIGSEGV)"). Empty text when the attempt succeeded.
struct FailureCause {
  std::string text;
  std::string how;
};

// The first check of the attempt's plan without a result; "" when every check has one.
std::string FirstOpenCheck(const Attempt& a) {
  for (const TableSpec& t : a.plan.source.tables) {
    for (const CheckSpec& c : t.checks) {
      for (size_t i = 0; i < a.run->specs.size(); ++i) {
        if (!a.run->slots[i] && a.run->specs[i]->id == c.id) return c.id;
      }
    }
  }
  return "";
}

// A signal or an exit status the worker chose beats a stream that merely ended inside a frame (a
// worker that dies in the middle of a write leaves one); a corrupt frame seen while the worker
// still ran is why the supervisor killed it, so it comes first.
FailureCause Failure(const Attempt& a, const SupervisorOptions& options) {
  if (a.report.trap_bytes > 0) {
    return {fmt::format("corrupt result stream: {} bytes written to fd 3 {}", a.report.trap_bytes,
                        a.report.trap_plugin >= 0 ? "by plugin code" : "outside any plugin call"),
            "wrote to the result stream (fd 3)"};
  }
  if (!a.protocol_error.empty()) {
    return {"protocol error: " + a.protocol_error, "broke the worker protocol"};
  }
  const std::string corrupt =
      fmt::format("corrupt result stream: {} at byte {}", a.stream_error, a.stream_error_offset);
  if (!a.stream_error.empty() && !a.truncated) return {corrupt, "corrupted the result stream"};
  if (a.timed_out) {
    return {fmt::format("timed out after {} s", options.timeout_seconds),
            fmt::format("timed out ({} s)", options.timeout_seconds)};
  }
  const int status = a.wait_status.value_or(0);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU) {
      return {fmt::format("worker killed by SIGXCPU (CPU time limit of {} s exceeded)",
                          CpuSeconds(options)),
              fmt::format("exceeded the CPU time limit ({} s)", CpuSeconds(options))};
    }
    return {"worker killed by " + SignalName(sig), fmt::format("crashed ({})", SignalName(sig))};
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    return {fmt::format("worker exited with status {}", WEXITSTATUS(status)),
            fmt::format("made the worker exit with status {}", WEXITSTATUS(status))};
  }
  if (a.truncated) return {corrupt, "corrupted the result stream"};
  if (!a.done) return {"worker exited before finishing the source", "made the worker exit early"};
  if (const std::string open = FirstOpenCheck(a); !open.empty()) {
    return {"protocol error: the worker finished without reporting check " + open,
            "broke the worker protocol"};
  }
  return {};
}

// Reads the page of a reaped worker.
// Passes the progress the running worker publishes in its page to the observer (the page is
// read while the worker writes it: each counter is one relaxed atomic, a torn pair only makes
// one line of progress a row off).
void ReportProgress(const Attempt& a, AuditObserver& observer) {
  const ActivityPage* page = a.activity.page();
  if (page == nullptr || a.killed ||
      page->phase.load(std::memory_order_relaxed) != static_cast<int32_t>(ActivityPhase::kScanning)) {
    return;
  }
  const int32_t table = page->scan_table.load(std::memory_order_relaxed);
  if (table < 0 || static_cast<size_t>(table) >= a.plan.source.tables.size()) return;
  TableScanProgress progress;
  progress.table = a.plan.source.tables[static_cast<size_t>(table)].name;
  progress.rows = page->scan_rows.load(std::memory_order_relaxed);
  progress.estimate = page->scan_rows_estimate.load(std::memory_order_relaxed);
  observer.OnSourceProgress(a.plan, progress);
}

ActivityReport ReadActivity(const Attempt& a) {
  ActivityReport r;
  const ActivityPage* page = a.activity.page();
  if (page == nullptr) return r;
  r.phase = static_cast<ActivityPhase>(page->phase.load(std::memory_order_relaxed));
  r.plugin = page->plugin.load(std::memory_order_relaxed);
  r.check = page->check.load(std::memory_order_relaxed);
  r.snapshots = page->snapshots.load(std::memory_order_relaxed);
  r.table_passes = page->table_passes.load(std::memory_order_relaxed);
  r.trap_plugin = page->trap_plugin.load(std::memory_order_relaxed);
  r.trap_check = page->trap_check.load(std::memory_order_relaxed);
  r.trap_bytes = page->trap_bytes.load(std::memory_order_relaxed);
  return r;
}

bool IsPluginIndex(const Attempt& a, int i) {
  return i >= 0 && static_cast<size_t>(i) < a.plan.plugin_files.size();
}

// Who wrote the bad bytes of a corrupt or truncated stream: the plugin calls whose span of the
// stream (ActivitySpan) contains the offset where the bad frame starts. The page keeps the spans
// after the calls returned, so the answer does not depend on when the supervisor noticed. When no
// tracked call matches but the stream holds bytes the worker's code did not write, the last plugin
// entered is blamed if its call was too far down the plan to be tracked.
void BlameStreamWriters(Attempt& a) {
  const ActivityPage* page = a.activity.page();
  if (page == nullptr) return;
  int check = -1;
  size_t calls = 0;
  for (const StreamWriterCandidate& c : CallsAtStreamOffset(*page, a.stream_error_offset)) {
    if (!IsPluginIndex(a, c.plugin)) continue;
    if (std::find(a.blamed_plugins.begin(), a.blamed_plugins.end(), c.plugin) ==
        a.blamed_plugins.end()) {
      a.blamed_plugins.push_back(c.plugin);
    }
    check = c.check;
    ++calls;
  }
  if (calls == 1) a.blamed_check = check;
  if (calls > 0) return;
  const int last_plugin = page->last_plugin.load(std::memory_order_relaxed);
  const int last_check = page->last_check.load(std::memory_order_relaxed);
  const bool untracked = last_check >= kActivityCheckSpans ||
                         (last_check < 0 && last_plugin >= kActivityPluginSpans);
  if (untracked && IsPluginIndex(a, last_plugin) &&
      a.received > page->stream_bytes.load(std::memory_order_relaxed)) {
    a.blamed_plugins.push_back(last_plugin);
    a.blamed_check = last_check;
  }
}

// Fills a.blamed_plugins / a.blamed_check from the page of a reaped worker: for a stream fault,
// the plugins that wrote at the bad offset; otherwise the plugin the page says was running.
void Blame(Attempt& a) {
  if (a.report.trap_bytes > 0) {
    if (IsPluginIndex(a, a.report.trap_plugin)) {
      a.blamed_plugins.push_back(a.report.trap_plugin);
      a.blamed_check = a.report.trap_check;
    }
    return;
  }
  if (!a.stream_error.empty()) return BlameStreamWriters(a);
  if (IsPluginIndex(a, a.report.plugin)) {
    a.blamed_plugins.push_back(a.report.plugin);
    a.blamed_check = a.report.check;
  }
}

// The name of plugin `i` of the plan (its rule-file prefix, as in SourcePlan::disabled_plugins).
std::string PluginName(const SourcePlan& plan, int i) {
  const auto index = static_cast<size_t>(i);
  if (plan.plugin_sectors.size() == plan.plugin_files.size()) return plan.plugin_sectors[index];
  std::string stem = plan.plugin_files[index];
  stem = stem.substr(stem.find_last_of('/') + 1);
  return stem.substr(0, stem.find('.'));
}

std::vector<std::string> BlamedPlugins(const Attempt& a) {
  std::vector<std::string> names;
  for (int i : a.blamed_plugins) names.push_back(PluginName(a.plan, i));
  return names;
}

// The id of the blamed check; "" when unknown.
std::string BlamedCheck(const Attempt& a) {
  const std::vector<std::string> ids = PlanCheckIds(a.plan);
  const int c = a.blamed_check;
  return c >= 0 && static_cast<size_t>(c) < ids.size() ? ids[static_cast<size_t>(c)] : "";
}

// " while running check X of plugin P" for the blamed plugin; " while running the built-in
// checks" when core code was scanning and some check had no result yet; "" otherwise.
std::string RunningContext(const Attempt& a) {
  const std::vector<std::string> plugins = BlamedPlugins(a);
  if (plugins.size() > 1) {
    return fmt::format(" while plugins {} were running", fmt::join(plugins, ", "));
  }
  if (plugins.size() == 1) {
    const std::string check = BlamedCheck(a);
    if (!check.empty()) {
      return fmt::format(" while running check {} of plugin {}", check, plugins[0]);
    }
    return fmt::format(" while running plugin {}", plugins[0]);
  }
  if (a.report.phase == ActivityPhase::kScanning && !FirstOpenCheck(a).empty()) {
    return " while running the built-in checks";
  }
  return "";
}

// Adds `plugin` to the plan's disabled plugins with `reason`, unless it is there already.
void Disable(SourcePlan& plan, const std::string& plugin, const std::string& reason) {
  plan.disabled_reasons.resize(plan.disabled_plugins.size());
  if (std::find(plan.disabled_plugins.begin(), plan.disabled_plugins.end(), plugin) !=
      plan.disabled_plugins.end()) {
    return;
  }
  plan.disabled_plugins.push_back(plugin);
  plan.disabled_reasons.push_back(reason);
}

// The plan of a retry: the checks of `a.plan` that have no result yet, `plugins` disabled.
SourcePlan RetryPlan(const Attempt& a, const std::vector<std::string>& plugins,
                     const std::string& reason) {
  SourcePlan retry = a.plan;
  retry.source.tables.clear();
  for (const TableSpec& t : a.plan.source.tables) {
    TableSpec copy = t;
    copy.checks.clear();
    for (const CheckSpec& c : t.checks) {
      bool open = false;
      for (size_t i = 0; i < a.run->specs.size(); ++i) {
        if (!a.run->slots[i] && a.run->specs[i]->id == c.id) open = true;
      }
      if (open) copy.checks.push_back(c);
    }
    if (!copy.checks.empty()) retry.source.tables.push_back(std::move(copy));
  }
  for (const std::string& plugin : plugins) Disable(retry, plugin, reason);
  return retry;
}

// Plugins blamed for a worker's death in this run, each with the reason given to every attempt
// spawned afterwards: where and how it failed first.
struct Quarantine {
  std::vector<std::string> plugins;
  std::vector<std::string> reasons;

  // Quarantines the plugins `a` blamed (those not quarantined yet); logs each once and tells
  // `observer`.
  void Add(const Attempt& a, const FailureCause& cause, AuditObserver& observer) {
    const std::string check = BlamedCheck(a);
    for (const std::string& plugin : BlamedPlugins(a)) {
      if (std::find(plugins.begin(), plugins.end(), plugin) != plugins.end()) continue;
      std::string reason =
          fmt::format("quarantined after it {} on source {}", cause.how, a.plan.source.id);
      if (!check.empty()) reason += " in check " + check;
      spdlog::warn("plugin {} {}: not run again in this run", plugin, reason);
      observer.OnPluginQuarantined(plugin, reason);
      plugins.push_back(plugin);
      reasons.push_back(std::move(reason));
    }
  }

  // Disables every quarantined plugin that `plan` would run.
  void Apply(SourcePlan& plan) const {
    for (size_t i = 0; i < plugins.size(); ++i) {
      bool used = false;
      for (const TableSpec& t : plan.source.tables) {
        for (const CheckSpec& c : t.checks) {
          used = used || c.PluginSector() == plugins[i];
        }
      }
      if (used) Disable(plan, plugins[i], reasons[i]);
    }
  }
};

SourceResult Assemble(SourceRun& run, const std::string& error) {
  SourceResult out = run.header;  // keeps the worker's own source error (database not found...)
  if (!error.empty()) out.error = error;
  for (size_t i = 0; i < run.specs.size(); ++i) {
    if (!run.slots[i]) {
      const TableSpec& table = *run.tables[i];
      CheckContext context{run.plan->source.id, run.plan->now_unix, run.plan->today_day,
                           run.plan->samples,
                           table.key.empty() ? std::vector<std::string>{"rowid"} : table.key};
      run.slots[i] = ErrorResult(*run.specs[i], context, error);
    }
    out.results.push_back(std::move(*run.slots[i]));  // the run is over: moved, not copied
  }
  if (!run.header_from_worker) {
    out.source = run.plan->source.id;
    out.department = run.plan->source.department;
    out.database = run.plan->source.database;
    out.finished_unix_ms = NowUnixMs();
  }
  out.started_unix_ms = run.started_unix_ms;
  return out;
}

}  // namespace

std::optional<int64_t> ParseMemoryLimit(std::string_view text) {
  if (text == "unlimited" || text == "none") return 0;
  int64_t number = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, number);
  if (ec != std::errc() || number < 0) return std::nullopt;
  std::string_view unit(ptr, static_cast<size_t>(end - ptr));
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.remove_suffix(1);
  if (unit.size() == 2 && (unit[1] == 'i' || unit[1] == 'I')) unit.remove_suffix(1);
  int shift = 20;  // a plain number is MiB
  if (unit.empty() || unit == "M" || unit == "m") {
    shift = 20;
  } else if (unit == "K" || unit == "k") {
    shift = 10;
  } else if (unit == "G" || unit == "g") {
    shift = 30;
  } else if (unit == "T" || unit == "t") {
    shift = 40;
  } else {
    return std::nullopt;
  }
  if (number > (std::numeric_limits<int64_t>::max() >> shift)) return std::nullopt;
  return number << shift;
}

bool YieldsCpuTo(uintmax_t own, uintmax_t other) {
  return own > 0 && other > 0 && own <= other / kYieldRatio;
}

size_t WorkerSlots(const SupervisorOptions& options) {
  return options.jobs > 0 ? static_cast<size_t>(options.jobs)
                          : std::max(1u, std::thread::hardware_concurrency());
}

int StandbyWorkersWorthStarting(const SupervisorOptions& options, size_t sources) {
  // One core stays the orchestrator's: starting a process is CPU work (loading and relocating the
  // libraries), and workers starting on every core would only slow the reading of the rules.
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(
      std::min({sources, WorkerSlots(options), std::max<size_t>(cores - 1, 1)}));
}

// What StandbyWorkers holds (StandbyPool, below): an interface, so that the Attempt type stays in
// this file's anonymous namespace.
struct StandbyWorkers::Impl {
  virtual ~Impl() = default;
};

namespace {

// This process's environment, which a worker inherits when it is started.
std::vector<std::string> Environment() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) out.emplace_back(*e);
  return out;
}

struct StandbyPool final : StandbyWorkers::Impl {
  SupervisorOptions options;             // those they were started with
  std::vector<std::string> environment;  // and the environment they inherited
  std::deque<std::unique_ptr<Attempt>> ready;

  // A standby worker for an attempt of `wanted` that is still alive, else nullptr: one started
  // with the same binary, limits and log level, and with the environment a worker started now
  // would inherit (plugin loading sets DQAUDIT_ALLOW_UNSAFE_PLUGINS, say).
  std::unique_ptr<Attempt> Take(const SupervisorOptions& wanted) {
    if (wanted.executable != options.executable || wanted.memory_bytes != options.memory_bytes ||
        CpuSeconds(wanted) != CpuSeconds(options) || wanted.log_level != options.log_level ||
        (!ready.empty() && Environment() != environment)) {
      return nullptr;
    }
    while (!ready.empty()) {
      std::unique_ptr<Attempt> a = std::move(ready.front());
      ready.pop_front();
      if (!TryReap(a->pid)) return a;
      spdlog::debug("standby worker {} ended before it was given a plan", a->pid);
    }
    return nullptr;
  }
};

StandbyPool& Pool(StandbyWorkers& standby) { return static_cast<StandbyPool&>(standby.impl()); }

}  // namespace

StandbyWorkers::StandbyWorkers() : impl_(std::make_unique<StandbyPool>()) {}
StandbyWorkers::~StandbyWorkers() { Release(); }

void StandbyWorkers::Start(const SupervisorOptions& options, int count) {
  StandbyPool& pool = Pool(*this);
  pool.options = options;
  pool.options.standby = nullptr;
  pool.environment = Environment();
  const size_t wanted = std::min(static_cast<size_t>(std::max(count, 0)), WorkerSlots(options));
  while (pool.ready.size() < wanted) {
    auto a = std::make_unique<Attempt>();
    if (Status s = StartWorker(options, *a, ""); !s.ok()) {
      spdlog::debug("standby worker not started: {}", s.message());
      return;
    }
    pool.ready.push_back(std::move(a));
  }
}

std::vector<int> StandbyWorkers::Release() {
  StandbyPool& pool = Pool(*this);
  std::vector<int> statuses;
  for (std::unique_ptr<Attempt>& a : pool.ready) {
    a->plan_fd.Reset();  // end of its stdin: it exits 0
    // (bounded: a standby worker only waits for its plan; past a second it is killed)
    if (a->exit_fd.get() >= 0) {
      pollfd exited{a->exit_fd.get(), POLLIN, 0};
      while (poll(&exited, 1, 1000) < 0 && errno == EINTR) {
      }
    }
    std::optional<int> status = TryReap(a->pid);
    if (!status) {
      KillProcessGroup(a->pid);
      int killed = 0;
      waitpid(a->pid, &killed, 0);
      status = killed;
    }
    statuses.push_back(*status);
  }
  pool.ready.clear();
  return statuses;
}

size_t StandbyWorkers::size() const { return static_cast<const StandbyPool&>(*impl_).ready.size(); }

namespace {

// Small sources yield the CPU (docs/isolation.md): the worker of `a` (source `run`, just given its
// plan) runs at nice kYieldNice when one of the sources scanned meanwhile (`active`, its last
// result not sent yet) has a database kYieldRatio times the size of its own (`bytes`, by index
// into `runs`) or more. A night is as long as its largest scan, which splits a table over every
// core; a small source's worker (most of it its process start) then runs in that scan's one-thread
// parts instead of taking a core from it. It still has the machine when nothing else runs.
void YieldToLarger(const Attempt& a, const SourceRun& run, const std::vector<std::unique_ptr<Attempt>>& active,
                   const std::vector<SourceRun>& runs, const std::vector<uintmax_t>& bytes) {
  const uintmax_t own = bytes[static_cast<size_t>(&run - runs.data())];
  for (const auto& other : active) {
    const size_t index = static_cast<size_t>(other->run - runs.data());
    if (other->done || !YieldsCpuTo(own, bytes[index])) continue;  // (done: it scans no more)
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(a.pid), kYieldNice) != 0) {
      spdlog::debug("source {}: worker {} keeps its priority: {}", run.plan->source.id, a.pid,
                    std::strerror(errno));
      return;
    }
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(a.pid));
    spdlog::debug("source {}: worker {} yields the CPU to source {} (nice {}): its database is "
                  "{} bytes, that one's {}",
                  run.plan->source.id, a.pid, runs[index].plan->source.id, errno == 0 ? nice : kYieldNice,
                  own, bytes[index]);
    return;
  }
}

// Small sources wait for the larger scan's first results (docs/isolation.md): the source `run`,
// next to start, waits while one of the sources scanned meanwhile (`active`) has a database
// kYieldRatio times the size of its own or more and has sent no result yet. That scan is then
// still in its first pass over its first table (the fingerprints and the reading of its rows, the
// parts that take every core); its first results are sent when the rows are read, and the small
// source then runs beside its grouping and writing. A worker that ends (its results all sent, or
// dead) no longer holds anything back, so no source waits for ever. The larger source's id, or
// nullopt.
std::optional<std::string> WaitsForLarger(const SourceRun& run,
                                          const std::vector<std::unique_ptr<Attempt>>& active,
                                          const std::vector<SourceRun>& runs,
                                          const std::vector<uintmax_t>& bytes) {
  const uintmax_t own = bytes[static_cast<size_t>(&run - runs.data())];
  for (const auto& other : active) {
    const bool reading = other->results == 0 && !other->done && other->result_fd.get() >= 0 &&
                         !other->killed;
    if (reading && YieldsCpuTo(own, bytes[static_cast<size_t>(other->run - runs.data())])) {
      return other->run->plan->source.id;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<SourceResult> RunAuditInWorkers(const std::vector<SourcePlan>& plans,
                                            const SupervisorOptions& options,
                                            AuditObserver& observer) {
  std::vector<SourceResult> results(plans.size());
  if (plans.empty()) return results;
  signal(SIGPIPE, SIG_IGN);
  const size_t jobs = WorkerSlots(options);

  std::vector<SourceRun> runs(plans.size());
  for (size_t i = 0; i < plans.size(); ++i) {
    runs[i].plan = &plans[i];
    for (const TableSpec& t : plans[i].source.tables) {
      for (const CheckSpec& c : t.checks) {
        runs[i].specs.push_back(&c);
        runs[i].tables.push_back(&t);
      }
    }
    runs[i].slots.resize(runs[i].specs.size());
  }

  // The largest databases first (the longest scans, as far as can be told before scanning): the
  // last source to start is then a short one, and a standby worker serves the longest.
  std::vector<size_t> order(plans.size());
  std::vector<uintmax_t> bytes(plans.size(), 0);
  for (size_t i = 0; i < plans.size(); ++i) {
    order[i] = i;
    std::error_code ec;
    if (!plans[i].source.db_path.empty()) {
      const uintmax_t size = std::filesystem::file_size(plans[i].source.db_path, ec);
      if (!ec) bytes[i] = size;
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return bytes[x] > bytes[y]; });
  std::deque<std::unique_ptr<Attempt>> queue;
  for (const size_t i : order) {
    auto a = std::make_unique<Attempt>();
    a->run = &runs[i];
    a->plan = plans[i];
    queue.push_back(std::move(a));
  }
  std::vector<std::unique_ptr<Attempt>> active;
  Quarantine quarantine;

  auto finish = [&](std::unique_ptr<Attempt> a) {
    SourceRun& run = *a->run;
    if (a->done) {
      run.header = *a->done;
      run.header_from_worker = true;
    }
    a->report = ReadActivity(*a);
    spdlog::debug("source {}: worker attempt {} used {} snapshot(s) and {} fused table pass(es)",
                  run.plan->source.id, run.attempts, a->report.snapshots, a->report.table_passes);
    const FailureCause failure = Failure(*a, options);
    const size_t index = static_cast<size_t>(&run - runs.data());
    if (failure.text.empty()) {
      results[index] = Assemble(run, "");
      observer.TakeFinishedSource(results[index]);
      return;
    }
    Blame(*a);
    const std::string reason = failure.text + RunningContext(*a);
    spdlog::warn("source {}: {}", run.plan->source.id, reason);
    quarantine.Add(*a, failure, observer);
    const std::vector<std::string> blamed = BlamedPlugins(*a);
    // Retried while each failure blames a plugin not disabled yet: every retry disables at least
    // one more, so a source gets at most one attempt more than it has plugins, and a source with
    // two misbehaving plugins (a hang, then a crash) still gets every other check's result.
    const std::vector<std::string>& disabled = a->plan.disabled_plugins;
    const bool new_blame =
        !blamed.empty() && std::none_of(blamed.begin(), blamed.end(), [&](const std::string& p) {
          return std::find(disabled.begin(), disabled.end(), p) != disabled.end();
        });
    if (new_blame && static_cast<size_t>(run.attempts) <= a->plan.plugin_files.size()) {
      spdlog::warn("source {}: retrying without plugin {}", run.plan->source.id,
                   fmt::join(blamed, ", "));
      auto retry = std::make_unique<Attempt>();
      retry->run = &run;
      retry->plan = RetryPlan(*a, blamed, reason);
      queue.push_front(std::move(retry));
      return;
    }
    results[index] = Assemble(run, reason);
    observer.TakeFinishedSource(results[index]);
  };

  // The workers' progress is passed on at every wake-up, and at least four times a second on the
  // clock (`tick`; the observers print a source's line once a second at most): a scan is first seen
  // within a quarter second of its start, so its first line comes about a second in, and frames
  // that wake the loop in between do not put off the next tick.
  constexpr auto kProgressTick = std::chrono::milliseconds(250);
  Clock::time_point tick = Clock::now() + kProgressTick;
  // The sources held back until a larger scan sent its first results (WaitsForLarger).
  std::set<const SourceRun*> waited;
  bool under_way = false;  // (observer.OnScansUnderWay called)
  while (!queue.empty() || !active.empty()) {
    while (active.size() < jobs && !queue.empty()) {
      // The first queued source that need not wait (the queue is by size, but a retry goes first).
      auto next = queue.begin();
      for (; next != queue.end(); ++next) {
        const auto larger = WaitsForLarger(*(*next)->run, active, runs, bytes);
        if (!larger) break;
        if (waited.insert((*next)->run).second) {
          spdlog::debug("source {}: waits for source {} to send its first results before it starts",
                        (*next)->run->plan->source.id, *larger);
        }
      }
      if (next == queue.end()) break;
      std::unique_ptr<Attempt> a = std::move(*next);
      queue.erase(next);
      SourceRun& run = *a->run;
      if (waited.count(&run) != 0 && run.attempts == 0) {
        spdlog::debug("source {}: starts", run.plan->source.id);
      }
      if (run.attempts++ == 0) {
        run.started_unix_ms = NowUnixMs();
        observer.OnSourceStarted(*run.plan);
      }
      // Decided at spawn time, not when queued: a plugin that failed in a source still running
      // when this one was queued is not paid for again.
      quarantine.Apply(a->plan);
      std::unique_ptr<Attempt> standby =
          options.standby != nullptr ? Pool(*options.standby).Take(options) : nullptr;
      if (standby) {
        spdlog::debug("source {}: worker {} started ahead of its plan", run.plan->source.id,
                      standby->pid);
        standby->run = a->run;
        standby->plan = std::move(a->plan);
        a = std::move(standby);
        GivePlan(options, *a);
      } else if (Status s = Spawn(options, *a); !s.ok()) {
        const size_t index = static_cast<size_t>(&run - runs.data());
        results[index] = Assemble(run, s.message());
        observer.TakeFinishedSource(results[index]);
        continue;
      }
      YieldToLarger(*a, run, active, runs, bytes);
      // The plan is written now (it fits the pipe, which is non-blocking: the rest, if any, when
      // the loop below finds room), not after the next source's worker was started: starting one
      // holds this thread for some milliseconds, during which this worker would wait.
      WriteTo(*a);
      active.push_back(std::move(a));
    }
    if (!under_way) {
      under_way = true;
      observer.OnScansUnderWay();
    }
    if (active.empty()) continue;

    std::vector<pollfd> fds;
    std::vector<Attempt*> owners;
    bool waiting_exit = false;
    Clock::time_point next_deadline = Clock::time_point::max();
    for (auto& a : active) {
      if (a->plan_fd.get() >= 0) {
        fds.push_back({a->plan_fd.get(), POLLOUT, 0});
        owners.push_back(a.get());
      }
      const bool ending = a->result_fd.get() < 0 || a->killed;  // reaped once it exits
      if (a->result_fd.get() >= 0) {
        fds.push_back({a->result_fd.get(), POLLIN, 0});
        owners.push_back(a.get());
      }
      if (ending && a->exit_fd.get() >= 0) {
        // Its exit wakes the poll at once (the loop below reaps it).
        fds.push_back({a->exit_fd.get(), POLLIN, 0});
        owners.push_back(a.get());
      } else if (ending) {
        waiting_exit = true;  // no pidfd: looked at again every 20 ms
      }
      if (!a->killed) next_deadline = std::min(next_deadline, a->deadline);
    }
    if (Clock::now() >= tick) tick = Clock::now() + kProgressTick;
    next_deadline = std::min(next_deadline, tick);
    int timeout_ms = waiting_exit ? 20 : 1000;
    if (next_deadline != Clock::time_point::max()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(next_deadline - Clock::now())
              .count();
      timeout_ms = static_cast<int>(std::clamp<int64_t>(left + 1, 0, timeout_ms));
    }
    const int ready = poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0 && errno != EINTR) {
      spdlog::error("poll: {}", std::strerror(errno));
      for (auto& a : active) Kill(*a);
    }
    for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Attempt& a = *owners[i];
      if (fds[i].fd == a.plan_fd.get()) {
        WriteTo(a);
      } else if (fds[i].fd == a.result_fd.get()) {
        ReadFrom(a);
      }
    }
    for (const auto& a : active) ReportProgress(*a, observer);
    const auto now = Clock::now();
    for (size_t i = 0; i < active.size();) {
      Attempt& a = *active[i];
      if (!a.killed && now >= a.deadline) {
        a.timed_out = true;
        Kill(a);
      }
      // Reap once the stream ended, or once killed (a grandchild that left the process group
      // could hold the pipe open forever; what is left in the pipe is read first).
      if (a.result_fd.get() < 0 || a.killed) {
        a.wait_status = TryReap(a.pid);
        if (a.wait_status) {
          if (a.result_fd.get() >= 0) ReadFrom(a);
          a.result_fd.Reset();
          a.plan_fd.Reset();
          std::unique_ptr<Attempt> done = std::move(active[i]);
          active.erase(active.begin() + static_cast<std::ptrdiff_t>(i));
          finish(std::move(done));
          continue;
        }
      }
      ++i;
    }
  }
  return results;
}

}  // namespace dqa::worker
