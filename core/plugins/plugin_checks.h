// Plugin checks in the engine: row checks as RowEvaluators of the fused scan, query checks on the
// source's snapshot connection.
#pragma once

#include <memory>

#include "core/checks/evaluator.h"
#include "core/sources/sqlite_db.h"
#include "core/util/status.h"

namespace dqa::plugins {

// The evaluator of a plugin row check (`spec.params` is PluginCheckParams). Errors (reported as
// the check's error result by the caller): the plugin is disabled in `context` (message names it
// and the reason; the plugin is not looked up or called), not loaded in this process, the check is
// a query check, or the plugin's create() refused the parameters (its message).
// Semantics: rows whose first column parameter is NULL are skipped (NULLs are `missing`'s
// business); rows_checked = rows observed; a row is a violation when the plugin says so, and its
// key is sampled. The plugin may override the counts and add metrics/message in finish().
Result<std::unique_ptr<RowEvaluator>> MakePluginRowEvaluator(const CheckSpec& spec,
                                                             const CheckContext& context);

// True for a plugin check that is a query check of a loaded, not disabled plugin.
bool IsPluginQueryCheck(const CheckSpec& spec, const CheckContext& context);

// Runs a plugin query check with the host query API bound to `db` (the source's snapshot
// connection, attachments visible under their alias; statements must be read-only). The plugin
// must report counts; outcome by thresholds as for built-in checks; a failure is an error result.
CheckResult RunPluginQueryCheck(SqliteDb& db, const CheckSpec& spec, const CheckContext& context);

}  // namespace dqa::plugins
