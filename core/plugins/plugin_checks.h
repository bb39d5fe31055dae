// Plugin checks in the engine: row checks as RowEvaluators of the fused scan, query checks on the
// source's snapshot connection.
#pragma once

#include <memory>

#include "core/checks/catalog.h"
#include "core/plugins/registry.h"
#include "core/sources/sqlite_db.h"
#include "core/util/status.h"

namespace dqa::plugins {

// The catalogue's type for check `index` of `plugin` ("<sector>.<check>", its descriptor as the
// parameter schema); the registry adds one per check of every plugin it registers.
std::unique_ptr<CheckType> MakePluginCheckType(const RegisteredPlugin& plugin, size_t index);

// "plugin <name> disabled for this source: <reason>" when the sector of `spec`'s plugin check is
// disabled in `context` (a retry after a crash, a quarantined plugin), else nullopt. The plugin is
// then not even loaded, so this is asked before the type is looked up.
std::optional<std::string> DisabledMessage(const CheckSpec& spec, const CheckContext& context);

// Why plugin check type `type` cannot run in this process: no registered plugin provides it (with
// every load failure of the registry).
std::string MissingPluginCheckMessage(std::string_view type);

// The evaluator of a plugin row check (`spec.params`: the rule's parameters as JSON). Errors (reported as
// the check's error result by the caller): the plugin is disabled in `context` (message names it
// and the reason; the plugin is not looked up or called), not loaded in this process, the check is
// a query check, or the plugin's create() refused the parameters (its message).
// Semantics: rows whose first column parameter is NULL are skipped (NULLs are `missing`'s
// business); rows_checked = rows observed; a row is a violation when the plugin says so, and its
// key is sampled. The plugin may override the counts and add metrics/message in finish().
Result<std::unique_ptr<RowEvaluator>> MakePluginRowEvaluator(const CheckSpec& spec,
                                                             const CheckContext& context);

// Runs a plugin query check (an error result when its plugin is disabled in `context`) with the host query API bound to `db` (the source's snapshot
// connection, attachments visible under their alias; statements must be read-only). The plugin
// must report counts; outcome by thresholds as for built-in checks; a failure is an error result.
CheckResult RunPluginQueryCheck(SourceDb& db, const CheckSpec& spec, const CheckContext& context);

}  // namespace dqa::plugins
