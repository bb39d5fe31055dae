// PluginRegistry: the plugins of this process, found on the search path and kept for its lifetime.
// The orchestrator knows plugins from their probe (metadata only); a process that scans loads the
// libraries its checks need.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plugins/loaded_plugin.h"
#include "core/plugins/probe.h"

namespace dqa::plugins {

struct DiscoveryOptions {
  std::vector<std::string> plugin_dirs;  // --plugin-dir, searched first, in order
  bool use_environment = true;           // then DQAUDIT_PLUGIN_PATH (colon-separated)
  bool use_default_dirs = true;          // then <dir of dqaudit>/plugins, <prefix>/lib/dqaudit/plugins
  ProbeOptions probe;                    // how each library's descriptor is read (helper process)
};

// A file that was found but not registered, and why.
struct PluginLoadFailure {
  std::string file;
  std::string reason;
  // True when the host refused the library itself (not a library, wrong ABI, no entry point,
  // unsafe or not allowlisted file, or its probe crashed, hung or answered garbage); false for a
  // duplicate of a registered plugin or a bad --plugin-dir.
  bool refused = false;
};


// A plugin known to the registry: its validated descriptor and, once loaded in this process, its
// library. Made only by PluginRegistry.
class RegisteredPlugin {
 public:
  explicit RegisteredPlugin(PluginInfo info) : info_(std::move(info)) {}
  RegisteredPlugin(const RegisteredPlugin&) = delete;
  RegisteredPlugin& operator=(const RegisteredPlugin&) = delete;

  const PluginInfo& info() const { return info_; }
  // The plugin's function table, valid for the process lifetime; nullptr while the plugin is
  // known only from its probe (always so in the orchestrator; PluginRegistry::LoadFile loads it).
  const dqa_plugin* api() const { return api_.load(std::memory_order_acquire); }

 private:
  friend class PluginRegistry;
  PluginInfo info_;
  std::unique_ptr<LoadedPlugin> loaded_;
  std::atomic<const dqa_plugin*> api_{nullptr};
};

// A plugin check resolved from its rule-file type "<sector>.<check>".
struct PluginCheckRef {
  const RegisteredPlugin* plugin = nullptr;
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

  // Registers every *.so of every directory of SearchPath (files sorted by name within a
  // directory) WITHOUT loading it: each file is admitted (CheckPluginAdmission: permissions,
  // plugins.allow) and then probed in a helper process (ProbePlugins, a few at once), so no plugin
  // code runs here. A file refused or whose probe fails is recorded in failures() (refused) and
  // logged once as a warning, and does not stop the others. Duplicates: the first plugin found for
  // a sector (or name) wins; a later one is recorded as a failure ("duplicate ...") and logged as
  // a warning. An explicit --plugin-dir that is not a directory is a failure too; missing default
  // directories are skipped silently. Files already discovered are not probed again.
  void Discover(const DiscoveryOptions& options);

  // Loads one library into this process (idempotent per canonical path): a plugin known from its
  // probe gets its library, a new one is registered. Errors as LoadedPlugin::Load, or
  // InvalidArgument for a duplicate sector/name or a library whose descriptor differs from its
  // probe's; also recorded in failures(). Runs plugin code: for processes that scan only.
  Result<const RegisteredPlugin*> LoadFile(const std::string& path);

  // --allow-unsafe-plugins. Initially true iff DQAUDIT_ALLOW_UNSAFE_PLUGINS=1 is in the environment
  // (how the setting reaches worker processes).
  void set_allow_unsafe(bool allow);
  bool allow_unsafe() const;

  std::vector<const RegisteredPlugin*> plugins() const;  // in registration order
  std::vector<PluginLoadFailure> failures() const;
  // The registered plugin with this sector or name, or nullptr.
  const RegisteredPlugin* FindPlugin(std::string_view sector_or_name) const;
  // "<sector>.<check>" -> the check; nullopt when no registered plugin provides it.
  std::optional<PluginCheckRef> FindCheck(std::string_view type) const;
  // Every "<sector>.<check>" available, sorted.
  std::vector<std::string> CheckTypes() const;

 private:
  bool AllowUnsafeLocked() const;
  // Registers `info` unless a plugin of the same sector or name is registered (then the failure).
  Result<RegisteredPlugin*> RegisterLocked(PluginInfo info);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<RegisteredPlugin>> plugins_;
  std::vector<PluginLoadFailure> failures_;
  std::vector<std::string> probed_;     // canonical paths already discovered
  std::vector<std::string> attempted_;  // canonical paths already loaded (or tried) here
  std::optional<bool> allow_unsafe_;
};

// The process-wide registry that the rule parser, the planner and the engine consult.
PluginRegistry& ProcessPluginRegistry();

}  // namespace dqa::plugins
