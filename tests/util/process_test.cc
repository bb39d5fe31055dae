// SpawnChild's environment: a scanning child gets glibc.malloc.hugetlb=1 and glibc.malloc.top_pad
// in GLIBC_TUNABLES, added to the tunables already set and never overriding one that names either;
// UseHugePagesForHeap does the same for a process started without them, unless they name either.
#include <gtest/gtest.h>
#include <malloc.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "core/util/process.h"

namespace dqa {
namespace {

// What the child sees in GLIBC_TUNABLES ("<unset>" when it has none).
std::string ChildTunables(bool scan_heap) {
  Fd read_end, write_end;
  EXPECT_TRUE(MakePipe(read_end, write_end).ok());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
  Result<pid_t> pid = SpawnChild(
      "/bin/sh", {"sh", "-c", "echo \"${GLIBC_TUNABLES-<unset>}\""}, actions, scan_heap);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_TRUE(pid.ok()) << pid.status().message();
  write_end.Reset();
  std::string out;
  char buf[256];
  ssize_t n = 0;
  while ((n = ::read(read_end.get(), buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  std::optional<int> status;
  while (pid.ok() && !(status = TryReap(*pid))) ::usleep(1000);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST(SpawnChildTest, AScanningChildPutsItsHeapOnHugePages) {
  const char* saved = ::getenv("GLIBC_TUNABLES");
  const std::optional<std::string> before = saved ? std::optional<std::string>(saved) : std::nullopt;
  ::unsetenv("GLIBC_TUNABLES");
  EXPECT_EQ(ChildTunables(false), "<unset>");
  EXPECT_EQ(ChildTunables(true), "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432");
  ::setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2", 1);
  EXPECT_EQ(ChildTunables(false), "glibc.malloc.arena_max=2");
  EXPECT_EQ(ChildTunables(true),
            "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432");
  ::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1);
  EXPECT_EQ(ChildTunables(true), "glibc.malloc.hugetlb=0:glibc.malloc.top_pad=33554432");
  ::setenv("GLIBC_TUNABLES", "glibc.malloc.top_pad=0:glibc.malloc.hugetlb=0", 1);
  EXPECT_EQ(ChildTunables(true), "glibc.malloc.top_pad=0:glibc.malloc.hugetlb=0");
  ::setenv("GLIBC_TUNABLES", "", 1);
  EXPECT_EQ(ChildTunables(true), "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432");
  if (before) {
    ::setenv("GLIBC_TUNABLES", before->c_str(), 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
}

// How often the kernel could not find a huge page for a fault (thp_fault_fallback in
// /proc/vmstat; 0 when it does not say).
long ThpFaultFallbacks() {
  std::ifstream vmstat("/proc/vmstat");
  for (std::string line; std::getline(vmstat, line);) {
    if (line.starts_with("thp_fault_fallback ")) return std::stol(line.substr(line.find(' ') + 1));
  }
  return 0;
}

// The heap's mappings as /proc/self/smaps shows them.
struct HeapMappings {
  uintptr_t start = 0;     // where the heap starts (its first mapping)
  bool advised = false;    // a mapping of it is advised for huge pages ("hg" among its VmFlags)
  uintptr_t advised_start = 0;
  long advised_huge_kb = 0;  // what the advised mapping has in huge pages (AnonHugePages)
};
HeapMappings ReadHeapMappings() {
  HeapMappings heap;
  std::ifstream smaps("/proc/self/smaps");
  bool in_heap = false;
  uintptr_t start = 0;  // the mapping being read
  long huge_kb = 0;
  for (std::string line; std::getline(smaps, line);) {
    if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) &&
        line.find('-') != std::string::npos && line.find(' ') > line.find('-')) {
      in_heap = line.ends_with("[heap]");
      start = std::stoull(line.substr(0, line.find('-')), nullptr, 16);
      huge_kb = 0;
      // (the first of its mappings: the part advised for huge pages is a mapping of its own)
      if (in_heap && heap.start == 0) heap.start = start;
    } else if (line.starts_with("AnonHugePages:")) {
      huge_kb = std::stol(line.substr(line.find(':') + 1));
    } else if (in_heap && line.starts_with("VmFlags:") &&
               (line + " ").find(" hg ") != std::string::npos) {
      heap.advised = true;
      heap.advised_start = start;
      heap.advised_huge_kb = huge_kb;
    }
  }
  return heap;
}

// UseHugePagesForHeap, run in a child of its own (a death test's fork: the heap of this test
// process stays as it was). The child exits 0 when all holds, or prints what did not.
void HeapOnHugePagesOrNot(const char* tunables, bool expect_advised) {
  if (tunables != nullptr) {
    ::setenv("GLIBC_TUNABLES", tunables, 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
  // Little free at the heap's top (blocks kept until the heap grows), as in a process that has
  // just grown it: UseHugePagesForHeap's first block then ends up to 1 MB past the break it saw.
  // (at most 64 MB: a malloc that is not glibc's, a sanitizer's, never moves the break)
  const auto start = reinterpret_cast<uintptr_t>(::sbrk(0));
  for (int i = 0; kGlibcMalloc && i < 1024 && reinterpret_cast<uintptr_t>(::sbrk(0)) == start; ++i) {
    void* volatile kept = std::malloc(64 << 10);
    (void)kept;
  }
  const auto before = reinterpret_cast<uintptr_t>(::sbrk(0));
  const bool advised = UseHugePagesForHeap();
  const auto after = reinterpret_cast<uintptr_t>(::sbrk(0));
  if (advised != expect_advised) {
    std::fprintf(stderr, "advised: %d\n", advised);
    std::_Exit(1);
  }
  // The heap grew (not at all when the tunables said otherwise).
  if (expect_advised ? after <= before : after != before) {
    std::fprintf(stderr, "heap grew by %zu bytes\n", static_cast<size_t>(after - before));
    std::_Exit(2);
  }
  // The next new block (64 KB: none of that size is free in the heap's bins), touched whole, is
  // in the part advised for huge pages (the free memory below it, in small pages, is never
  // served), and the kernel backed it with a huge page (unless it had none at hand): no page of
  // that part was touched before the advice (the first 2 MB span would keep small pages).
  const long fallbacks_before = ThpFaultFallbacks();
  void* volatile touched = std::malloc(64 << 10);
  std::memset(touched, 1, 64 << 10);
  const long fallbacks = ThpFaultFallbacks() - fallbacks_before;
  const HeapMappings heap = ReadHeapMappings();
  if (heap.advised != expect_advised) {
    std::fprintf(stderr, "heap advised for huge pages in smaps: %d\n", heap.advised);
    std::_Exit(3);
  }
  if (expect_advised) {
    const auto at = reinterpret_cast<uintptr_t>(touched);
    if (at < heap.advised_start) {
      std::fprintf(stderr, "a new block at %#zx, below the advised part at %#zx\n",
                   static_cast<size_t>(at), static_cast<size_t>(heap.advised_start));
      std::_Exit(6);
    }
    if (heap.advised_huge_kb < 2048 && fallbacks == 0) {
      std::fprintf(stderr, "the advised part has %ld kB in huge pages\n", heap.advised_huge_kb);
      std::_Exit(7);
    }
  }
  std::free(touched);
  // So much that 24 MB more fit in it.
  if (expect_advised) {
    void* volatile blocks[24];
    for (void* volatile& b : blocks) b = std::malloc(1 << 20);
    const bool moved = reinterpret_cast<uintptr_t>(::sbrk(0)) != after;
    for (void* volatile& b : blocks) std::free(b);
    if (moved) {
      std::fprintf(stderr, "24 MB more moved the end of the heap\n");
      std::_Exit(5);
    }
  }
  // A block of 3 MB comes from the heap (below the 4 MB threshold), not from a mapping of its own
  // (it may start in the heap's free end from before the call, below `before`).
  void* volatile block = std::malloc(3 << 20);
  const auto at = reinterpret_cast<uintptr_t>(block);
  const bool from_heap = heap.start != 0 && at >= heap.start &&
                         at + (3 << 20) <= reinterpret_cast<uintptr_t>(::sbrk(0));
  std::free(block);
  if (from_heap != expect_advised) {
    std::fprintf(stderr, "3 MB block from the heap: %d (heap from %#zx, block at %#zx, break at %#zx)\n",
                 from_heap, static_cast<size_t>(heap.start), static_cast<size_t>(at),
                 static_cast<size_t>(reinterpret_cast<uintptr_t>(::sbrk(0))));
    std::_Exit(4);
  }
  std::_Exit(0);
}

TEST(UseHugePagesForHeapTest, TheHeapGrowsByThePadAndIsAdvisedForHugePages) {
  if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled")) {
    GTEST_SKIP() << "this kernel has no transparent huge pages";
  }
  if (!kGlibcMalloc) GTEST_SKIP() << "a sanitizer's malloc, not glibc's";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // (several children: where the heap's break falls against a 2 MB boundary differs in each)
  for (int i = 0; i < 6; ++i) {
    EXPECT_EXIT(HeapOnHugePagesOrNot(nullptr, true), ::testing::ExitedWithCode(0), "");
  }
  EXPECT_EXIT(HeapOnHugePagesOrNot("glibc.malloc.arena_max=2", true), ::testing::ExitedWithCode(0),
              "");
}

TEST(UseHugePagesForHeapTest, TunablesThatNameEitherAreLeftToGlibc) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(HeapOnHugePagesOrNot("glibc.malloc.hugetlb=0", false), ::testing::ExitedWithCode(0),
              "");
  EXPECT_EXIT(HeapOnHugePagesOrNot("glibc.malloc.arena_max=2:glibc.malloc.top_pad=0", false),
              ::testing::ExitedWithCode(0), "");
}

// ClaimSmallPagesOfScanHeap in a child started with the scan heap's tunables (a death test's
// child is started afresh, with this process's environment). The child exits 0 when all holds.
void ScanHeapClaimed(bool expect_claimed) {
  const auto brk = reinterpret_cast<uintptr_t>(::sbrk(0));
  // (the heap's first 2 MB boundary: below the break by what malloc took, its main arena alone)
  const uintptr_t boundary = ((brk - mallinfo2().arena) + (2 << 20)) & ~uintptr_t{(2 << 20) - 1};
  // Where the heap's free top starts (a block too large for the bins of this child's free
  // memory, below the default mmap threshold).
  void* volatile probe = std::malloc(100 << 10);
  const auto top = reinterpret_cast<uintptr_t>(probe);
  std::free(probe);
  const bool claimed = ClaimSmallPagesOfScanHeap();
  if (claimed && !expect_claimed) {
    std::fprintf(stderr, "claimed (break %#zx, first boundary %#zx)\n", static_cast<size_t>(brk),
                 static_cast<size_t>(boundary));
    std::_Exit(1);
  }
  // With the scan heap, nothing is claimed only when the heap's top is past the boundary already
  // (this child's heap filled its first span before the call): exit 3.
  if (expect_claimed && !claimed) {
    if (top >= boundary) std::_Exit(3);
    std::fprintf(stderr, "nothing claimed, the top at %#zx below the first boundary %#zx\n",
                 static_cast<size_t>(top), static_cast<size_t>(boundary));
    std::_Exit(4);
  }
  // New blocks, small and large (below 4 MB, the threshold it sets), come from past the boundary.
  for (const size_t size : {size_t{64} << 10, size_t{7} << 19}) {
    void* volatile block = std::malloc(size);
    const auto at = reinterpret_cast<uintptr_t>(block);
    const bool past = at >= boundary && at + size <= reinterpret_cast<uintptr_t>(::sbrk(0));
    if (expect_claimed && !past) {
      std::fprintf(stderr, "a new block of %zu bytes at %#zx, not past the boundary %#zx\n",
                   size, static_cast<size_t>(at), static_cast<size_t>(boundary));
      std::_Exit(2);
    }
  }
  std::_Exit(0);
}

TEST(ClaimSmallPagesOfScanHeapTest, NewBlocksComeFromPastTheHeapsSmallPages) {
  if (!kGlibcMalloc) GTEST_SKIP() << "a sanitizer's malloc, not glibc's";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const char* saved = ::getenv("GLIBC_TUNABLES");
  const std::optional<std::string> before = saved ? std::optional<std::string>(saved) : std::nullopt;
  ::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432", 1);
  // Several children (where the heap starts against a 2 MB boundary differs in each, and the test
  // binary fills some 0.75 MB of it first): each claims and then has its new blocks past the
  // boundary (0), or has nothing to claim (3); one at least claims.
  int claimed = 0;
  const auto claimed_or_left = [&](int status) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++claimed;
    return WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3);
  };
  for (int i = 0; i < 10; ++i) EXPECT_EXIT(ScanHeapClaimed(true), claimed_or_left, "");
  EXPECT_GE(claimed, 1);
  // Not a scanning child (no huge pages asked for): nothing is claimed.
  ::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0:glibc.malloc.top_pad=33554432", 1);
  EXPECT_EXIT(ScanHeapClaimed(false), ::testing::ExitedWithCode(0), "");
  ::unsetenv("GLIBC_TUNABLES");
  EXPECT_EXIT(ScanHeapClaimed(false), ::testing::ExitedWithCode(0), "");
  if (before) {
    ::setenv("GLIBC_TUNABLES", before->c_str(), 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
}

TEST(OpenPidFdTest, PollSaysWhenTheChildHasEnded) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  Result<pid_t> pid = SpawnChild("/bin/sh", {"sh", "-c", "sleep 0.3; exit 7"}, actions);
  posix_spawn_file_actions_destroy(&actions);
  ASSERT_TRUE(pid.ok()) << pid.status().message();
  const Fd exit_fd = OpenPidFd(*pid);
  ASSERT_GE(exit_fd.get(), 4);  // this kernel has pidfd_open; never a stdio or result-stream number
  pollfd fd{exit_fd.get(), POLLIN, 0};
  EXPECT_EQ(::poll(&fd, 1, 0), 0);  // still running
  EXPECT_FALSE(TryReap(*pid).has_value());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(::poll(&fd, 1, 10000), 1);
  EXPECT_TRUE(fd.revents & POLLIN);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  const std::optional<int> status = TryReap(*pid);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 7);
}

}  // namespace
}  // namespace dqa
