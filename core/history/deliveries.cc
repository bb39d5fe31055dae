#include "core/history/deliveries.h"

#include <fmt/format.h>

namespace dqa {
namespace {

constexpr const char* kSelect =
    "SELECT d.run_id, d.source, d.fingerprint, d.file_time, d.newest_record, d.changed, "
    "r.started_at, r.today, d.due_at, d.verdict, d.utc_offset FROM deliveries d JOIN runs r ON r.id = d.run_id ";

DeliveryRow ReadRow(Statement& stmt) {
  DeliveryRow row;
  row.run_id = stmt.ColumnInt(0);
  row.source = stmt.ColumnText(1);
  row.fingerprint = stmt.ColumnText(2);
  if (!stmt.IsNull(3)) row.file_time = stmt.ColumnInt(3);
  if (!stmt.IsNull(4)) row.newest_record = stmt.ColumnInt(4);
  row.changed = stmt.ColumnInt(5) != 0;
  row.run_started_unix_ms = stmt.ColumnInt(6);
  row.run_today = stmt.ColumnText(7);
  if (!stmt.IsNull(8)) row.due_at = stmt.ColumnInt(8);
  row.verdict = stmt.ColumnText(9);
  row.utc_offset_minutes = static_cast<int>(stmt.ColumnInt(10));
  return row;
}

Status BindOptionalInt(Statement& stmt, int index, const std::optional<int64_t>& v) {
  return v ? stmt.Bind(index, *v) : stmt.BindNull(index);
}

}  // namespace

Status RecordDelivery(HistoryStore& store, const DeliveryRow& row) {
  DQA_ASSIGN_OR_RETURN(Statement insert, store.db().Prepare(
      "INSERT INTO deliveries (run_id, source, fingerprint, file_time, newest_record, changed, "
      "due_at, verdict, utc_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  DQA_RETURN_IF_ERROR(insert.Bind(1, row.run_id));
  DQA_RETURN_IF_ERROR(insert.Bind(2, std::string_view(row.source)));
  DQA_RETURN_IF_ERROR(insert.Bind(3, std::string_view(row.fingerprint)));
  DQA_RETURN_IF_ERROR(BindOptionalInt(insert, 4, row.file_time));
  DQA_RETURN_IF_ERROR(BindOptionalInt(insert, 5, row.newest_record));
  DQA_RETURN_IF_ERROR(insert.Bind(6, int64_t{row.changed ? 1 : 0}));
  DQA_RETURN_IF_ERROR(BindOptionalInt(insert, 7, row.due_at));
  DQA_RETURN_IF_ERROR(insert.Bind(8, std::string_view(row.verdict)));
  DQA_RETURN_IF_ERROR(insert.Bind(9, int64_t{row.utc_offset_minutes}));
  Result<bool> step = insert.Step();
  if (!step.ok()) {
    return InvalidArgument(fmt::format("cannot record the delivery of source {} in run {}: {}",
                                       row.source, row.run_id, step.status().message()));
  }
  return Status::Ok();
}

Result<std::optional<DeliveryRow>> LastDeliveryRow(HistoryStore& store, const std::string& source,
                                                   int64_t before_run) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, store.db().Prepare(
      std::string(kSelect) + "WHERE d.source = ? AND d.run_id < ? ORDER BY d.run_id DESC LIMIT 1"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, std::string_view(source)));
  DQA_RETURN_IF_ERROR(stmt.Bind(2, before_run));
  DQA_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::optional<DeliveryRow>();
  return std::optional<DeliveryRow>(ReadRow(stmt));
}

Result<std::vector<DeliveryRow>> ListDeliveryRows(HistoryStore& store, const std::string& source,
                                                  std::optional<int64_t> since_unix_ms,
                                                  std::optional<int64_t> before_run) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, store.db().Prepare(
      std::string(kSelect) +
      "WHERE (?1 = '' OR d.source = ?1) AND (?2 IS NULL OR r.started_at >= ?2) "
      "AND (?3 IS NULL OR d.run_id < ?3) ORDER BY d.run_id, d.source"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, std::string_view(source)));
  DQA_RETURN_IF_ERROR(BindOptionalInt(stmt, 2, since_unix_ms));
  DQA_RETURN_IF_ERROR(BindOptionalInt(stmt, 3, before_run));
  std::vector<DeliveryRow> rows;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool more, stmt.Step());
    if (!more) break;
    rows.push_back(ReadRow(stmt));
  }
  return rows;
}

}  // namespace dqa
