#include "core/rules/parser.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <optional>
#include <set>
#include <utility>

#include "core/plugins/registry.h"
#include "core/util/dates.h"
#include "core/util/yaml_load.h"

namespace dqa::rules {
namespace {

namespace fs = std::filesystem;
using Names = std::vector<std::string_view>;

const Names& TopLevelKeys() {
  static const Names k = {"source", "department", "sector",     "database",
                          "attach", "today",      "utc_offset", "tables"};
  return k;
}
const Names& TableKeys() {
  static const Names k = {"key", "filter", "checks"};
  return k;
}
const Names& LimitKeys() {
  static const Names k = {"max_count", "max_percent"};
  return k;
}
const Names& ExpectedKeys() {
  static const Names k = {"table", "column"};
  return k;
}

// Keys every check accepts. `sql` does not take `where`: its query selects its own rows.
const Names& CommonCheckKeys() {
  static const Names k = {"id",        "severity",    "dimension", "where",
                          "max_count", "max_percent", "warn",      "fail"};
  return k;
}

struct CheckTypeInfo {
  std::string_view name;
  Names keys;  // type-specific keys
};

const std::vector<CheckTypeInfo>& CheckTypeInfos() {
  static const std::vector<CheckTypeInfo> k = {
      {"row_count", {"min", "max"}},
      {"missing", {"columns", "column", "missing_values", "blank_is_missing"}},
      {"duplicate", {"columns"}},
      {"freshness", {"column", "max_age", "date_format"}},
      {"stale", {"column", "older_than", "date_format"}},
      {"pattern", {"column", "regex"}},
      {"allowed", {"column", "values", "normalize"}},
      {"range", {"column", "min", "max", "date_format"}},
      {"reference", {"column", "table", "ref_column"}},
      {"coverage", {"column", "expected", "min_rows"}},
      {"condition", {"invalid_when"}},
      {"sql", {"query", "min", "max"}},
  };
  return k;
}

std::string_view TrimAscii(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
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

std::optional<int64_t> ParseInt(std::string_view s) {
  s = TrimAscii(s);
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(std::string_view s) {
  s = TrimAscii(s);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string DefaultId(std::string_view type, std::string_view table,
                      const std::vector<std::string>& columns) {
  std::string id = fmt::format("{}:{}", type, table);
  if (!columns.empty()) id += "." + Join(columns, ",");
  return id;
}

// The shortest and longest span of `d` in days: calendar months last 28 to 31 days, years 365 to
// 366; hours are counted in whole and started days.
std::pair<int64_t, int64_t> DayRange(const Duration& d) {
  switch (d.unit) {
    case Duration::Unit::kHours: return {d.amount / 24, (d.amount + 23) / 24};
    case Duration::Unit::kDays: return {d.amount, d.amount};
    case Duration::Unit::kWeeks: return {7 * d.amount, 7 * d.amount};
    case Duration::Unit::kMonths: return {28 * d.amount, 31 * d.amount};
    case Duration::Unit::kYears: return {365 * d.amount, 366 * d.amount};
  }
  return {d.amount, d.amount};
}

// True when `today`-relative bound `a` is after `b` on every day, so that a range from `a` to `b`
// could never hold a value. Uncertain cases (today+1m against today+30d) are allowed.
bool AlwaysAfter(const Bound& a, const Bound& b) {
  const auto [a_low, a_high] = DayRange(a.offset.value_or(Duration{}));
  const auto [b_low, b_high] = DayRange(b.offset.value_or(Duration{}));
  // Offsets are signed: today-1y spans -366..-365 days.
  const int64_t a_min = a.offset_sign >= 0 ? a_low : -a_high;
  const int64_t b_max = b.offset_sign >= 0 ? b_high : -b_low;
  return a_min > b_max;
}

// One key/value pair of a YAML map, in document order.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};
using Entries = std::vector<Entry>;

const Entry* Find(const Entries& entries, std::string_view key) {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

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

  Entries ReadMap(const YAML::Node& map, const Names* allowed, std::string_view context);
  void Require(const Entries& entries, std::string_view key, const SourceLocation& owner,
               std::string_view context);

  std::optional<std::string> GetString(const Entry& e);
  std::optional<std::vector<std::string>> GetStringList(const Entry& e, bool allow_empty,
                                                        bool unique);
  std::optional<int64_t> GetInt(const Entry& e, int64_t min_value);
  std::optional<double> GetNumber(const Entry& e);
  // A number from 0 to 100.
  std::optional<double> GetPercent(const Entry& e);
  std::optional<bool> GetBool(const Entry& e);
  std::optional<Duration> GetDuration(const Entry& e);
  std::optional<DateFormat> GetDateFormat(const Entry& e);
  std::optional<Bound> GetBound(const Entry& e);
  std::optional<Limits> GetLimits(const Entry& e);
  // Splits "alias.table" (alias must be an attach alias of this source) or "table".
  std::optional<std::pair<std::string, std::string>> GetTableRef(const Entry& e);

  void ParseDatabase(const Entry& e, SourceSpec& source);
  void ParseAttach(const Entry& e, ParsedRuleFile& out);
  void ParseTables(const Entry& e, SourceSpec& source);
  void ParseTable(const Entry& e, TableSpec& table);
  void ParseCheck(const YAML::Node& item, TableSpec& table);
  void ParseThresholds(const Entries& pe, CheckSpec& check);
  // Fills `check.params` and `check.columns` for `type`; `columns_out` receives the columns of a
  // `missing` check, which becomes one CheckSpec per column.
  void ParseTypeParams(std::string_view type, const Entries& pe, const SourceLocation& loc,
                       CheckSpec& check, std::vector<std::string>& missing_columns);
  // Plugin check ("<sector>.<check>"): validates the parameters against the plugin's descriptor,
  // fills PluginCheckParams (parameters as a JSON object) and, for column parameters,
  // check.columns in declaration order.
  void ParsePluginParams(const plugins::PluginCheckRef& ref, const Entries& pe,
                         const SourceLocation& loc, CheckSpec& check);
  // Plugin check of a library the host refused: PluginCheckParams::unavailable names the library
  // and the cause; the parameters are kept as given (scalars as text) and a `column` parameter is
  // the check's column, so that the default id is the one the loaded plugin would give.
  void ParseRefusedPluginParams(const plugins::PluginLoadFailure& refused, const Entries& pe,
                                CheckSpec& check);

  std::string file_;
  Diagnostics& diags_;
  const SourceSpec* source_ = nullptr;               // the source being parsed
  std::map<std::string, SourceLocation> check_ids_;  // id -> where it was first defined
};

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
  if (e.value.IsScalar()) v = ParseInt(e.value.Scalar());
  if (!v || *v < min_value) {
    Error(ValueLoc(e),
          fmt::format("'{}': expected a whole number >= {}{}", e.key, min_value,
                      e.value.IsScalar() ? fmt::format(", got '{}'", e.value.Scalar()) : ""));
    return std::nullopt;
  }
  return v;
}

std::optional<double> Parser::GetNumber(const Entry& e) {
  std::optional<double> v;
  if (e.value.IsScalar()) v = ParseDouble(e.value.Scalar());
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
    if (e.value.Scalar() == "iso") return DateFormat::kIso;
    if (e.value.Scalar() == "dmy") return DateFormat::kDmy;
  }
  Error(ValueLoc(e), fmt::format("'{}': expected iso (YYYY-MM-DD) or dmy (DD/MM/YYYY)", e.key));
  return std::nullopt;
}

std::optional<Bound> Parser::GetBound(const Entry& e) {
  if (e.value.IsScalar()) {
    const std::string_view text = TrimAscii(e.value.Scalar());
    Bound b;
    if (auto number = ParseDouble(text)) {
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
        if (d.status().message().find("longer than") != std::string::npos) {
          Error(ValueLoc(e), fmt::format("'{}': {}", e.key, d.status().message()));
          return std::nullopt;
        }
      }
    }
  }
  Error(ValueLoc(e),
        fmt::format("'{}': expected a number, a date YYYY-MM-DD, 'today', or 'today' plus or minus "
                    "a duration like 'today-120y'{}",
                    e.key, e.value.IsScalar() ? fmt::format(", got '{}'", e.value.Scalar()) : ""));
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

std::optional<std::pair<std::string, std::string>> Parser::GetTableRef(const Entry& e) {
  std::optional<std::string> text = GetString(e);
  if (!text) return std::nullopt;
  const size_t dot = text->find('.');
  if (dot == std::string::npos) return std::make_pair(std::string(), *text);
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
  return std::make_pair(std::move(alias), std::move(table));
}

void Parser::ParseDatabase(const Entry& e, SourceSpec& source) {
  std::optional<std::string> db = GetString(e);
  if (!db) return;
  source.database = *db;
  if (db->starts_with("sqlite:")) {
    const std::string path = db->substr(7);
    if (TrimAscii(path).empty()) {
      Error(ValueLoc(e), "'database': 'sqlite:' needs a file path, e.g. sqlite:data/population.db");
      return;
    }
    fs::path p(path);
    if (p.is_relative()) p = fs::path(source.rule_file).parent_path() / p;
    source.db_path = p.lexically_normal().string();
  } else if (db->starts_with("postgresql://") || db->starts_with("postgres://")) {
    Error(ValueLoc(e), "PostgreSQL sources are not supported yet; use 'sqlite:<path>'");
  } else {
    Error(ValueLoc(e),
          fmt::format("'database': expected 'sqlite:<path>' (relative to this rule file) or "
                      "'postgresql://...', got '{}'",
                      *db));
  }
}

void Parser::ParseAttach(const Entry& e, ParsedRuleFile& out) {
  if (!e.value.IsMap()) {
    Error(ValueLoc(e), "'attach': expected a map alias -> source id, e.g. {civil: civil}");
    return;
  }
  for (const Entry& a : ReadMap(e.value, nullptr, "in 'attach'")) {
    if (!IsIdentifier(a.key)) {
      Error(Loc(a.key_node),
            fmt::format("attach alias '{}' must be a plain identifier (letters, digits and '_', "
                        "not starting with a digit)",
                        a.key));
      continue;
    }
    const std::string lower = ToLowerAscii(a.key);
    if (lower == "main" || lower == "temp") {
      Error(Loc(a.key_node),
            fmt::format("attach alias '{}' is reserved by SQLite; choose another name", a.key));
      continue;
    }
    std::optional<std::string> target = GetString(a);
    if (!target) continue;
    if (out.has_id && *target == out.source.id) {
      Error(ValueLoc(a), fmt::format("source '{}' cannot attach itself", *target));
      continue;
    }
    out.source.attach[a.key] = *target;
    out.attach_locations[a.key] = ValueLoc(a);
  }
}

void Parser::ParseTables(const Entry& e, SourceSpec& source) {
  if (e.value.IsNull() || (e.value.IsMap() && e.value.size() == 0)) {
    Error(ValueLoc(e), "'tables' is empty: list at least one table with its checks");
    return;
  }
  if (!e.value.IsMap()) {
    Error(ValueLoc(e), "'tables': expected a map of table name -> {key, filter, checks}");
    return;
  }
  for (const Entry& t : ReadMap(e.value, nullptr, "in 'tables'")) {
    if (TrimAscii(t.key).empty()) {
      Error(Loc(t.key_node), "table name must not be empty");
      continue;
    }
    TableSpec table;
    table.name = t.key;
    table.location = Loc(t.key_node);
    ParseTable(t, table);
    source.tables.push_back(std::move(table));
  }
}

void Parser::ParseTable(const Entry& e, TableSpec& table) {
  if (e.value.IsNull()) {
    Error(Loc(e.key_node), fmt::format("table '{}' has no checks: add 'checks:'", table.name));
    return;
  }
  if (!e.value.IsMap()) {
    Error(ValueLoc(e),
          fmt::format("table '{}': expected a map with keys key, filter, checks", table.name));
    return;
  }
  const std::string context = fmt::format("in table '{}'", table.name);
  const Entries te = ReadMap(e.value, &TableKeys(), context);
  if (const Entry* k = Find(te, "key")) {
    if (auto key = GetStringList(*k, /*allow_empty=*/false, /*unique=*/true)) table.key = *key;
  }
  if (const Entry* f = Find(te, "filter")) {
    if (auto filter = GetString(*f)) table.filter = *filter;
  }
  const Entry* checks = Find(te, "checks");
  if (checks == nullptr) {
    Error(table.location, fmt::format("missing required key 'checks' {}", context));
    return;
  }
  if (!checks->value.IsSequence()) {
    Error(ValueLoc(*checks),
          "'checks': expected a list of checks, one per line as '- <type>: {...}'");
    return;
  }
  if (checks->value.size() == 0) {
    Error(ValueLoc(*checks), fmt::format("'checks' of table '{}' is empty", table.name));
    return;
  }
  for (const auto& item : checks->value) ParseCheck(item, table);
}

void Parser::ParseCheck(const YAML::Node& item, TableSpec& table) {
  const SourceLocation loc = Loc(item);
  YAML::Node type_node;
  YAML::Node params;
  if (item.IsScalar()) {
    type_node = item;  // `- duplicate` is a check without parameters
  } else if (item.IsMap() && item.size() == 1) {
    const auto kv = *item.begin();
    type_node = kv.first;
    params = kv.second;
  } else if (item.IsMap()) {
    std::vector<std::string> keys;
    for (const auto& kv : item) keys.push_back(kv.first.IsScalar() ? kv.first.Scalar() : "?");
    Error(loc, fmt::format("a check is a map with exactly one key, its type; found keys {} "
                           "(put the parameters inside the type, e.g. '- missing: {{columns: [a], "
                           "id: x}}')",
                           Join(keys, ", ")));
    return;
  } else {
    Error(loc, "expected a check written as '- <type>: {parameters}'");
    return;
  }
  if (!type_node.IsScalar()) {
    Error(Loc(type_node), "a check type must be a plain name");
    return;
  }
  const std::string type = type_node.Scalar();
  const CheckTypeInfo* info = nullptr;
  for (const CheckTypeInfo& t : CheckTypeInfos()) {
    if (t.name == type) info = &t;
  }
  // A type with a dot is a plugin check, looked up in the plugins loaded in this process.
  std::optional<plugins::PluginCheckRef> plugin;
  // A plugin check of a library that discovery found but the host refused: not a rule error (the
  // rule may be right; the installation is wrong) but a check that ends in error when scanned.
  std::optional<plugins::PluginLoadFailure> refused;
  CheckTypeInfo plugin_type;
  if (info == nullptr && type.find('.') != std::string::npos) {
    plugin = plugins::ProcessPluginRegistry().FindCheck(type);
    if (plugin) {
      plugin_type.name = type;
      for (const plugins::ParamInfo& p : plugin->check().params) plugin_type.keys.push_back(p.name);
      info = &plugin_type;
    } else if ((refused = plugins::ProcessPluginRegistry().RefusedLibraryFor(
                    std::string_view(type).substr(0, type.find('.'))))) {
      plugin_type.name = type;
      info = &plugin_type;
    }
  }
  if (info == nullptr) {
    if (type == "fuzzy_duplicate") {
      Error(loc, "check type 'fuzzy_duplicate' is planned and not available yet");
    } else if (type.find('.') != std::string::npos) {
      const std::vector<std::string> installed = plugins::ProcessPluginRegistry().CheckTypes();
      std::string message = fmt::format(
          "check type '{}' is a plugin check, but no installed plugin provides it", type);
      if (installed.empty()) {
        message += " (no plugins are installed; see 'dqaudit plugins list' and --plugin-dir)";
      } else {
        const std::vector<std::string_view> names(installed.begin(), installed.end());
        const std::string suggestion = ClosestMatch(type, names);
        if (!suggestion.empty()) message += fmt::format("; did you mean '{}'?", suggestion);
        message += fmt::format(" (installed plugin checks: {})", JoinNames(names));
      }
      Error(loc, message);
    } else {
      std::string message = fmt::format("unknown check type '{}'", type);
      const std::string suggestion = ClosestMatch(type, BuiltinCheckTypes());
      if (!suggestion.empty()) message += fmt::format("; did you mean '{}'?", suggestion);
      message += fmt::format(" (known types: {})", JoinNames(BuiltinCheckTypes()));
      Error(loc, message);
    }
    return;
  }
  if (!params.IsNull() && !params.IsMap()) {
    Error(Loc(params),
          fmt::format("parameters of check '{}' must be a map, e.g. '- {}: {{...}}'", type, type));
    return;
  }
  const size_t errors_before = diags_.size();
  Names allowed;
  const bool query_plugin = plugin && plugin->check().kind == plugins::CheckKind::kQuery;
  for (std::string_view k : CommonCheckKeys()) {
    if (!((type == "sql" || query_plugin) && k == "where")) allowed.push_back(k);
  }
  allowed.insert(allowed.end(), info->keys.begin(), info->keys.end());
  const std::string context = fmt::format("in check '{}'", type);
  // The parameters of a refused library's check cannot be validated: its descriptor is unknown.
  const Entries pe =
      params.IsMap() ? ReadMap(params, refused ? nullptr : &allowed, context) : Entries{};

  CheckSpec check;
  check.type = type;
  check.table = table.name;
  check.location = loc;
  check.dimension = plugin ? plugin->check().dimension
                           : DefaultDimension(type).value_or(Dimension::kValidity);
  std::optional<std::string> explicit_id;
  if (const Entry* e = Find(pe, "id")) explicit_id = GetString(*e);
  if (const Entry* e = Find(pe, "severity")) {
    std::optional<Severity> s;
    if (e->value.IsScalar()) s = ParseSeverity(e->value.Scalar());
    if (s) {
      check.severity = *s;
    } else {
      Error(ValueLoc(*e), "'severity': expected warn, fail or critical");
    }
  }
  if (const Entry* e = Find(pe, "dimension")) {
    std::optional<Dimension> d;
    if (e->value.IsScalar()) d = ParseDimension(e->value.Scalar());
    if (d) {
      check.dimension = *d;
    } else {
      Error(ValueLoc(*e), "'dimension': expected validity, completeness, uniqueness or freshness");
    }
  }
  if (const Entry* e = Find(pe, "where")) {
    if (auto where = GetString(*e)) check.where = *where;
  }
  ParseThresholds(pe, check);
  std::vector<std::string> missing_columns;
  if (plugin) {
    ParsePluginParams(*plugin, pe, loc, check);
  } else if (refused) {
    ParseRefusedPluginParams(*refused, pe, check);
  } else {
    ParseTypeParams(type, pe, loc, check, missing_columns);
  }
  if (diags_.size() != errors_before) return;  // ids of broken checks would only add noise

  std::vector<CheckSpec> specs;
  if (type == "missing") {
    for (const std::string& column : missing_columns) {
      CheckSpec one = check;
      one.columns = {column};
      if (explicit_id) {
        one.id = missing_columns.size() == 1 ? *explicit_id : *explicit_id + "." + column;
      } else {
        one.id = DefaultId(type, table.name, one.columns);
      }
      specs.push_back(std::move(one));
    }
  } else {
    check.id = explicit_id ? *explicit_id : DefaultId(type, table.name, check.columns);
    specs.push_back(std::move(check));
  }
  for (CheckSpec& spec : specs) {
    const auto [it, inserted] = check_ids_.emplace(spec.id, spec.location);
    if (!inserted) {
      Error(spec.location, fmt::format("check id '{}' is already used in source '{}' (at {}); "
                                       "give one of them an explicit id",
                                       spec.id, source_->id, it->second.ToString()));
      continue;
    }
    table.checks.push_back(std::move(spec));
  }
}

void Parser::ParseThresholds(const Entries& pe, CheckSpec& check) {
  const Entry* count = Find(pe, "max_count");
  const Entry* percent = Find(pe, "max_percent");
  const Entry* warn = Find(pe, "warn");
  const Entry* fail = Find(pe, "fail");
  if (count != nullptr) check.thresholds.fail.max_count = GetInt(*count, 0);
  if (percent != nullptr) check.thresholds.fail.max_percent = GetPercent(*percent);
  if (fail != nullptr) {
    if (count != nullptr || percent != nullptr) {
      Error(Loc(fail->key_node),
            "give fail limits either as max_count/max_percent or inside 'fail:', not both");
    } else if (auto limits = GetLimits(*fail)) {
      check.thresholds.fail = *limits;
    }
  }
  if (warn != nullptr) {
    if (auto limits = GetLimits(*warn)) check.thresholds.warn = *limits;
  }
  // A warn limit above the fail limit on the same measure could never be reached without failing
  // first: the rule says something other than what its author meant (docs/rules.md "Thresholds").
  // Equal limits are allowed (the check then never warns on that measure).
  const Limits& w = check.thresholds.warn;
  const Limits& f = check.thresholds.fail;
  if (warn != nullptr && w.max_count && f.max_count && *w.max_count > *f.max_count) {
    Error(ValueLoc(*warn),
          fmt::format("'warn': max_count {} is above the fail limit max_count {}; a check fails "
                      "before it could warn, so give 'warn' the lower limit",
                      *w.max_count, *f.max_count));
  }
  if (warn != nullptr && w.max_percent && f.max_percent && *w.max_percent > *f.max_percent) {
    Error(ValueLoc(*warn),
          fmt::format("'warn': max_percent {} is above the fail limit max_percent {}; a check "
                      "fails before it could warn, so give 'warn' the lower limit",
                      *w.max_percent, *f.max_percent));
  }
  if (count == nullptr && percent == nullptr && fail == nullptr && warn == nullptr) {
    check.thresholds.fail.max_count = 0;  // no limits: any violation fails
  }
}

void Parser::ParseTypeParams(std::string_view type, const Entries& pe, const SourceLocation& loc,
                             CheckSpec& check, std::vector<std::string>& missing_columns) {
  const std::string context = fmt::format("in check '{}'", type);
  // The single `column` most types need; "" when absent or broken (already reported).
  const auto column = [&]() -> std::string {
    const Entry* e = Find(pe, "column");
    if (e == nullptr) {
      Error(loc, fmt::format("missing required key 'column' {}", context));
      return "";
    }
    std::optional<std::string> c = GetString(*e);
    if (c) check.columns = {*c};
    return c.value_or("");
  };
  const auto required = [&](std::string_view key) -> const Entry* {
    const Entry* e = Find(pe, key);
    if (e == nullptr) Error(loc, fmt::format("missing required key '{}' {}", key, context));
    return e;
  };
  const auto date_format = [&]() {
    const Entry* e = Find(pe, "date_format");
    return e != nullptr ? GetDateFormat(*e).value_or(DateFormat::kIso) : DateFormat::kIso;
  };

  if (type == "row_count") {
    RowCountParams p;
    if (const Entry* e = Find(pe, "min")) p.min = GetInt(*e, 0);
    if (const Entry* e = Find(pe, "max")) p.max = GetInt(*e, 0);
    if (Find(pe, "min") == nullptr && Find(pe, "max") == nullptr) {
      Error(loc, "check 'row_count' needs 'min' or 'max'");
    } else if (p.min && p.max && *p.min > *p.max) {
      Error(loc, fmt::format("'min' ({}) is greater than 'max' ({})", *p.min, *p.max));
    }
    check.params = p;
  } else if (type == "missing") {
    MissingParams p;
    const Entry* one = Find(pe, "column");
    const Entry* many = Find(pe, "columns");
    if (one != nullptr && many != nullptr) {
      Error(Loc(many->key_node), "give either 'column' or 'columns', not both");
    } else if (many != nullptr) {
      if (auto cols = GetStringList(*many, false, true)) missing_columns = *cols;
    } else if (one != nullptr) {
      if (auto c = GetString(*one)) missing_columns = {*c};
    } else {
      Error(loc, fmt::format("missing required key 'columns' {}", context));
    }
    if (const Entry* e = Find(pe, "missing_values")) {
      if (auto values = GetStringList(*e, true, false)) p.missing_values = *values;
    }
    if (const Entry* e = Find(pe, "blank_is_missing")) {
      p.blank_is_missing = GetBool(*e).value_or(true);
    }
    check.params = p;
  } else if (type == "duplicate") {
    if (const Entry* e = required("columns")) {
      if (auto cols = GetStringList(*e, false, true)) check.columns = *cols;
    }
    check.params = DuplicateParams{};
  } else if (type == "freshness") {
    FreshnessParams p;
    column();
    if (const Entry* e = required("max_age")) p.max_age = GetDuration(*e).value_or(Duration{});
    p.date_format = date_format();
    check.params = p;
  } else if (type == "stale") {
    StaleParams p;
    column();
    if (const Entry* e = required("older_than")) {
      p.older_than = GetDuration(*e).value_or(Duration{});
    }
    p.date_format = date_format();
    check.params = p;
  } else if (type == "pattern") {
    PatternParams p;
    column();
    if (const Entry* e = required("regex")) {
      if (auto regex = GetString(*e)) {
        const RE2 re(*regex, RE2::Quiet);
        if (!re.ok()) {
          Error(ValueLoc(*e), fmt::format("invalid regex '{}': {}", *regex, re.error()));
        }
        p.regex = *regex;
      }
    }
    check.params = p;
  } else if (type == "allowed") {
    AllowedParams p;
    column();
    if (const Entry* e = required("values")) {
      if (auto values = GetStringList(*e, false, false)) p.values = *values;
    }
    if (const Entry* e = Find(pe, "normalize")) p.normalize = GetBool(*e).value_or(true);
    check.params = p;
  } else if (type == "range") {
    RangeParams p;
    column();
    const Entry* min = Find(pe, "min");
    const Entry* max = Find(pe, "max");
    if (min != nullptr) p.min = GetBound(*min);
    if (max != nullptr) p.max = GetBound(*max);
    const Entry* format = Find(pe, "date_format");
    p.date_format = date_format();
    if (min == nullptr && max == nullptr) {
      Error(loc, "check 'range' needs 'min' or 'max'");
    } else if (p.min && p.max && p.min->is_date() != p.max->is_date()) {
      Error(ValueLoc(*max), "'min' and 'max' must both be numbers or both be dates");
    } else if (p.min && p.max && !p.min->is_date() && p.min->number > p.max->number) {
      Error(loc,
            fmt::format("'min' ({}) is greater than 'max' ({})", p.min->number, p.max->number));
    } else if (p.min && p.max && p.min->kind == Bound::Kind::kDate &&
               p.max->kind == Bound::Kind::kDate && p.min->day > p.max->day) {
      Error(loc, fmt::format("'min' ({}) is after 'max' ({})", FormatDay(p.min->day),
                             FormatDay(p.max->day)));
    } else if (p.min && p.max && p.min->kind == Bound::Kind::kToday &&
               p.max->kind == Bound::Kind::kToday && AlwaysAfter(*p.min, *p.max)) {
      Error(loc, fmt::format("'min' ({}) is after 'max' ({}) whatever the day",
                             min->value.Scalar(), max->value.Scalar()));
    }
    const bool numeric = (p.min && !p.min->is_date()) || (p.max && !p.max->is_date());
    if (format != nullptr && numeric) {
      Error(Loc(format->key_node), "'date_format' applies only to date bounds");
    }
    check.params = p;
  } else if (type == "reference") {
    ReferenceParams p;
    column();
    if (const Entry* e = required("table")) {
      if (auto ref = GetTableRef(*e)) std::tie(p.schema, p.table) = *ref;
    }
    if (const Entry* e = required("ref_column")) p.column = GetString(*e).value_or("");
    check.params = p;
  } else if (type == "coverage") {
    CoverageParams p;
    column();
    if (const Entry* e = required("expected")) {
      if (!e->value.IsMap()) {
        Error(ValueLoc(*e), "'expected': expected a map {table: <table>, column: <column>}");
      } else {
        const Entries ee = ReadMap(e->value, &ExpectedKeys(), "in 'expected'");
        const SourceLocation eloc = Loc(e->value);
        Require(ee, "table", eloc, "in 'expected'");
        Require(ee, "column", eloc, "in 'expected'");
        if (const Entry* t = Find(ee, "table")) {
          if (auto ref = GetTableRef(*t)) std::tie(p.schema, p.table) = *ref;
        }
        if (const Entry* c = Find(ee, "column")) p.column = GetString(*c).value_or("");
      }
    }
    if (const Entry* e = Find(pe, "min_rows")) p.min_rows = GetInt(*e, 1).value_or(1);
    check.params = p;
  } else if (type == "condition") {
    ConditionParams p;
    if (const Entry* e = required("invalid_when")) p.invalid_when = GetString(*e).value_or("");
    check.params = p;
  } else if (type == "sql") {
    SqlParams p;
    if (const Entry* e = required("query")) p.query = GetString(*e).value_or("");
    if (const Entry* e = Find(pe, "min")) p.min = GetNumber(*e);
    if (const Entry* e = Find(pe, "max")) p.max = GetNumber(*e);
    if (Find(pe, "min") == nullptr && Find(pe, "max") == nullptr) {
      Error(loc, "check 'sql' needs 'min' or 'max' to compare the query's number with");
    } else if (p.min && p.max && *p.min > *p.max) {
      Error(loc, fmt::format("'min' ({}) is greater than 'max' ({})", *p.min, *p.max));
    }
    check.params = p;
  }
}

void Parser::ParsePluginParams(const plugins::PluginCheckRef& ref, const Entries& pe,
                               const SourceLocation& loc, CheckSpec& check) {
  const plugins::PluginCheckInfo& info = ref.check();
  const std::string type = ref.plugin->info().sector + "." + info.name;
  nlohmann::json values = nlohmann::json::object();
  for (const plugins::ParamInfo& p : info.params) {
    const Entry* e = Find(pe, p.name);
    if (e == nullptr) {
      if (p.required) {
        Error(loc, fmt::format("missing required key '{}' in check '{}' ({}: {})", p.name, type,
                               plugins::ToString(p.type), p.description));
      }
      continue;
    }
    switch (p.type) {
      case plugins::ParamType::kColumn:
        if (auto s = GetString(*e)) {
          values[p.name] = *s;
          check.columns.push_back(*s);
        }
        break;
      case plugins::ParamType::kString:
        if (auto s = GetString(*e)) values[p.name] = *s;
        break;
      case plugins::ParamType::kNumber:
        if (auto n = GetNumber(*e)) values[p.name] = *n;
        break;
      case plugins::ParamType::kInteger:
        if (std::optional<int64_t> n = e->value.IsScalar() ? ParseInt(e->value.Scalar())
                                                           : std::nullopt) {
          values[p.name] = *n;
        } else {
          Error(ValueLoc(*e), fmt::format("'{}': expected a whole number{}", p.name,
                                          e->value.IsScalar()
                                              ? fmt::format(", got '{}'", e->value.Scalar())
                                              : ""));
        }
        break;
      case plugins::ParamType::kDuration:
        if (auto d = GetDuration(*e)) values[p.name] = d->ToString();
        break;
      case plugins::ParamType::kBool:
        if (auto b = GetBool(*e)) values[p.name] = *b;
        break;
      case plugins::ParamType::kStringList:
        if (auto l = GetStringList(*e, /*allow_empty=*/true, /*unique=*/false)) values[p.name] = *l;
        break;
    }
  }
  check.params = PluginCheckParams{ref.plugin->info().sector, info.name, values.dump()};
}

void Parser::ParseRefusedPluginParams(const plugins::PluginLoadFailure& refused,
                                      const Entries& pe, CheckSpec& check) {
  const Names& common = CommonCheckKeys();
  nlohmann::json values = nlohmann::json::object();
  for (const Entry& e : pe) {
    if (std::find(common.begin(), common.end(), e.key) != common.end()) continue;
    if (e.value.IsScalar()) values[e.key] = e.value.Scalar();
    if (e.key == "column" && e.value.IsScalar()) check.columns.push_back(e.value.Scalar());
  }
  const size_t dot = check.type.find('.');
  check.params = PluginCheckParams{
      check.type.substr(0, dot), check.type.substr(dot + 1), values.dump(),
      // The host's reason names the library file and the cause.
      fmt::format("plugin {} unavailable: {}", check.type.substr(0, dot), refused.reason)};
}

ParsedRuleFile Parser::Parse(const std::string& text) {
  ParsedRuleFile out;
  SourceSpec& source = out.source;
  source_ = &source;
  std::error_code ec;
  const fs::path absolute = fs::absolute(file_, ec);
  source.rule_file = (ec ? fs::path(file_) : absolute).lexically_normal().string();
  source.location = {file_, 1, 1};

  // A text that is not YAML is reported once, at its position, and nothing else is: what the
  // parser would find in the rest (a quote that swallowed the file) is only noise.
  LoadedYaml loaded = LoadYaml(text);
  if (loaded.problem) {
    Error({file_, loaded.problem->line, loaded.problem->column}, loaded.problem->message);
    return out;
  }
  const YAML::Node root = loaded.root;
  if (!root.IsDefined() || root.IsNull()) {
    Error({file_, 1, 1}, "the rule file is empty: expected source, department, database, tables");
    return out;
  }
  if (!root.IsMap()) {
    Error(Loc(root), "a rule file must be a map with keys source, department, database, tables");
    return out;
  }
  try {
    const Entries top = ReadMap(root, &TopLevelKeys(), "at the top level");
    const SourceLocation root_loc = Loc(root);
    for (std::string_view key : {"source", "department", "database", "tables"}) {
      Require(top, key, root_loc, "at the top level");
    }
    if (const Entry* e = Find(top, "source")) {
      if (auto id = GetString(*e)) {
        if (IsSourceId(*id)) {
          source.id = *id;
          source.location = ValueLoc(*e);
          out.has_id = true;
        } else {
          Error(ValueLoc(*e), fmt::format("source id '{}' may contain only letters, digits, '_' "
                                          "and '-'",
                                          *id));
        }
      }
    }
    if (const Entry* e = Find(top, "department")) source.department = GetString(*e).value_or("");
    if (const Entry* e = Find(top, "sector")) source.sector = GetString(*e).value_or("");
    if (const Entry* e = Find(top, "database")) ParseDatabase(*e, source);
    if (const Entry* e = Find(top, "attach")) ParseAttach(*e, out);
    if (const Entry* e = Find(top, "today")) {
      if (auto today = GetString(*e)) {
        source.today_day = ParseIsoDay(*today);
        if (!source.today_day) {
          Error(ValueLoc(*e), fmt::format("'today': expected a date YYYY-MM-DD, got '{}'", *today));
        }
      }
    }
    if (const Entry* e = Find(top, "utc_offset")) {
      if (auto offset = GetString(*e)) {
        source.utc_offset_minutes = ParseUtcOffset(*offset);
        if (!source.utc_offset_minutes) {
          Error(ValueLoc(*e),
                fmt::format("'utc_offset': expected \"+HH:MM\", \"-HH:MM\" or \"Z\" (e.g. "
                            "\"+07:00\" for Vietnam), got '{}'",
                            *offset));
        }
      }
    }
    if (const Entry* e = Find(top, "tables")) ParseTables(*e, source);
  } catch (const YAML::Exception& e) {
    // Only reachable through a yaml-cpp bug: every access above checks the node type first.
    Error({file_, 1, 1}, std::string("YAML error: ") + e.what());
  }
  source_ = nullptr;
  return out;
}

}  // namespace

const std::vector<std::string_view>& BuiltinCheckTypes() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> n;
    for (const CheckTypeInfo& t : CheckTypeInfos()) n.push_back(t.name);
    return n;
  }();
  return names;
}

const std::vector<std::string_view>& RuleFileTopLevelKeys() { return TopLevelKeys(); }

bool LooksLikeRuleFile(const std::string& yaml_text) {
  const LoadedYaml loaded = LoadYaml(yaml_text);
  if (loaded.problem) return true;
  const YAML::Node& root = loaded.root;
  if (!root.IsMap()) return true;
  for (const auto& entry : root) {
    if (!entry.first.IsScalar()) continue;
    const std::string key = entry.first.Scalar();
    if (std::find(TopLevelKeys().begin(), TopLevelKeys().end(), key) != TopLevelKeys().end()) {
      return true;
    }
  }
  return false;
}

ParsedRuleFile ParseRuleFile(const std::string& yaml_text, const std::string& file_name,
                             Diagnostics& diags) {
  Parser parser(file_name, diags);
  return parser.Parse(yaml_text);
}

}  // namespace dqa::rules
