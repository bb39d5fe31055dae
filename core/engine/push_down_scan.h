// RunPushDown: the checks of one table that a server counts itself (SourceDb::PushesDown), in as
// few passes as the figures need (docs/engine.md "Push-down on PostgreSQL").
#pragma once

#include <string>
#include <vector>

#include "core/checks/evaluator.h"
#include "core/sources/source_db.h"

namespace dqa {

// A check of the table and its SQL (RowEvaluator::PushDownSql).
struct PushedCheck {
  RowEvaluator* evaluator;
  PushDown sql;
};

// Counts `checks` on `from` (rows of the table's `filter`, "" = all) in the server:
//   one aggregate query: per check the rows checked, the violations and the extra count;
//   one query for samples, only when some check has violations: the key (`key_sql`) of the first
//     violating rows, read until every such check has `samples` of them;
//   one GROUP BY per distinct unit column of the checks' `by` entries.
// The figures are handed to the evaluators only when every query worked: on an error nothing is
// changed, and the caller scans those checks' rows instead.
Status RunPushDown(SourceDb& db, const std::string& from, const std::string& filter,
                   const std::vector<std::string>& key_sql, int samples,
                   std::vector<PushedCheck>& checks);

}  // namespace dqa
