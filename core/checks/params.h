// Reading a check's parameters (CheckSpec::params, JSON typed by the check type's ParamSpecs) in the
// check's own code, with the defaults of its type; and the parameter forms that need parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checks/catalog.h"
#include "core/model/types.h"
#include "core/util/status.h"

namespace dqa {

// A range bound: a number, a calendar date, or `today` shifted by a duration ("today-120y").
struct Bound {
  enum class Kind { kNumber, kDate, kToday };
  Kind kind = Kind::kNumber;
  double number = 0;               // kNumber
  int64_t day = 0;                 // kDate: days since 1970-01-01
  std::optional<Duration> offset;  // kToday: shift, applied with `offset_sign`
  int offset_sign = 0;             // -1, 0 or +1
  bool is_date() const { return kind != Kind::kNumber; }
  // The text form kept in CheckSpec::params for date bounds ("2000-01-01", "today-120y").
  std::string ToString() const;
};

// The day (since 1970-01-01) of a date bound on `today_day`: its date, or today shifted.
int64_t BoundDay(const Bound& bound, int64_t today_day);

// Adds the issue of bounds `min` and `max` (either may be absent) that are of two kinds, or in the
// wrong order (numbers, or calendar dates); true when it added one.
bool BoundsOrderIssue(const std::optional<Bound>& min, const std::optional<Bound>& max,
                      std::vector<ParamIssue>& issues);

// Parses a bound from its rule-file text. InvalidArgument with the reason; a duration longer than
// the limit says so ("'130000y' is longer than ...").
Result<Bound> ParseBound(std::string_view text);
// The JSON form of a bound: a number, or the text form of a date bound.
nlohmann::json BoundJson(const Bound& bound);

// "alias.table" -> {alias, table}; "table" -> {"", table}.
struct TableRef {
  std::string schema;  // "" = the source's own database, else an `attach` alias
  std::string table;
  std::string Qualified(std::string_view column) const;  // "[alias.]table.column"
};
TableRef SplitTableRef(std::string_view text);

// Typed, tolerant access to one check's parameters: a parameter that is absent (or of the wrong
// JSON type, which only a hand-made CheckSpec can have) reads as its type's default.
class ParamReader {
 public:
  ParamReader(const CheckTypeInfo& type, const nlohmann::json& params)
      : type_(type), params_(params) {}

  // The given value, else the type's default, else nullptr.
  const nlohmann::json* Find(std::string_view name) const;
  std::string String(std::string_view name) const;  // "" when absent
  std::vector<std::string> Strings(std::string_view name) const;
  bool Bool(std::string_view name) const;  // false when absent without default
  std::optional<int64_t> Integer(std::string_view name) const;
  std::optional<double> Number(std::string_view name) const;
  std::optional<Duration> DurationOf(std::string_view name) const;
  DateFormat DateFormatOf(std::string_view name) const;  // kIso when absent
  std::optional<Bound> BoundOf(std::string_view name) const;
  TableRef Table(std::string_view name) const;
  // A kTableColumn parameter: its table and its column.
  std::pair<TableRef, std::string> TableColumn(std::string_view name) const;

 private:
  const CheckTypeInfo& type_;
  const nlohmann::json& params_;
};

// Checks parameters handed over as JSON (by a plugin, not read from a rule file) against `type`'s
// schema, as the rule parser would: `params` is an object, no key is unknown, every required one
// is given, each value has its parameter's JSON form (docs/checks.md "Parameter types") within
// its constraints, then the type's cross-parameter rules. InvalidArgument naming the parameter
// ("'threshold': expected a value from 0.5 to 1, got 2"). Columns, tables and SQL are checked for
// their form only: whether they exist is for the caller, who knows the database.
Status ValidateParamsJson(const CheckType& type, const nlohmann::json& params);

// A number or whole number as rule files write them (ASCII spaces trimmed; no sign "+", no
// inf/nan).
std::optional<double> ParseRuleNumber(std::string_view text);
std::optional<int64_t> ParseRuleInteger(std::string_view text);

// "iso" / "dmy" and back.
std::string_view ToString(DateFormat format);
std::optional<DateFormat> ParseDateFormat(std::string_view text);

}  // namespace dqa
