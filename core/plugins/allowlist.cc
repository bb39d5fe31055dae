#include "core/plugins/allowlist.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/sha256.h"

namespace dqa::plugins {
namespace {

// An allowlist is a short text file; anything larger is a mistake (or a device).
constexpr uintmax_t kMaxAllowlistBytes = 1 << 20;

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// The allowlist's text, after the checks that make it trustworthy.
Result<std::string> ReadAllowlist(const std::string& path, bool allow_unsafe) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return IoError(fmt::format("cannot examine {}: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) return InvalidArgument(fmt::format("{} is not a regular file", path));
  if (st.st_size > static_cast<off_t>(kMaxAllowlistBytes)) {
    return InvalidArgument(
        fmt::format("{} is larger than {} bytes: not an allowlist", path, kMaxAllowlistBytes));
  }
  if (!allow_unsafe && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return InvalidArgument(fmt::format("{} is {}-writable (mode {:04o}): anyone in it could allow "
                                       "any library; run 'chmod go-w {}'",
                                       path, (st.st_mode & S_IWOTH) != 0 ? "world" : "group",
                                       st.st_mode & 07777u, path));
  }
  if (!allow_unsafe && st.st_uid != ::geteuid() && st.st_uid != 0) {
    return InvalidArgument(fmt::format("{} is owned by user id {}, not by the current user ({}) or "
                                       "root",
                                       path, st.st_uid, ::geteuid()));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return IoError(fmt::format("cannot read {}", path));
  return text.str();
}

}  // namespace

Result<std::vector<AllowlistEntry>> ParseAllowlist(std::string_view text,
                                                   const std::string& path) {
  std::vector<AllowlistEntry> out;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos || line.front() == '#') continue;
    const bool hex = line.size() > 64 && std::all_of(line.begin(), line.begin() + 64, IsHex);
    const std::string_view separator = hex ? line.substr(64, 2) : std::string_view();
    if (!hex || (separator != "  " && separator != " *") || line.size() == 66) {
      return InvalidArgument(fmt::format(
          "{}:{}: expected '<SHA-256 as 64 hex digits>  <file name>' (the output of sha256sum), "
          "got '{}'",
          path, line_number, line.substr(0, 80)));
    }
    AllowlistEntry entry;
    entry.sha256 = std::string(line.substr(0, 64));
    std::transform(entry.sha256.begin(), entry.sha256.end(), entry.sha256.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    entry.name = std::string(line.substr(66));
    out.push_back(std::move(entry));
  }
  return out;
}

Status CheckPluginAllowed(const std::string& file, bool allow_unsafe) {
  const std::filesystem::path list = std::filesystem::path(file).parent_path() / kAllowlistName;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(list, ec))) return Status::Ok();
  const std::string refusing = fmt::format("refusing to load plugin {}", file);
  Result<std::string> text = ReadAllowlist(list.string(), allow_unsafe);
  if (!text.ok()) return InvalidArgument(fmt::format("{}: {}", refusing, text.status().message()));
  Result<std::vector<AllowlistEntry>> entries = ParseAllowlist(*text, list.string());
  if (!entries.ok()) {
    return InvalidArgument(
        fmt::format("{}: its allowlist is malformed: {}", refusing, entries.status().message()));
  }
  Result<std::string> digest = Sha256File(file);
  if (!digest.ok()) return InvalidArgument(fmt::format("{}: {}", refusing, digest.status().message()));
  for (const AllowlistEntry& e : *entries) {
    if (e.sha256 == *digest) return Status::Ok();
  }
  return InvalidArgument(fmt::format(
      "{}: its SHA-256 {} is not listed in {} (if you trust this library, add the line "
      "'{}  {}')",
      refusing, *digest, list.string(), *digest, std::filesystem::path(file).filename().string()));
}

}  // namespace dqa::plugins
