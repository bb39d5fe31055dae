// `dqaudit schedule` and `dqaudit inspections add|list`: the inspection schedule and its log of
// past inspections (docs/schedule.md).
#pragma once

#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace dqa::cli {

struct ScheduleOptions {
  std::string history_path = "audit.db";
  std::string config_path;   // --config schedule.yaml; "" = defaults (no holidays)
  std::string scoring_path;  // --scoring scoring.yaml; "" = default weights
  int64_t run_id = 0;        // --run; 0 = newest complete/partial run (--latest)
  bool latest = false;
  std::string start;    // --start YYYY-MM-DD; "" = configuration or the run's today + 1
  std::string out_dir;  // --out DIR (required)
  std::string formats = "csv,json,ics";
  std::string language = "vi";
  std::string csv_style;  // --csv-style excel-vi|rfc4180; "" = by --lang
};

struct InspectionsOptions {
  std::string history_path = "audit.db";
  std::string department;
  std::string date;  // add: YYYY-MM-DD
  std::string team;
  std::string notes;
};

// Adds `schedule`, bound to `options` (which must outlive the app).
CLI::App* AddScheduleCommand(CLI::App& app, ScheduleOptions& options);
// Plans and writes the files; prints one line per inspection and the warnings. Exit 0 (warnings
// included); 2 for a bad option or configuration, a missing store or an unknown/unfinished run;
// 3 when the store cannot be read or a file cannot be written.
int RunScheduleCommand(const ScheduleOptions& options);

struct InspectionsCommands {
  CLI::App* add;
  CLI::App* list;
};
// Adds `inspections` with its `add` and `list` subcommands.
InspectionsCommands AddInspectionsCommand(CLI::App& app, InspectionsOptions& options);
// Logs one inspection (exit 0; 2 for a bad date, an empty department or a missing store).
int RunInspectionsAdd(const InspectionsOptions& options);
// Prints the log, oldest first (exit 0; 2 for a missing store).
int RunInspectionsList(const InspectionsOptions& options);

}  // namespace dqa::cli
