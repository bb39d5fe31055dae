#include "core/history/indicators.h"

#include <fmt/format.h>

namespace dqa {

Status WriteIndicators(SqliteDb& db, int64_t result_id, const std::vector<Indicator>& indicators) {
  if (indicators.empty()) return Status::Ok();
  DQA_ASSIGN_OR_RETURN(Statement insert, db.Prepare(R"sql(
INSERT INTO indicators (result_id, ordinal, indicator_id, title, value, target, direction,
  warn_within, unit, numerator, denominator)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql"));
  int64_t ordinal = 0;
  for (const Indicator& i : indicators) {
    DQA_RETURN_IF_ERROR(insert.Reset());
    DQA_RETURN_IF_ERROR(insert.Bind(1, result_id));
    DQA_RETURN_IF_ERROR(insert.Bind(2, ordinal++));
    DQA_RETURN_IF_ERROR(insert.Bind(3, std::string_view(i.id)));
    DQA_RETURN_IF_ERROR(insert.Bind(4, std::string_view(i.title)));
    DQA_RETURN_IF_ERROR(i.value ? insert.Bind(5, *i.value) : insert.BindNull(5));
    DQA_RETURN_IF_ERROR(i.target ? insert.Bind(6, *i.target) : insert.BindNull(6));
    DQA_RETURN_IF_ERROR(insert.Bind(7, ToString(i.direction)));
    DQA_RETURN_IF_ERROR(insert.Bind(8, i.warn_within));
    DQA_RETURN_IF_ERROR(insert.Bind(9, std::string_view(i.unit)));
    DQA_RETURN_IF_ERROR(insert.Bind(10, i.numerator));
    DQA_RETURN_IF_ERROR(insert.Bind(11, i.denominator));
    DQA_ASSIGN_OR_RETURN(bool row, insert.Step());
    if (row) return Internal("INSERT INTO indicators returned a row");
  }
  return Status::Ok();
}

Result<IndicatorsByResult> LoadIndicators(SqliteDb& db, int64_t run_id) {
  DQA_ASSIGN_OR_RETURN(Statement select, db.Prepare(R"sql(
SELECT i.result_id, i.indicator_id, i.title, i.value, i.target, i.direction, i.warn_within,
       i.unit, i.numerator, i.denominator
FROM indicators i JOIN check_results c ON c.id = i.result_id
WHERE c.run_id = ? ORDER BY i.result_id, i.ordinal)sql"));
  DQA_RETURN_IF_ERROR(select.Bind(1, run_id));
  IndicatorsByResult out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    Indicator i;
    const int64_t result_id = select.ColumnInt(0);
    i.id = select.ColumnText(1);
    i.title = select.ColumnText(2);
    if (!select.IsNull(3)) i.value = select.ColumnDouble(3);
    if (!select.IsNull(4)) i.target = select.ColumnDouble(4);
    const auto direction = ParseDirection(select.ColumnText(5));
    if (!direction) {
      return Internal(fmt::format("corrupt indicator of check result {} in history store",
                                  result_id));
    }
    i.direction = *direction;
    i.warn_within = select.ColumnDouble(6);
    i.unit = select.ColumnText(7);
    i.numerator = select.ColumnInt(8);
    i.denominator = select.ColumnInt(9);
    out[result_id].push_back(std::move(i));
  }
  return out;
}

}  // namespace dqa
