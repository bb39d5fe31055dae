// Parsing one rule file (YAML rule language v1) into a SourceSpec, collecting every problem.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/source.h"
#include "core/rules/diagnostics.h"

namespace dqa::rules {

struct ParsedRuleFile {
  SourceSpec source;    // as complete as the file allows; use only when no problem was found
  bool has_id = false;  // `source:` was read, so cross-file checks can use source.id
  std::map<std::string, SourceLocation>
      attach_locations;  // alias -> where its source id is written
};

// Parses `yaml_text`. `file_name` names the file in messages; relative paths in the file
// (`database: sqlite:...`) are resolved against its directory. Problems are appended to `diags`;
// cross-file problems (duplicate source ids, attach to an unknown source) are the caller's job.
ParsedRuleFile ParseRuleFile(const std::string& yaml_text, const std::string& file_name,
                             Diagnostics& diags);

// False when `yaml_text` is a YAML map none of whose keys is a rule-file top-level key (for
// example a schedule or nightly configuration next to the rule files); true otherwise, including
// for text that is not valid YAML or not a map, which ParseRuleFile then reports.
bool LooksLikeRuleFile(const std::string& yaml_text);

// The keys a rule file may have at its top level (source, department, ...).
const std::vector<std::string_view>& RuleFileTopLevelKeys();

}  // namespace dqa::rules
