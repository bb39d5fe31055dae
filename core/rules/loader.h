// Rule file loading: YAML rule language v1 (docs/rules.md) -> validated SourceSpecs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/model/source.h"
#include "core/util/status.h"

namespace dqa {

// Loads every rule file named in `paths`: a path is a rule file (any extension) or a folder whose
// *.yaml/*.yml files (recursively, in sorted order) are loaded; a file reached twice loads once.
// Validates everything that does not need a database: unknown keys, wrong types, unknown check
// types, bad durations/dates/regexes, duplicate source ids, duplicate check ids within a source,
// attach to an unknown source, a `today` that is not a date. Fills defaults (check ids, dimensions,
// thresholds), expands `missing` into one CheckSpec per column, and resolves SQLite paths relative
// to the rule file.
// On failure returns InvalidArgument whose message lists every problem found in all files, one per
// line, each as "<file>:<line>:<column>: <message>" ("<path>: <message>" for a path that does not
// exist or a folder without rule files), sorted by file, then line, then column.
Result<std::vector<SourceSpec>> LoadRules(const std::vector<std::string>& paths);

// Loads one rule file from text (tests; `file_name` is used in messages and to resolve paths).
// Cross-file checks (duplicate source ids, attach targets) are not made.
Result<SourceSpec> ParseRuleText(const std::string& yaml_text, const std::string& file_name);

// Checks the rules against the databases, read-only: every table, key column, check column,
// referenced table/column (own or attached database) exists, and every SQL fragment (`filter`,
// `where`, `invalid_when`, `query`) compiles without running, is one statement and is read-only;
// a `query` returns exactly one column. Column names compare case-insensitively (SQLite). Same
// error format as LoadRules. A source whose database (or an attached database) cannot be opened is
// not an error here: its id is appended to `unreachable` (it fails at scan time with a runtime
// error). Never writes to any database.
// With `broken` (scan and nightly), what a database lacks is the data's fault, not the rule's: a
// table or column that is not there, or a fragment that SQLite refuses with "no such table/column",
// is not a rule problem but recorded in `broken` for every check it concerns (a table's own
// problems — table, key column, filter — concern all of its checks), each message starting with
// kSchemaDriftPrefix. A fragment the SQL guard refuses (ATTACH, a write, a forbidden function or
// pragma: "not allowed in rule SQL: ...") is recorded there too, without the prefix: hostile SQL in
// one check must not stop the others. Other problems (syntax, more than one statement, a query
// that does not return one column) stay rule problems.
// Source id -> check id -> why that check cannot run.
using BrokenChecksBySource = std::map<std::string, std::map<std::string, std::string>>;
Status ValidateAgainstDatabases(const std::vector<SourceSpec>& sources,
                                std::vector<std::string>* unreachable,
                                BrokenChecksBySource* broken = nullptr);

}  // namespace dqa
