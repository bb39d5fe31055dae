// Which period reports a nightly run writes (`reports.periods`, docs/nightly.md): the periods that
// closed with this run, i.e. those of the previous complete or partial run when this run's day is
// in another period of the same kind.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/report/period.h"
#include "core/util/status.h"

namespace dqa::nightly {

// For each kind of `kinds` ("month", "quarter", "year", in that order of the list), the period of
// the newest complete or partial run older than `run` (by id) when `run`'s day is in a later
// period of that kind; nothing when there is no such run, or when `run` has no day.
// InvalidArgument for an unknown kind.
Result<std::vector<Period>> ClosedPeriods(const std::vector<RunRecord>& runs, const RunRecord& run,
                                          const std::vector<std::string>& kinds);

}  // namespace dqa::nightly
