// ScanTable: every check of one table, with ONE fused streamed SELECT for all row checks.
#pragma once

#include <vector>

#include "core/checks/evaluator.h"
#include "core/model/source.h"
#include "core/sources/sqlite_db.h"

namespace dqa {

// Runs the checks of `table` on `db` (already in its read snapshot) and returns their results in
// the table's check order. Row checks share one streamed SELECT (keys, each needed column once, a
// 0/1 flag per distinct `where` and per `invalid_when`) evaluated in C++; duplicate checks add one
// grouping query per key-column set; sql checks run their own query. A check whose columns or SQL
// fragments do not work gets an error result; a failure of the fused SELECT is the error of every
// row check of the table. `base.key_columns` is ignored (the table's key, or rowid, is used).
std::vector<CheckResult> ScanTable(SourceDb& db, const CheckContext& base, const TableSpec& table);

}  // namespace dqa
