// Fingerprints of SQLite sources for incremental nightly scans (docs/nightly.md "Incremental").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/engine/plan.h"
#include "core/util/status.h"

namespace dqa::nightly {

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

// Reads the identity of the database file at `path`: stat, the first 100 bytes (header) and the
// stat and header of `<path>-wal` if it exists. Opens the files read-only with open(2) (O_NOATIME
// when the owner allows it), never through SQLite, so no -wal/-shm/-journal file is created and
// nothing is written. NotFound when the file does not exist; InvalidArgument when it is not
// empty and does not start with the SQLite header; IoError when it cannot be read.
Result<SqliteFileIdentity> ReadSqliteFileIdentity(const std::string& path);

// A digest of what else decides a source's results: its plan (rules, attachments, samples,
// plugin files) without the reference instant, plus the reference day when it is pinned (rule
// file `today:` or `pinned_day`), the dqaudit version and each plugin file's size and mtime.
// 16 hex digits (FNV-1a 64).
std::string PlanDigest(const SourcePlan& plan, std::optional<int64_t> pinned_day);

// The fingerprint recorded with a scanned source:
// "v1 plan=<PlanDigest> main=<identity> attach.<alias>=<identity>..." (aliases sorted).
// "" (no fingerprint: always scanned) for sources that are not SQLite files. Errors from
// ReadSqliteFileIdentity (the source is then scanned and reports its own error).
Result<std::string> SourceFingerprint(const SourcePlan& plan, std::optional<int64_t> pinned_day);

}  // namespace dqa::nightly
