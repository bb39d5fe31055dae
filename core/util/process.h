// Child processes: fds that close themselves, pipes safe to dup2 in a child, posix_spawn
// attributes for a child in its own process group, and signal names.
#pragma once

#include <spawn.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/util/status.h"

namespace dqa {

// An fd that closes itself.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    Reset(std::exchange(o.fd_, -1));
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

// A pipe whose ends are O_CLOEXEC and numbered 4 or above, so that dup2 onto 0, 1, 2 or 3 in a
// child never meets an fd that already has the target number (dup2 would then keep O_CLOEXEC).
// IoError when the system refuses.
Status MakePipe(Fd& read_end, Fd& write_end);

// Starts `executable` with `args` (args[0] is the name the child sees) and this process's
// environment, with `actions` (the caller's fd plumbing, destroyed by the caller), an empty signal
// mask, the default action for the signals dqaudit or a library may have changed (SIGPIPE,
// SIGCHLD, SIGSEGV...), in its own process group (so that KillProcessGroup also kills what it
// started). The child's pid, or IoError with the system's reason (strerror) alone. With
// `scan_heap`, the child's malloc puts its large blocks on transparent huge pages and grows its
// heap 32 MB at a time (glibc's tunables glibc.malloc.hugetlb=1 and glibc.malloc.top_pad=33554432
// added to GLIBC_TUNABLES, each unless that names its tunable already): a scan's memory then costs
// a page fault per 2 MB instead of per 4 KB, its small blocks included.
Result<pid_t> SpawnChild(const std::string& executable, std::vector<std::string> args,
                         const posix_spawn_file_actions_t& actions, bool scan_heap = false);

// The same for this process, started without those tunables (the orchestrator of a scan or a
// night, run by an operator or cron): malloc grows the heap 32 MB at a time and serves blocks of up
// to 4 MB from it (a fixed mmap threshold instead of glibc's, which starts at 128 KB), the heap is
// grown now, and the kernel is asked to back it with huge pages from the first 2 MB boundary past
// what malloc wrote (a 2 MB span with a page touched before the advice keeps 4 KB pages); the
// free memory below that boundary is claimed as one block never touched nor freed, so that new
// blocks all come from the huge pages. Memory touched for the first time then costs a fault per
// 2 MB rather than per 4 KB (on the project's machine, 7 to 8 ms of a night orchestrator's 43 ms
// of CPU; the claim saves some 420 faults more). Call it
// before any thread starts. Nothing changes when GLIBC_TUNABLES names either tunable already (the
// operator's choice), nor when malloc is not glibc's (kGlibcMalloc); true when the heap was
// advised.
bool UseHugePagesForHeap();

// In a child started with the scan heap (SpawnChild's scan_heap), first thing: glibc advises each
// growth of its heap for huge pages, but the heap's first span, below its first 2 MB boundary, is
// in 4 KB pages, and malloc serves the free memory there first (a population worker of a 1% night
// touched 0.4 to 2 MB of it once its plan came: 100 to 500 page faults of some 13 microseconds).
// That memory is claimed as one block never touched nor freed, and blocks of up to 4 MB come from
// the heap, as UseHugePagesForHeap has them (the mmap threshold, unless GLIBC_TUNABLES names it).
// Nothing happens unless GLIBC_TUNABLES has glibc.malloc.hugetlb=1; true when the memory was
// claimed. Call it before any thread starts.
bool ClaimSmallPagesOfScanHeap();

// Whether this build's malloc is glibc's: not where a sanitizer replaces it (AddressSanitizer,
// ThreadSanitizer, MemorySanitizer), whose allocator has no heap of glibc's to grow or advise.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define DQA_MALLOC_REPLACED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DQA_MALLOC_REPLACED 1
#endif
#if defined(__GLIBC__) && !defined(DQA_MALLOC_REPLACED)
inline constexpr bool kGlibcMalloc = true;
#else
inline constexpr bool kGlibcMalloc = false;
#endif

// Kills the process group of `pid` (and `pid` itself, in case it left its group) with SIGKILL.
void KillProcessGroup(pid_t pid);

// A pidfd of `pid` (pidfd_open, Linux 5.3 and later; O_CLOEXEC, numbered 4 or above): poll() says
// POLLIN on it once the process has ended. An empty Fd where the kernel has none.
Fd OpenPidFd(pid_t pid);

// waitpid(pid, WNOHANG): the child's wait status once it has ended and was reaped (also when it is
// no longer a child of this process: ECHILD, status 0); nullopt while it runs.
std::optional<int> TryReap(pid_t pid);

// "SIGSEGV", "SIGKILL", ... ("signal 42" for one without a name).
std::string SignalName(int signal);

}  // namespace dqa
