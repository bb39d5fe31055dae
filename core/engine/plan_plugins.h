// Which plugin libraries a source plan needs, and loading them in the process that scans it.
#pragma once

#include "core/engine/plan.h"

namespace dqa {

// Sets plan.plugin_files (and plan.plugin_sectors, parallel) to the libraries of the process
// registry that provide the plan's plugin checks, in first-use order. Checks whose plugin is not
// registered add nothing (they fail at scan time with a clear error).
void FillPluginFiles(SourcePlan& plan);

// Loads into the process registry the libraries the plan's plugin checks need, skipping plugins in
// plan.disabled_plugins (their libraries are not even loaded, when plan.plugin_sectors tells
// which file is which) and doing nothing when the plan has no enabled plugin check. Load failures
// are recorded in the registry; the checks concerned then report them as their error.
void LoadPlanPlugins(const SourcePlan& plan);

}  // namespace dqa
