// Typed values of a rule file, each problem reported at its line and column.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/rules/parser_impl.h"
#include "core/util/dates.h"

namespace dqa::rules::internal {

const Entry* Find(const Entries& entries, std::string_view key) {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsSourceId(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string DefaultId(std::string_view type, std::string_view table,
                      const std::vector<std::string>& columns) {
  std::string id = fmt::format("{}:{}", type, table);
  if (!columns.empty()) id += "." + Join(columns, ",");
  return id;
}

namespace {

const Names& LimitKeys() {
  static const Names k = {"max_count", "max_percent"};
  return k;
}

}  // namespace

Entries Parser::ReadMap(const YAML::Node& map, const Names* allowed, std::string_view context) {
  Entries entries;
  for (const auto& kv : map) {
    const YAML::Node& key = kv.first;
    if (!key.IsScalar()) {
      Error(Loc(key), fmt::format("keys must be plain names {}", context));
      continue;
    }
    const std::string name = key.Scalar();
    if (allowed != nullptr && std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
      std::string message = fmt::format("unknown key '{}' {}", name, context);
      const std::string suggestion = ClosestMatch(name, *allowed);
      if (!suggestion.empty()) message += fmt::format("; did you mean '{}'?", suggestion);
      message += fmt::format(" (allowed keys: {})", JoinNames(*allowed));
      Error(Loc(key), message);
      continue;
    }
    if (const Entry* first = Find(entries, name)) {
      Error(Loc(key), fmt::format("duplicate key '{}' {} (first given at line {})", name, context,
                                  Loc(first->key_node).line));
      continue;
    }
    entries.push_back({name, key, kv.second});
  }
  return entries;
}

void Parser::Require(const Entries& entries, std::string_view key, const SourceLocation& owner,
                     std::string_view context) {
  if (Find(entries, key) == nullptr) {
    Error(owner, fmt::format("missing required key '{}' {}", key, context));
  }
}

std::optional<std::string> Parser::GetString(const Entry& e) {
  if (e.value.IsNull()) {
    Error(ValueLoc(e), fmt::format("'{}' has no value: expected a string", e.key));
    return std::nullopt;
  }
  if (!e.value.IsScalar()) {
    Error(ValueLoc(e), fmt::format("'{}': expected a string", e.key));
    return std::nullopt;
  }
  if (TrimAscii(e.value.Scalar()).empty()) {
    Error(ValueLoc(e), fmt::format("'{}' must not be empty", e.key));
    return std::nullopt;
  }
  return e.value.Scalar();
}

std::optional<std::vector<std::string>> Parser::GetStringList(const Entry& e, bool allow_empty,
                                                              bool unique) {
  if (!e.value.IsSequence()) {
    Error(ValueLoc(e), fmt::format("'{}': expected a list of strings, e.g. [a, b]", e.key));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : e.value) {
    if (!item.IsScalar()) {
      Error(Loc(item),
            fmt::format("'{}': expected a list of strings; this item is not a string", e.key));
      ok = false;
      continue;
    }
    if (unique && std::find(out.begin(), out.end(), item.Scalar()) != out.end()) {
      Error(Loc(item), fmt::format("'{}': '{}' is listed twice", e.key, item.Scalar()));
      ok = false;
      continue;
    }
    out.push_back(item.Scalar());
  }
  if (!ok) return std::nullopt;
  if (out.empty() && !allow_empty) {
    Error(ValueLoc(e), fmt::format("'{}' must not be an empty list", e.key));
    return std::nullopt;
  }
  return out;
}

std::optional<int64_t> Parser::GetInt(const Entry& e, int64_t min_value) {
  std::optional<int64_t> v;
  if (e.value.IsScalar()) v = ParseRuleInteger(e.value.Scalar());
  if (!v || *v < min_value) {
    const std::string got =
        e.value.IsScalar() ? fmt::format(", got '{}'", e.value.Scalar()) : "";
    if (min_value == INT64_MIN) {
      Error(ValueLoc(e), fmt::format("'{}': expected a whole number{}", e.key, got));
    } else {
      Error(ValueLoc(e),
            fmt::format("'{}': expected a whole number >= {}{}", e.key, min_value, got));
    }
    return std::nullopt;
  }
  return v;
}

std::optional<double> Parser::GetNumber(const Entry& e) {
  std::optional<double> v;
  if (e.value.IsScalar()) v = ParseRuleNumber(e.value.Scalar());
  if (!v) {
    Error(ValueLoc(e),
          fmt::format("'{}': expected a number{}", e.key,
                      e.value.IsScalar() ? fmt::format(", got '{}'", e.value.Scalar()) : ""));
  }
  return v;
}

std::optional<double> Parser::GetPercent(const Entry& e) {
  std::optional<double> v = GetNumber(e);
  if (v && (*v < 0 || *v > 100)) {
    Error(ValueLoc(e), fmt::format("'{}': expected a percentage between 0 and 100, got {}", e.key,
                                   e.value.Scalar()));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Parser::GetBool(const Entry& e) {
  if (e.value.IsScalar()) {
    const std::string v = ToLowerAscii(e.value.Scalar());
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "no" || v == "off") return false;
  }
  Error(ValueLoc(e), fmt::format("'{}': expected true or false", e.key));
  return std::nullopt;
}

std::optional<Duration> Parser::GetDuration(const Entry& e) {
  if (!e.value.IsScalar()) {
    Error(ValueLoc(e), fmt::format("'{}': expected a duration like 30d, 12h, 2w, 6m or 1y", e.key));
    return std::nullopt;
  }
  Result<Duration> d = Duration::ParseBounded(e.value.Scalar());
  if (!d.ok()) {
    Error(ValueLoc(e), fmt::format("'{}': {}", e.key, d.status().message()));
    return std::nullopt;
  }
  return *d;
}

std::optional<DateFormat> Parser::GetDateFormat(const Entry& e) {
  if (e.value.IsScalar()) {
    if (auto f = ParseDateFormat(e.value.Scalar())) return f;
  }
  Error(ValueLoc(e), fmt::format("'{}': expected iso (YYYY-MM-DD) or dmy (DD/MM/YYYY)", e.key));
  return std::nullopt;
}

std::optional<Severity> Parser::GetSeverity(const Entry& e) {
  std::optional<Severity> s;
  if (e.value.IsScalar()) s = ParseSeverity(e.value.Scalar());
  if (!s) Error(ValueLoc(e), "'severity': expected warn, fail or critical");
  return s;
}

std::optional<Bound> Parser::GetBound(const Entry& e) {
  if (e.value.IsScalar()) {
    Result<Bound> b = ParseBound(e.value.Scalar());
    if (b.ok()) return *b;
    Error(ValueLoc(e), fmt::format("'{}': {}", e.key, b.status().message()));
    return std::nullopt;
  }
  Error(ValueLoc(e),
        fmt::format("'{}': expected a number, a date YYYY-MM-DD, 'today', or 'today' plus or minus "
                    "a duration like 'today-120y'",
                    e.key));
  return std::nullopt;
}

std::optional<Limits> Parser::GetLimits(const Entry& e) {
  if (!e.value.IsMap()) {
    Error(ValueLoc(e), fmt::format("'{}': expected a map {{max_count: N, max_percent: P}}", e.key));
    return std::nullopt;
  }
  const Entries le = ReadMap(e.value, &LimitKeys(), fmt::format("in '{}'", e.key));
  Limits limits;
  if (const Entry* c = Find(le, "max_count")) limits.max_count = GetInt(*c, 0);
  if (const Entry* p = Find(le, "max_percent")) limits.max_percent = GetPercent(*p);
  if (le.empty()) {
    Error(ValueLoc(e), fmt::format("'{}' needs max_count or max_percent", e.key));
    return std::nullopt;
  }
  return limits;
}

std::optional<std::string> Parser::GetTableRef(const Entry& e) {
  std::optional<std::string> text = GetString(e);
  if (!text) return std::nullopt;
  const size_t dot = text->find('.');
  if (dot == std::string::npos) return text;
  std::string alias = text->substr(0, dot);
  std::string table = text->substr(dot + 1);
  if (alias.empty() || table.empty()) {
    Error(ValueLoc(e),
          fmt::format("'{}': expected 'table' or 'alias.table', got '{}'", e.key, *text));
    return std::nullopt;
  }
  if (source_->attach.count(alias) == 0) {
    std::vector<std::string_view> aliases;
    for (const auto& [a, id] : source_->attach) aliases.push_back(a);
    Error(ValueLoc(e),
          fmt::format("'{}' in '{}' is not an attach alias of this source ({})", alias, *text,
                      aliases.empty() ? std::string("it attaches nothing; add e.g. 'attach: {" +
                                                    alias + ": <source id>}'")
                                      : "aliases: " + JoinNames(aliases)));
    return std::nullopt;
  }
  return text;
}

}  // namespace dqa::rules::internal
