// A check's parameters, read by the parameter schema of its type in the check catalogue: the same
// code reads and validates built-in and plugin checks, so `rules check` reports a plugin check's
// wrong parameters exactly as it reports a built-in one's.
#include <fmt/format.h>
#include <re2/re2.h>

#include "core/rules/parser_impl.h"

namespace dqa::rules::internal {
namespace {

const Names& TableColumnKeys() {
  static const Names k = {"table", "column"};
  return k;
}

}  // namespace

bool Parser::InChoices(const ParamSpec& param, const std::string& value, const Entry& e) {
  if (param.choices.empty() ||
      std::find(param.choices.begin(), param.choices.end(), value) != param.choices.end()) {
    return true;
  }
  std::vector<std::string_view> names(param.choices.begin(), param.choices.end());
  std::string message = fmt::format("'{}': expected one of {}, got '{}'", e.key,
                                    JoinNames(names), value);
  if (const std::string close = ClosestMatch(value, names); !close.empty()) {
    message += fmt::format("; did you mean '{}'?", close);
  }
  Error(ValueLoc(e), message);
  return false;
}

bool Parser::InRange(const ParamSpec& param, double value, const Entry& e) {
  if ((!param.min || value >= *param.min) && (!param.max || value <= *param.max)) return true;
  if (param.min && param.max) {
    Error(ValueLoc(e), fmt::format("'{}': expected a value from {} to {}, got {}", e.key,
                                   *param.min, *param.max, e.value.Scalar()));
  } else if (param.min) {
    Error(ValueLoc(e), fmt::format("'{}': expected a value >= {}, got {}", e.key, *param.min,
                                   e.value.Scalar()));
  } else {
    Error(ValueLoc(e), fmt::format("'{}': expected a value <= {}, got {}", e.key, *param.max,
                                   e.value.Scalar()));
  }
  return false;
}

bool Parser::ReadParam(const ParamSpec& param, const Entry& e, CheckSpec& check) {
  nlohmann::json& out = check.params;
  const auto text = [&]() -> bool {
    std::optional<std::string> s = GetString(e);
    if (s) out[param.name] = *s;
    return s.has_value();
  };
  switch (param.type) {
    case ParamType::kColumn: {
      std::optional<std::string> s = GetString(e);
      if (!s) return false;
      out[param.name] = *s;
      check.columns.push_back(*s);
      return true;
    }
    case ParamType::kColumns: {
      auto columns = GetStringList(e, /*allow_empty=*/false, /*unique=*/true);
      if (!columns) return false;
      out[param.name] = *columns;
      check.columns.insert(check.columns.end(), columns->begin(), columns->end());
      return true;
    }
    case ParamType::kString: {
      std::optional<std::string> s = GetString(e);
      if (!s || !InChoices(param, *s, e)) return false;
      out[param.name] = *s;
      return true;
    }
    case ParamType::kSqlCondition:
    case ParamType::kSqlQuery:
    case ParamType::kForeignColumn:
      return text();
    case ParamType::kRegex: {
      // Unlike other strings, a regex may be empty or blank: '' matches every value and ' '
      // a value holding a space. A list must still name at least one pattern.
      if (e.value.IsNull()) {
        Error(ValueLoc(e), fmt::format("'{}' has no value: expected a regex or a list of them",
                                       e.key));
        return false;
      }
      std::vector<std::pair<std::string, SourceLocation>> patterns;
      if (e.value.IsScalar()) {
        patterns.emplace_back(e.value.Scalar(), ValueLoc(e));
      } else if (e.value.IsSequence() && e.value.size() > 0) {
        for (const auto& item : e.value) {
          if (!item.IsScalar()) {
            Error(Loc(item), fmt::format("'{}': expected a list of regexes; this item is not a "
                                         "string", e.key));
            return false;
          }
          patterns.emplace_back(item.Scalar(), Loc(item));
        }
      } else {
        Error(ValueLoc(e), fmt::format("'{}': expected a regex or a non-empty list of regexes",
                                       e.key));
        return false;
      }
      bool ok = true;
      for (const auto& [pattern, where] : patterns) {
        const RE2 re(pattern, RE2::Quiet);
        if (!re.ok()) {
          Error(where, fmt::format("invalid regex '{}': {}", pattern, re.error()));
          ok = false;
        }
      }
      if (!ok) return false;
      if (e.value.IsScalar()) {
        out[param.name] = patterns.front().first;
      } else {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : patterns) list.push_back(p.first);
        out[param.name] = std::move(list);
      }
      return true;
    }
    case ParamType::kNumber: {
      std::optional<double> n = GetNumber(e);
      if (!n || !InRange(param, *n, e)) return false;
      out[param.name] = *n;
      return true;
    }
    case ParamType::kInteger: {
      // The lower bound is part of GetInt's message ("expected a whole number >= 1").
      std::optional<int64_t> n =
          GetInt(e, param.min && !param.max ? static_cast<int64_t>(*param.min) : INT64_MIN);
      if (!n || !InRange(param, static_cast<double>(*n), e)) return false;
      out[param.name] = *n;
      return true;
    }
    case ParamType::kDuration: {
      std::optional<Duration> d = GetDuration(e);
      if (d) out[param.name] = d->ToString();
      return d.has_value();
    }
    case ParamType::kBool: {
      std::optional<bool> b = GetBool(e);
      if (b) out[param.name] = *b;
      return b.has_value();
    }
    case ParamType::kStringList: {
      auto list = GetStringList(e, /*allow_empty=*/!param.non_empty, /*unique=*/false);
      if (!list) return false;
      for (const std::string& item : *list) {
        if (!InChoices(param, item, e)) return false;
      }
      out[param.name] = *list;
      return true;
    }
    case ParamType::kBound: {
      std::optional<Bound> b = GetBound(e);
      if (b) out[param.name] = BoundJson(*b);
      return b.has_value();
    }
    case ParamType::kDateFormat: {
      std::optional<DateFormat> f = GetDateFormat(e);
      if (f) out[param.name] = std::string(ToString(*f));
      return f.has_value();
    }
    case ParamType::kTable: {
      std::optional<std::string> t = GetTableRef(e);
      if (t) out[param.name] = *t;
      return t.has_value();
    }
    case ParamType::kTableColumn: {
      if (!e.value.IsMap()) {
        Error(ValueLoc(e),
              fmt::format("'{}': expected a map {{table: <table>, column: <column>}}", e.key));
        return false;
      }
      const std::string context = fmt::format("in '{}'", e.key);
      const size_t before = diags_.size();
      const Entries ee = ReadMap(e.value, &TableColumnKeys(), context);
      const SourceLocation eloc = Loc(e.value);
      Require(ee, "table", eloc, context);
      Require(ee, "column", eloc, context);
      nlohmann::json ref = nlohmann::json::object();
      if (const Entry* t = Find(ee, "table")) {
        if (auto table = GetTableRef(*t)) ref["table"] = *table;
      }
      if (const Entry* c = Find(ee, "column")) {
        if (auto column = GetString(*c)) ref["column"] = *column;
      }
      if (diags_.size() != before) return false;
      out[param.name] = std::move(ref);
      return true;
    }
    case ParamType::kColumnTypes: {
      if (!e.value.IsMap() || e.value.size() == 0) {
        Error(ValueLoc(e), fmt::format("'{}': expected a non-empty map column -> type, e.g. "
                                       "{{so_cccd: text, ngay_sinh: date}}",
                                       e.key));
        return false;
      }
      const size_t before = diags_.size();
      nlohmann::json types = nlohmann::json::object();
      for (const Entry& c : ReadMap(e.value, nullptr, fmt::format("in '{}'", e.key))) {
        if (TrimAscii(c.key).empty()) {
          Error(Loc(c.key_node), fmt::format("'{}': a column name must not be empty", e.key));
          continue;
        }
        std::optional<std::string> type = GetString(c);
        if (type && InChoices(param, *type, c)) types[c.key] = *type;
      }
      if (diags_.size() != before) return false;
      out[param.name] = std::move(types);
      return true;
    }
    case ParamType::kMap: {
      if (!e.value.IsMap()) {
        std::vector<std::string_view> names;
        for (const ParamSpec& f : param.fields) names.push_back(f.name);
        Error(ValueLoc(e), fmt::format("'{}': expected a map with keys among {}", e.key,
                                       JoinNames(names)));
        return false;
      }
      // Each field is read as a parameter of its own into a scratch check: its columns name the
      // map's table, not the check's, so they stay out of CheckSpec::columns.
      Names names;
      for (const ParamSpec& f : param.fields) names.push_back(f.name);
      const std::string context = fmt::format("in '{}'", e.key);
      const Entries fe = ReadMap(e.value, &names, context);
      CheckSpec scratch;
      bool ok = true;
      for (const ParamSpec& field : param.fields) {
        const Entry* f = Find(fe, field.name);
        if (f == nullptr) {
          if (field.required) {
            Error(Loc(e.value), fmt::format("missing required key '{}' {} ({}: {})", field.name,
                                            context, ToString(field.type), field.description));
            ok = false;
          }
          continue;
        }
        ok = ReadParam(field, *f, scratch) && ok;
      }
      if (!ok || fe.size() != e.value.size()) return false;
      out[param.name] = std::move(scratch.params);
      return true;
    }
  }
  return false;
}

void Parser::ParseParams(const CheckType& type, const Entries& pe, const SourceLocation& loc,
                         CheckSpec& check) {
  const CheckTypeInfo& info = type.info();
  bool ok = true;
  for (const ParamSpec& param : info.params) {
    const Entry* e = Find(pe, param.name);
    if (e == nullptr) {
      if (param.required) {
        Error(loc, fmt::format("missing required key '{}' in check '{}' ({}: {})", param.name,
                               info.name, ToString(param.type), param.description));
        ok = false;
      }
      continue;
    }
    ok = ReadParam(param, *e, check) && ok;
  }
  // Cross-parameter rules only make sense on parameters that were all read.
  if (!ok) return;
  std::vector<ParamIssue> issues;
  type.Validate(check.params, issues);
  for (const ParamIssue& issue : issues) {
    const Entry* e = issue.param.empty() ? nullptr : Find(pe, issue.param);
    if (e == nullptr) {
      Error(loc, issue.message);
    } else {
      Error(issue.at_key ? Loc(e->key_node) : ValueLoc(*e), issue.message);
    }
  }
}

void Parser::ParseUnavailableParams(const Entries& pe, CheckSpec& check) {
  const Names& common = CommonCheckKeys();
  for (const Entry& e : pe) {
    if (std::find(common.begin(), common.end(), e.key) != common.end()) continue;
    if (e.value.IsScalar()) check.params[e.key] = e.value.Scalar();
    if (e.key == "column" && e.value.IsScalar()) check.columns.push_back(e.value.Scalar());
  }
}

}  // namespace dqa::rules::internal
