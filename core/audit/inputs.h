// The inputs of a recorded audit (rule files, databases, attached databases, plugin libraries),
// for refusing an output that would overwrite one of them (InputFiles).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/engine/plan.h"
#include "core/util/file_identity.h"

namespace dqa {

// Adds every file the planned audit reads: each source's rule file, SQLite database and attached
// databases, and the plugin libraries it loads.
void AddAuditInputs(const std::vector<SourcePlan>& plans, InputFiles& inputs);

// Adds the rule files that `paths` name before they are loaded: files as given, folders with
// their *.yaml/*.yml files (recursively), as LoadRules reads them, and the SQLite database each
// readable one names. For checks made before the rules are loaded (the nightly log is opened
// first); AddAuditInputs adds the rest (plugins) afterwards.
void AddRulePaths(const std::vector<std::string>& paths, InputFiles& inputs);

// The number of rule files `paths` name (as AddRulePaths finds them), each one source at most: how
// many standby workers are worth starting before the rules are read (StandbyWorkers).
size_t CountRuleFiles(const std::vector<std::string>& paths);

}  // namespace dqa
