// A table's schema contract (the rule file's `schema:` block): the contract types a column may be
// declared as, which SQLite declared types each accepts, and the breaches of a contract by the
// columns a database really has. Shared by the `schema` check and `dqaudit profile`, which drafts
// contracts (docs/checks.md "schema").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sources/sqlite_db.h"

namespace dqa {

// The contract types, in the order docs/checks.md gives them: text, integer, real, number, date,
// boolean, any.
const std::vector<std::string>& ContractTypes();

// SQLite's column affinity of a declared type ("INTEGER", "TEXT", "BLOB", "REAL" or "NUMERIC"),
// by the rules of https://sqlite.org/datatype3.html section 3.1 (an empty type is BLOB).
std::string_view SqliteAffinity(std::string_view declared_type);

// True when a column declared `declared_type` satisfies contract type `contract`.
bool ContractAccepts(std::string_view contract, std::string_view declared_type);

// The narrowest contract type a column declared `declared_type` satisfies (profile's draft):
// integer, real, date, boolean, text, or any for an undeclared (BLOB affinity) column.
std::string ContractTypeFor(std::string_view declared_type);

// The breaches of a contract by `actual` (the table's columns, in table order): "missing column
// <c>", "<c>: declared <TYPE>, contract <type>", and, unless `allow_extra`, "extra column <c>".
// `contract` maps column -> contract type (names compared case-insensitively, as SQLite does).
// Breaches come in the table's column order, missing columns last in contract order.
std::vector<std::string> ContractBreaches(const nlohmann::json& contract, bool allow_extra,
                                          const std::vector<ColumnInfo>& actual);

}  // namespace dqa
