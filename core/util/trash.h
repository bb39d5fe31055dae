// Files set aside to be deleted later, off the path a run waits on (docs/engine.md "Incremental
// scans", docs/history.md "Files beside the store").
//
// Deleting a file can keep a process waiting on the disk: on ext4 mounted with `discard` (as the
// project's machines are), unlinking a file's last name, or renaming another file over it, waits
// until the device has discarded the file's blocks, 0.2 to 10 ms a file there. A nightly run that
// reads one range of a table replaces about seven state files and closes the history store (whose
// -wal file SQLite deletes): moved or linked into a trash folder, they are deleted by the next run
// on a thread of its own while it works.
#pragma once

#include <filesystem>
#include <string_view>
#include <thread>

namespace dqa {

// Moves `file` into the folder `trash` (created when missing) under its own name; removes it
// where it is when it cannot be moved. A file of that name already in the trash is replaced.
void MoveIntoTrash(const std::filesystem::path& file, const std::filesystem::path& trash);

// Gives `file` a second name in the folder `trash` (created when missing): `prefix`, this
// process's id and the time, so that removing `file`, or renaming another file over it,
// afterwards frees none of its blocks. False when `file` does not exist or cannot be linked (it
// is then left as it is).
bool LinkIntoTrash(const std::filesystem::path& file, const std::filesystem::path& trash,
                   std::string_view prefix);

// Deletes the files of the folder `trash` that LinkIntoTrash named with `prefix` ("": all of
// them; not the folder) on a thread of its own, from its construction until Join() or its destruction;
// nothing when `trash` is not a folder (a symbolic link is not followed). A trash left full (no
// thread to be had, the process killed meanwhile) is emptied by the next one.
class TrashEmptier {
 public:
  explicit TrashEmptier(const std::filesystem::path& trash, std::string_view prefix = "");
  TrashEmptier(const TrashEmptier&) = delete;
  TrashEmptier& operator=(const TrashEmptier&) = delete;
  ~TrashEmptier() { Join(); }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::thread thread_;
};

}  // namespace dqa
