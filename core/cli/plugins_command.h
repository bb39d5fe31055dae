// `dqaudit plugins list|info` and the plugin options shared by scan and rules check.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace dqa::cli {

// --plugin-dir DIR (repeatable) and --allow-unsafe-plugins.
struct PluginOptions {
  std::vector<std::string> dirs;
  bool allow_unsafe = false;
};

// Adds --plugin-dir and --allow-unsafe-plugins to `command`, bound to `options`.
void AddPluginOptions(CLI::App& command, PluginOptions& options);

// Discovers plugins (--plugin-dir, DQAUDIT_PLUGIN_PATH, the default folders) into the process
// registry. A file that fails to load is logged as a warning and skipped. --allow-unsafe-plugins
// also sets DQAUDIT_ALLOW_UNSAFE_PLUGINS=1 so that worker processes inherit the choice.
void LoadPlugins(const PluginOptions& options);

struct PluginsCommandOptions {
  PluginOptions plugins;
  std::string name;  // `plugins info NAME`: plugin name or sector
};

struct PluginsCommands {
  CLI::App* list;
  CLI::App* info;
};
// Adds `plugins` with its `list` and `info NAME` subcommands.
PluginsCommands AddPluginsCommand(CLI::App& app, PluginsCommandOptions& options);

// `plugins list`: every loaded plugin (name, version, sector, ABI, file, checks) and every file
// that was not loaded with the reason. Exit 0.
int RunPluginsList(const PluginsCommandOptions& options);
// `plugins info NAME`: the plugin's checks with kind, dimension and parameters. Exit 2 when no
// loaded plugin has that name or sector (the message lists the installed ones).
int RunPluginsInfo(const PluginsCommandOptions& options);

}  // namespace dqa::cli
