#include "core/sources/wal_free_vfs.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

namespace dqa {
namespace {

constexpr char kWalFreeVfsName[] = "dqa-walfree";

// The wrapper's file: ours first, the default VFS's file right after it in the same allocation.
struct WalFreeFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_vfs* g_default_vfs = nullptr;

sqlite3_file* Real(sqlite3_file* file) { return reinterpret_cast<WalFreeFile*>(file)->real; }

int WalFreeClose(sqlite3_file* file) {
  sqlite3_file* real = Real(file);
  return real->pMethods == nullptr ? SQLITE_OK : real->pMethods->xClose(real);
}

int WalFreeRead(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  sqlite3_file* real = Real(file);
  const int rc = real->pMethods->xRead(real, buffer, amount, offset);
  if (rc != SQLITE_OK) return rc;
  // Bytes 18 and 19 of the header: file format write/read versions, 2 = WAL, 1 = rollback.
  auto* bytes = static_cast<unsigned char*>(buffer);
  for (const sqlite3_int64 at : {18, 19}) {
    if (at >= offset && at < offset + amount && bytes[at - offset] == 2) bytes[at - offset] = 1;
  }
  return rc;
}

int WalFreeWrite(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  // Never reached: the connections that use this VFS are read-only.
  (void)file, (void)buffer, (void)amount, (void)offset;
  return SQLITE_READONLY;
}

int WalFreeTruncate(sqlite3_file* file, sqlite3_int64 size) {
  (void)file, (void)size;
  return SQLITE_READONLY;
}

int WalFreeSync(sqlite3_file* file, int flags) {
  (void)file, (void)flags;
  return SQLITE_OK;
}

int WalFreeFileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

int WalFreeLock(sqlite3_file* file, int lock) { return Real(file)->pMethods->xLock(Real(file), lock); }

int WalFreeUnlock(sqlite3_file* file, int lock) {
  return Real(file)->pMethods->xUnlock(Real(file), lock);
}

int WalFreeCheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}

int WalFreeFileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}

int WalFreeSectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }

int WalFreeDeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}

// Version 1 methods: no shared memory, so SQLite cannot use WAL on this file even if it wanted
// to (it would fail with SQLITE_CANTOPEN rather than read a WAL without its index).
const sqlite3_io_methods kWalFreeMethods = {
    1,
    WalFreeClose,
    WalFreeRead,
    WalFreeWrite,
    WalFreeTruncate,
    WalFreeSync,
    WalFreeFileSize,
    WalFreeLock,
    WalFreeUnlock,
    WalFreeCheckReservedLock,
    WalFreeFileControl,
    WalFreeSectorSize,
    WalFreeDeviceCharacteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

int WalFreeOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  (void)vfs;
  if ((flags & SQLITE_OPEN_MAIN_DB) == 0) {
    return g_default_vfs->xOpen(g_default_vfs, name, file, flags, out_flags);
  }
  auto* wrapper = reinterpret_cast<WalFreeFile*>(file);
  wrapper->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + sizeof(WalFreeFile));
  std::memset(wrapper->real, 0, static_cast<size_t>(g_default_vfs->szOsFile));
  const int rc = g_default_vfs->xOpen(g_default_vfs, name, wrapper->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set: leave it null when the real open failed.
  wrapper->base.pMethods = rc == SQLITE_OK ? &kWalFreeMethods : nullptr;
  return rc;
}

sqlite3_vfs g_wal_free_vfs;

}  // namespace

const char* WalFreeVfsName() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_default_vfs = sqlite3_vfs_find(nullptr);
    g_wal_free_vfs = *g_default_vfs;
    g_wal_free_vfs.zName = kWalFreeVfsName;
    g_wal_free_vfs.szOsFile = static_cast<int>(sizeof(WalFreeFile)) + g_default_vfs->szOsFile;
    g_wal_free_vfs.xOpen = WalFreeOpen;
    g_wal_free_vfs.pNext = nullptr;
    sqlite3_vfs_register(&g_wal_free_vfs, 0);
  });
  return kWalFreeVfsName;
}

bool IsWalDatabase(const std::string& path) {
  char header[100] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(header, sizeof header)) return false;
  if (std::memcmp(header, "SQLite format 3", 16) != 0) return false;
  return header[18] == 2 && header[19] == 2;
}

bool IsWalDatabaseWithoutWal(const std::string& path) {
  if (!IsWalDatabase(path)) return false;
  struct stat st {};
  return ::stat((path + "-wal").c_str(), &st) != 0 && errno == ENOENT;
}

}  // namespace dqa
