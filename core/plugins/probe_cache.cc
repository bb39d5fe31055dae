#include "core/plugins/probe_cache.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/util/atomic_file.h"
#include "core/util/file_bytes.h"
#include "core/util/record_hash.h"

namespace dqa::plugins {
namespace {

using nlohmann::json;

constexpr int kVersion = 2;

// A file's identity (device, inode, size, modification and change times): a file replaced, rebuilt
// or written to has another. Empty when it is not a regular file.
std::string FileIdentity(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  return fmt::format("{}:{}:{}:{}.{}:{}.{}", st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec, st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

// This binary's identity: a rebuilt or replaced dqaudit probes again.
const std::string& ThisBinary() {
  static const std::string host = FileIdentity("/proc/self/exe");
  return host;
}

}  // namespace

ProbeCache::ProbeCache(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;
  std::stringstream text;
  text << in.rdbuf();
  const json j = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("version", 0) != kVersion) return;
  const auto e = j.find("plugins");
  if (e == j.end() || !e->is_object()) return;
  for (const auto& [file, entry] : e->items()) {
    if (!entry.is_object()) continue;
    const auto key = entry.find("key");
    const auto answer = entry.find("answer");
    if (key == entry.end() || answer == entry.end() || !key->is_string() || !answer->is_string()) {
      continue;
    }
    const auto identity = entry.find("identity");
    entries_[file] = {key->get<std::string>(), answer->get<std::string>(),
                      identity != entry.end() && identity->is_string() ? identity->get<std::string>()
                                                                       : ""};
  }
}

std::optional<std::string> ProbeCache::KeyOf(const std::string& file) {
  if (ThisBinary().empty()) return std::nullopt;
  const std::optional<FileBytes> bytes = FileBytes::Map(file);
  if (!bytes) return std::nullopt;
  return BulkHash128(bytes->view().data(), bytes->view().size()).ToHex() + "|" + ThisBinary();
}

std::optional<std::string> ProbeCache::Key(const std::string& file) {
  std::string identity = FileIdentity(file);
  const auto it = entries_.find(file);
  if (!identity.empty() && it != entries_.end() && it->second.identity == identity &&
      it->second.key.ends_with("|" + ThisBinary())) {
    identities_[file] = std::move(identity);
    return it->second.key;
  }
  std::optional<std::string> key = KeyOf(file);
  // The identity taken before the bytes were read: a file changed meanwhile is hashed next time.
  if (key) identities_[file] = std::move(identity);
  return key;
}

std::optional<std::string> ProbeCache::Find(const std::string& file, const std::string& key) const {
  const auto it = entries_.find(file);
  if (it == entries_.end() || it->second.key != key) return std::nullopt;
  return it->second.answer;
}

void ProbeCache::Put(const std::string& file, const std::string& key, std::string answer) {
  Entry& e = entries_[file];
  const auto identity = identities_.find(file);
  std::string seen = identity != identities_.end() ? identity->second : "";
  if (e.key == key && e.answer == answer && e.identity == seen) return;
  e = {key, std::move(answer), std::move(seen)};
  changed_ = true;
}

void ProbeCache::Save() const {
  if (!changed_) return;
  json plugins = json::object();
  for (const auto& [file, e] : entries_) {
    plugins[file] = {{"key", e.key}, {"answer", e.answer}, {"identity", e.identity}};
  }
  const json j = {{"version", kVersion}, {"plugins", std::move(plugins)}};
  const Status s = WriteFileAtomically(
      path_, j.dump(-1, ' ', false, json::error_handler_t::replace), Durability::kUnsynced);
  if (!s.ok()) spdlog::debug("plugin probe cache {} not written: {}", path_, s.message());
}

}  // namespace dqa::plugins
