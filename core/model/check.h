// CheckSpec: one check of a table as written in a rule file, fully validated and defaulted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/types.h"

namespace dqa {

// One entry of a check's `by` (docs/rules.md "Breakdowns by unit"): the unit of a row is the value
// of `column`, or, with a map, the `map_unit` column of the lookup table's row whose `map_key`
// equals that value (a district from a commune code).
struct BySpec {
  std::string column;
  std::string map_table;  // "" = no map; else "table" or "alias.table"
  std::string map_key;
  std::string map_unit;
  // `labels: {table, key, label}`: a unit's name is the `label_column` of the lookup table's rows
  // whose `label_key` equals the unit ("819" -> "Huyện Cái Bè"); "" = units have no names.
  std::string label_table;
  std::string label_key;
  std::string label_column;

  // What its units are called in results: the unit column of the map, else `column`.
  const std::string& Name() const { return map_table.empty() ? column : map_unit; }
  bool operator==(const BySpec&) const = default;
};

struct CheckSpec {
  std::string id;         // explicit `id`, else "<type>:<table>.<col1,col2>" (or "<type>:<table>")
  std::string type;       // a type of the check catalogue: "missing", ..., "<sector>.<check>"
  std::string table;
  std::vector<std::string> columns;  // columns the check looks at (empty for row_count, sql...)
  // What reports name the check by, per language code ("vi", "en"): the rule's `title`, else the
  // default sentence of its type (docs/rules.md "Titles"). Filled for every catalog language.
  std::map<std::string, std::string> title;
  Dimension dimension = Dimension::kValidity;  // the type's default unless overridden
  Severity severity = Severity::kFail;
  Thresholds thresholds;
  std::string where;      // optional extra SQL predicate, ANDed with the table filter
  // The type's parameters as the rule gave them (no defaults filled in), typed by the type's
  // parameter schema (core/checks/catalog.h): a JSON object. Column parameters are also in
  // `columns`.
  nlohmann::json params = nlohmann::json::object();
  // Non-empty when the check cannot run because its type is unavailable (the plugin host refused
  // the library that would provide it): "plugin <sector> unavailable: <reason>". The check then
  // ends in Outcome::kError with this message and nothing is loaded for it.
  std::string unavailable;
  SourceLocation location;
  // The check's profiles (CheckResult::profile, parsed) in earlier runs of the history store,
  // newest first: set by the audit pipeline for the types that compare with earlier runs (drift,
  // CheckTypeInfo::baseline_runs); null when not read (no history store, or another type).
  nlohmann::json baseline;
  // Units the results are also broken down by (empty = province-wide figures only).
  std::vector<BySpec> by;

  // The plugin sector a "<sector>.<check>" type belongs to; "" for a built-in type.
  std::string_view PluginSector() const;
};

}  // namespace dqa
