#include "core/rules/plugin_warnings.h"

#include <fmt/format.h>

namespace dqa::rules {

std::vector<Diagnostic> PluginWarnings(const std::vector<SourceSpec>& sources) {
  std::vector<Diagnostic> out;
  for (const SourceSpec& source : sources) {
    for (const TableSpec& table : source.tables) {
      for (const CheckSpec& check : table.checks) {
        const auto* p = std::get_if<PluginCheckParams>(&check.params);
        if (p == nullptr) continue;
        if (!p->unavailable.empty()) {
          out.push_back({check.location, fmt::format("check '{}' will end in error: {}", check.id,
                                                     p->unavailable)});
        }
        if (!source.sector.empty() && p->sector != source.sector) {
          out.push_back({check.location,
                         fmt::format("check '{}' comes from a plugin of sector '{}', but source "
                                     "'{}' belongs to sector '{}'",
                                     check.id, p->sector, source.id, source.sector)});
        }
      }
    }
  }
  return out;
}

}  // namespace dqa::rules
