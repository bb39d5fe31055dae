#include "core/rules/plugin_warnings.h"

#include <fmt/format.h>

namespace dqa::rules {

std::vector<Diagnostic> PluginWarnings(const std::vector<SourceSpec>& sources) {
  std::vector<Diagnostic> out;
  for (const SourceSpec& source : sources) {
    for (const TableSpec& table : source.tables) {
      for (const CheckSpec& check : table.checks) {
        const std::string_view sector = check.PluginSector();
        if (sector.empty()) continue;
        if (!check.unavailable.empty()) {
          out.push_back({check.location, fmt::format("check '{}' will end in error: {}", check.id,
                                                     check.unavailable)});
        }
        if (!source.sector.empty() && sector != source.sector) {
          out.push_back({check.location,
                         fmt::format("check '{}' comes from a plugin of sector '{}', but source "
                                     "'{}' belongs to sector '{}'",
                                     check.id, sector, source.id, source.sector)});
        }
      }
    }
  }
  return out;
}

}  // namespace dqa::rules
