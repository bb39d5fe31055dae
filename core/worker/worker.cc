#include "core/worker/worker.h"

#include <fmt/format.h>
#include <signal.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <thread>

#include "core/util/activity.h"
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

// Writes numbered frames to the result pipe; shared by the scan and the log sink (any thread).
// Publishes in the activity page how many bytes it wrote, so that the supervisor can tell its
// bytes from those of any other writer of the fd (a plugin).
class StreamWriter {
 public:
  StreamWriter(int fd, ActivityPage* page) : fd_(fd), page_(page) {}
  Status Send(MessageType type, const nlohmann::json& payload) {
    const std::string text = DumpPayload(payload);
    const std::lock_guard<std::mutex> lock(mutex_);
    DQA_RETURN_IF_ERROR(WriteFrame(fd_, type, text, sequence_));
    ++sequence_;
    written_ += static_cast<int64_t>(kHeaderSize + text.size());
    if (page_ != nullptr) page_->stream_bytes.store(written_, std::memory_order_relaxed);
    return Status::Ok();
  }
  int fd() const { return fd_; }

 private:
  int fd_;
  ActivityPage* page_;
  std::mutex mutex_;
  uint32_t sequence_ = 0;
  int64_t written_ = 0;
};

// Sends the results of a scan from a thread of its own, in the order the scan gives them: the
// encoding of a result (its samples and up to 1,000 failing rows) and the orchestrator's reading of
// it then overlap the rest of the table's scan, above all its duplicate grouping, which the results
// of its other checks no longer wait for (SplitOptions::finished). The scan waits (Flush) at the
// end of each table.
class ResultSender {
 public:
  explicit ResultSender(StreamWriter& writer) : writer_(writer), thread_([this] { Run(); }) {}
  ResultSender(const ResultSender&) = delete;
  ResultSender& operator=(const ResultSender&) = delete;
  ~ResultSender() { Finish(); }

  void Push(const CheckResult& r) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(r);
    }
    ready_.notify_one();
  }
  // Waits until every result pushed so far is sent.
  void Flush() {
    std::unique_lock<std::mutex> lock(mutex_);
    sent_.wait(lock, [this] { return queue_.empty() && !sending_; });
  }
  // Waits until every result pushed is sent and ends the thread; false when a send failed (the
  // rest were dropped: nobody reads the stream any more).
  bool Finish() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    ready_.notify_one();
    if (thread_.joinable()) thread_.join();
    return ok_;
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      ready_.wait(lock, [this] { return done_ || !queue_.empty(); });
      if (queue_.empty()) return;  // done, and every result sent
      const CheckResult r = std::move(queue_.front());
      queue_.pop_front();
      sending_ = true;
      lock.unlock();
      if (ok_) ok_ = writer_.Send(MessageType::kResult, EncodeCheckResult(r)).ok();
      lock.lock();
      sending_ = false;
      if (queue_.empty()) sent_.notify_all();
    }
  }

  StreamWriter& writer_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable sent_;  // the queue emptied and nothing is being sent
  std::deque<CheckResult> queue_;
  bool sending_ = false;
  bool done_ = false;
  bool ok_ = true;      // written by the thread alone, read after it is joined
  std::thread thread_;  // last: it starts once the rest is set
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
      ::operator delete(::operator new (size_t{512} << 20));
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

// The supervisor's page, or nullptr when there is none (a worker started by hand).
ActivityPage* MapActivityPage(int fd) {
  if (fd < 0) return nullptr;
  void* p = mmap(nullptr, sizeof(ActivityPage), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) {
    fmt::print(stderr, "dqaudit worker: cannot map the activity page: {}\n", std::strerror(errno));
    return nullptr;
  }
  return static_cast<ActivityPage*>(p);
}

// Moves the result stream off `fd` (to a close-on-exec descriptor numbered 10 or above) and puts
// in its place a trap: a small memory file the worker maps. A plugin that writes to `fd` (fd 3, a
// stale or guessed descriptor) then writes into the trap, never into the stream, and the next
// plugin call boundary sees it (WatchStreamTrap). Returns the stream's new descriptor, or `fd`
// when it cannot be moved (the stream then stays where it was, unguarded).
int MoveStreamBehindTrap(int fd) {
  const int stream = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (stream < 0) return fd;
  const int trap = memfd_create("dqaudit-stream-trap", MFD_CLOEXEC);
  if (trap < 0 || ftruncate(trap, 4096) != 0) {
    if (trap >= 0) ::close(trap);
    ::close(stream);
    return fd;
  }
  void* p = mmap(nullptr, 4096, PROT_READ, MAP_SHARED, trap, 0);
  if (p == MAP_FAILED || dup2(trap, fd) < 0) {
    ::close(trap);
    ::close(stream);
    return fd;
  }
  ::close(trap);
  WatchStreamTrap(static_cast<const volatile unsigned char*>(p), fd);
  return stream;
}

}  // namespace

std::vector<std::string> PlanCheckIds(const SourcePlan& plan) {
  std::vector<std::string> ids;
  for (const TableSpec& table : plan.source.tables) {
    for (const CheckSpec& check : table.checks) ids.push_back(check.id);
  }
  return ids;
}

int RunWorker(int plan_fd, int result_fd, const WorkerSetup& setup) {
  // Die with the orchestrator; the getppid() check closes the race with a parent that died
  // before prctl ran (we would then have been re-parented already).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (setup.parent_pid > 0 && getppid() != static_cast<pid_t>(setup.parent_pid)) _exit(1);
  ApplyLimits(setup);
  ActivityPage* page = MapActivityPage(setup.activity_fd);
  if (page != nullptr) result_fd = MoveStreamBehindTrap(result_fd);

  StreamWriter writer(result_fd, page);
  auto logger = std::make_shared<spdlog::logger>("dqaudit", std::make_shared<StreamSink>(writer));
  logger->set_level(spdlog::default_logger()->level());
  spdlog::set_default_logger(logger);

  auto frame = ReadFrame(plan_fd);
  if (setup.standby && frame.ok() && !frame->has_value()) return 0;  // released, not needed
  if (!frame.ok() || !frame->has_value() || (*frame)->type != MessageType::kPlan) {
    const std::string why = !frame.ok()           ? frame.status().message()
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
  // The thread name is the process's comm: 15 bytes, the rest cut off by the kernel.
  prctl(PR_SET_NAME, ("dqa " + plan->source.id).c_str());
  if (!writer.Send(MessageType::kHello, EncodeHello({kProtocolVersion, getpid(), DQA_VERSION}))
           .ok()) {
    return 1;
  }
  const Fault fault = FaultFromEnvironment();
  if (!fault.kind.empty() && fault.check.empty()) Misbehave(fault.kind, result_fd);

  PublishActivity(page, plan->plugin_files, PlanCheckIds(*plan));
  SetActivityPhase(ActivityPhase::kScanning);
  bool stream_ok = true;
  SourceResult total;
  if (fault.kind.empty()) {
    ResultSender sender(writer);
    // A table's results are all sent before the next table is read: a plugin that kills the
    // worker there loses none of them.
    total = ScanSource(
        *plan, [&](const CheckResult& r) { sender.Push(r); }, [&] { sender.Flush(); });
    stream_ok = sender.Finish();
  } else {
    // A test fault strikes right after its check's result is sent, in line with the scan.
    total = ScanSource(*plan, [&](const CheckResult& r) {
      stream_ok = stream_ok && writer.Send(MessageType::kResult, EncodeCheckResult(r)).ok();
      if (fault.check == r.id) Misbehave(fault.kind, result_fd);
    });
  }
  if (!stream_ok) return 1;  // the orchestrator is gone or the pipe broke: nobody to report to
  SetActivityPhase(ActivityPhase::kDone);
  total.results.clear();
  if (!writer.Send(MessageType::kSourceDone, EncodeSourceHeader(total)).ok()) return 1;
  return 0;
}

}  // namespace dqa::worker
