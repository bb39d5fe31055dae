// The indicators of check results in the history store (table `indicators`, schema version 4):
// written with each result by RecordSource, read back with a run by LoadRun.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/model/result.h"
#include "core/sources/sqlite_db.h"
#include "core/util/status.h"

namespace dqa {

// Stores `indicators` (in order) for the check result `result_id`; nothing when empty.
Status WriteIndicators(SqliteDb& db, int64_t result_id, const std::vector<Indicator>& indicators);

// Every indicator of run `run_id`, by check result id, each list in reported order.
using IndicatorsByResult = std::map<int64_t, std::vector<Indicator>>;
Result<IndicatorsByResult> LoadIndicators(SqliteDb& db, int64_t run_id);

}  // namespace dqa
