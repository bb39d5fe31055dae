#include "core/engine/plan_plugins.h"

#include <algorithm>
#include <set>
#include <string>

#include "core/util/activity.h"
#include "core/plugins/registry.h"

namespace dqa {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

void FillPluginFiles(SourcePlan& plan) {
  plan.plugin_files.clear();
  plan.plugin_sectors.clear();
  for (const TableSpec& table : plan.source.tables) {
    for (const CheckSpec& check : table.checks) {
      if (check.PluginSector().empty()) continue;
      const std::optional<plugins::PluginCheckRef> ref = plugins::ProcessPluginRegistry().FindCheck(check.type);
      if (!ref) continue;
      const plugins::PluginInfo& info = ref->plugin->info();
      if (Contains(plan.plugin_files, info.file)) continue;
      plan.plugin_files.push_back(info.file);
      plan.plugin_sectors.push_back(info.sector);
    }
  }
}

void LoadPlanPlugins(const SourcePlan& plan) {
  std::set<std::string> needed;  // sectors of enabled plugin checks
  for (const TableSpec& table : plan.source.tables) {
    for (const CheckSpec& check : table.checks) {
      const std::string sector(check.PluginSector());
      if (!sector.empty() && !Contains(plan.disabled_plugins, sector) &&
          check.unavailable.empty()) {
        needed.insert(sector);
      }
    }
  }
  if (needed.empty()) return;
  const bool know_sectors = plan.plugin_sectors.size() == plan.plugin_files.size();
  for (size_t i = 0; i < plan.plugin_files.size(); ++i) {
    if (know_sectors && !needed.contains(plan.plugin_sectors[i])) continue;
    // Loading runs the library's initialisers and its entry point: plugin code.
    const PluginCall call(static_cast<int>(i), -1);
    (void)plugins::ProcessPluginRegistry().LoadFile(plan.plugin_files[i]);  // idempotent; failures recorded
  }
}

}  // namespace dqa
