// Refusing to write over a run's own inputs: files compared by device and inode, so that another
// spelling, a symbolic link or a hard link of an input is recognised as that input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.h"

namespace dqa {

// The files a command reads (rule files, databases, configuration, the history store), each with
// the words that name it in a refusal. Every command checks each file it is about to write with
// CheckOutput() before it scans or writes anything.
class InputFiles {
 public:
  // Records `path` as an input named `role` (e.g. "the database of source population"), together
  // with its -wal, -journal and -shm siblings. `path` may not exist yet (a history store the run
  // will create): it is then recognised by its absolute normalised path.
  void Add(const std::string& path, const std::string& role);

  // OK when writing `output` cannot overwrite an input. InvalidArgument
  //   "<option> <output> is <role> (<input>); refusing to overwrite an input"
  // when `output` is an input or one of its siblings (same device and inode, following symbolic
  // links, or the same normalised path when the file does not exist yet); InvalidArgument
  //   "<option> <output>: its -wal file <output>-wal is <role> (<input>); refusing ..."
  // when `output` does not exist but its own -wal, -journal or -shm sibling is one of those files.
  Status CheckOutput(std::string_view option, const std::string& output) const;

 private:
  struct Entry {
    std::string path;    // as shown in messages
    std::string role;    // "the database of source population", "the -wal file of ..."
    std::string normal;  // absolute, normalised (symbolic links resolved where they exist)
    bool exists = false;
    unsigned long long dev = 0;
    unsigned long long ino = 0;
  };
  const Entry* Find(const std::string& path) const;

  std::vector<Entry> entries_;
};

// The suffixes of SQLite's companion files: "-wal", "-journal", "-shm".
inline constexpr std::string_view kSqliteSiblings[] = {"-wal", "-journal", "-shm"};

// `path` relative to the working directory when it lies below it, else absolute: how messages
// name a file that dqaudit resolved to an absolute path.
std::string DisplayPath(const std::string& path);

}  // namespace dqa
