#include "core/util/file_identity.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>

namespace dqa {
namespace {

namespace fs = std::filesystem;

std::string Normalise(const std::string& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  if (ec) return path;
  const fs::path normal = fs::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal().string() : normal.string();
}

}  // namespace

std::string DisplayPath(const std::string& path) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec || !fs::path(path).is_absolute()) return path;
  const fs::path relative = fs::path(path).lexically_relative(cwd);
  if (relative.empty() || *relative.begin() == "..") return path;
  return relative.string();
}

void InputFiles::Add(const std::string& path, const std::string& role) {
  if (path.empty()) return;
  auto add = [&](const std::string& file, const std::string& what) {
    Entry e;
    e.path = DisplayPath(file);
    e.role = what;
    e.normal = Normalise(file);
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0) {
      e.exists = true;
      e.dev = st.st_dev;
      e.ino = st.st_ino;
    }
    entries_.push_back(std::move(e));
  };
  add(path, role);
  for (std::string_view suffix : kSqliteSiblings) {
    add(path + std::string(suffix), fmt::format("the {} file of {}", suffix, role));
  }
}

const InputFiles::Entry* InputFiles::Find(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    for (const Entry& e : entries_) {
      if (e.exists && e.dev == st.st_dev && e.ino == st.st_ino) return &e;
    }
    return nullptr;
  }
  const std::string normal = Normalise(path);
  for (const Entry& e : entries_) {
    if (!e.exists && e.normal == normal) return &e;
  }
  return nullptr;
}

Status InputFiles::CheckOutput(std::string_view option, const std::string& output) const {
  auto refuse = [&](const Entry& e) {
    return InvalidArgument(fmt::format("{} {} is {} ({}); refusing to overwrite an input", option,
                                       output, e.role, e.path));
  };
  if (const Entry* e = Find(output)) return refuse(*e);
  struct stat st {};
  if (::stat(output.c_str(), &st) != 0) {
    // A file that does not exist yet whose companion file is an input's: writing a SQLite
    // database there would take that file as its own journal.
    for (std::string_view suffix : kSqliteSiblings) {
      const std::string sibling = output + std::string(suffix);
      if (::stat(sibling.c_str(), &st) != 0) continue;
      if (const Entry* e = Find(sibling)) {
        return InvalidArgument(
            fmt::format("{} {}: its {} file {} is {} ({}); refusing to overwrite an input", option,
                        output, suffix, sibling, e->role, e->path));
      }
    }
  }
  return Status::Ok();
}

}  // namespace dqa
