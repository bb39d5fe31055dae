// The profiles checks recorded in earlier runs (CheckResult::profile, table check_profiles):
// the baseline a drift check compares its column with (docs/history.md "Check profiles").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/util/status.h"

namespace dqa {

// The profiles check `check_id` of `source` recorded in runs before `before_run`, newest first,
// at most `limit`. A source carried over from an earlier run (nightly) is skipped: its profile is
// the one of the scan it was carried from, already counted once.
Result<std::vector<std::string>> EarlierProfiles(HistoryStore& store, int64_t before_run,
                                                 const std::string& source,
                                                 const std::string& check_id, int limit);

}  // namespace dqa
