#include "core/checks/params.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/util/dates.h"
#include "dqaudit/text.h"

namespace dqa {
namespace {

// Rule text is trimmed of spaces, tabs and line breaks.
std::string_view TrimAscii(std::string_view s) { return sdk::TrimAscii(s, " \t\r\n"); }

// Why `value` is not a valid JSON value of `param`, or "".
std::string JsonValueProblem(const ParamSpec& param, const nlohmann::json& value) {
  const auto in_range = [&](double v) -> std::string {
    if ((!param.min || v >= *param.min) && (!param.max || v <= *param.max)) return "";
    if (param.min && param.max) {
      return fmt::format("expected a value from {} to {}, got {}", *param.min, *param.max, v);
    }
    return param.min ? fmt::format("expected a value >= {}, got {}", *param.min, v)
                     : fmt::format("expected a value <= {}, got {}", *param.max, v);
  };
  const auto in_choices = [&](const std::string& v) -> std::string {
    if (param.choices.empty() ||
        std::find(param.choices.begin(), param.choices.end(), v) != param.choices.end()) {
      return "";
    }
    return fmt::format("expected one of {}, got '{}'", fmt::join(param.choices, ", "), v);
  };
  const auto non_empty_string = [&](const nlohmann::json& v) {
    return v.is_string() && !v.get_ref<const std::string&>().empty();
  };
  switch (param.type) {
    case ParamType::kRegex:
      // Any string (the empty regex matches everything), or a non-empty list of strings.
      if (value.is_string()) return "";
      if (!value.is_array() || value.empty()) {
        return "expected a regex or a non-empty list of regexes";
      }
      for (const nlohmann::json& item : value) {
        if (!item.is_string()) return "expected a regex or a non-empty list of regexes";
      }
      return "";
    case ParamType::kColumn:
    case ParamType::kSqlCondition:
    case ParamType::kSqlQuery:
    case ParamType::kTable:
    case ParamType::kForeignColumn:
      return non_empty_string(value) ? "" : "expected a non-empty string";
    case ParamType::kString:
      return non_empty_string(value) ? in_choices(value.get<std::string>())
                                     : "expected a non-empty string";
    case ParamType::kColumns:
    case ParamType::kStringList: {
      const bool columns = param.type == ParamType::kColumns;
      if (!value.is_array()) return "expected a list of strings";
      if (value.empty() && (columns || param.non_empty)) return "expected a non-empty list";
      std::vector<std::string> seen;
      for (const nlohmann::json& item : value) {
        if (!non_empty_string(item)) return "expected a list of non-empty strings";
        const std::string& text = item.get_ref<const std::string&>();
        if (columns && std::find(seen.begin(), seen.end(), text) != seen.end()) {
          return fmt::format("'{}' is listed twice", text);
        }
        if (std::string problem = in_choices(text); !problem.empty()) return problem;
        seen.push_back(text);
      }
      return "";
    }
    case ParamType::kNumber:
      return value.is_number() ? in_range(value.get<double>()) : "expected a number";
    case ParamType::kInteger:
      if (!value.is_number_integer()) return "expected a whole number";
      return in_range(static_cast<double>(value.get<int64_t>()));
    case ParamType::kDuration:
      if (!value.is_string()) return "expected a duration like 30d";
      if (Result<Duration> d = Duration::ParseBounded(value.get<std::string>()); !d.ok()) {
        return d.status().message();
      }
      return "";
    case ParamType::kBool:
      return value.is_boolean() ? "" : "expected true or false";
    case ParamType::kBound:
      if (value.is_number()) return "";
      if (!value.is_string()) return "expected a number, a date or today-<duration>";
      if (Result<Bound> b = ParseBound(value.get<std::string>()); !b.ok()) {
        return b.status().message();
      }
      return "";
    case ParamType::kDateFormat:
      return value.is_string() && ParseDateFormat(value.get<std::string>()) ? ""
                                                                            : "expected iso or dmy";
    case ParamType::kTableColumn:
      return value.is_object() && value.size() == 2 && value.contains("table") &&
                     value.contains("column") && non_empty_string(value["table"]) &&
                     non_empty_string(value["column"])
                 ? ""
                 : "expected an object {\"table\": <table>, \"column\": <column>}";
    case ParamType::kColumnTypes:
      if (!value.is_object() || value.empty()) {
        return "expected a non-empty object {\"<column>\": \"<type>\"}";
      }
      for (const auto& [column, type] : value.items()) {
        if (column.empty() || !non_empty_string(type)) {
          return "expected a non-empty object {\"<column>\": \"<type>\"}";
        }
        if (std::string problem = in_choices(type.get<std::string>()); !problem.empty()) {
          return fmt::format("column '{}': {}", column, problem);
        }
      }
      return "";
    case ParamType::kMap: {
      if (!value.is_object()) return "expected an object";
      for (const auto& item : value.items()) {
        // Not a structured binding: clang before 16 cannot capture one in the lambda below.
        const std::string& key = item.key();
        const nlohmann::json& field_value = item.value();
        const auto field = std::find_if(param.fields.begin(), param.fields.end(),
                                        [&](const ParamSpec& f) { return f.name == key; });
        if (field == param.fields.end()) {
          std::vector<std::string_view> names;
          for (const ParamSpec& f : param.fields) names.push_back(f.name);
          return fmt::format("unknown field '{}'; expected one of {}", key, fmt::join(names, ", "));
        }
        if (std::string problem = JsonValueProblem(*field, field_value); !problem.empty()) {
          return fmt::format("'{}': {}", key, problem);
        }
      }
      for (const ParamSpec& field : param.fields) {
        if (field.required && !value.contains(field.name)) {
          return fmt::format("missing required field '{}'", field.name);
        }
      }
      return "";
    }
  }
  return "unknown parameter type";
}

}  // namespace

Status ValidateParamsJson(const CheckType& type, const nlohmann::json& params) {
  const CheckTypeInfo& info = type.info();
  if (!params.is_object()) {
    return InvalidArgument(fmt::format("the parameters of {} must be a JSON object", info.name));
  }
  for (const auto& [key, value] : params.items()) {
    const ParamSpec* param = info.FindParam(key);
    if (param == nullptr) {
      std::vector<std::string_view> names;
      for (const ParamSpec& p : info.params) names.push_back(p.name);
      return InvalidArgument(fmt::format("unknown parameter '{}' of {}; expected one of {}", key,
                                         info.name, fmt::join(names, ", ")));
    }
    if (std::string problem = JsonValueProblem(*param, value); !problem.empty()) {
      return InvalidArgument(fmt::format("'{}': {}", key, problem));
    }
  }
  for (const ParamSpec& param : info.params) {
    if (param.required && !params.contains(param.name)) {
      return InvalidArgument(fmt::format("missing required parameter '{}' of {} ({}: {})",
                                         param.name, info.name, ToString(param.type),
                                         param.description));
    }
  }
  std::vector<ParamIssue> issues;
  type.Validate(params, issues);
  if (!issues.empty()) {
    const ParamIssue& first = issues.front();
    return InvalidArgument(first.param.empty()
                               ? first.message
                               : fmt::format("'{}': {}", first.param, first.message));
  }
  return Status::Ok();
}

std::optional<int64_t> ParseRuleInteger(std::string_view s) {
  s = TrimAscii(s);
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseRuleNumber(std::string_view s) {
  s = TrimAscii(s);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::string Bound::ToString() const {
  switch (kind) {
    case Kind::kNumber: return fmt::format("{}", number);
    case Kind::kDate: return FormatDay(day);
    case Kind::kToday: {
      std::string text = "today";
      if (offset && offset_sign != 0) {
        text += offset_sign < 0 ? '-' : '+';
        text += offset->ToString();
      }
      return text;
    }
  }
  return "";
}

int64_t BoundDay(const Bound& b, int64_t today_day) {
  if (b.kind == Bound::Kind::kDate) return b.day;
  if (!b.offset || b.offset_sign == 0) return today_day;
  return DayOf(ShiftBy(today_day * kSecondsPerDay, *b.offset, b.offset_sign));
}

bool BoundsOrderIssue(const std::optional<Bound>& min, const std::optional<Bound>& max,
                      std::vector<ParamIssue>& issues) {
  if (!min || !max) return false;
  if (min->is_date() != max->is_date()) {
    issues.push_back({"max", false, "'min' and 'max' must both be numbers or both be dates"});
  } else if (!min->is_date() && min->number > max->number) {
    issues.push_back({"", false, fmt::format("'min' ({}) is greater than 'max' ({})", min->number,
                                             max->number)});
  } else if (min->kind == Bound::Kind::kDate && max->kind == Bound::Kind::kDate &&
             min->day > max->day) {
    issues.push_back({"", false, fmt::format("'min' ({}) is after 'max' ({})",
                                             FormatDay(min->day), FormatDay(max->day))});
  } else {
    return false;
  }
  return true;
}

Result<Bound> ParseBound(std::string_view raw) {
  const std::string_view text = TrimAscii(raw);
  Bound b;
  if (auto number = ParseRuleNumber(text)) {
    b.kind = Bound::Kind::kNumber;
    b.number = *number;
    return b;
  }
  if (auto day = ParseIsoDay(text)) {
    b.kind = Bound::Kind::kDate;
    b.day = *day;
    return b;
  }
  if (text.starts_with("today")) {
    const std::string_view rest = TrimAscii(text.substr(5));
    b.kind = Bound::Kind::kToday;
    if (rest.empty()) return b;
    if (rest[0] == '+' || rest[0] == '-') {
      Result<Duration> d = Duration::ParseBounded(TrimAscii(rest.substr(1)));
      if (d.ok()) {
        b.offset = *d;
        b.offset_sign = rest[0] == '+' ? 1 : -1;
        return b;
      }
      if (d.status().message().find("longer than") != std::string::npos) return d.status();
    }
  }
  return InvalidArgument(fmt::format(
      "expected a number, a date YYYY-MM-DD, 'today', or 'today' plus or minus a duration like "
      "'today-120y', got '{}'",
      raw));
}

nlohmann::json BoundJson(const Bound& bound) {
  if (bound.kind == Bound::Kind::kNumber) return bound.number;
  return bound.ToString();
}

std::string TableRef::Qualified(std::string_view column) const {
  return schema.empty() ? fmt::format("{}.{}", table, column)
                        : fmt::format("{}.{}.{}", schema, table, column);
}

TableRef SplitTableRef(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return {"", std::string(text)};
  return {std::string(text.substr(0, dot)), std::string(text.substr(dot + 1))};
}

const nlohmann::json* ParamReader::Find(std::string_view name) const {
  if (params_.is_object()) {
    const auto it = params_.find(name);
    if (it != params_.end() && !it->is_null()) return &*it;
  }
  const ParamSpec* spec = type_.FindParam(name);
  if (spec != nullptr && !spec->default_value.is_null()) return &spec->default_value;
  return nullptr;
}

std::string ParamReader::String(std::string_view name) const {
  const nlohmann::json* j = Find(name);
  return j != nullptr && j->is_string() ? j->get<std::string>() : std::string();
}

std::vector<std::string> ParamReader::Strings(std::string_view name) const {
  std::vector<std::string> out;
  const nlohmann::json* j = Find(name);
  if (j == nullptr) return out;
  if (j->is_string()) return {j->get<std::string>()};
  if (!j->is_array()) return out;
  for (const nlohmann::json& item : *j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

bool ParamReader::Bool(std::string_view name) const {
  const nlohmann::json* j = Find(name);
  return j != nullptr && j->is_boolean() && j->get<bool>();
}

std::optional<int64_t> ParamReader::Integer(std::string_view name) const {
  const nlohmann::json* j = Find(name);
  if (j == nullptr) return std::nullopt;
  if (j->is_number_integer()) return j->get<int64_t>();
  return std::nullopt;
}

std::optional<double> ParamReader::Number(std::string_view name) const {
  const nlohmann::json* j = Find(name);
  if (j == nullptr || !j->is_number()) return std::nullopt;
  return j->get<double>();
}

std::optional<Duration> ParamReader::DurationOf(std::string_view name) const {
  const nlohmann::json* j = Find(name);
  if (j == nullptr || !j->is_string()) return std::nullopt;
  return Duration::Parse(j->get<std::string>());
}

DateFormat ParamReader::DateFormatOf(std::string_view name) const {
  return ParseDateFormat(String(name)).value_or(DateFormat::kIso);
}

std::optional<Bound> ParamReader::BoundOf(std::string_view name) const {
  const nlohmann::json* j = Find(name);
  if (j == nullptr) return std::nullopt;
  if (j->is_number()) return Bound{Bound::Kind::kNumber, j->get<double>(), 0, std::nullopt, 0};
  if (!j->is_string()) return std::nullopt;
  Result<Bound> b = ParseBound(j->get<std::string>());
  if (!b.ok()) return std::nullopt;
  return *b;
}

TableRef ParamReader::Table(std::string_view name) const { return SplitTableRef(String(name)); }

std::pair<TableRef, std::string> ParamReader::TableColumn(std::string_view name) const {
  const nlohmann::json* j = Find(name);
  if (j == nullptr || !j->is_object()) return {};
  const auto get = [&](const char* key) {
    const auto it = j->find(key);
    return it != j->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return {SplitTableRef(get("table")), get("column")};
}

std::string_view ToString(DateFormat format) { return format == DateFormat::kDmy ? "dmy" : "iso"; }

std::optional<DateFormat> ParseDateFormat(std::string_view text) {
  if (text == "iso") return DateFormat::kIso;
  if (text == "dmy") return DateFormat::kDmy;
  return std::nullopt;
}

}  // namespace dqa
