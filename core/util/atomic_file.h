// Writing an output file whole or not at all: a temporary file in the target's folder, fsynced,
// renamed over the target, then the folder fsynced (docs/history.md "Output files").
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa {

// Whether a committed file must survive a crash of the machine (fsyncs), or only of the process: a
// file whose content checks itself (range states, docs/engine.md) can skip the fsyncs.
enum class Durability { kSynced, kUnsynced };

// A temporary file beside a target, ".NAME.tmp-PID-RANDOM" in the target's folder, that replaces
// the target on Commit(). Until then the target is untouched; the destructor removes the
// temporary unless Commit() succeeded, so a failed or abandoned write leaves the old target and
// no temporary. A kill leaves a temporary behind: the next Create() for the same target removes
// those of processes that are gone.
//
// Two ways to fill it: Write() (text and bytes), or hand temp_path() to a library that writes a
// file by path (libxlsxwriter) and Commit() after it closed the file.
//
// A target that is a symbolic link is resolved: the file it points to is replaced, not the link.
// The new file gets the old target's permission bits (else 0666 less the umask).
class AtomicFile {
 public:
  // Creates the temporary. IoError "cannot write <target>: cannot create a temporary file in
  // <folder>: <errno text>" when the folder is missing or not writable.
  static Result<std::unique_ptr<AtomicFile>> Create(const std::string& target);

  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  const std::string& target() const { return target_; }
  const std::string& temp_path() const { return temp_; }

  // Appends `data` to the temporary. IoError "cannot write <target>: <errno text>" (a full disk
  // says "No space left on device", a file size limit "File too large").
  Status Write(std::string_view data);

  // fsyncs the temporary, renames it over the target and fsyncs the folder, so that after a crash
  // the target is the old file or the whole new one. IoError "cannot write <target>: <step>:
  // <errno text>"; the temporary is then removed and the target untouched. Once only. kUnsynced
  // skips both fsyncs: after a crash of the process the target is still old or whole, after one of
  // the machine it may be empty or torn.
  Status Commit(Durability durability = Durability::kSynced);

 private:
  AtomicFile(std::string target, std::string temp, int fd)
      : target_(std::move(target)), temp_(std::move(temp)), fd_(fd) {}

  std::string target_;  // symbolic links resolved
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// `content` into `path` through an AtomicFile. IoError as AtomicFile says; on error the old file
// at `path` (if any) is unchanged and no temporary is left.
Status WriteFileAtomically(const std::string& path, std::string_view content,
                           Durability durability = Durability::kSynced);

// Fails now, writing nothing, when `path` could not be written later: its folder is missing or
// not writable, or `path` is a folder. Creates and removes a temporary to find out.
Status CheckWritable(const std::string& path);

}  // namespace dqa
