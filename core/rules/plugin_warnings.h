// Rule warnings about plugin checks: problems that do not make the rules invalid, but that a
// person should see when checking or scanning them.
#pragma once

#include <vector>

#include "core/model/source.h"
#include "core/rules/diagnostics.h"

namespace dqa::rules {

// For every plugin check of `sources`, in source/table/check order:
// - a check whose library the host refused (CheckSpec::unavailable): it will end in error;
// - a check of a plugin whose sector (the type's prefix) differs from the source's `sector:`
//   (sources without `sector:` are not compared).
std::vector<Diagnostic> PluginWarnings(const std::vector<SourceSpec>& sources);

}  // namespace dqa::rules
