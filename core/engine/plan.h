// SourcePlan: everything a scan of one source needs, self-contained so it can cross a process boundary.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/source.h"

namespace dqa {

struct AuditOptions {
  std::optional<int64_t> today_day;  // --today (days since epoch); beats the rule file's `today`
  // --utc-offset (minutes east of UTC): the clock of sources whose rule file has no utc_offset;
  // empty: the machine's time zone.
  std::optional<int> utc_offset_minutes;
  std::optional<int64_t> now_unix;  // the current time (UTC); empty: the system clock (tests set it)
  int samples = 5;                   // sample row keys per violating check
  // --sql-timeout: time budget of one SQL statement on a source (docs/sources.md "the guard").
  int64_t statement_budget_ms = 60'000;
  int jobs = 0;                      // parallel sources; 0 = number of cores
};

struct SourcePlan {
  SourceSpec source;
  // alias -> the attached source's database: absolute SQLite path, or PostgreSQL connection
  std::map<std::string, std::string> attach_paths;
  // Reference instant for `today`, stale and freshness, on the clock of the database's times (the
  // engine reads times without an offset as if they were UTC: docs/checks.md "Dates"). When the
  // day comes from --today or the rule's `today:`, it is that day's 00:00:00; otherwise the
  // current time shifted by the source's UTC offset, so that 01:30 in Vietnam is 01:30 of the
  // Vietnamese day, not 18:30 of the day before.
  int64_t now_unix = 0;
  int64_t today_day = 0;  // days since epoch of now_unix
  int samples = 5;
  int64_t statement_budget_ms = 60'000;  // AuditOptions::statement_budget_ms
  // Threads a large table's scan is split over (ScanTable's SplitOptions): AuditOptions::jobs, or
  // the number of cores. The results do not depend on it.
  int scan_threads = 1;
  // Incremental scans of a table (docs/nightly.md "Incremental scans of a table"): the folder
  // where the scan keeps each table's per-range state ("" = none kept), whether a stored state may
  // be reused, and how long after a table's last full scan its stored states still may be.
  std::string range_state_dir;
  bool reuse_range_states = false;
  int64_t full_rescan_after_s = 7 * 86'400;
  // Plugin libraries (absolute canonical paths) that provide this source's plugin checks; the
  // process that scans the source loads them.
  std::vector<std::string> plugin_files;
  // The sector (rule-file prefix) each of plugin_files provides, parallel to it; lets a scan skip
  // loading the library of a disabled plugin. May be empty (then every needed file is loaded).
  std::vector<std::string> plugin_sectors;
  // Plugins (by name) not to call in this scan: set when a retry follows a plugin's crash, and for
  // a plugin quarantined after it killed a worker earlier in the run. Their checks get
  // Outcome::kError naming the plugin and its cause, disabled_reasons[i] (parallel to
  // disabled_plugins; a missing entry reads as "no reason given").
  std::vector<std::string> disabled_plugins;
  std::vector<std::string> disabled_reasons;
};

// Builds one plan per source, resolving attach aliases to the attached sources' database paths.
// `sources` must already have passed LoadRules (attach targets exist).
std::vector<SourcePlan> PlanAudit(const std::vector<SourceSpec>& sources, const AuditOptions& options);

}  // namespace dqa
