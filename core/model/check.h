// CheckSpec: one check of a table as written in a rule file, fully validated and defaulted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/model/types.h"

namespace dqa {

// A range bound: a number, a calendar date, or `today` shifted by a duration ("today-120y").
struct Bound {
  enum class Kind { kNumber, kDate, kToday };
  Kind kind = Kind::kNumber;
  double number = 0;           // kNumber
  int64_t day = 0;             // kDate: days since 1970-01-01
  std::optional<Duration> offset;  // kToday: shift, applied with `offset_sign`
  int offset_sign = 0;         // -1, 0 or +1
  bool is_date() const { return kind != Kind::kNumber; }
};

struct RowCountParams { std::optional<int64_t> min; std::optional<int64_t> max; };
struct MissingParams {  // one CheckSpec per column: columns has exactly one entry
  std::vector<std::string> missing_values;  // compared after trimming Unicode whitespace
  bool blank_is_missing = true;
};
struct DuplicateParams {};  // key columns are CheckSpec::columns
struct FreshnessParams { Duration max_age; DateFormat date_format = DateFormat::kIso; };
struct StaleParams { Duration older_than; DateFormat date_format = DateFormat::kIso; };
struct PatternParams { std::string regex; };
struct AllowedParams { std::vector<std::string> values; bool normalize = true; };  // NFC compare
struct RangeParams {
  std::optional<Bound> min, max;  // at least one; both numbers or both dates
  DateFormat date_format = DateFormat::kIso;
};
struct ReferenceParams {
  std::string schema;  // "" = the source's own database, else an `attach` alias
  std::string table;
  std::string column;
};
struct CoverageParams {
  std::string schema;  // of the expected-values table: "" or an attach alias
  std::string table;
  std::string column;
  int64_t min_rows = 1;
};
struct ConditionParams { std::string invalid_when; };  // SQL boolean expression
struct SqlParams {
  std::string query;  // must return a single number
  std::optional<double> min, max;
};

// A check implemented by a sector plugin: CheckSpec::type is "<sector>.<check>".
struct PluginCheckParams {
  std::string sector;       // "population"
  std::string check;        // "cccd"
  std::string params_json;  // the rule file's parameters as a JSON object, validated against the
                            // plugin's descriptor; parameters that name columns are also in
                            // CheckSpec::columns
  // Non-empty when the check cannot run because the host refused the library that would provide
  // it (wrong ABI, no entry point, unsafe file): "plugin <sector> unavailable: <the host's reason,
  // which names the library>". The check then
  // ends in Outcome::kError with this message and the plugin is never loaded for it.
  std::string unavailable;
};

using CheckParams =
    std::variant<RowCountParams, MissingParams, DuplicateParams, FreshnessParams, StaleParams,
                 PatternParams, AllowedParams, RangeParams, ReferenceParams, CoverageParams,
                 ConditionParams, SqlParams, PluginCheckParams>;

// The check type names, in CheckParams order: "row_count", "missing", ..., "sql", "plugin".
// (A plugin check's CheckSpec::type is "<sector>.<check>"; this returns "plugin" for it.)
std::string_view CheckTypeName(const CheckParams& params);

struct CheckSpec {
  std::string id;         // explicit `id`, else "<type>:<table>.<col1,col2>" (or "<type>:<table>")
  std::string type;       // "missing", ... (plugins later: "<sector>.<check>")
  std::string table;
  std::vector<std::string> columns;  // columns the check looks at (empty for row_count, sql...)
  Dimension dimension = Dimension::kValidity;  // the type's default unless overridden
  Severity severity = Severity::kFail;
  Thresholds thresholds;
  std::string where;      // optional extra SQL predicate, ANDed with the table filter
  CheckParams params;
  SourceLocation location;
};

// The default dimension of each built-in check type ("missing" -> completeness ...).
std::optional<Dimension> DefaultDimension(std::string_view type);

}  // namespace dqa
