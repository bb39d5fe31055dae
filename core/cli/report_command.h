// `dqaudit report`: writes the report of a recorded run, or the monthly report, in one or more
// formats (HTML, JSON, CSV, XLSX) and one language (docs/reports.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace dqa::cli {

struct ReportCommandOptions {
  std::string history_path = "audit.db";
  int64_t run_id = 0;                // --run; 0 = the latest complete or partial run
  bool latest = false;               // --latest (the default; same as no --run)
  std::string period;                // --period 2026-10 | 2026-Q4 | 2026: a period's report
  std::vector<std::string> formats;  // --format html,json (repeatable, comma-separated)
  std::string out_dir;               // --out DIR (created if missing)
  std::string lang = "vi";           // --lang vi|en
  std::string csv_style;             // --csv-style excel-vi|rfc4180; "" = by --lang
  std::string scoring_path;          // --scoring FILE (docs/scoring.md); "" = defaults
  // --schedule FILE: plan inspections from the run with this schedule configuration
  // (docs/schedule.md) and show the plan in the report; "" = no schedule section.
  std::string schedule_config;
  // The first screen (docs/reports.md "First screen"): issuing body, province, IANA time zone.
  std::string issuer;
  std::string province;
  std::string timezone = "Asia/Ho_Chi_Minh";
  std::string failing_check;   // --failing CHECK: list the check's failing rows instead
  std::string failing_source;  // --source: which source's CHECK
};

// Adds the `report` subcommand bound to `options` (which must outlive the app) and returns it.
CLI::App* AddReportCommand(CLI::App& app, ReportCommandOptions& options);

// Builds the report and writes one file per format, printing each path written on stdout.
// Returns 0 when every file was written; 2 for bad usage (unknown format or language, a bad
// scoring file, a missing store, an unknown run, a month or store without a reportable run);
// 3 when the store cannot be read or a file cannot be written.
int RunReportCommand(const ReportCommandOptions& options);

}  // namespace dqa::cli
