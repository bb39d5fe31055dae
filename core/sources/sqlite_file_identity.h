// The identity of an SQLite database file read without SQLite (stat and header bytes): what
// nightly fingerprints (docs/nightly.md "Incremental") and delivery tracking (docs/checks.md
// "delivery") compare between runs.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "core/util/status.h"

namespace dqa {

// The -wal file next to a database in WAL mode. WAL commits do not touch the main file (nor its
// change counter) until a checkpoint, so the WAL's own identity is part of the fingerprint.
struct WalIdentity {
  int64_t size = 0;
  int64_t mtime_ns = 0;
  // From the 32-byte WAL header (absent when the file is shorter): the checkpoint sequence and the
  // salts change every time the WAL is restarted, even when size and mtime would not.
  std::optional<uint32_t> checkpoint_sequence;
  std::optional<uint64_t> salts;  // salt-1 << 32 | salt-2
};

// What identifies the contents of one SQLite database file without reading it through SQLite.
struct SqliteFileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  uint32_t change_counter = 0;  // header bytes 24..27 (big-endian); 0 for an empty file
  std::optional<WalIdentity> wal;

  // "dev=..,ino=..,size=..,mtime=..,counter=..,wal=none|size:mtime:seq:salts" (stable text).
  std::string ToString() const;
};

// A database file opened read-only with open(2) (O_NOATIME when the owner allows it), closed on
// scope exit: never through SQLite, so no -wal/-shm/-journal file is created and nothing is written.
class ReadOnlyFile {
 public:
  // NotFound when the file does not exist; IoError when it cannot be opened.
  static Result<ReadOnlyFile> Open(const std::string& path);
  ReadOnlyFile(ReadOnlyFile&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
  }
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(ReadOnlyFile&&) = delete;
  ~ReadOnlyFile();

  Result<struct stat> Stat() const;
  // Reads up to `n` bytes at `offset` (pread); returns how many were read (fewer at end of file).
  Result<size_t> ReadAt(unsigned char* buf, size_t n, uint64_t offset) const;

 private:
  ReadOnlyFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

// Reads the identity of the database file at `path`: stat, the first 100 bytes (header) and the
// stat and header of `<path>-wal` if it exists. Opens the files read-only with open(2) (O_NOATIME
// when the owner allows it), never through SQLite, so no -wal/-shm/-journal file is created and
// nothing is written. NotFound when the file does not exist; InvalidArgument when it is not
// empty and does not start with the SQLite header; IoError when it cannot be read.
// Closing a descriptor drops every POSIX lock the process holds on the file, an SQLite read
// transaction's SHARED lock among them: not for a file this process has a snapshot open on
// (stat it and read its header through the connection, then SqliteFileIdentityFrom).
Result<SqliteFileIdentity> ReadSqliteFileIdentity(const std::string& path);

// The identity of the database file at `path` from its stat `st` and its first `got` (0 to 100)
// bytes `header`, read by the caller (for instance through an open SQLite connection's own file
// handle, sqlite_btree.h), plus the stat and header of `<path>-wal`. InvalidArgument as above.
Result<SqliteFileIdentity> SqliteFileIdentityFrom(const std::string& path, const struct stat& st,
                                                  const unsigned char* header, size_t got);

// The modification time of `st` in nanoseconds since the epoch.
int64_t MtimeNs(const struct stat& st);

}  // namespace dqa
