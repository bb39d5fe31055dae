// ValidateAgainstDatabases: checks rule files against the real schemas, read-only, compiling every
// SQL fragment without running it.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/checks/params.h"
#include "core/model/result.h"
#include "core/rules/diagnostics.h"
#include "core/rules/loader.h"
#include "core/sources/open_source.h"
#include "core/sources/sqlite_db.h"
#include "dqaudit/text.h"

namespace dqa {
namespace {

using rules::Diagnostics;

using sdk::ToLowerAscii;

// True when SQLite refused to compile a fragment because the database lacks a table or column it
// names: the database changed, not the rule (a syntax error stays the rule's fault).
bool IsMissingObjectError(std::string_view sqlite_message) {
  return sqlite_message.starts_with("no such column") || sqlite_message.starts_with("no such table");
}

// True when the SQL guard (core/sources/sql_guard.h) refused a construct of a fragment.
bool IsRefusedBySqlGuard(std::string_view sqlite_message) {
  return sqlite_message.find(kRefusedInRuleSql) != std::string_view::npos;
}

// The checks of one source against its open connection. With `broken` set, what the database
// lacks (tables, columns, objects a fragment names) and SQL the guard refuses are recorded per check
// there instead of being reported as rule problems.
class SourceValidator {
 public:
  SourceValidator(const SourceSpec& source, SourceDb& db, Diagnostics& diags,
                  std::map<std::string, std::string>* broken)
      : source_(source), db_(db), diags_(diags), broken_(broken) {}

  void Run() {
    for (const TableSpec& table : source_.tables) ValidateTable(table);
    ValidateRecordTime();
  }

 private:
  // Columns of `schema.table` (schema "" = main), cached; nullptr (and a diagnostic at `loc`) when
  // the table does not exist.
  const std::vector<ColumnInfo>* Columns(const std::string& schema, const std::string& table,
                                         const SourceLocation& loc) {
    const std::string key = ToLowerAscii(db_.SchemaOr(schema)) + "." + ToLowerAscii(table);
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
    if (missing_.count(key) != 0) {
      ReportDrift(loc, MissingTableMessage(schema, table));
      return nullptr;
    }
    Result<std::vector<ColumnInfo>> columns = db_.TableColumns(db_.SchemaOr(schema), table);
    if (!columns.ok()) {
      missing_.insert(key);
      if (columns.status().code() == StatusCode::kNotFound) {
        ReportDrift(loc, MissingTableMessage(schema, table));
      } else {
        Report(loc, fmt::format("cannot read table {}: {}", table, columns.status().message()));
      }
      return nullptr;
    }
    return &cache_.emplace(key, std::move(columns).value()).first->second;
  }

  // `delivery: {record_time: {table, column}}` names a table and column of the database. Only
  // `rules check` refuses a missing one: a scan reports it in the delivery finding instead.
  void ValidateRecordTime() {
    if (broken_ != nullptr || !source_.delivery || source_.delivery->record_table.empty()) return;
    const DeliverySpec& d = *source_.delivery;
    if (const std::vector<ColumnInfo>* columns = Columns("", d.record_table, d.location)) {
      CheckColumn(*columns, d.record_table, d.record_column, d.location, "record_time column");
    }
  }

  std::string MissingTableMessage(const std::string& schema, const std::string& table) {
    Result<std::vector<std::string>> tables = db_.TableNamesIn(db_.SchemaOr(schema));
    const std::vector<std::string> names = tables.ok() ? *tables : std::vector<std::string>();
    const auto attached = source_.attach.find(schema);
    const std::string where =
        schema.empty()
            ? fmt::format("the database of source '{}'", source_.id)
            : fmt::format("attached source '{}' (alias {})",
                          attached != source_.attach.end() ? attached->second : "?", schema);
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    // A scan states the change ("no longer"); `rules check` the mismatch.
    return fmt::format("table '{}' {} {} (tables: {})", table,
                       broken_ != nullptr ? "is no longer in" : "not found in", where,
                       list.empty() ? "none" : list);
  }

  bool HasColumn(const std::vector<ColumnInfo>& columns, const std::string& name) {
    const std::string lower = ToLowerAscii(name);
    for (const ColumnInfo& c : columns) {
      if (ToLowerAscii(c.name) == lower) return true;
    }
    return false;
  }

  // Reports a missing column; `what` names the role ("key column", "column"...).
  void CheckColumn(const std::vector<ColumnInfo>& columns, const std::string& table,
                   const std::string& column, const SourceLocation& loc, std::string_view what) {
    if (HasColumn(columns, column)) return;
    std::string list;
    for (const ColumnInfo& c : columns) list += (list.empty() ? "" : ", ") + c.name;
    ReportDrift(loc, fmt::format("{} '{}' {} table {} (columns: {})", what, column,
                                 broken_ != nullptr ? "is no longer in" : "not found in", table,
                                 list));
  }

  // Compiles `sql` without running it (SourceDb::Compile). Rule SQL must be one read-only
  // statement: the fragments are pasted into a SELECT, so a tail would be a second statement
  // smuggled in.
  std::string Compile(const std::string& sql, int* column_count) {
    return db_.Compile(sql, column_count);
  }

  void ValidateTable(const TableSpec& table) {
    // Problems of the table itself (missing, key column, filter) concern all of its checks.
    scope_.clear();
    for (const CheckSpec& check : table.checks) scope_.push_back(check.id);
    const std::vector<ColumnInfo>* columns = Columns("", table.name, table.location);
    if (columns == nullptr) return;
    for (const std::string& key : table.key) {
      CheckColumn(*columns, table.name, key, table.location, "key column");
    }
    const std::string from = "SELECT 1 FROM " + db_.QualifiedTable(table.name);
    bool filter_ok = true;
    if (!table.filter.empty()) {
      const std::string problem = Compile(from + " WHERE (" + table.filter + ")", nullptr);
      if (!problem.empty()) {
        filter_ok = false;
        ReportFragment(table.location, problem,
                       fmt::format("filter of table {} does not compile: {}", table.name, problem));
      }
    }
    for (const CheckSpec& check : table.checks) {
      scope_ = {check.id};
      ValidateCheck(table, *columns, check, from, filter_ok ? table.filter : "");
    }
    scope_.clear();
  }

  // Compiles a condition parameter (`name`) of `check` against `table`.
  void ValidateCondition(const TableRef& table, const std::string& condition,
                         const std::string& name, const CheckSpec& check) {
    const std::string problem =
        Compile(fmt::format("SELECT ({}) FROM {}", condition,
                            db_.QualifiedTable(table.table, table.schema)),
                nullptr);
    if (!problem.empty()) {
      ReportFragment(check.location, problem,
                     fmt::format("'{}' of check {} does not compile: {}", name, check.id,
                                 problem));
    }
  }

  // A map parameter with a `table` field: that table exists, and its column and condition fields
  // name that table's columns (catalog.h ParamType::kMap).
  void ValidateMap(const ParamSpec& param, const nlohmann::json& value, const CheckSpec& check) {
    const auto table_field =
        std::find_if(param.fields.begin(), param.fields.end(), [](const ParamSpec& f) {
          return f.name == "table" && f.type == ParamType::kTable;
        });
    if (table_field == param.fields.end() || !value.contains("table")) return;
    const TableRef ref = SplitTableRef(value["table"].get<std::string>());
    const std::vector<ColumnInfo>* columns = Columns(ref.schema, ref.table, check.location);
    if (columns == nullptr) return;
    for (const ParamSpec& f : param.fields) {
      if (!value.contains(f.name)) continue;
      const nlohmann::json& v = value[f.name];
      const std::string name = param.name + "." + f.name;
      if (f.type == ParamType::kColumn || f.type == ParamType::kColumns) {
        for (const nlohmann::json& c : v.is_array() ? v : nlohmann::json::array({v})) {
          CheckColumn(*columns, ref.table, c.get<std::string>(), check.location,
                      name + " column");
        }
      } else if (f.type == ParamType::kSqlCondition) {
        ValidateCondition(ref, v.get<std::string>(), name, check);
      }
    }
  }

  void ValidateCheck(const TableSpec& table, const std::vector<ColumnInfo>& columns,
                     const CheckSpec& check, const std::string& from, const std::string& filter) {
    const SourceLocation& loc = check.location;
    for (const std::string& column : check.columns) {
      CheckColumn(columns, table.name, column, loc, "column");
    }
    for (const BySpec& by : check.by) {
      CheckColumn(columns, table.name, by.column, loc, "'by' column");
      if (!by.label_table.empty()) {
        const TableRef ref = SplitTableRef(by.label_table);
        if (const auto* label_columns = Columns(ref.schema, ref.table, loc)) {
          CheckColumn(*label_columns, ref.table, by.label_key, loc, "'by' labels key column");
          CheckColumn(*label_columns, ref.table, by.label_column, loc, "'by' labels label column");
        }
      }
      if (by.map_table.empty()) continue;
      const TableRef ref = SplitTableRef(by.map_table);
      if (const auto* map_columns = Columns(ref.schema, ref.table, loc)) {
        CheckColumn(*map_columns, ref.table, by.map_key, loc, "'by' map key column");
        CheckColumn(*map_columns, ref.table, by.map_unit, loc, "'by' map unit column");
      }
    }
    if (!check.where.empty()) {
      std::string sql = from + " WHERE ";
      if (!filter.empty()) sql += "(" + filter + ") AND ";
      sql += "(" + check.where + ")";
      const std::string problem = Compile(sql, nullptr);
      if (!problem.empty()) {
        ReportFragment(loc, problem,
                       fmt::format("'where' of check {} does not compile: {}", check.id, problem));
      }
    }
    // The parameters that name something in the database, by their type in the catalogue.
    const CheckType* type = Catalog().Find(check.type);
    if (type == nullptr) return;  // an unavailable plugin check: its parameters are unknown
    const ParamReader params(type->info(), check.params);
    for (const ParamSpec& p : type->info().params) {
      if (!check.params.contains(p.name)) continue;
      switch (p.type) {
        case ParamType::kForeignColumn: {
          const TableRef ref = params.Table(p.table_param);
          if (const auto* ref_columns = Columns(ref.schema, ref.table, loc)) {
            CheckColumn(*ref_columns, ref.table, params.String(p.name), loc, p.name);
          }
          break;
        }
        case ParamType::kTableColumn: {
          const auto [ref, column] = params.TableColumn(p.name);
          if (const auto* ref_columns = Columns(ref.schema, ref.table, loc)) {
            CheckColumn(*ref_columns, ref.table, column, loc, p.name + " column");
          }
          break;
        }
        case ParamType::kSqlCondition:
          ValidateCondition({"", table.name}, params.String(p.name), p.name, check);
          break;
        case ParamType::kMap:
          ValidateMap(p, check.params[p.name], check);
          break;
        case ParamType::kSqlQuery: {
          int column_count = 0;
          const std::string problem = Compile(params.String(p.name), &column_count);
          if (!problem.empty()) {
            ReportFragment(loc, problem,
                           fmt::format("'{}' of check {} does not compile: {}", p.name, check.id,
                                       problem));
          } else if (column_count != 1) {
            Report(loc, fmt::format("'{}' of check {} must return exactly one column (a number), "
                                    "but it returns {}",
                                    p.name, check.id, column_count));
          }
          break;
        }
        default:
          break;
      }
    }
  }

  void Report(const SourceLocation& loc, std::string message) {
    diags_.Add(loc, std::move(message));
  }

  // Something the database lacks: a rule problem for `rules check`, else an error of every check
  // in scope (the first reason given for a check is kept).
  void ReportDrift(const SourceLocation& loc, const std::string& message) {
    ReportBroken(loc, std::string(kSchemaDriftPrefix) + message, message);
  }

  // With `broken_` (scan, nightly), `check_message` becomes the error of every check in scope;
  // without (rules check), `rule_message` is a rule problem.
  void ReportBroken(const SourceLocation& loc, const std::string& check_message,
                    const std::string& rule_message) {
    if (broken_ == nullptr || scope_.empty()) return Report(loc, rule_message);
    for (const std::string& id : scope_) broken_->emplace(id, check_message);
  }

  // A fragment that did not compile: drift when SQLite says a table or column is missing; a
  // construct the SQL guard refuses (ATTACH, a write, a forbidden function...) is an error of the
  // checks concerned when scanning, as hostile SQL must never stop the other checks.
  void ReportFragment(const SourceLocation& loc, const std::string& sqlite_message,
                      const std::string& message) {
    if (IsMissingObjectError(sqlite_message)) return ReportDrift(loc, message);
    if (IsRefusedBySqlGuard(sqlite_message)) return ReportBroken(loc, message, message);
    Report(loc, message);
  }

  const SourceSpec& source_;
  SourceDb& db_;
  Diagnostics& diags_;
  std::map<std::string, std::string>* broken_;  // check id -> why it cannot run; may be null
  std::vector<std::string> scope_;  // ids of the checks a problem found now concerns
  std::map<std::string, std::vector<ColumnInfo>> cache_;  // "schema.table" (lower case) -> columns
  std::set<std::string> missing_;                         // tables known not to exist
};

}  // namespace

Status ValidateAgainstDatabases(const std::vector<SourceSpec>& sources,
                                std::vector<std::string>* unreachable,
                                BrokenChecksBySource* broken) {
  Diagnostics diags;
  std::map<std::string, const SourceSpec*> by_id;
  for (const SourceSpec& s : sources) by_id.emplace(s.id, &s);
  for (const SourceSpec& source : sources) {
    OpenSourceOptions options;
    options.snapshot = false;
    bool attached = true;
    for (const auto& [alias, target] : source.attach) {
      const auto it = by_id.find(target);
      if (it == by_id.end()) {
        diags.Add(source.location,
                  fmt::format("attach '{}' names unknown source '{}'", alias, target));
        attached = false;
      } else {
        options.attach[alias] =
            it->second->connection.empty() ? it->second->db_path : it->second->connection;
      }
    }
    if (!attached) continue;
    // A database that cannot be opened or attached: the scan of this source fails the same way
    // and says why.
    Result<std::unique_ptr<SourceDb>> db = OpenSourceDb(source, options);
    if (!db.ok()) {
      if (unreachable != nullptr) unreachable->push_back(source.id);
      continue;
    }
    std::map<std::string, std::string>* source_broken = nullptr;
    if (broken != nullptr) source_broken = &(*broken)[source.id];
    SourceValidator(source, **db, diags, source_broken).Run();
    if (broken != nullptr && source_broken->empty()) broken->erase(source.id);
  }
  return diags.ToStatus();
}

}  // namespace dqa
