// The rule-file parser: the document, the source's keys and its tables. Checks are read by
// check_parser.cc, their parameters by check_params.cc, typed values by yaml_values.cc.
#include "core/rules/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/rules/env_substitution.h"
#include "core/rules/parser_impl.h"
#include "core/sources/pg_db.h"
#include "core/util/dates.h"
#include "core/util/yaml_load.h"

namespace dqa::rules {
namespace internal {
namespace {

namespace fs = std::filesystem;

// key, filter, checks, then the check types written under the table (CheckTypeInfo::table_level).
Names TableKeys() {
  Names k = {"key", "filter", "column_titles", "checks"};
  for (const CheckType* type : Catalog().All()) {
    if (type->info().table_level) k.push_back(type->name());
  }
  return k;
}

}  // namespace

const Names& TopLevelKeys() {
  static const Names k = {"source", "department", "sector", "database",      "attach",
                          "today",  "utc_offset", "delivery", "tables", "schema_changes"};
  return k;
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
    source.connection = *db;
    source.database = RedactDsn(*db);
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
  const Names table_keys = TableKeys();
  const Entries te = ReadMap(e.value, &table_keys, context);
  if (const Entry* k = Find(te, "key")) {
    if (auto key = GetStringList(*k, /*allow_empty=*/false, /*unique=*/true)) table.key = *key;
  }
  if (const Entry* f = Find(te, "filter")) {
    if (auto filter = GetString(*f)) table.filter = *filter;
  }
  column_titles_.clear();
  if (const Entry* t = Find(te, "column_titles")) ParseColumnTitles(*t);
  // The table-level checks (a schema contract) come first, in the order of the catalogue.
  bool table_level = false;
  for (const Entry& t : te) {
    const CheckType* type = Catalog().Find(t.key);
    if (type == nullptr || !type->info().table_level) continue;
    table_level = true;
    ParseCheckOf(*type, Loc(t.value.IsNull() ? t.key_node : t.value), t.value, table);
  }
  const Entry* checks = Find(te, "checks");
  if (checks == nullptr) {
    // A table may hold only its contract; without one it needs checks.
    if (!table_level) {
      Error(table.location, fmt::format("missing required key 'checks' {}", context));
    }
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
  SubstituteEnvironment(root, file_, diags_);
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
    if (const Entry* e = Find(top, "delivery")) ParseDelivery(*e, source);
    if (const Entry* e = Find(top, "schema_changes")) {
      if (auto value = GetString(*e)) {
        if (*value == "ignore") {
          source.schema_changes.reset();
        } else if (*value == "warn" || *value == "fail") {
          source.schema_changes = *ParseSeverity(*value);
        } else {
          Error(ValueLoc(*e),
                fmt::format("'schema_changes': expected fail, warn or ignore, got '{}'", *value));
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

}  // namespace internal

const std::vector<std::string_view>& RuleFileTopLevelKeys() { return internal::TopLevelKeys(); }

bool LooksLikeRuleFile(const std::string& yaml_text) {
  const LoadedYaml loaded = LoadYaml(yaml_text);
  if (loaded.problem) return true;
  const YAML::Node& root = loaded.root;
  if (!root.IsMap()) return true;
  for (const auto& entry : root) {
    if (!entry.first.IsScalar()) continue;
    const std::string key = entry.first.Scalar();
    if (std::find(internal::TopLevelKeys().begin(), internal::TopLevelKeys().end(), key) != internal::TopLevelKeys().end()) {
      return true;
    }
  }
  return false;
}

ParsedRuleFile ParseRuleFile(const std::string& yaml_text, const std::string& file_name,
                             Diagnostics& diags) {
  internal::Parser parser(file_name, diags);
  return parser.Parse(yaml_text);
}

}  // namespace dqa::rules
