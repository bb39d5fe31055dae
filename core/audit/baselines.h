// Baselines passed down to the checks that compare with earlier runs (drift): read from the
// history store here, because checks and the engine sit below it (docs/checks.md "drift").
#pragma once

#include <cstdint>

#include "core/engine/plan.h"
#include "core/history/store.h"

namespace dqa {

// For every check of `plan` whose type names a CheckTypeInfo::baseline_runs parameter, puts in
// CheckSpec::baseline the profiles that check recorded for this source in the runs before
// `run_id` (newest first, at most that parameter's value). A store that cannot be read is logged
// as a warning: the check then runs without a baseline.
void AttachBaselines(HistoryStore& store, int64_t run_id, SourcePlan& plan);

}  // namespace dqa
