#include "core/plugins/file_safety.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/plugins/allowlist.h"

namespace dqa::plugins {

Status CheckPluginFileSafety(const std::string& path) {
  struct stat file_stat {};
  if (::stat(path.c_str(), &file_stat) != 0) {
    const int err = errno;
    std::string message = fmt::format("cannot examine plugin {}: {}", path, std::strerror(err));
    return err == ENOENT ? NotFound(std::move(message)) : IoError(std::move(message));
  }
  const std::string advice = "or pass --allow-unsafe-plugins to load it anyway";
  if (!S_ISREG(file_stat.st_mode)) {
    return InvalidArgument(fmt::format("refusing to load plugin {}: not a regular file", path));
  }
  const unsigned mode = file_stat.st_mode & 07777u;
  if ((file_stat.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return InvalidArgument(fmt::format(
        "refusing to load plugin {}: it is {}-writable (mode {:04o}); run 'chmod go-w {}' {}", path,
        (file_stat.st_mode & S_IWOTH) != 0 ? "world" : "group", mode, path, advice));
  }
  const uid_t euid = ::geteuid();
  if (file_stat.st_uid != euid && file_stat.st_uid != 0) {
    return InvalidArgument(fmt::format(
        "refusing to load plugin {}: it is owned by user id {}, not by the current user ({}) or "
        "root; {}",
        path, file_stat.st_uid, euid, advice));
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  struct stat dir_stat {};
  if (::stat(dir.c_str(), &dir_stat) != 0) {
    return IoError(fmt::format("cannot examine the directory of plugin {}: {}", path,
                               std::strerror(errno)));
  }
  if ((dir_stat.st_mode & S_IWOTH) != 0) {
    return InvalidArgument(fmt::format(
        "refusing to load plugin {}: its directory {} is world-writable (mode {:04o}), so anyone "
        "could replace it; move it to a directory only its owner can write, {}",
        path, dir, dir_stat.st_mode & 07777u, advice));
  }
  return Status::Ok();
}

Status CheckPluginAdmission(const std::string& path, bool allow_unsafe) {
  if (!allow_unsafe) DQA_RETURN_IF_ERROR(CheckPluginFileSafety(path));
  return CheckPluginAllowed(path, allow_unsafe);
}

}  // namespace dqa::plugins
