// Checks of a rule file: the type (looked up in the check catalogue), the keys every check has
// (id, title, severity, dimension, where, thresholds) and the one-check-per-column rules.
#include <fmt/format.h>

#include <algorithm>

#include "core/rules/parser_impl.h"

namespace dqa::rules::internal {

const Names& CommonCheckKeys() {
  static const Names k = {"id",          "title", "severity", "dimension", "where", "max_count",
                          "max_percent", "warn",  "fail",     "by"};
  return k;
}

namespace {

const Names& ByEntryKeys() {
  static const Names k = {"column", "map", "labels"};
  return k;
}
const Names& ByMapKeys() {
  static const Names k = {"table", "key", "unit"};
  return k;
}
const Names& ByLabelsKeys() {
  static const Names k = {"table", "key", "label"};
  return k;
}

}  // namespace

void Parser::ParseBy(const Entry& e, const CheckType* type, CheckSpec& check) {
  if (type != nullptr && !type->info().takes_by()) {
    std::vector<std::string_view> with_by;
    for (const CheckType* t : Catalog().All()) {
      if (t->info().takes_by() && t->info().origin == "built-in") with_by.push_back(t->name());
    }
    Error(Loc(e.key_node),
          fmt::format("check type '{}' does not support 'by': its result has no per-unit figure "
                      "(built-in types that do: {})",
                      type->name(), JoinNames(with_by)));
    return;
  }
  // `by: ma_xa` is short for `by: [ma_xa]`.
  std::vector<YAML::Node> items;
  if (e.value.IsSequence() && e.value.size() > 0) {
    for (const auto& item : e.value) items.push_back(item);
  } else if (e.value.IsScalar() && !e.value.Scalar().empty()) {
    items.push_back(e.value);
  } else {
    Error(ValueLoc(e), "'by': expected a non-empty list of unit columns, each a column name or "
                       "{column: <column>, map: {table: <table>, key: <column>, unit: <column>}}");
    return;
  }
  for (const YAML::Node& item : items) {
    BySpec by;
    if (item.IsScalar()) {
      by.column = item.Scalar();
    } else if (item.IsMap()) {
      const std::string context = "in an entry of 'by'";
      const size_t before = diags_.size();
      const Entries ee = ReadMap(item, &ByEntryKeys(), context);
      Require(ee, "column", Loc(item), context);
      if (const Entry* c = Find(ee, "column")) {
        if (auto column = GetString(*c)) by.column = *column;
      }
      if (const Entry* m = Find(ee, "map")) {
        if (!m->value.IsMap()) {
          Error(ValueLoc(*m), "'map': expected {table: <lookup table>, key: <its column holding "
                              "the codes of 'column'>, unit: <its column holding the unit>}");
        } else {
          const std::string map_context = "in 'map' of 'by'";
          const Entries me = ReadMap(m->value, &ByMapKeys(), map_context);
          for (std::string_view k : ByMapKeys()) Require(me, k, Loc(m->value), map_context);
          if (const Entry* t = Find(me, "table")) {
            if (auto table = GetTableRef(*t)) by.map_table = *table;
          }
          if (const Entry* k = Find(me, "key")) {
            if (auto key = GetString(*k)) by.map_key = *key;
          }
          if (const Entry* u = Find(me, "unit")) {
            if (auto unit = GetString(*u)) by.map_unit = *unit;
          }
        }
      }
      if (const Entry* l = Find(ee, "labels")) {
        if (!l->value.IsMap()) {
          Error(ValueLoc(*l), "'labels': expected {table: <lookup table>, key: <its column holding "
                              "the units>, label: <its column holding their names>}");
        } else {
          const std::string labels_context = "in 'labels' of 'by'";
          const Entries le = ReadMap(l->value, &ByLabelsKeys(), labels_context);
          for (std::string_view k : ByLabelsKeys()) Require(le, k, Loc(l->value), labels_context);
          if (const Entry* t = Find(le, "table")) {
            if (auto table = GetTableRef(*t)) by.label_table = *table;
          }
          if (const Entry* k = Find(le, "key")) {
            if (auto key = GetString(*k)) by.label_key = *key;
          }
          if (const Entry* c = Find(le, "label")) {
            if (auto label = GetString(*c)) by.label_column = *label;
          }
        }
      }
      if (diags_.size() != before) continue;
    } else {
      Error(Loc(item),
            "an entry of 'by' is a column name or {column: ..., map: {...}, labels: {...}}");
      continue;
    }
    for (const BySpec& other : check.by) {
      if (other.Name() == by.Name()) {
        Error(Loc(item), fmt::format("'by' names the unit '{}' twice", by.Name()));
      }
    }
    check.by.push_back(std::move(by));
  }
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
  // The check catalogue knows every type: built-in ones and those of the plugins known to this
  // process. A type it lists as unavailable (the host refused the library that would provide it)
  // is not a rule error (the rule may be right; the installation is wrong) but a check that ends
  // in error when scanned.
  const CheckType* check_type = Catalog().Find(type);
  const std::optional<std::string> unavailable =
      check_type == nullptr ? Catalog().UnavailableReason(type) : std::nullopt;
  if (check_type == nullptr && !unavailable) {
    UnknownType(type, loc);
    return;
  }
  if (check_type != nullptr && check_type->info().table_level) {
    Error(loc, fmt::format("check '{}' is written under the table, beside 'checks' (e.g. "
                           "'{}: {{columns: {{...}}}}'), not in the checks list",
                           type, type));
    return;
  }
  ParseCheckBody(type, check_type, unavailable, loc, params, table);
}

void Parser::ParseCheckOf(const CheckType& type, const SourceLocation& loc,
                          const YAML::Node& params, TableSpec& table) {
  ParseCheckBody(type.name(), &type, std::nullopt, loc, params, table);
}

void Parser::ParseCheckBody(const std::string& type, const CheckType* check_type,
                            const std::optional<std::string>& unavailable,
                            const SourceLocation& loc, const YAML::Node& params,
                            TableSpec& table) {
  if (!params.IsNull() && !params.IsMap()) {
    Error(Loc(params),
          fmt::format("parameters of check '{}' must be a map, e.g. '- {}: {{...}}'", type, type));
    return;
  }
  const size_t errors_before = diags_.size();
  Names allowed;
  for (std::string_view k : CommonCheckKeys()) {
    if (k != "where" || check_type == nullptr || check_type->info().takes_where()) {
      allowed.push_back(k);
    }
  }
  if (check_type != nullptr) {
    for (const ParamSpec& p : check_type->info().params) allowed.push_back(p.name);
  }
  const std::string context = fmt::format("in check '{}'", type);
  // The parameters of an unavailable type cannot be validated: its schema is unknown.
  const Entries pe =
      params.IsMap() ? ReadMap(params, check_type == nullptr ? nullptr : &allowed, context)
                     : Entries{};

  CheckSpec check;
  check.type = type;
  check.table = table.name;
  check.location = loc;
  check.dimension =
      check_type != nullptr ? check_type->info().dimension : Dimension::kValidity;
  std::optional<std::string> explicit_id;
  if (const Entry* e = Find(pe, "id")) explicit_id = GetString(*e);
  std::map<std::string, std::string> given_title;
  if (const Entry* e = Find(pe, "title")) given_title = GetTitles(*e).value_or(given_title);
  if (const Entry* e = Find(pe, "severity")) {
    if (auto s = GetSeverity(*e)) check.severity = *s;
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
  // A query check that takes `where` declares it as its own parameter (reconcile).
  const bool takes_where = check_type == nullptr || check_type->info().takes_where();
  if (const Entry* e = takes_where ? Find(pe, "where") : nullptr) {
    if (auto where = GetString(*e)) check.where = *where;
  }
  if (const Entry* e = Find(pe, "by")) ParseBy(*e, check_type, check);
  if (check_type != nullptr && !check_type->info().no_thresholds.empty()) {
    for (const Entry& e : pe) {
      if (e.key == "max_count" || e.key == "max_percent" || e.key == "warn" || e.key == "fail") {
        Error(Loc(e.key_node), fmt::format("'{}' does not apply to a check of type '{}': {}", e.key,
                                           type, check_type->info().no_thresholds));
      }
    }
  }
  ParseThresholds(pe, check);
  if (check_type != nullptr) {
    ParseParams(*check_type, pe, loc, check);
  } else {
    check.unavailable = *unavailable;
    ParseUnavailableParams(pe, check);
  }
  if (diags_.size() != errors_before) return;  // ids of broken checks would only add noise

  // A type with `per_column` makes one check per column ("missing: {columns: [a, b]}" is
  // missing:t.a and missing:t.b); an explicit id then gets the column as a suffix.
  std::vector<CheckSpec> specs;
  const std::string per_column = check_type != nullptr ? check_type->info().per_column : "";
  if (!per_column.empty()) {
    const std::vector<std::string> columns = check.columns;
    for (const std::string& column : columns) {
      CheckSpec one = check;
      one.columns = {column};
      for (const ParamSpec& p : check_type->info().params) {
        if (p.type == ParamType::kColumn || p.type == ParamType::kColumns) one.params.erase(p.name);
      }
      one.params[per_column] = nlohmann::json::array({column});
      if (explicit_id) {
        one.id = columns.size() == 1 ? *explicit_id : *explicit_id + "." + column;
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
    ResolveTitle(spec, given_title);
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

void Parser::UnknownType(const std::string& type, const SourceLocation& loc) {
  if (type.find('.') != std::string::npos) {
    const std::vector<std::string_view> installed = Catalog().PluginNames();
    std::string message = fmt::format(
        "check type '{}' is a plugin check, but no installed plugin provides it", type);
    if (installed.empty()) {
      message += " (no plugins are installed; see 'dqaudit plugins list' and --plugin-dir)";
    } else {
      const std::string suggestion = ClosestMatch(type, installed);
      if (!suggestion.empty()) message += fmt::format("; did you mean '{}'?", suggestion);
      message += fmt::format(" (installed plugin checks: {})", JoinNames(installed));
    }
    Error(loc, message);
    return;
  }
  const std::vector<std::string_view> builtin = Catalog().BuiltinNames();
  std::string message = fmt::format("unknown check type '{}'", type);
  const std::string suggestion = ClosestMatch(type, builtin);
  if (!suggestion.empty()) message += fmt::format("; did you mean '{}'?", suggestion);
  message += fmt::format(" (known types: {})", JoinNames(builtin));
  Error(loc, message);
}

}  // namespace dqa::rules::internal
