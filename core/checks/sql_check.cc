#include "core/checks/sql_check.h"

#include <fmt/format.h>

#include "core/util/text.h"

namespace dqa {

CheckResult RunSqlCheck(SqliteDb& db, const CheckSpec& spec, const CheckContext& context) {
  const auto& params = std::get<SqlParams>(spec.params);
  auto stmt = db.PrepareQuery(params.query);
  if (!stmt.ok()) return ErrorResult(spec, context, "query failed: " + stmt.status().message());
  const Result<bool> has_row = stmt->Step();
  if (!has_row.ok())
    return ErrorResult(spec, context, "query failed: " + has_row.status().message());
  if (!*has_row || stmt->ColumnCount() == 0) {
    return ErrorResult(spec, context, "the query returned no row; it must return a single number");
  }
  double number = 0;
  switch (stmt->ColumnType(0)) {
    case SQLITE_INTEGER:
      number = static_cast<double>(stmt->ColumnInt(0));
      break;
    case SQLITE_FLOAT:
      number = stmt->ColumnDouble(0);
      break;
    case SQLITE_NULL:
      return ErrorResult(spec, context, "the query returned NULL; it must return a single number");
    default:
      return ErrorResult(
          spec, context,
          fmt::format("the query returned '{}', which is not a number", TruncateForDisplay(stmt->ColumnDisplay(0))));
  }
  CheckResult result = BlankResult(spec, context);
  result.rows_checked = 1;
  result.value = number;
  const bool below = params.min && number < *params.min;
  const bool above = params.max && number > *params.max;
  result.violations = below || above ? 1 : 0;
  std::string expected;
  if (params.min && params.max) {
    expected = fmt::format("between {} and {}", RealText(*params.min), RealText(*params.max));
  } else if (params.min) {
    expected = fmt::format("at least {}", RealText(*params.min));
  } else if (params.max) {
    expected = fmt::format("at most {}", RealText(*params.max));
  } else {
    expected = "any number";
  }
  DecideResult(result,
               fmt::format("The query returned {}; expected {}", RealText(number), expected));
  return result;
}

}  // namespace dqa
