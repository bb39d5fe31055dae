#include "core/audit/baselines.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/checks/catalog.h"
#include "core/checks/params.h"
#include "core/history/profiles.h"

namespace dqa {

void AttachBaselines(HistoryStore& store, int64_t run_id, SourcePlan& plan) {
  for (TableSpec& table : plan.source.tables) {
    for (CheckSpec& check : table.checks) {
      const CheckType* type = Catalog().Find(check.type);
      if (type == nullptr || type->info().baseline_runs.empty()) continue;
      const int runs = static_cast<int>(
          ParamReader(type->info(), check.params).Integer(type->info().baseline_runs).value_or(1));
      auto profiles = EarlierProfiles(store, run_id, plan.source.id, check.id, runs);
      if (!profiles.ok()) {
        spdlog::warn("source {}: check {}: its earlier profiles cannot be read: {}",
                     plan.source.id, check.id, profiles.status().message());
        continue;
      }
      check.baseline = nlohmann::json::array();
      for (const std::string& text : *profiles) {
        nlohmann::json profile = nlohmann::json::parse(text, nullptr, false);
        if (profile.is_object()) check.baseline.push_back(std::move(profile));
      }
    }
  }
}

}  // namespace dqa
