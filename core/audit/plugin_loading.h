// Which plugins an audit loads (--plugin-dir, --allow-unsafe-plugins, --plugin-probe-timeout) and
// loading them into the process registry before the rules are read.
#pragma once

#include <string>
#include <vector>

namespace dqa {

struct PluginOptions {
  std::vector<std::string> dirs;  // searched before DQAUDIT_PLUGIN_PATH and the default folders
  bool allow_unsafe = false;      // load files with unsafe ownership or permissions
  int probe_timeout_seconds = 0;  // per library; 0 = plugins::kDefaultProbeTimeoutSeconds
  // Kept probe answers (plugins::ProbeOptions::cache_file); empty: every library is probed.
  std::string probe_cache;
};

// Discovers plugins (`options.dirs`, DQAUDIT_PLUGIN_PATH, the default folders) into the process
// registry by probing each library in a helper process (PluginRegistry::Discover): no plugin code
// runs in this process. A file that is refused or whose probe fails is logged once as a warning
// and skipped. `allow_unsafe` also sets DQAUDIT_ALLOW_UNSAFE_PLUGINS=1 so that worker processes
// inherit the choice.
void LoadPlugins(const PluginOptions& options);

// What worker processes inherit of `options`: DQAUDIT_ALLOW_UNSAFE_PLUGINS=1 when allow_unsafe is
// set. LoadPlugins calls it; a command that starts workers before it loads the plugins
// (worker::StandbyWorkers) calls it first, or its standby workers go unused.
void ExportPluginOptions(const PluginOptions& options);

}  // namespace dqa
