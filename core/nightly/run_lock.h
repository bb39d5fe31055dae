// RunLock: the lock that keeps two nightly runs on one history store from overlapping.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/util/status.h"

namespace dqa::nightly {

// "<history store>.lock": the lock file next to the history store.
std::string LockPathFor(const std::string& history_path);

class RunLock {
 public:
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();  // releases the lock (closing the descriptor); the file stays

  // Takes flock(LOCK_EX | LOCK_NB) on `path` (created 0644 if missing; opened O_CLOEXEC so worker
  // processes never inherit it) and writes this process's pid into it. The kernel releases the
  // lock when the process dies, however it dies, so a stale lock file never blocks a later run.
  // nullptr when another process holds the lock (then `holder` gets the pid it wrote, if any);
  // IoError when the file cannot be opened, locked or written.
  static Result<std::unique_ptr<RunLock>> Acquire(const std::string& path,
                                                  std::optional<int64_t>* holder);

  const std::string& path() const { return path_; }

 private:
  RunLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

// The pid written in a lock file, if it holds one.
std::optional<int64_t> LockHolderPid(const std::string& path);

}  // namespace dqa::nightly
