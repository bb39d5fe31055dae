// The fuzzy_duplicate check type, and its parameters as the FuzzyMatcher's settings: shared by the
// check and by the plugin host, which clusters a table for a plugin (ABI 1.2 fuzzy_clusters) with
// the same parameters a fuzzy_duplicate rule takes.
#pragma once

#include <memory>

#include "core/checks/catalog.h"
#include "core/checks/fuzzy_matcher.h"
#include "core/checks/params.h"

namespace dqa {

// A new fuzzy_duplicate type (registered once by core/checks/builtin.cc).
std::unique_ptr<CheckType> FuzzyDuplicateCheckType();

// The fuzzy_duplicate type of the process-wide catalogue, whose parameter schema says what a
// plugin's fuzzy_clusters request may hold. Never null: the built-ins are always registered.
const CheckType& RegisteredFuzzyDuplicateType();

// The matcher's settings from a fuzzy_duplicate check's parameters (read with the type's
// defaults): name, same, also, threshold, max_block, date_format.
MatchSettings FuzzyMatchSettings(const ParamReader& params);

}  // namespace dqa
