// The history store's `breakdowns` table: a check result's figures per unit (CheckResult::
// breakdowns), one row per unit in rank order (docs/history.md "breakdowns").
#pragma once

#include <cstdint>

#include "core/model/result.h"
#include "core/sources/sqlite_db.h"
#include "core/util/status.h"

namespace dqa {

// Writes or reads the breakdowns of results through one statement prepared once per use: a
// store opened read-only must never prepare a write.
class BreakdownRows {
 public:
  static Result<BreakdownRows> ForWriting(SqliteDb& db);
  static Result<BreakdownRows> ForReading(SqliteDb& db);
  // ForWriting: inserts the breakdowns of result `result_id` (nothing when it has none).
  Status Write(int64_t result_id, const CheckResult& result);
  // ForReading: sets result.breakdowns from the rows of `result_id`, in the order written.
  Status Read(int64_t result_id, CheckResult& result);

 private:
  BreakdownRows(Statement stmt, bool writes) : stmt_(std::move(stmt)), writes_(writes) {}
  Statement stmt_;
  bool writes_;
};

}  // namespace dqa
