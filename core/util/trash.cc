#include "core/util/trash.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <exception>
#include <string>
#include <system_error>

#include "core/util/clock.h"

namespace dqa {

namespace fs = std::filesystem;

namespace {

// The folder `trash`, created when missing; false when it is not a folder (a symbolic link is not
// followed) or cannot be made.
bool TrashFolderReady(const fs::path& trash) {
  std::error_code ec;
  fs::create_directory(trash, ec);
  return fs::is_directory(fs::symlink_status(trash, ec));
}

// Whether `name` is one LinkIntoTrash gives with `prefix`: "<prefix>.<digits>.<digits>".
bool IsLinkName(std::string_view name, std::string_view prefix) {
  if (!name.starts_with(prefix)) return false;
  name.remove_prefix(prefix.size());
  for (int part = 0; part < 2; ++part) {
    if (name.size() < 2 || name[0] != '.' || !std::isdigit(static_cast<unsigned char>(name[1]))) {
      return false;
    }
    name.remove_prefix(1);
    while (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) name.remove_prefix(1);
  }
  return name.empty();
}

}  // namespace

void MoveIntoTrash(const fs::path& file, const fs::path& trash) {
  std::error_code moved = std::make_error_code(std::errc::not_a_directory);
  if (TrashFolderReady(trash)) fs::rename(file, trash / file.filename(), moved);
  std::error_code ec;
  if (moved) fs::remove(file, ec);
}

bool LinkIntoTrash(const fs::path& file, const fs::path& trash, std::string_view prefix) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(file, ec)) || !TrashFolderReady(trash)) return false;
  fs::create_hard_link(file, trash / fmt::format("{}.{}.{}", prefix, ::getpid(), NowUnixMs()), ec);
  return !ec;
}

TrashEmptier::TrashEmptier(const fs::path& trash, std::string_view prefix) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(trash, ec))) return;
  try {
    thread_ = std::thread([trash, prefix = std::string(prefix)] {
      try {
        std::error_code e;
        fs::directory_iterator it(trash, e);
        for (; !e && it != fs::directory_iterator(); it.increment(e)) {
          if (!prefix.empty() && !IsLinkName(it->path().filename().string(), prefix)) continue;
          std::error_code removed;
          fs::remove(it->path(), removed);
        }
      } catch (const std::exception&) {
        // (out of memory: what is left goes next time)
      }
    });
  } catch (const std::system_error&) {
    // no thread to be had: emptied next time
  }
}

}  // namespace dqa
