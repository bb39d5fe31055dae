// SpawnChild's environment: a scanning child gets glibc.malloc.hugetlb=1 and glibc.malloc.top_pad
// in GLIBC_TUNABLES, added to the tunables already set and never overriding one that names either.
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
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
