// `dqaudit plugins list|info` and the plugin options (PluginOptions) of scan, rules check and
// plugins.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/audit/plugin_loading.h"

namespace CLI {
class App;
}

namespace dqa::cli {

// Adds --plugin-dir, --allow-unsafe-plugins and --plugin-probe-timeout to `command`, bound to
// `options`.
void AddPluginOptions(CLI::App& command, PluginOptions& options);

struct PluginsCommandOptions {
  PluginOptions plugins;
  std::string name;         // `plugins info NAME`: plugin name or sector
  std::string probe_file;   // `plugins probe FILE` (internal)
  int64_t parent_pid = 0;   // `plugins probe --parent-pid`: exit unless this is the parent
};

struct PluginsCommands {
  CLI::App* list;
  CLI::App* info;
  CLI::App* probe;
};
// Adds `plugins` with its `list` and `info NAME` subcommands and the hidden `probe FILE`.
PluginsCommands AddPluginsCommand(CLI::App& app, PluginsCommandOptions& options);

// `plugins list`: every loaded plugin (name, version, sector, ABI, file, checks) and every file
// that was not loaded with the reason. Exit 0.
int RunPluginsList(const PluginsCommandOptions& options);
// `plugins info NAME`: the plugin's checks with kind, dimension and parameters. Exit 2 when no
// loaded plugin has that name or sector (the message lists the installed ones).
int RunPluginsInfo(const PluginsCommandOptions& options);
// `plugins probe FILE` (internal, started by discovery): plugins::AnswerProbe.
int RunPluginsProbe(const PluginsCommandOptions& options);

}  // namespace dqa::cli
