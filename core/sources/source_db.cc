#include "core/sources/source_db.h"

#include <fmt/format.h>

#include "dqaudit/sql.h"

namespace dqa {

std::string Statement::ColumnDisplay(int i) const {
  switch (ColumnType(i)) {
    case Value::Type::kNull: return "NULL";
    case Value::Type::kInteger: return std::to_string(ColumnInt(i));
    case Value::Type::kReal: return fmt::format("{}", ColumnDouble(i));
    default: return std::string(ColumnText(i));
  }
}

Result<std::optional<double>> SourceDb::QueryNumber(const std::string& sql) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row || stmt.ColumnCount() == 0 || stmt.IsNull(0)) return std::optional<double>();
  return std::optional<double>(stmt.ColumnDouble(0));
}

std::string SourceDb::QualifiedTable(std::string_view table, std::string_view schema) const {
  const std::string s = SchemaOr(schema);
  // SQLite's own schema name reads better unquoted.
  return (s == "main" ? s : sdk::QuoteIdentifier(s)) + "." + sdk::QuoteIdentifier(table);
}

}  // namespace dqa
