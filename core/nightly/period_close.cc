#include "core/nightly/period_close.h"

namespace dqa::nightly {

Result<std::vector<Period>> ClosedPeriods(const std::vector<RunRecord>& runs, const RunRecord& run,
                                          const std::vector<std::string>& kinds) {
  std::vector<Period> closed;
  const RunRecord* before = nullptr;
  for (const RunRecord& r : runs) {
    if (r.id >= run.id || (r.status != "complete" && r.status != "partial")) continue;
    if (!before || r.id > before->id) before = &r;
  }
  for (const std::string& name : kinds) {
    DQA_ASSIGN_OR_RETURN(const PeriodKind kind, ParsePeriodKind(name));
    if (!before) continue;
    auto now = PeriodOfDay(kind, run.today);
    auto then = PeriodOfDay(kind, before->today);
    if (!now.ok() || !then.ok() || *now == *then) continue;
    // Only a move forward closes a period: a run dated back (--today) closes nothing.
    if (then->ToString() < now->ToString()) closed.push_back(*then);
  }
  return closed;
}

}  // namespace dqa::nightly
