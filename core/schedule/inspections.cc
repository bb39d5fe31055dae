#include "core/schedule/inspections.h"

#include <fmt/format.h>

#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
Result<int64_t> AddInspection(HistoryStore& store, const Inspection& inspection) {
  const std::string department(TrimWhitespace(inspection.department));
  if (department.empty()) return InvalidArgument("inspection: the department must not be empty");
  if (!ParseIsoDay(inspection.inspected_on)) {
    return InvalidArgument(
        fmt::format("inspection: expected a date YYYY-MM-DD, got '{}'", inspection.inspected_on));
  }
  SqliteDb& db = store.db();
  DQA_ASSIGN_OR_RETURN(
      Statement insert,
      db.Prepare("INSERT INTO inspections(department, inspected_on, team, notes, recorded_at) "
                 "VALUES (?, ?, ?, ?, ?)"));
  DQA_RETURN_IF_ERROR(insert.Bind(1, std::string_view(department)));
  DQA_RETURN_IF_ERROR(insert.Bind(2, std::string_view(inspection.inspected_on)));
  DQA_RETURN_IF_ERROR(insert.Bind(3, std::string_view(inspection.team)));
  DQA_RETURN_IF_ERROR(insert.Bind(4, std::string_view(inspection.notes)));
  DQA_RETURN_IF_ERROR(
      insert.Bind(5, inspection.recorded_unix_ms != 0 ? inspection.recorded_unix_ms : NowUnixMs()));
  DQA_ASSIGN_OR_RETURN(bool row, insert.Step());
  (void)row;
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db.raw()));
}

Result<std::vector<Inspection>> ListInspections(HistoryStore& store, std::string_view department) {
  DQA_ASSIGN_OR_RETURN(
      Statement query,
      store.db().Prepare("SELECT id, department, inspected_on, team, notes, recorded_at "
                         "FROM inspections WHERE ?1 = '' OR department = ?1 "
                         "ORDER BY inspected_on, id"));
  // A std::string, not the view: an empty view may have a null data() that SQLite binds as NULL.
  const std::string filter(department);
  DQA_RETURN_IF_ERROR(query.Bind(1, std::string_view(filter)));
  std::vector<Inspection> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    Inspection i;
    i.id = query.ColumnInt(0);
    i.department = std::string(query.ColumnText(1));
    i.inspected_on = std::string(query.ColumnText(2));
    i.team = std::string(query.ColumnText(3));
    i.notes = std::string(query.ColumnText(4));
    i.recorded_unix_ms = query.ColumnInt(5);
    out.push_back(std::move(i));
  }
  return out;
}

Result<std::vector<std::string>> RecordedDepartments(HistoryStore& store) {
  DQA_ASSIGN_OR_RETURN(Statement q, store.db().Prepare("SELECT DISTINCT department FROM sources "
                                                       "ORDER BY department"));
  std::vector<std::string> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.emplace_back(q.ColumnText(0));
  }
  return out;
}

}  // namespace dqa
