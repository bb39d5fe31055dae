// NightlyConfig: the configuration file of `dqaudit nightly` (docs/nightly.md "Configuration").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/types.h"
#include "core/util/status.h"

namespace dqa::nightly {

struct NightlyConfig {
  // Rule files or folders (required, at least one). Relative paths in the file are resolved
  // against the configuration file's folder, here and for every other path.
  std::vector<std::string> rules;
  std::string history = "audit.db";  // history store; its lock file is "<history>.lock"
  // Reports written after each run (BuildRunReport + WriteRunReport per format and language).
  std::string reports_out;                                // "" = no reports
  std::vector<std::string> report_formats = {"html"};     // html | json | csv | xlsx
  std::vector<std::string> report_languages = {"vi"};     // vi | en
  std::string scoring;                                    // scoring configuration, "" = defaults
  // The first screen of the reports (docs/reports.md "First screen"): issuing body, province and
  // the IANA time zone of every time shown.
  std::string report_issuer;                          // "" = not shown
  std::string report_province;                        // "" = not shown
  std::string report_timezone = "Asia/Ho_Chi_Minh";  // checked by ValidateTimeZone
  // Period reports written when a run is the first of a new period: the report of the period
  // that closed (month | quarter | year), in every format and language; empty = none.
  std::vector<std::string> report_periods;
  // CSV files (reports and schedule.csv): "excel-vi" | "rfc4180"; "" = by language (docs/reports.md)
  std::string csv_style;
  // Inspection schedule written after each run (optional).
  std::string schedule_config;  // schedule configuration file; "" = no schedule
  std::string schedule_out;     // folder of the schedule files (required with schedule_config)
  // The IOC's JSON feed written after each run (docs/nightly.md "Feeds"): one file per run in
  // feed_out plus latest.json; the feed_keep newest files are kept.
  std::string feed_out;  // "" = no feed
  int feed_keep = 30;
  // OpenMetrics text file for node_exporter's textfile collector; "" = none.
  std::string metrics_file;
  int jobs = 0;                 // sources scanned in parallel; 0 = number of cores
  int timeout_seconds = 900;    // per source worker (wall clock and CPU); docs/isolation.md
  double sql_timeout_seconds = 60;      // per SQL statement on a source (--sql-timeout); 0 = none
  int plugin_probe_timeout_seconds = 10;  // per plugin library probed (--plugin-probe-timeout)
  std::string worker_memory = "4G";  // RLIMIT_AS per worker ("0" = none)
  int samples = 5;                   // sample row keys per violating check
  // Clock of the databases' times for sources whose rule file has no utc_offset (minutes east of
  // UTC); empty: the machine's time zone.
  std::optional<int> utc_offset_minutes;
  std::vector<std::string> plugin_dirs;  // in addition to DQAUDIT_PLUGIN_PATH and the defaults
  std::string log_file;              // rotating log file; "" = stderr only
  int64_t log_max_bytes = int64_t{10} << 20;  // size at which the log file rotates
  int log_files = 5;                          // rotated files kept besides the current one
  Duration keep{400, Duration::Unit::kDays};  // history retention; runs older are deleted
  bool incremental = true;                    // skip sources whose databases did not change
  Duration rescan_after{7, Duration::Unit::kDays};  // a carried result older than this is rescanned
  std::string config_dir;  // absolute folder of the configuration file (set by the loader)
};

// Parses the YAML text of a configuration file named `name` (used in messages and to resolve
// relative paths). Unknown keys, wrong types, bad durations, sizes, formats or languages, a
// missing `rules`, `schedule` without `out`, `rescan_after` longer than `keep`: InvalidArgument
// "<name>:<line>:<col>: <key>: <message>". Does not look at the files the paths name.
Result<NightlyConfig> ParseNightlyConfig(const std::string& yaml_text, const std::string& name);

// The folder where a nightly run keeps the per-range states of the tables it scans: beside the
// history store, "<history>.ranges".
inline std::string RangeStateDir(const std::string& history) { return history + ".ranges"; }
// The file where a nightly run keeps its plugin probe answers (core/plugins/probe_cache.h):
// "<history>.plugins".
inline std::string PluginProbeCachePath(const std::string& history) { return history + ".plugins"; }
// The folder where a nightly run leaves the history store's write-ahead log for the next run to
// delete (core/util/trash.h): "<history>.trash".
inline std::string StoreTrashDir(const std::string& history) { return history + ".trash"; }

// Reads and parses a file; NotFound if it does not exist, IoError if it cannot be read.
Result<NightlyConfig> LoadNightlyConfig(const std::string& path);

// Approximate length of a duration in days (months 30, years 365), to compare two durations.
int64_t ApproximateDays(const Duration& d);

}  // namespace dqa::nightly
