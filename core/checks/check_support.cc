#include "core/checks/check_support.h"

#include <fmt/format.h>

#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// Text form of the current row of `stmt`, column 0 (NULL rows are skipped by the queries).
std::string StatementTextForm(const Statement& stmt) {
  switch (stmt.ColumnType(0)) {
    case Value::Type::kInteger:
      return IntegerText(stmt.ColumnInt(0));
    case Value::Type::kReal:
      return RealText(stmt.ColumnDouble(0));
    case Value::Type::kBlob:
      return std::string(stmt.Read(0).bytes);
    default:
      return std::string(stmt.ColumnText(0));
  }
}

}  // namespace

ParamSpec ColumnsParam(std::string description) {
  return {.name = "columns", .type = ParamType::kColumns, .description = std::move(description)};
}

ParamSpec OneColumnParam() {
  return {.name = "column", .type = ParamType::kColumn,
          .description = "one column (instead of 'columns')"};
}

void ColumnsParamsIssues(const nlohmann::json& params, std::string_view type,
                         std::vector<ParamIssue>& issues) {
  if (params.contains("column") && params.contains("columns")) {
    issues.push_back({"columns", true, "give either 'column' or 'columns', not both"});
  } else if (!params.contains("column") && !params.contains("columns")) {
    issues.push_back({"", false, fmt::format("missing required key 'columns' in check '{}'", type)});
  }
}

ParamSpec DateColumnParam() {
  return {.name = "column", .type = ParamType::kColumn, .required = true,
          .description = "the date column"};
}

ParamSpec DateFormatParam() {
  return {.name = "date_format", .type = ParamType::kDateFormat,
          .description = "how dates stored as text are written: iso (YYYY-MM-DD...) or dmy "
                         "(DD/MM/YYYY...)",
          .default_value = "iso"};
}

std::optional<int64_t> DateSeconds(const Value& value, DateFormat format) {
  switch (value.type) {
    case Value::Type::kInteger:
      return value.integer;
    case Value::Type::kText: {
      // Remembered in the value: range, metric and drift on one column, or freshness and stale,
      // parse each cell once per row instead of once per check.
      const auto memo_format = static_cast<int8_t>(format);
      if (value.date_memo_format != memo_format) {
        const std::optional<int64_t> t = ParseDateText(TrimWhitespace(value.bytes), format);
        value.date_memo_format = memo_format;
        value.date_memo_ok = t.has_value();
        value.date_memo_seconds = t.value_or(0);
      }
      if (!value.date_memo_ok) return std::nullopt;
      return value.date_memo_seconds;
    }
    default:
      return std::nullopt;
  }
}

std::string UnparseableText(int64_t unparseable) {
  return unparseable > 0 ? fmt::format(" ({} unparseable)", unparseable) : "";
}

Status ForEachDistinct(SourceDb& db, const TableRef& table, const std::string& column,
                       const std::function<void(std::string)>& fn) {
  const std::string col = QuoteIdent(column);
  const std::string sql =
      fmt::format("SELECT DISTINCT {0} FROM {1} WHERE {0} IS NOT NULL ORDER BY 1", col,
                  db.QualifiedTable(table.table, table.schema));
  // Streams a whole catalogue column: the budget counts per row, like the table scan.
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql, StepBudget::kPerStep));
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    fn(StatementTextForm(stmt));
  }
  return Status::Ok();
}

}  // namespace dqa
