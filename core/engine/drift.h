// Checks that cannot run, found before the scan (schema drift: a table or column the database no
// longer has; SQL the guard refuses): they are not scanned but reported as errors, in their place
// among the source's results.
#pragma once

#include <map>
#include <string>

#include "core/engine/plan.h"
#include "core/model/result.h"

namespace dqa {

// Check id -> why it cannot run (for schema drift, a message starting with kSchemaDriftPrefix).
using BrokenChecks = std::map<std::string, std::string>;

// `plan` without the checks in `broken` (tables left without checks are dropped).
SourcePlan WithoutBrokenChecks(const SourcePlan& plan, const BrokenChecks& broken);

// The results of `scanned` (a scan of WithoutBrokenChecks(plan, broken)) with an error result for
// every broken check, all in the order of `plan`'s checks. A check of `plan` that has neither a
// scanned result nor an entry in `broken` keeps no place (the scan reports what it ran).
SourceResult WithBrokenChecks(const SourcePlan& plan, SourceResult scanned,
                              const BrokenChecks& broken);

}  // namespace dqa
