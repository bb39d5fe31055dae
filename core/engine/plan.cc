#include "core/engine/plan.h"

#include <thread>

#include <ctime>

#include "core/engine/plan_plugins.h"
#include "core/util/dates.h"

namespace dqa {

std::vector<SourcePlan> PlanAudit(const std::vector<SourceSpec>& sources,
                                  const AuditOptions& options) {
  std::map<std::string, const SourceSpec*> by_id;
  for (const SourceSpec& s : sources) by_id.emplace(s.id, &s);
  const int64_t now = options.now_unix.value_or(static_cast<int64_t>(std::time(nullptr)));

  std::vector<SourcePlan> plans;
  plans.reserve(sources.size());
  for (const SourceSpec& s : sources) {
    SourcePlan plan;
    plan.source = s;
    for (const auto& [alias, source_id] : s.attach) {
      // LoadRules guarantees the target exists; a missing one makes ScanSource report it.
      if (const auto it = by_id.find(source_id); it != by_id.end()) {
        plan.attach_paths[alias] =
            it->second->connection.empty() ? it->second->db_path : it->second->connection;
      }
    }
    const std::optional<int64_t> day = options.today_day ? options.today_day : s.today_day;
    if (day) {
      plan.today_day = *day;
      plan.now_unix = *day * kSecondsPerDay;
    } else {
      plan.now_unix = WallClock(now, s.utc_offset_minutes ? s.utc_offset_minutes
                                                          : options.utc_offset_minutes);
      plan.today_day = DayOf(plan.now_unix);
    }
    plan.samples = options.samples;
    plan.statement_budget_ms = options.statement_budget_ms;
    plan.scan_threads =
        options.jobs > 0 ? options.jobs : static_cast<int>(std::thread::hardware_concurrency());
    if (plan.scan_threads < 1) plan.scan_threads = 1;
    FillPluginFiles(plan);
    plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace dqa
