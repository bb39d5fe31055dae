// The `sql` check: a rule-file query whose single number is compared with min/max.
#pragma once

#include "core/checks/evaluator.h"
#include "core/sources/sqlite_db.h"

namespace dqa {

// Runs the check's query on `db` (inside the source's read snapshot). rows_checked = 1; violation
// when the number is below min or above max; value = the number. No row, NULL, a non-number or a
// SQL error -> Outcome::kError with the reason.
CheckResult RunSqlCheck(SqliteDb& db, const CheckSpec& spec, const CheckContext& context);

}  // namespace dqa
