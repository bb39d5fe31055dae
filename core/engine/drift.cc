#include "core/engine/drift.h"

#include <utility>

#include "core/checks/evaluator.h"

namespace dqa {

SourcePlan WithoutBrokenChecks(const SourcePlan& plan, const BrokenChecks& broken) {
  if (broken.empty()) return plan;
  SourcePlan out = plan;
  out.source.tables.clear();
  for (const TableSpec& table : plan.source.tables) {
    TableSpec kept = table;
    kept.checks.clear();
    for (const CheckSpec& check : table.checks) {
      if (!broken.contains(check.id)) kept.checks.push_back(check);
    }
    if (!kept.checks.empty()) out.source.tables.push_back(std::move(kept));
  }
  return out;
}

SourceResult WithBrokenChecks(const SourcePlan& plan, SourceResult scanned,
                              const BrokenChecks& broken) {
  if (broken.empty()) return scanned;
  std::map<std::string, CheckResult> by_id;
  for (CheckResult& r : scanned.results) {
    std::string id = r.id;
    by_id.emplace(std::move(id), std::move(r));
  }
  scanned.results.clear();
  for (const TableSpec& table : plan.source.tables) {
    CheckContext context{plan.source.id, plan.now_unix, plan.today_day, plan.samples,
                         table.key.empty() ? std::vector<std::string>{"rowid"} : table.key};
    for (const CheckSpec& check : table.checks) {
      if (auto it = broken.find(check.id); it != broken.end()) {
        scanned.results.push_back(ErrorResult(check, context, it->second));
      } else if (auto found = by_id.find(check.id); found != by_id.end()) {
        scanned.results.push_back(std::move(found->second));
      }
    }
  }
  return scanned;
}

}  // namespace dqa
