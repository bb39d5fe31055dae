#include "core/history/breakdowns.h"

namespace dqa {

Result<BreakdownRows> BreakdownRows::ForWriting(SqliteDb& db) {
  DQA_ASSIGN_OR_RETURN(Statement insert, db.Prepare(R"sql(
INSERT INTO breakdowns (result_id, entry, by_name, ordinal, unit, violations, rows_checked,
  percent, value, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql"));
  return BreakdownRows(std::move(insert), true);
}

Result<BreakdownRows> BreakdownRows::ForReading(SqliteDb& db) {
  DQA_ASSIGN_OR_RETURN(Statement select, db.Prepare(R"sql(
SELECT entry, by_name, unit, violations, rows_checked, percent, value, label FROM breakdowns
WHERE result_id = ? ORDER BY entry, ordinal)sql"));
  return BreakdownRows(std::move(select), false);
}

Status BreakdownRows::Write(int64_t result_id, const CheckResult& result) {
  if (!writes_) return Internal("BreakdownRows::Write on a reader");
  for (size_t e = 0; e < result.breakdowns.size(); ++e) {
    const Breakdown& b = result.breakdowns[e];
    for (size_t i = 0; i < b.units.size(); ++i) {
      const UnitFigures& u = b.units[i];
      Statement& s = stmt_;
      DQA_RETURN_IF_ERROR(s.Reset());
      DQA_RETURN_IF_ERROR(s.Bind(1, result_id));
      DQA_RETURN_IF_ERROR(s.Bind(2, static_cast<int64_t>(e)));
      DQA_RETURN_IF_ERROR(s.Bind(3, std::string_view(b.by)));
      DQA_RETURN_IF_ERROR(s.Bind(4, static_cast<int64_t>(i)));
      DQA_RETURN_IF_ERROR(s.Bind(5, std::string_view(u.unit)));
      DQA_RETURN_IF_ERROR(s.Bind(6, u.violations));
      DQA_RETURN_IF_ERROR(s.Bind(7, u.rows_checked));
      DQA_RETURN_IF_ERROR(s.Bind(8, u.percent));
      DQA_RETURN_IF_ERROR(u.value ? s.Bind(9, *u.value) : s.BindNull(9));
      DQA_RETURN_IF_ERROR(u.label.empty() ? s.BindNull(10) : s.Bind(10, std::string_view(u.label)));
      DQA_ASSIGN_OR_RETURN(bool row, s.Step());
      if (row) return Internal("INSERT INTO breakdowns returned a row");
    }
  }
  return Status::Ok();
}

Status BreakdownRows::Read(int64_t result_id, CheckResult& result) {
  if (writes_) return Internal("BreakdownRows::Read on a writer");
  result.breakdowns.clear();
  DQA_RETURN_IF_ERROR(stmt_.Reset());
  DQA_RETURN_IF_ERROR(stmt_.Bind(1, result_id));
  int64_t entry = -1;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, stmt_.Step());
    if (!row) break;
    if (stmt_.ColumnInt(0) != entry) {
      entry = stmt_.ColumnInt(0);
      result.breakdowns.push_back({std::string(stmt_.ColumnText(1)), {}});
    }
    UnitFigures u;
    u.unit = stmt_.ColumnText(2);
    u.violations = stmt_.ColumnInt(3);
    u.rows_checked = stmt_.ColumnInt(4);
    u.percent = stmt_.ColumnDouble(5);
    if (!stmt_.IsNull(6)) u.value = stmt_.ColumnDouble(6);
    if (!stmt_.IsNull(7)) u.label = stmt_.ColumnText(7);
    result.breakdowns.back().units.push_back(std::move(u));
  }
  return Status::Ok();
}

}  // namespace dqa
