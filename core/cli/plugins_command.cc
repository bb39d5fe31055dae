// `dqaudit plugins list|info`: what the plugin host found, and what each plugin's checks accept.
#include "core/cli/plugins_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>

#include "core/checks/catalog.h"
#include "core/cli/checks_command.h"
#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/plugins/probe.h"
#include "core/plugins/registry.h"

namespace dqa::cli {
namespace {

using plugins::RegisteredPlugin;
using plugins::PluginInfo;

std::string CheckList(const PluginInfo& info) {
  std::string out;
  for (const plugins::PluginCheckInfo& c : info.checks) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}.{} ({})", info.sector, c.name, plugins::ToString(c.kind));
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace

void AddPluginOptions(CLI::App& command, PluginOptions& o) {
  command.add_option("--plugin-dir", o.dirs,
                     "Folder of plugin libraries (*.so), searched before DQAUDIT_PLUGIN_PATH and "
                     "the default folders; repeatable")
      ->check(CLI::ExistingDirectory);
  command.add_flag("--allow-unsafe-plugins", o.allow_unsafe,
                   "Load plugin files even if they are group/world-writable, owned by another "
                   "user or in a world-writable folder");
  command
      .add_option("--plugin-probe-timeout", o.probe_timeout_seconds,
                  fmt::format("Seconds a plugin library may take to be probed (loaded in a helper "
                              "process to read its descriptor) before it is killed and skipped "
                              "for this run (default {})",
                              plugins::kDefaultProbeTimeoutSeconds))
      ->check(CLI::Range(1, 3600));
}

PluginsCommands AddPluginsCommand(CLI::App& app, PluginsCommandOptions& o) {
  CLI::App* plugins = app.add_subcommand("plugins", "Show the installed plugins");
  plugins->fallthrough();
  plugins->require_subcommand(1);
  CLI::App* list = plugins->add_subcommand(
      "list", "List loaded plugins (name, version, sector, ABI, file, checks) and load failures");
  list->fallthrough();
  AddPluginOptions(*list, o.plugins);
  CLI::App* info =
      plugins->add_subcommand("info", "Show a plugin's checks with their parameters and types");
  info->fallthrough();
  info->add_option("name", o.name, "Plugin name or sector")->required();
  AddPluginOptions(*info, o.plugins);
  CLI::App* probe = plugins->add_subcommand(
      "probe", "Internal: load one plugin library and answer its descriptor on fd 3");
  probe->group("");  // hidden from --help: started by dqaudit itself
  probe->add_option("file", o.probe_file, "Plugin library")->required();
  probe->add_option("--parent-pid", o.parent_pid, "Exit unless this process is the parent");
  plugins->footer(ExitCodesFooter({{0, "listed or shown"}, {2, "bad option, or no such plugin"}}));
  list->footer(ExitCodesFooter(
      {{0, "listed (libraries that could not be loaded included)"}, {2, "bad option"}}));
  info->footer(
      ExitCodesFooter({{0, "shown"}, {2, "no plugin of that name is loaded, or a bad option"}}));
  return {list, info, probe};
}

int RunPluginsProbe(const PluginsCommandOptions& o) {
  return plugins::AnswerProbe(o.probe_file, o.parent_pid);
}

int RunPluginsList(const PluginsCommandOptions& o) {
  LoadPlugins(o.plugins);
  const plugins::PluginRegistry& registry = plugins::ProcessPluginRegistry();
  const std::vector<const RegisteredPlugin*> loaded = registry.plugins();
  if (loaded.empty()) fmt::print("No plugins loaded.\n");
  for (const RegisteredPlugin* p : loaded) {
    const PluginInfo& i = p->info();
    fmt::print("{} {}\n  sector:  {}\n  ABI:     {}.{}\n  file:    {}\n  checks:  {}\n", i.name,
               i.version, i.sector, i.abi_major, i.abi_minor, i.file, CheckList(i));
    if (!i.description.empty()) fmt::print("  about:   {}\n", i.description);
  }
  const std::vector<plugins::PluginLoadFailure> failures = registry.failures();
  if (!failures.empty()) {
    fmt::print("\nNot loaded:\n");
    for (const plugins::PluginLoadFailure& f : failures) {
      fmt::print("  {}\n    {}\n", f.file, f.reason);
    }
  }
  fmt::print("\nSearched: {}\n",
             fmt::join(plugins::PluginRegistry::SearchPath(
                           plugins::DiscoveryOptions{o.plugins.dirs, true, true}),
                       ":"));
  return kExitOk;
}

int RunPluginsInfo(const PluginsCommandOptions& o) {
  LoadPlugins(o.plugins);
  const plugins::PluginRegistry& registry = plugins::ProcessPluginRegistry();
  const RegisteredPlugin* plugin = registry.FindPlugin(o.name);
  if (plugin == nullptr) {
    std::vector<std::string> names;
    for (const RegisteredPlugin* p : registry.plugins()) names.push_back(p->info().name);
    fmt::print(stderr, "dqaudit: no plugin named '{}' is loaded (loaded: {})\n", o.name,
               names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", ")));
    return kExitUsage;
  }
  const PluginInfo& i = plugin->info();
  fmt::print("{} {}: {}\n  sector: {}\n  ABI:    {}.{}\n  file:   {}\n", i.name, i.version,
             i.description, i.sector, i.abi_major, i.abi_minor, i.file);
  // Its checks as the check catalogue describes every type (`dqaudit checks info`).
  for (const plugins::PluginCheckInfo& c : i.checks) {
    if (const CheckType* type = Catalog().Find(i.sector + "." + c.name)) {
      fmt::print("\n{}", DescribeCheckType(*type));
    }
  }
  return kExitOk;
}

}  // namespace dqa::cli
