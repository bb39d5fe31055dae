#include "core/nightly/run_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

namespace dqa::nightly {
namespace {

namespace fs = std::filesystem;

TEST(RunLockTest, SecondAcquireIsRefusedUntilTheFirstIsReleased) {
  const fs::path dir = fs::temp_directory_path() / ("dqa_lock_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = LockPathFor((dir / "audit.db").string());
  EXPECT_EQ(path, (dir / "audit.db.lock").string());

  std::optional<int64_t> holder;
  auto first = RunLock::Acquire(path, &holder);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_NE(*first, nullptr);
  EXPECT_EQ(LockHolderPid(path), getpid());

  // flock belongs to the open file description: a second open, even in this process, is refused.
  auto second = RunLock::Acquire(path, &holder);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, nullptr);
  EXPECT_EQ(holder, getpid());

  // A child process is refused as well, and the lock file keeps the holder's pid.
  const pid_t child = fork();
  if (child == 0) {
    std::optional<int64_t> seen;
    auto attempt = RunLock::Acquire(path, &seen);
    _exit(attempt.ok() && *attempt == nullptr && seen == getppid() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  first->reset();  // released
  auto third = RunLock::Acquire(path, &holder);
  ASSERT_TRUE(third.ok());
  EXPECT_NE(*third, nullptr);
  fs::remove_all(dir);
}

TEST(RunLockTest, UnopenableLockFileIsAnError) {
  auto lock = RunLock::Acquire("/nonexistent-dir/audit.db.lock", nullptr);
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.status().message().find("cannot open the lock file /nonexistent-dir/audit.db.lock"),
            std::string::npos);
}

}  // namespace
}  // namespace dqa::nightly
