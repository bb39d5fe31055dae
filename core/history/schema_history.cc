#include "core/history/schema_history.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "dqaudit/text.h"

namespace dqa {
namespace {

using nlohmann::json;
using sdk::ToLowerAscii;

// The columns of a table by lower-case name.
std::map<std::string, const SchemaColumn*> ByName(const std::vector<SchemaColumn>& columns) {
  std::map<std::string, const SchemaColumn*> out;
  for (const SchemaColumn& c : columns) out.emplace(ToLowerAscii(c.name), &c);
  return out;
}

size_t PositionOf(const std::vector<SchemaColumn>& columns, const SchemaColumn* column) {
  return static_cast<size_t>(column - columns.data());
}

// The changes of one table kept from `before` to `after`.
void CompareColumns(const SchemaTable& before, const SchemaTable& after,
                    std::vector<std::string>& changes) {
  const auto old_columns = ByName(before.columns);
  const auto new_columns = ByName(after.columns);
  std::vector<const SchemaColumn*> dropped, added;
  for (const SchemaColumn& c : before.columns) {
    if (new_columns.count(ToLowerAscii(c.name)) == 0) dropped.push_back(&c);
  }
  for (const SchemaColumn& c : after.columns) {
    auto it = old_columns.find(ToLowerAscii(c.name));
    if (it == old_columns.end()) {
      added.push_back(&c);
    } else if (ToLowerAscii(it->second->type) != ToLowerAscii(c.type)) {
      changes.push_back(fmt::format("column {}.{} retyped from {} to {}", after.name, c.name,
                                    it->second->type.empty() ? "(none)" : it->second->type,
                                    c.type.empty() ? "(none)" : c.type));
    }
  }
  for (const SchemaColumn* gone : dropped) {
    const auto renamed = std::find_if(added.begin(), added.end(), [&](const SchemaColumn* c) {
      return c != nullptr && PositionOf(after.columns, c) == PositionOf(before.columns, gone) &&
             ToLowerAscii(c->type) == ToLowerAscii(gone->type);
    });
    if (renamed != added.end()) {
      changes.push_back(
          fmt::format("column {}.{} renamed to {}", after.name, gone->name, (*renamed)->name));
      *renamed = nullptr;
    } else {
      changes.push_back(fmt::format("column {}.{} dropped", after.name, gone->name));
    }
  }
  for (const SchemaColumn* c : added) {
    if (c != nullptr) changes.push_back(fmt::format("column {}.{} added", after.name, c->name));
  }
}

Result<std::optional<RecordedSchema>> ReadOne(Statement& stmt) {
  DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<RecordedSchema>();
  RecordedSchema recorded;
  recorded.run_id = stmt.ColumnInt(0);
  recorded.since_run = stmt.ColumnInt(1);
  DQA_ASSIGN_OR_RETURN(recorded.schema, ParseSchemaJson(std::string(stmt.ColumnText(2))));
  return std::optional<RecordedSchema>(std::move(recorded));
}

}  // namespace

Result<SourceSchema> ReadSourceSchema(SourceDb& db) {
  DQA_ASSIGN_OR_RETURN(std::vector<std::string> names, db.TableNames());
  SourceSchema schema;
  for (std::string& name : names) schema.tables.push_back({std::move(name), {}});
  for (SchemaTable& table : schema.tables) {
    DQA_ASSIGN_OR_RETURN(std::vector<ColumnInfo> columns,
                         db.TableColumns(db.MainSchema(), table.name));
    for (const ColumnInfo& c : columns) table.columns.push_back({c.name, c.declared_type});
  }
  return schema;
}

std::string SchemaJson(const SourceSchema& schema) {
  json tables = json::array();
  for (const SchemaTable& t : schema.tables) {
    json columns = json::array();
    for (const SchemaColumn& c : t.columns) columns.push_back({{"name", c.name}, {"type", c.type}});
    tables.push_back({{"name", t.name}, {"columns", std::move(columns)}});
  }
  return json{{"tables", std::move(tables)}}.dump();
}

Result<SourceSchema> ParseSchemaJson(const std::string& text) {
  try {
    const json j = json::parse(text);
    SourceSchema schema;
    for (const json& t : j.at("tables")) {
      SchemaTable table{t.at("name").get<std::string>(), {}};
      for (const json& c : t.at("columns")) {
        table.columns.push_back({c.at("name").get<std::string>(), c.at("type").get<std::string>()});
      }
      schema.tables.push_back(std::move(table));
    }
    return schema;
  } catch (const json::exception& e) {
    return InvalidArgument(fmt::format("history store: a recorded schema is not valid: {}",
                                       e.what()));
  }
}

std::vector<std::string> CompareSchemas(const SourceSchema& before, const SourceSchema& after) {
  std::map<std::string, const SchemaTable*> old_tables, new_tables;
  for (const SchemaTable& t : before.tables) old_tables.emplace(ToLowerAscii(t.name), &t);
  for (const SchemaTable& t : after.tables) new_tables.emplace(ToLowerAscii(t.name), &t);
  std::vector<std::string> changes;
  for (const auto& [name, table] : old_tables) {
    if (new_tables.count(name) == 0) changes.push_back(fmt::format("table {} dropped", table->name));
  }
  for (const auto& [name, table] : new_tables) {
    auto it = old_tables.find(name);
    if (it == old_tables.end()) {
      changes.push_back(fmt::format("table {} added", table->name));
    } else {
      CompareColumns(*it->second, *table, changes);
    }
  }
  return changes;
}

Result<std::optional<RecordedSchema>> LatestSchemaBefore(HistoryStore& store,
                                                         const std::string& source,
                                                         int64_t run_id) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       store.db().Prepare("SELECT run_id, since_run, schema FROM source_schemas "
                                          "WHERE source = ? AND run_id < ? "
                                          "ORDER BY run_id DESC LIMIT 1"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, std::string_view(source)));
  DQA_RETURN_IF_ERROR(stmt.Bind(2, run_id));
  return ReadOne(stmt);
}

Result<std::optional<RecordedSchema>> SchemaOfRun(HistoryStore& store, const std::string& source,
                                                  int64_t run_id) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       store.db().Prepare("SELECT run_id, since_run, schema FROM source_schemas "
                                          "WHERE source = ? AND run_id = ?"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, std::string_view(source)));
  DQA_RETURN_IF_ERROR(stmt.Bind(2, run_id));
  return ReadOne(stmt);
}

Status RecordSchema(HistoryStore& store, const std::string& source,
                    const RecordedSchema& recorded) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       store.db().Prepare("INSERT OR REPLACE INTO source_schemas "
                                          "(run_id, source, since_run, schema) "
                                          "VALUES (?, ?, ?, ?)"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, recorded.run_id));
  DQA_RETURN_IF_ERROR(stmt.Bind(2, std::string_view(source)));
  DQA_RETURN_IF_ERROR(stmt.Bind(3, recorded.since_run));
  const std::string text = SchemaJson(recorded.schema);
  DQA_RETURN_IF_ERROR(stmt.Bind(4, std::string_view(text)));
  DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  (void)row;
  return Status::Ok();
}

}  // namespace dqa
