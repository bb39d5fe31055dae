#include "core/nightly/run_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace dqa::nightly {
std::string LockPathFor(const std::string& history_path) { return history_path + ".lock"; }

std::optional<int64_t> LockHolderPid(const std::string& path) {
  std::ifstream in(path);
  int64_t pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return pid;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<RunLock>> RunLock::Acquire(const std::string& path,
                                                  std::optional<int64_t>* holder) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return IoError(fmt::format("cannot open the lock file {}: {}", path, std::strerror(errno)));
  }
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK) {
      return IoError(fmt::format("cannot lock {}: {}", path, std::strerror(err)));
    }
    if (holder != nullptr) *holder = LockHolderPid(path);
    return std::unique_ptr<RunLock>();
  }
  // The holder's pid, for the message of a run that finds the lock taken. Written after locking:
  // whoever holds the lock owns the file's contents.
  const std::string pid = fmt::format("{}\n", getpid());
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    ::close(fd);
    return IoError(fmt::format("cannot write the lock file {}: {}", path, std::strerror(err)));
  }
  return std::unique_ptr<RunLock>(new RunLock(fd, path));
}

}  // namespace dqa::nightly
