#include "core/sources/sqlite_file_identity.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace dqa {
namespace {

constexpr char kSqliteMagic[] = "SQLite format 3";  // 16 bytes with its NUL

uint32_t BigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}


Result<std::optional<WalIdentity>> ReadWalIdentity(const std::string& db_path) {
  const std::string path = db_path + "-wal";
  Result<ReadOnlyFile> file = ReadOnlyFile::Open(path);
  if (!file.ok()) {
    if (file.status().code() == StatusCode::kNotFound) return std::optional<WalIdentity>();
    return file.status();
  }
  DQA_ASSIGN_OR_RETURN(struct stat st, file->Stat());
  WalIdentity wal;
  wal.size = static_cast<int64_t>(st.st_size);
  wal.mtime_ns = MtimeNs(st);
  std::array<unsigned char, 32> header{};
  DQA_ASSIGN_OR_RETURN(size_t got, file->ReadAt(header.data(), header.size(), 0));
  if (got == header.size()) {
    wal.checkpoint_sequence = BigEndian32(header.data() + 12);
    wal.salts = (uint64_t{BigEndian32(header.data() + 16)} << 32) | BigEndian32(header.data() + 20);
  }
  return std::optional<WalIdentity>(wal);
}

}  // namespace

ReadOnlyFile::~ReadOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

// O_NOATIME keeps even the access time unchanged; the kernel allows it only to the file's owner
// (EPERM otherwise), so fall back to a plain read-only open.
Result<ReadOnlyFile> ReadOnlyFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    return IoError(fmt::format("cannot open {}: {}", path, std::strerror(err)));
  }
  return ReadOnlyFile(fd, path);
}

Result<struct stat> ReadOnlyFile::Stat() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    return IoError(fmt::format("cannot stat {}: {}", path_, std::strerror(errno)));
  }
  return st;
}

Result<size_t> ReadOnlyFile::ReadAt(unsigned char* buf, size_t n, uint64_t offset) const {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd_, buf + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return IoError(fmt::format("cannot read {}: {}", path_, std::strerror(errno)));
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

std::string SqliteFileIdentity::ToString() const {
  std::string text = fmt::format("dev={},ino={},size={},mtime={},counter={},wal=", device, inode,
                                 size, mtime_ns, change_counter);
  if (!wal) return text + "none";
  text += fmt::format("{}:{}", wal->size, wal->mtime_ns);
  if (wal->checkpoint_sequence) text += fmt::format(":{}:{:016x}", *wal->checkpoint_sequence, *wal->salts);
  return text;
}

Result<SqliteFileIdentity> ReadSqliteFileIdentity(const std::string& path) {
  DQA_ASSIGN_OR_RETURN(ReadOnlyFile file, ReadOnlyFile::Open(path));
  DQA_ASSIGN_OR_RETURN(struct stat st, file.Stat());
  std::array<unsigned char, 100> header{};
  DQA_ASSIGN_OR_RETURN(size_t got, file.ReadAt(header.data(), header.size(), 0));
  return SqliteFileIdentityFrom(path, st, header.data(), got);
}

Result<SqliteFileIdentity> SqliteFileIdentityFrom(const std::string& path, const struct stat& st,
                                                  const unsigned char* header, size_t got) {
  if (!S_ISREG(st.st_mode)) return InvalidArgument(fmt::format("{}: not a regular file", path));
  SqliteFileIdentity id;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  id.size = static_cast<int64_t>(st.st_size);
  id.mtime_ns = MtimeNs(st);
  if (got > 0) {
    if (got < 100 || std::memcmp(header, kSqliteMagic, sizeof kSqliteMagic) != 0) {
      return InvalidArgument(fmt::format("{}: not an SQLite database (no SQLite header)", path));
    }
    id.change_counter = BigEndian32(header + 24);
  }
  DQA_ASSIGN_OR_RETURN(id.wal, ReadWalIdentity(path));
  return id;
}

}  // namespace dqa
