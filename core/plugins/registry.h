// PluginRegistry: the plugins of this process, found on the search path and kept for its lifetime.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plugins/loaded_plugin.h"

namespace dqa::plugins {

struct DiscoveryOptions {
  std::vector<std::string> plugin_dirs;  // --plugin-dir, searched first, in order
  bool use_environment = true;           // then DQAUDIT_PLUGIN_PATH (colon-separated)
  bool use_default_dirs = true;          // then <dir of dqaudit>/plugins, <prefix>/lib/dqaudit/plugins
};

// A file that was found but not registered, and why.
struct PluginLoadFailure {
  std::string file;
  std::string reason;
  // True when the host refused the library itself (not a library, wrong ABI, no entry point,
  // unsafe file); false for a duplicate of a registered plugin or a bad --plugin-dir.
  bool refused = false;
};


// A plugin check resolved from its rule-file type "<sector>.<check>".
struct PluginCheckRef {
  const LoadedPlugin* plugin = nullptr;
  size_t index = 0;  // in plugin->info().checks
  const PluginCheckInfo& check() const { return plugin->info().checks[index]; }
};

// Thread-safe. Plugins are never removed: pointers returned stay valid for the process lifetime.
class PluginRegistry {
 public:
  PluginRegistry() = default;
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // The directories searched, in order (existing or not).
  static std::vector<std::string> SearchPath(const DiscoveryOptions& options);

  // Loads every *.so of every directory of SearchPath (files sorted by name within a directory).
  // A file that fails to load is recorded in failures() and does not stop the others. Duplicates:
  // the first plugin found for a sector (or name) wins; a later one is recorded as a failure
  // ("duplicate ...") and logged as a warning. An explicit --plugin-dir that is not a directory is
  // a failure too; missing default directories are skipped silently.
  void Discover(const DiscoveryOptions& options);

  // Loads one library (idempotent per canonical path) and registers it. Errors as
  // LoadedPlugin::Load, or InvalidArgument for a duplicate sector/name; also recorded in failures().
  Result<const LoadedPlugin*> LoadFile(const std::string& path);

  // --allow-unsafe-plugins. Initially true iff DQAUDIT_ALLOW_UNSAFE_PLUGINS=1 is in the environment
  // (how the setting reaches worker processes).
  void set_allow_unsafe(bool allow);
  bool allow_unsafe() const;

  std::vector<const LoadedPlugin*> plugins() const;  // in load order
  std::vector<PluginLoadFailure> failures() const;
  // The registered plugin with this sector or name, or nullptr.
  const LoadedPlugin* FindPlugin(std::string_view sector_or_name) const;
  // "<sector>.<check>" -> the check; nullopt when no registered plugin provides it.
  std::optional<PluginCheckRef> FindCheck(std::string_view type) const;
  // Every "<sector>.<check>" available, sorted.
  std::vector<std::string> CheckTypes() const;
  // The refused library (failures() with refused) that would provide `sector` by dqaudit's file
  // naming (dqaudit_add_plugin: "<sector>.so", also accepted "lib<sector>.so"), when no registered
  // plugin has that sector; nullopt otherwise.
  std::optional<PluginLoadFailure> RefusedLibraryFor(std::string_view sector) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  std::vector<PluginLoadFailure> failures_;
  std::vector<std::string> attempted_;  // canonical paths already tried
  std::optional<bool> allow_unsafe_;
};

// The process-wide registry that the rule parser, the planner and the engine consult.
PluginRegistry& ProcessPluginRegistry();

}  // namespace dqa::plugins
