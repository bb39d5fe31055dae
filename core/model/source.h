// SourceSpec and TableSpec: what a rule file says about one department database.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/check.h"
#include "core/util/dates.h"
#include "core/util/duration.h"

namespace dqa {

struct TableSpec {
  std::string name;
  std::vector<std::string> key;  // identifies rows in samples; empty -> SQLite rowid
  std::string filter;            // optional SQL predicate applied to every check of the table
  std::vector<CheckSpec> checks;
  SourceLocation location;
};

// `delivery:` how often the department must deliver its database (docs/rules.md "Delivery";
// judged by the delivery finding, docs/checks.md "delivery").
struct DeliverySpec {
  Duration every;                // days, weeks, months or years (never hours)
  int by_minutes = 0;            // `by: "HH:MM"`: minutes after local midnight the delivery is due
  std::string timezone = "Asia/Ho_Chi_Minh";  // as written (or the default)
  int utc_offset_minutes = 420;  // the fixed offset of `timezone` (no daylight saving)
  // `record_time: {table, column, date_format}`: the newest value is the "newest record time";
  // empty table: none.
  std::string record_table;
  std::string record_column;
  DateFormat record_format = DateFormat::kIso;
  Severity severity = Severity::kWarn;  // when the latest due delivery is late or missed
  Thresholds thresholds;                // on the lookback's late/missed count (default: any)
  int lookback = 30;                    // due times judged for the violations count
  SourceLocation location;              // of the `delivery:` key
};

struct SourceSpec {
  std::string id;           // unique across all loaded rule files
  std::string department;
  std::string sector;       // optional
  std::string database;     // as written: "sqlite:data/x.db" or "postgresql://..."
  std::string db_path;      // SQLite: absolute path, resolved relative to the rule file
  // PostgreSQL: the URI as written (after ${VAR} substitution), which may hold a password: it is
  // only given to libpq, never shown; `database` is its redacted form (RedactDsn).
  std::string connection;
  std::map<std::string, std::string> attach;  // alias -> source id
  std::optional<int64_t> today_day;            // `today:` as days since epoch
  // `utc_offset:` the clock of the database's times without an offset, in minutes east of UTC
  // ("+07:00" = 420); empty: --utc-offset, else the machine's time zone.
  std::optional<int> utc_offset_minutes;
  std::vector<TableSpec> tables;
  std::optional<DeliverySpec> delivery;        // `delivery:`; unset: no cadence declared
  // `schema_changes:` the severity of the finding that the database's schema changed since the
  // last recorded run (core/audit/schema_changes.h): warn (default) or fail; nullopt = ignore.
  std::optional<Severity> schema_changes = Severity::kWarn;
  std::string rule_file;    // absolute path of the rule file
  SourceLocation location;
};

}  // namespace dqa
