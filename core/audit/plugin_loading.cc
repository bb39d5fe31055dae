#include "core/audit/plugin_loading.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "core/plugins/probe.h"
#include "core/plugins/registry.h"

namespace dqa {

void ExportPluginOptions(const PluginOptions& o) {
  if (o.allow_unsafe) ::setenv("DQAUDIT_ALLOW_UNSAFE_PLUGINS", "1", 1);
}

void LoadPlugins(const PluginOptions& o) {
  plugins::PluginRegistry& registry = plugins::ProcessPluginRegistry();
  if (o.allow_unsafe) registry.set_allow_unsafe(true);
  ExportPluginOptions(o);
  plugins::DiscoveryOptions discovery;
  discovery.plugin_dirs = o.dirs;
  if (o.probe_timeout_seconds > 0) discovery.probe.timeout_seconds = o.probe_timeout_seconds;
  discovery.probe.cache_file = o.probe_cache;
  registry.Discover(discovery);  // failures are logged as warnings by the registry
  spdlog::debug("{} plugin(s) found", registry.plugins().size());
}

}  // namespace dqa
