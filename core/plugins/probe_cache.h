// A file of plugin probe answers kept between runs (ProbeOptions::cache_file; the nightly run keeps
// "<history>.plugins"), so that a night whose plugins did not change starts no probe helper.
// An answer is reused only for the same library bytes (a 128-bit hash of the whole file, taken
// again only when the file's device, inode, size, modification or change time differ from those
// it had when its answer was kept) probed by the same dqaudit binary (its device, inode, size and
// modification and change times); only
// answers that were descriptors are kept, so a library that failed is probed again every time. A
// reused answer is validated again exactly as a fresh one is. The file is JSON, written atomically;
// one that cannot be read is ignored and rewritten.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace dqa::plugins {

class ProbeCache {
 public:
  // Reads `path` (missing or unreadable: an empty cache).
  explicit ProbeCache(std::string path);

  // The content key of `file` (its bytes' hash and this binary's identity; nullopt when the file
  // cannot be read), the kept one when `file` is the very file (device, inode, size, modification
  // and change times) it was when its answer was kept: a night whose plugins did not change reads
  // none of their bytes.
  std::optional<std::string> Key(const std::string& file);
  // The raw answer stored for `file` under `key`, if any.
  std::optional<std::string> Find(const std::string& file, const std::string& key) const;
  void Put(const std::string& file, const std::string& key, std::string answer);
  // Writes the file when Put changed it; problems are logged at debug level only (the cache is an
  // optimisation: without it, plugins are probed).
  void Save() const;

 private:
  // The content key from the file's bytes.
  static std::optional<std::string> KeyOf(const std::string& file);
  struct Entry {
    std::string key;
    std::string answer;
    std::string identity;  // FileIdentity of the library when the answer was put
  };
  std::map<std::string, std::string> identities_;  // by library path, as Key found them
  std::string path_;
  std::map<std::string, Entry> entries_;  // by canonical library path
  bool changed_ = false;
};

}  // namespace dqa::plugins
