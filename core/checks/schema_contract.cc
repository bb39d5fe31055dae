#include "core/checks/schema_contract.h"

#include <fmt/format.h>

#include <set>

#include "dqaudit/text.h"

namespace dqa {
namespace {

bool Has(const std::string& lower, std::string_view part) {
  return lower.find(part) != std::string::npos;
}

// A declared type that names a date or time (DATE, DATETIME, TIMESTAMP, TIME).
bool IsDateName(const std::string& lower) { return Has(lower, "date") || Has(lower, "time"); }

}  // namespace

const std::vector<std::string>& ContractTypes() {
  static const std::vector<std::string> k = {"text", "integer", "real",   "number",
                                             "date", "boolean", "any"};
  return k;
}

std::string_view SqliteAffinity(std::string_view declared_type) {
  const std::string lower = sdk::ToLowerAscii(declared_type);
  if (Has(lower, "int")) return "INTEGER";
  if (Has(lower, "char") || Has(lower, "clob") || Has(lower, "text")) return "TEXT";
  if (Has(lower, "blob") || sdk::TrimAscii(lower, " \t\r\n").empty()) return "BLOB";
  if (Has(lower, "real") || Has(lower, "floa") || Has(lower, "doub")) return "REAL";
  return "NUMERIC";
}

bool ContractAccepts(std::string_view contract, std::string_view declared_type) {
  const std::string lower = sdk::ToLowerAscii(declared_type);
  const std::string_view affinity = SqliteAffinity(declared_type);
  if (contract == "any") return true;
  if (contract == "text") return affinity == "TEXT";
  if (contract == "integer") return affinity == "INTEGER";
  if (contract == "real" || contract == "number") {
    // Numbers of any numeric affinity, but not a date or boolean that SQLite files under NUMERIC.
    return affinity == "INTEGER" || affinity == "REAL" ||
           (affinity == "NUMERIC" && !IsDateName(lower) && !Has(lower, "bool"));
  }
  if (contract == "date") return affinity == "TEXT" || IsDateName(lower);
  if (contract == "boolean") return affinity == "INTEGER" || Has(lower, "bool");
  return false;
}

std::string ContractTypeFor(std::string_view declared_type) {
  const std::string lower = sdk::ToLowerAscii(declared_type);
  const std::string_view affinity = SqliteAffinity(declared_type);
  if (Has(lower, "bool")) return "boolean";
  if (affinity == "INTEGER") return "integer";
  if (affinity == "TEXT") return "text";
  if (affinity == "REAL") return "real";
  if (affinity == "BLOB") return "any";
  return IsDateName(lower) ? "date" : "number";
}

std::vector<std::string> ContractBreaches(const nlohmann::json& contract, bool allow_extra,
                                          const std::vector<ColumnInfo>& actual) {
  std::vector<std::string> breaches;
  std::set<std::string> seen;  // lower-case names of the table's columns
  for (const ColumnInfo& column : actual) {
    const std::string lower = sdk::ToLowerAscii(column.name);
    seen.insert(lower);
    const nlohmann::json* wanted = nullptr;
    for (const auto& [name, type] : contract.items()) {
      if (sdk::ToLowerAscii(name) == lower) wanted = &type;
    }
    if (wanted == nullptr) {
      if (!allow_extra) breaches.push_back(fmt::format("extra column {}", column.name));
      continue;
    }
    const std::string type = wanted->is_string() ? wanted->get<std::string>() : "";
    if (!ContractAccepts(type, column.declared_type)) {
      breaches.push_back(fmt::format(
          "{}: declared {}, contract {}", column.name,
          column.declared_type.empty() ? "without a type" : column.declared_type, type));
    }
  }
  for (const auto& [name, type] : contract.items()) {
    if (seen.count(sdk::ToLowerAscii(name)) == 0) {
      breaches.push_back(fmt::format("missing column {}", name));
    }
  }
  return breaches;
}

}  // namespace dqa
