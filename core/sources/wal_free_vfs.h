// The "dqa-walfree" VFS: reads a WAL-mode database that has no -wal file as the plain file it is,
// without creating -wal/-shm files beside it (read-only folders, and nothing left behind).
#pragma once

#include <string>

namespace dqa {

// The name of the VFS, registered (not as the default) on first call. Thread-safe.
//
// It forwards every call to the default VFS; the one difference is that the main database file
// reads with header bytes 18-19 (file format versions) at 1 instead of 2, so SQLite reads it in
// rollback-journal mode: a SHARED lock on the file for each read transaction and no WAL. This is
// a consistent read only while no connection has the database open in WAL mode, i.e. while no
// -wal file exists: SqliteDb::EndSnapshot() checks that none appeared (docs/sources.md "WAL databases").
const char* WalFreeVfsName();

// True when `path` is a WAL-mode database (header bytes 18-19 are 2) with no `path`-wal file: the
// whole committed content is in the file itself, and opening it through SQLite's WAL code would
// create -wal and -shm files (or fail in a read-only folder).
bool IsWalDatabaseWithoutWal(const std::string& path);
// True when `path`'s header says WAL mode (bytes 18 and 19 are 2), with or without a -wal file.
bool IsWalDatabase(const std::string& path);

}  // namespace dqa
