#include "core/util/process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <malloc.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <optional>

extern char** environ;

namespace dqa {

void Fd::Reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Status MakePipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return IoError(fmt::format("pipe2: {}", std::strerror(errno)));
  for (int& fd : fds) {
    if (fd < 4) {
      const int moved = fcntl(fd, F_DUPFD_CLOEXEC, 4);
      ::close(fd);
      if (moved < 0) return IoError(fmt::format("fcntl: {}", std::strerror(errno)));
      fd = moved;
    }
  }
  read_end.Reset(fds[0]);
  write_end.Reset(fds[1]);
  return Status::Ok();
}

namespace {

// The malloc tunables of a scanning child (process.h, SpawnChild): its large blocks on transparent
// huge pages, and its heap grown 32 MB at a time, so that the huge pages have room to form.
constexpr std::string_view kScanHeapTunables[] = {"glibc.malloc.hugetlb=1",
                                                  "glibc.malloc.top_pad=33554432"};

// Whether the tunables `set` (GLIBC_TUNABLES) have `tunable` ("name=value") or, with
// `any_value`, name it.
bool HasTunable(std::string_view set, std::string_view tunable, bool any_value) {
  if (any_value) tunable = tunable.substr(0, tunable.find('=') + 1);
  while (!set.empty()) {
    const std::string_view item = set.substr(0, set.find(':'));
    if (any_value ? item.starts_with(tunable) : item == tunable) return true;
    set.remove_prefix(std::min(item.size() + 1, set.size()));
  }
  return false;
}

// This process's environment, with kScanHeapTunables in GLIBC_TUNABLES (each unless that names
// its tunable already).
std::vector<std::string> ScanHeapEnvironment() {
  constexpr std::string_view kPrefix = "GLIBC_TUNABLES=";
  // Appends to `var` (GLIBC_TUNABLES=...) each tunable it does not name.
  const auto add_missing = [&](std::string& var) {
    for (std::string_view tunable : kScanHeapTunables) {
      if (HasTunable(std::string_view(var).substr(kPrefix.size()), tunable, true)) continue;
      if (var.size() > kPrefix.size()) var += ":";
      var += tunable;
    }
  };
  std::vector<std::string> out;
  bool tunables = false;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string var = *e;
    if (var.starts_with(kPrefix) && !tunables) {
      tunables = true;
      add_missing(var);
    }
    out.push_back(std::move(var));
  }
  if (!tunables) {
    std::string var(kPrefix);
    add_missing(var);
    out.push_back(std::move(var));
  }
  return out;
}

constexpr uintptr_t kHeapHugePage = 2 << 20;
// The mmap threshold of a heap on huge pages: blocks of up to 4 MB come from the heap.
constexpr size_t kHugeHeapThreshold = 4 << 20;

// Takes the heap's free memory from its top up to `boundary` (nullopt: the heap's first 2 MB
// boundary) as one block that is never freed nor touched past its header, so that malloc serves
// new blocks from `boundary` up; true when it did. The probe (more than a fresh process's bins hold
// free) says where the top starts; when the block does not start there (or would be served by
// mmap: `most` is below the mmap threshold), the heap is not as expected and it is given back.
bool ClaimHeapBelow(std::optional<uintptr_t> boundary, size_t most) {
  constexpr size_t kProbe = 256 << 10;
  void* probe = std::malloc(kProbe);
  const auto at = reinterpret_cast<uintptr_t>(probe);
  std::free(probe);
  const auto brk = reinterpret_cast<uintptr_t>(sbrk(0));
  if (probe == nullptr || at + kProbe > brk) return false;  // not from the heap
  if (!boundary) {
    // (the heap's start: what malloc took with sbrk, below the break, while only its main arena
    // exists, before any thread)
    const uintptr_t start = brk - mallinfo2().arena;
    boundary = (start + kHeapHugePage) & ~(kHeapHugePage - 1);
  }
  if (at >= *boundary || *boundary - at > most) return false;
  // (the block's chunk starts 16 bytes before `at`, and its size is the bytes asked for plus 8)
  void* claim = std::malloc(*boundary - at + 8);
  if (claim == probe) return true;
  std::free(claim);
  return false;
}

}  // namespace

bool UseHugePagesForHeap() {
  if constexpr (!kGlibcMalloc) return false;
  if (const char* set = std::getenv("GLIBC_TUNABLES"); set != nullptr) {
    for (std::string_view tunable : kScanHeapTunables) {
      if (HasTunable(set, tunable, true)) return false;
    }
  }
  mallopt(M_MMAP_THRESHOLD, kHugeHeapThreshold);
  mallopt(M_TOP_PAD, 32 << 20);
  const auto before = reinterpret_cast<uintptr_t>(sbrk(0));
  // Blocks of 1 MB taken until the heap's free top runs out: malloc then grows the heap by the pad
  // more. Freed, the pad stays (glibc gives back only what exceeds it). (volatile: no pair of
  // malloc and free may be elided)
  void* volatile blocks[64] = {};
  size_t taken = 0;
  while (taken < std::size(blocks) && reinterpret_cast<uintptr_t>(sbrk(0)) == before) {
    blocks[taken++] = std::malloc(1 << 20);
  }
  // Where malloc wrote last: the header of the free top after the last block. A 2 MB span with a
  // page touched before the advice keeps small pages, so the advice starts past it.
  uintptr_t touched = before;
  if (taken > 0 && blocks[taken - 1] != nullptr) {
    touched = std::max(touched, reinterpret_cast<uintptr_t>(blocks[taken - 1]) + (1 << 20) + 64);
  }
  for (size_t i = 0; i < taken; ++i) std::free(blocks[i]);
  const auto after = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t from = (touched + kHeapHugePage - 1) & ~(kHeapHugePage - 1);
  if (after <= from ||
      ::madvise(reinterpret_cast<void*>(from), after - from, MADV_HUGEPAGE) != 0) {
    return false;
  }
  // The heap's free memory below `from` would be served first, a page fault per 4 KB (a night's
  // orchestrator touched some 1.7 MB there): it is claimed and never touched.
  ClaimHeapBelow(from, kHugeHeapThreshold - (64 << 10));
  return true;
}

bool ClaimSmallPagesOfScanHeap() {
  if constexpr (!kGlibcMalloc) return false;
  const char* set = std::getenv("GLIBC_TUNABLES");
  if (set == nullptr || !HasTunable(set, kScanHeapTunables[0], false)) return false;
  if (!HasTunable(set, "glibc.malloc.mmap_threshold=", true)) {
    mallopt(M_MMAP_THRESHOLD, kHugeHeapThreshold);
  }
  return ClaimHeapBelow(std::nullopt, kHugeHeapThreshold - (64 << 10));
}

Result<pid_t> SpawnChild(const std::string& executable, std::vector<std::string> args,
                         const posix_spawn_file_actions_t& actions, bool scan_heap) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGXCPU, SIGSEGV, SIGABRT,
                SIGBUS, SIGFPE, SIGILL, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, s);
  }
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env;
  std::vector<char*> envp;
  if (scan_heap) {
    env = ScanHeapEnvironment();
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, executable.c_str(), &actions, &attr, argv.data(),
                             scan_heap ? envp.data() : environ);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return IoError(std::strerror(rc));
  return pid;
}

void KillProcessGroup(pid_t pid) {
  if (pid <= 0) return;
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
}

Fd OpenPidFd(pid_t pid) {
#ifdef SYS_pidfd_open
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0 && fd < 4) {
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 4);
    ::close(fd);
    fd = moved;
  }
  return Fd(fd);
#else
  (void)pid;
  return Fd();
#endif
}

std::optional<int> TryReap(pid_t pid) {
  int status = 0;
  const pid_t r = waitpid(pid, &status, WNOHANG);
  if (r == pid || (r < 0 && errno == ECHILD)) return status;
  return std::nullopt;
}

std::string SignalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  if (abbrev == nullptr) return fmt::format("signal {}", signal);
  return fmt::format("SIG{}", abbrev);
}

}  // namespace dqa
