// The rule-file parser's internals, shared by its parts: parser.cc (the document, the source and
// its tables), check_parser.cc (checks, their common keys and thresholds), check_params.cc (each
// type's parameters, read by the parameter schema of the check catalogue) and yaml_values.cc
// (typed values: strings, lists, numbers, durations, dates, bounds, limits, table references).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checks/catalog.h"
#include "core/checks/params.h"
#include "core/rules/parser.h"
#include "dqaudit/text.h"

namespace dqa::rules::internal {

using Names = std::vector<std::string_view>;

// One key/value pair of a YAML map, in document order.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};
using Entries = std::vector<Entry>;

const Entry* Find(const Entries& entries, std::string_view key);

using sdk::Join;
using sdk::ToLowerAscii;
// Rule text is trimmed of spaces, tabs and line breaks.
inline std::string_view TrimAscii(std::string_view s) { return sdk::TrimAscii(s, " \t\r\n"); }
bool IsIdentifier(std::string_view s);
bool IsSourceId(std::string_view s);
// "<type>:<table>" or "<type>:<table>.<col1,col2>".
std::string DefaultId(std::string_view type, std::string_view table,
                      const std::vector<std::string>& columns);

// The keys a rule file may have at its top level.
const Names& TopLevelKeys();

class Parser {
 public:
  Parser(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  ParsedRuleFile Parse(const std::string& text);

 private:
  SourceLocation Loc(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.line < 0) return {file_, 1, 1};
    return {file_, m.line + 1, m.column + 1};
  }
  // Where a value is written; a missing value (`key:`) is reported at its key.
  SourceLocation ValueLoc(const Entry& e) const {
    return e.value.IsNull() ? Loc(e.key_node) : Loc(e.value);
  }
  void Error(const SourceLocation& loc, std::string message) {
    diags_.Add(loc, std::move(message));
  }

  // yaml_values.cc
  Entries ReadMap(const YAML::Node& map, const Names* allowed, std::string_view context);
  void Require(const Entries& entries, std::string_view key, const SourceLocation& owner,
               std::string_view context);
  std::optional<std::string> GetString(const Entry& e);
  std::optional<std::vector<std::string>> GetStringList(const Entry& e, bool allow_empty,
                                                        bool unique);
  // A whole number >= min_value (INT64_MIN: any whole number).
  std::optional<int64_t> GetInt(const Entry& e, int64_t min_value);
  std::optional<double> GetNumber(const Entry& e);
  // A number from 0 to 100.
  std::optional<double> GetPercent(const Entry& e);
  std::optional<bool> GetBool(const Entry& e);
  std::optional<Duration> GetDuration(const Entry& e);
  std::optional<DateFormat> GetDateFormat(const Entry& e);
  // warn, fail or critical.
  std::optional<Severity> GetSeverity(const Entry& e);
  std::optional<Bound> GetBound(const Entry& e);
  std::optional<Limits> GetLimits(const Entry& e);
  // Validates "alias.table" (alias must be an attach alias of this source) or "table".
  std::optional<std::string> GetTableRef(const Entry& e);

  // parser.cc
  void ParseDatabase(const Entry& e, SourceSpec& source);
  void ParseAttach(const Entry& e, ParsedRuleFile& out);
  void ParseTables(const Entry& e, SourceSpec& source);
  void ParseTable(const Entry& e, TableSpec& table);

  // delivery_parser.cc: `delivery: {every, by, timezone, record_time, severity, lookback,
  // thresholds}` (docs/rules.md "Delivery").
  void ParseDelivery(const Entry& e, SourceSpec& source);

  // check_parser.cc
  void ParseCheck(const YAML::Node& item, TableSpec& table);
  // A check of `type` whose parameters are `params` (a map, or null), written at `loc`.
  void ParseCheckOf(const CheckType& type, const SourceLocation& loc, const YAML::Node& params,
                    TableSpec& table);
  // What ParseCheck and ParseCheckOf share once the type is known (`check_type` null: the type
  // is `unavailable`).
  void ParseCheckBody(const std::string& type, const CheckType* check_type,
                      const std::optional<std::string>& unavailable, const SourceLocation& loc,
                      const YAML::Node& params, TableSpec& table);
  void ParseThresholds(const Entries& pe, CheckSpec& check);
  // `by` of a check of `type` (nullptr: an unavailable plugin type) into check.by.
  void ParseBy(const Entry& e, const CheckType* type, CheckSpec& check);
  // Reports an unknown check type at `loc`, with the closest known one.
  void UnknownType(const std::string& type, const SourceLocation& loc);

  // title_parser.cc (docs/rules.md "Titles")
  // `title: "..."` (every language) or `title: {vi: "...", en: "..."}` (either or both): language
  // code -> text; nullopt when wrong (reported).
  std::optional<std::map<std::string, std::string>> GetTitles(const Entry& e);
  // A table's `column_titles: {column: "..." or {vi, en}}` into column_titles_.
  void ParseColumnTitles(const Entry& e);
  // check.title for every catalog language: `given` where it has the language ({column} replaced
  // by the column's title), else the default sentence of the type.
  void ResolveTitle(CheckSpec& check, const std::map<std::string, std::string>& given) const;

  // check_params.cc
  // Reads the parameters of `type` from `pe` by its parameter schema into check.params (and column
  // parameters into check.columns), then applies the type's cross-parameter rules.
  void ParseParams(const CheckType& type, const Entries& pe, const SourceLocation& loc,
                   CheckSpec& check);
  // The schema's constraints on a value that was read; false (reported at `e`) when broken.
  bool InChoices(const ParamSpec& param, const std::string& value, const Entry& e);
  bool InRange(const ParamSpec& param, double value, const Entry& e);
  // One parameter; false when it was wrong (reported).
  bool ReadParam(const ParamSpec& param, const Entry& e, CheckSpec& check);
  // A check of an unavailable type (a library the host refused): its parameters cannot be
  // validated, so they are kept as given (scalars as text) and a `column` parameter is the check's
  // column, so that the default id is the one the loaded plugin would give.
  void ParseUnavailableParams(const Entries& pe, CheckSpec& check);

  std::string file_;
  Diagnostics& diags_;
  const SourceSpec* source_ = nullptr;               // the source being parsed
  std::map<std::string, SourceLocation> check_ids_;  // id -> where it was first defined
  // The table being parsed: column -> language code -> its title (`column_titles`).
  std::map<std::string, std::map<std::string, std::string>> column_titles_;
};

// Keys every check accepts (`where` only when its type takes it).
const Names& CommonCheckKeys();

}  // namespace dqa::rules::internal
