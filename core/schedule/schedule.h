// The inspection schedule API (issue 5; docs/schedule.md): history store + configuration + run ->
// plan -> files (CSV, JSON, iCalendar) and the HTML report's schedule section. `dqaudit schedule`,
// `dqaudit nightly` and `dqaudit report --schedule` all go through here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/history/store.h"
#include "core/i18n/catalog.h"
#include "core/report/report_data.h"
#include "core/schedule/config.h"
#include "core/schedule/planner.h"
#include "core/scoring/config.h"
#include "core/trends/trends.h"
#include "core/util/csv_writer.h"
#include "core/util/file_identity.h"

namespace dqa {

struct ScheduleRequest {
  std::optional<int64_t> run_id;  // nullopt: the newest run with status complete or partial
  std::optional<int64_t> start;   // first day (days since epoch); overrides config.start
  ScoringConfig scoring;          // how the run's scores are computed (default weights)
  TrendConfig trends;             // window of the trend (default 10 runs)
};

// Plans inspections from the store: the run's scores and failing checks, its trend against the
// runs before it, and the log of inspections. The plan starts at request.start, else config.start,
// else the day after the run's `today`. NotFound: unknown run, or no complete/partial run at all;
// InvalidArgument: the run is neither complete nor partial; store errors otherwise. Reads only.
Result<SchedulePlan> BuildSchedule(HistoryStore& store, const ScheduleConfig& config,
                                   const ScheduleRequest& request);

enum class ScheduleFormat { kCsv, kJson, kIcs };
// "csv,json,ics" (any subset, any order, no duplicates) -> formats in that order;
// InvalidArgument naming the unknown or repeated one.
Result<std::vector<ScheduleFormat>> ParseScheduleFormats(std::string_view list);
// "schedule.csv", "schedule.json", "schedule.ics".
std::string_view ScheduleFileName(ScheduleFormat format);

// InputFiles::CheckOutput for each file WriteScheduleFiles would write into `dir` in `formats`:
// InvalidArgument naming `option` when one of them is an input of the command.
Status CheckScheduleOutputs(const InputFiles& inputs, std::string_view option,
                            const std::string& dir, const std::vector<ScheduleFormat>& formats);

// Writes the plan into `dir` (created if missing) in each format, each file whole or not at all
// (WriteFileAtomically), and returns the paths written in `formats` order. IoError naming the file
// and the cause when one cannot be written (the old file stays, no temporary is left).
// `csv_style` nullopt: the default of the catalog's language (DefaultCsvStyle).
Result<std::vector<std::string>> WriteScheduleFiles(
    const SchedulePlan& plan, const i18n::Catalog& catalog, const std::string& dir,
    const std::vector<ScheduleFormat>& formats, std::optional<CsvStyle> csv_style = std::nullopt);

// The plan as the HTML report's schedule section (RunReport::schedule): one entry per planned
// inspection in plan order, reasons in the catalog's language.
std::vector<ReportScheduleEntry> ToReportSchedule(const SchedulePlan& plan,
                                                  const i18n::Catalog& catalog);

// Everything in one call (the nightly command): load the configuration at `config_path`, plan, and
// write the files. Configuration errors are InvalidArgument/NotFound "<file>:<line>:<col>: ...".
struct ScheduleJob {
  std::string config_path;
  ScheduleRequest request;
  std::string out_dir;
  std::vector<ScheduleFormat> formats = {ScheduleFormat::kCsv, ScheduleFormat::kJson,
                                         ScheduleFormat::kIcs};
  i18n::Language language = i18n::Language::kVi;
  std::optional<CsvStyle> csv_style;  // nullopt: the default of `language`
};
struct ScheduleOutput {
  SchedulePlan plan;
  std::vector<std::string> files;  // paths written, in job.formats order
};
Result<ScheduleOutput> RunScheduleJob(HistoryStore& store, const ScheduleJob& job);

}  // namespace dqa
