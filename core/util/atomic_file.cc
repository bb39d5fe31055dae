#include "core/util/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <random>

#include "core/util/crash_point.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

std::string ErrnoText(int error) { return std::strerror(error); }

// The file a write to `target` must replace: a symbolic link is followed (to the end of a chain),
// so that `--json latest.json -> /srv/www/latest.json` keeps the link and replaces the file.
std::string ResolveTarget(const std::string& target) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(target, ec))) return target;
  fs::path resolved = fs::weakly_canonical(fs::absolute(target, ec), ec);
  return ec ? target : resolved.string();
}

fs::path FolderOf(const std::string& target) {
  fs::path folder = fs::path(target).parent_path();
  return folder.empty() ? fs::path(".") : folder;
}

std::string TempPrefix(const std::string& target) {
  return "." + fs::path(target).filename().string() + ".tmp-";
}

// Removes the temporaries of `target` left by killed processes (".NAME.tmp-PID-RANDOM" whose PID
// no longer runs). Best effort: a folder that cannot be listed is left as it is.
void RemoveStaleTemporaries(const std::string& target) {
  const std::string prefix = TempPrefix(target);
  std::error_code ec;
  for (fs::directory_iterator it(FolderOf(target), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    pid_t pid = 0;
    const char* first = name.data() + prefix.size();
    const char* last = name.data() + name.size();
    auto [ptr, err] = std::from_chars(first, last, pid);
    if (err != std::errc() || ptr == last || *ptr != '-' || pid <= 0) continue;
    if (::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

// fsync of the folder makes the rename itself durable.
int SyncFolder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  // Some file systems cannot fsync a folder; the rename has still happened.
  return rc == 0 || error == EINVAL ? 0 : error;
}

}  // namespace

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& requested) {
  const std::string target = ResolveTarget(requested);
  RemoveStaleTemporaries(target);
  std::random_device random;
  const fs::path folder = FolderOf(target);
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::string temp =
        (folder / fmt::format("{}{}-{:08x}", TempPrefix(target), ::getpid(), random())).string();
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) {
      return IoError(fmt::format("cannot write {}: cannot create a temporary file in {}: {}",
                                 requested, folder.string(), ErrnoText(errno)));
    }
    struct stat old {};
    if (::stat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode)) {
      (void)::fchmod(fd, old.st_mode & 07777);
    }
    return std::unique_ptr<AtomicFile>(new AtomicFile(target, temp, fd));
  }
  return IoError(
      fmt::format("cannot write {}: no free temporary name in {}", requested, folder.string()));
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

Status AtomicFile::Write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(fmt::format("cannot write {}: {}", target_, ErrnoText(errno)));
    data.remove_prefix(static_cast<size_t>(n));
    CrashPoint("output.write");  // some of the content is in the temporary
  }
  return Status::Ok();
}

Status AtomicFile::Commit(Durability durability) {
  const bool synced = durability == Durability::kSynced;
  if (committed_ || fd_ < 0) return Internal(fmt::format("{} committed twice", target_));
  // A library that wrote the file by path may have replaced it (new inode): sync what is there.
  struct stat ours {};
  struct stat named {};
  int sync_fd = fd_;
  int opened = -1;
  if (::fstat(fd_, &ours) == 0 && ::stat(temp_.c_str(), &named) == 0 &&
      (ours.st_dev != named.st_dev || ours.st_ino != named.st_ino)) {
    opened = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (opened >= 0) sync_fd = opened;
  }
  const int rc = synced ? ::fsync(sync_fd) : 0;
  const int sync_error = errno;
  if (opened >= 0) ::close(opened);
  const int close_rc = ::close(fd_);
  const int close_error = errno;
  fd_ = -1;
  if (rc != 0) {
    return IoError(fmt::format("cannot write {}: fsync: {}", target_, ErrnoText(sync_error)));
  }
  if (close_rc != 0) {
    return IoError(fmt::format("cannot write {}: close: {}", target_, ErrnoText(close_error)));
  }
  CrashPoint("output.rename");  // the temporary is complete and synced, not renamed
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    return IoError(fmt::format("cannot write {}: rename: {}", target_, ErrnoText(errno)));
  }
  committed_ = true;
  if (const int error = synced ? SyncFolder(FolderOf(target_)) : 0; error != 0) {
    return IoError(
        fmt::format("cannot write {}: fsync of its folder: {}", target_, ErrnoText(error)));
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view content,
                           Durability durability) {
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, AtomicFile::Create(path));
  DQA_RETURN_IF_ERROR(file->Write(content));
  return file->Commit(durability);
}

Status CheckWritable(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return IoError(fmt::format("cannot write {}: {}", path, ErrnoText(EISDIR)));
  }
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> probe, AtomicFile::Create(path));
  return Status::Ok();  // the probe's temporary is removed here
}

}  // namespace dqa
