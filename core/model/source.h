// SourceSpec and TableSpec: what a rule file says about one department database.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/check.h"

namespace dqa {

struct TableSpec {
  std::string name;
  std::vector<std::string> key;  // identifies rows in samples; empty -> SQLite rowid
  std::string filter;            // optional SQL predicate applied to every check of the table
  std::vector<CheckSpec> checks;
  SourceLocation location;
};

struct SourceSpec {
  std::string id;           // unique across all loaded rule files
  std::string department;
  std::string sector;       // optional
  std::string database;     // as written: "sqlite:data/x.db" or "postgresql://..."
  std::string db_path;      // SQLite: absolute path, resolved relative to the rule file
  std::map<std::string, std::string> attach;  // alias -> source id
  std::optional<int64_t> today_day;            // `today:` as days since epoch
  // `utc_offset:` the clock of the database's times without an offset, in minutes east of UTC
  // ("+07:00" = 420); empty: --utc-offset, else the machine's time zone.
  std::optional<int> utc_offset_minutes;
  std::vector<TableSpec> tables;
  // `schema_changes:` the severity of the finding that the database's schema changed since the
  // last recorded run (core/audit/schema_changes.h): warn (default) or fail; nullopt = ignore.
  std::optional<Severity> schema_changes = Severity::kWarn;
  std::string rule_file;    // absolute path of the rule file
  SourceLocation location;
};

}  // namespace dqa
