#include "core/plugins/fuzzy_clusters.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <utility>

#include "core/checks/fuzzy_duplicate.h"
#include "core/checks/params.h"
#include "core/sources/sqlite_value.h"
#include "dqaudit/text.h"

namespace dqa::plugins {
namespace {

constexpr char kKeyParam[] = "key";
constexpr char kRowid[] = "rowid";

// A cell as JSON: numbers and text as they are (BLOBs as their bytes: a key is shown, not used).
nlohmann::json Cell(const Value& v) {
  switch (v.type) {
    case Value::Type::kInteger: return v.integer;
    case Value::Type::kReal: return v.real;
    case Value::Type::kText:
    case Value::Type::kBlob: return std::string(v.bytes);
    default: return nullptr;
  }
}

std::string KeyText(const std::vector<nlohmann::json>& key) {
  std::vector<std::string> parts;
  for (const nlohmann::json& v : key) {
    parts.push_back(v.is_string() ? v.get<std::string>() : v.is_null() ? "NULL" : v.dump());
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

// The key columns a request asks for ("key", else rowid), removed from `params`.
Result<std::vector<std::string>> TakeKey(nlohmann::json& params) {
  if (!params.is_object() || !params.contains(kKeyParam)) return std::vector<std::string>{kRowid};
  const nlohmann::json key = params[kKeyParam];
  params.erase(kKeyParam);
  std::vector<std::string> columns;
  if (key.is_array()) {
    for (const nlohmann::json& c : key) {
      if (!c.is_string() || c.get_ref<const std::string&>().empty()) break;
      columns.push_back(c.get<std::string>());
    }
  }
  if (columns.empty() || columns.size() != key.size()) {
    return InvalidArgument("'key': expected a non-empty list of column names");
  }
  return columns;
}

// Refuses a column that `table` lacks, naming the table's columns.
Status RequireColumns(const std::vector<ColumnInfo>& info, const std::string& table,
                      const std::vector<std::string>& wanted) {
  std::vector<std::string> names;
  for (const ColumnInfo& c : info) names.push_back(c.name);
  for (const std::string& column : wanted) {
    if (sdk::ToLowerAscii(column) == kRowid) continue;
    const bool known = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
      return sdk::ToLowerAscii(n) == sdk::ToLowerAscii(column);
    });
    if (!known) {
      return InvalidArgument(fmt::format("unknown column '{}' in table {} (columns: {})", column,
                                         table, fmt::join(names, ", ")));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ClusterTable> FuzzyClusters(SourceDb& db, std::string_view table,
                                   std::string_view params_json) {
  nlohmann::json params = nlohmann::json::parse(params_json, nullptr, /*allow_exceptions=*/false);
  if (params.is_discarded()) {
    return InvalidArgument(fmt::format("the parameters are not valid JSON: {}", params_json));
  }
  DQA_ASSIGN_OR_RETURN(std::vector<std::string> key, TakeKey(params));
  const CheckType& type = RegisteredFuzzyDuplicateType();
  DQA_RETURN_IF_ERROR(ValidateParamsJson(type, params));
  const MatchSettings settings = FuzzyMatchSettings(ParamReader(type.info(), params));

  const TableRef ref = SplitTableRef(table);
  DQA_ASSIGN_OR_RETURN(std::vector<ColumnInfo> info,
                       db.TableColumns(db.SchemaOr(ref.schema), ref.table));
  std::vector<std::string> read = key;  // key columns, the name, then the fields
  read.push_back(settings.name_column);
  for (const MatchField& f : settings.fields) read.push_back(f.column);
  DQA_RETURN_IF_ERROR(RequireColumns(info, std::string(table), read));

  std::vector<std::string> select;
  const bool has_rowid_column = std::any_of(info.begin(), info.end(), [](const ColumnInfo& c) {
    return sdk::ToLowerAscii(c.name) == kRowid;
  });
  for (const std::string& c : read) {
    // The row identity of the engine (ctid on PostgreSQL) when the key is rowid.
    const bool rowid = sdk::ToLowerAscii(c) == kRowid && !has_rowid_column;
    select.push_back(rowid ? db.RowIdSql() : QuoteIdent(c));
  }
  const std::string from = db.QualifiedTable(ref.table, ref.schema);
  // It streams the whole table like the fused scan, so each step has the budget (not the sum).
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       db.Prepare(fmt::format("SELECT {} FROM {}", fmt::join(select, ", "), from),
                                  StepBudget::kPerStep));
  FuzzyMatcher matcher(settings);
  std::vector<std::vector<nlohmann::json>> keys;  // of each record the matcher holds
  const int name_at = static_cast<int>(key.size());
  std::vector<Value> fields(settings.fields.size());
  std::vector<const Value*> field_ptrs(fields.size());
  for (size_t f = 0; f < fields.size(); ++f) field_ptrs[f] = &fields[f];
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    for (size_t f = 0; f < fields.size(); ++f) {
      fields[f] = stmt.Read(name_at + 1 + static_cast<int>(f));
    }
    if (!matcher.Add(stmt.Read(name_at), field_ptrs)) continue;
    std::vector<nlohmann::json> k;
    for (int i = 0; i < name_at; ++i) k.push_back(Cell(stmt.Read(i)));
    keys.push_back(std::move(k));
  }

  const MatchOutcome outcome = matcher.Run();
  ClusterTable out;
  out.columns.push_back("group");
  out.columns.insert(out.columns.end(), key.begin(), key.end());
  out.columns.insert(out.columns.end(), kLinkColumns.begin(), kLinkColumns.end());
  int64_t group = 0;
  for (const std::vector<uint32_t>& cluster : outcome.clusters) {
    ++group;
    for (uint32_t i : cluster) {
      const MatchLink& link = outcome.links.at(i);
      std::vector<nlohmann::json> row{group};
      row.insert(row.end(), keys[i].begin(), keys[i].end());
      const std::vector<nlohmann::json>& partner = keys[link.partner];
      row.push_back(partner.size() == 1 ? partner[0] : nlohmann::json(KeyText(partner)));
      row.push_back(link.probability);
      row.push_back(link.agreement);
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace dqa::plugins
