// The fuzzy-duplicate clusters of a table, computed by the host for a plugin's query check (plugin
// ABI 1.2, dqa_query_api::fuzzy_clusters): the same matcher and parameters as a fuzzy_duplicate
// rule, on the source's snapshot connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sources/sqlite_db.h"
#include "core/util/status.h"

namespace dqa::plugins {

// One row per clustered record, in cluster order then insertion (rowid) order. `columns` are
// "group" (1, 2, ... per cluster), the key columns under their names, "matched_with" (the key of
// the record of its cluster it matched best: the value itself for a one-column key, else the
// values joined by ", "), "probability" (real) and "agreement" (docs/checks.md "Fuzzy
// duplicates"). Cells are JSON scalars: integer, real, string or null.
struct ClusterTable {
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;
};

// Clusters `table` ("table" or "alias.table" of an attached source) of `db` with `params_json`:
// a fuzzy_duplicate rule's parameters as a JSON object, validated against that type's schema in
// the check catalogue, plus an optional "key": a non-empty list of columns naming each record
// (default ["rowid"]). Reads the needed columns with one SELECT, in the table's order (rowid
// order for an ordinary table). InvalidArgument
// for bad JSON or parameters and for an unknown column (naming the table and its columns),
// NotFound for an unknown table, the SQLite message when the query fails.
Result<ClusterTable> FuzzyClusters(SourceDb& db, std::string_view table,
                                   std::string_view params_json);

}  // namespace dqa::plugins
