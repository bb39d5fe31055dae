#include "core/cli/report_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <limits>

#include "core/cli/commands.h"
#include "core/history/store.h"
#include "core/report/report_data.h"
#include "core/schedule/reasons.h"
#include "core/schedule/schedule.h"
#include "core/util/atomic_file.h"
#include "core/util/file_identity.h"
#include "core/util/local_time.h"
#include "reports/failing_lists.h"
#include "reports/html/index_page.h"
#include "reports/report_writer.h"

namespace dqa::cli {
namespace {

// Exit code for a Status from building a report: a store that cannot be read is a runtime error,
// anything the user named wrongly is a usage error.
int ExitFor(const Status& status) {
  return status.code() == StatusCode::kIoError || status.code() == StatusCode::kInternal
             ? kExitRuntime
             : kExitUsage;
}

int Fail(const Status& status) {
  fmt::print(stderr, "dqaudit report: {}\n", status.message());
  return ExitFor(status);
}

// "html,xlsx" and repeated --format -> formats in the order given, each once.
Result<std::vector<reports::ReportFormat>> ParseFormats(const std::vector<std::string>& args) {
  std::vector<reports::ReportFormat> formats;
  for (const std::string& arg : args) {
    size_t start = 0;
    while (start <= arg.size()) {
      size_t comma = arg.find(',', start);
      if (comma == std::string::npos) comma = arg.size();
      const std::string name = arg.substr(start, comma - start);
      start = comma + 1;
      if (name.empty()) continue;
      DQA_ASSIGN_OR_RETURN(reports::ReportFormat f, reports::ParseReportFormat(name));
      if (std::find(formats.begin(), formats.end(), f) == formats.end()) formats.push_back(f);
    }
  }
  if (formats.empty()) {
    return InvalidArgument("--format names no format: expected html, json, csv or xlsx");
  }
  return formats;
}

// Refuses (exit 2, before anything is written) a report file that is one of the command's inputs:
// the history store, the scoring or the schedule configuration. `path_of` names the file of a
// format (RunReportPath or PeriodReportPath).
template <typename PathOf>
Status CheckReportOutputs(const ReportCommandOptions& o,
                          const std::vector<reports::ReportFormat>& formats, PathOf path_of) {
  InputFiles inputs;
  inputs.Add(o.history_path, "the history store");
  inputs.Add(o.scoring_path, "the scoring configuration");
  inputs.Add(o.schedule_config, "the schedule configuration");
  for (reports::ReportFormat f : formats) {
    DQA_RETURN_IF_ERROR(inputs.CheckOutput("--out", path_of(f)));
  }
  return Status::Ok();
}

// Writes `report` in each format with `write` (WriteRunReport or WritePeriodReport), printing
// each path; stops at the first file that cannot be written.
template <typename Report, typename Writer>
int WriteAll(const Report& report, const std::vector<reports::ReportFormat>& formats,
             const i18n::Catalog& catalog, const std::string& out_dir, CsvStyle csv_style,
             Writer write) {
  for (reports::ReportFormat f : formats) {
    auto path = write(report, f, catalog, out_dir, csv_style);
    if (!path.ok()) return Fail(path.status());
    fmt::print("{}\n", *path);
  }
  return kExitOk;
}

// Rewrites the folder's index page in the report's language after the reports were written
// (docs/reports.md "Index page"); its path is printed like the reports'.
int WriteIndex(HistoryStore& store, const std::string& out_dir, const i18n::Catalog& catalog) {
  auto runs = store.ListRuns(std::numeric_limits<int>::max());
  if (!runs.ok()) return Fail(runs.status());
  auto path = reports::WriteIndexPage(out_dir, *runs, catalog);
  if (!path.ok()) return Fail(path.status());
  fmt::print("{}\n", *path);
  return kExitOk;
}

// The CSV style of --csv-style, else the default of --lang (docs/reports.md "CSV").
Result<CsvStyle> CsvStyleOf(const ReportCommandOptions& o) {
  if (!o.csv_style.empty()) return ParseCsvStyle(o.csv_style);
  DQA_ASSIGN_OR_RETURN(i18n::Language lang, i18n::ParseLanguage(o.lang));
  return DefaultCsvStyle(ToString(lang));
}

// The run a report is about: --run, else the latest complete or partial run.
Result<int64_t> RunOf(HistoryStore& store, const ReportCommandOptions& o) {
  if (o.run_id != 0) return o.run_id;
  auto latest = LatestReportableRun(store);
  if (!latest.ok()) return latest.status().WithContext(o.history_path);
  return *latest;
}

// `report --failing CHECK`: the rows the check listed, as CSV (UTF-8 with BOM, in the CSV style
// of --csv-style or --lang, a header of the key columns, numbers as numbers), on stdout or into
// --out. A check that keeps only samples gives them, and stderr says so; a list cut at
// kMaxFailingRows says how many rows there were.
int RunFailing(const ReportCommandOptions& o) {
  auto style = CsvStyleOf(o);
  if (!style.ok()) return Fail(style.status());
  auto store = HistoryStore::OpenReadOnly(o.history_path);
  if (!store.ok()) {
    fmt::print(stderr, "dqaudit report: {}\n", store.status().message());
    return kExitUsage;
  }
  auto run_id = RunOf(**store, o);
  if (!run_id.ok()) return Fail(run_id.status());
  auto list = (*store)->FailingRows(*run_id, o.failing_check, o.failing_source);
  if (!list.ok()) return Fail(list.status());
  const std::string csv = reports::RenderFailingCsv(*list, *style);
  if (!list->complete_list) {
    fmt::print(stderr,
               "dqaudit report: check '{}' keeps samples only: {} of its {} violations listed\n",
               o.failing_check, list->rows.size(), list->violations);
  } else if (static_cast<int64_t>(list->rows.size()) < list->total) {
    fmt::print(stderr, "dqaudit report: check '{}' listed the first {} of {} rows\n",
               o.failing_check, list->rows.size(), list->total);
  }
  if (o.out_dir.empty()) {
    fmt::print("{}", csv);
    return kExitOk;
  }
  const std::string path = (std::filesystem::path(o.out_dir) /
                           reports::FailingCsvName(*run_id, list->source, o.failing_check))
                              .string();
  InputFiles inputs;
  inputs.Add(o.history_path, "the history store");
  if (Status s = inputs.CheckOutput("--out", path); !s.ok()) return Fail(s);
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) return Fail(IoError(fmt::format("cannot create {}: {}", o.out_dir, ec.message())));
  if (Status s = WriteFileAtomically(path, csv); !s.ok()) return Fail(s);
  fmt::print("{}\n", path);
  return kExitOk;
}

}  // namespace

CLI::App* AddReportCommand(CLI::App& app, ReportCommandOptions& o) {
  CLI::App* report = app.add_subcommand(
      "report",
      "Write the report of a recorded run (or of a month, quarter or year) as HTML, JSON, CSV or "
      "XLSX");
  report->fallthrough();
  report->add_option("--history", o.history_path, "History store")->capture_default_str();
  auto* run = report->add_option("--run", o.run_id, "Run id (see `dqaudit history`)")
                  ->check(CLI::Range(int64_t{1}, INT64_MAX));
  auto* latest = report->add_flag("--latest", o.latest,
                                  "The most recent complete or partial run (the default)");
  latest->excludes(run);
  report
      ->add_option("--period", o.period,
                   "Period report: a month YYYY-MM, a quarter YYYY-Qn or a year YYYY (every "
                   "complete or partial run of it, against the previous one)")
      ->excludes(run)
      ->excludes(latest);
  report
      ->add_option("--format", o.formats,
                   "html, json, csv, xlsx; several comma-separated or repeated (html,xlsx)")
      ->take_all();
  report->add_option("--out", o.out_dir, "Folder to write the reports into (created if missing)");
  report->add_option("--lang", o.lang, "Language of the reports: vi or en")->capture_default_str();
  report->add_option("--csv-style", o.csv_style,
                     "CSV files: excel-vi (';', decimal comma, dd/mm/yyyy) or rfc4180 (',', '.', "
                     "YYYY-MM-DD); default excel-vi for --lang vi, rfc4180 for en");
  report
      ->add_option("--scoring", o.scoring_path,
                   "Scoring configuration (YAML, docs/scoring.md, with its trends: map)")
      ->check(CLI::ExistingFile);
  report
      ->add_option("--schedule", o.schedule_config,
                   "Schedule configuration (YAML, docs/schedule.md): add the inspection plan "
                   "of the run to the report")
      ->check(CLI::ExistingFile)
      ->excludes("--period");
  report->add_option("--issuer", o.issuer,
                     "Issuing body shown at the head of the report (\"Ban Chỉ đạo ...\")");
  report->add_option("--province", o.province, "Province shown at the head of the report");
  report
      ->add_option("--timezone", o.timezone,
                   "IANA time zone of the times in the report (never UTC on the page)")
      ->capture_default_str();
  auto* failing =
      report->add_option("--failing", o.failing_check,
                         "Instead of a report: every row check CHECK listed (fuzzy_duplicate: "
                         "every record of every cluster), as CSV on stdout, or into --out");
  failing->excludes("--period")->excludes("--format")->excludes("--schedule");
  report->add_option("--source", o.failing_source, "With --failing: the source of the check")
      ->needs(failing);
  report->footer(
      "Files: dqaudit-run-<id>-<lang>.<ext> (and failing-run-<id>-<source>-<check>.csv for each\n"
      "check that listed its failing rows), or dqaudit-<period>-<lang>.<ext> for --period\n"
      "(2026-10, 2026-Q4, 2026); then index-<lang>.html, the folder's index page.\n"
      "--failing: failing-run-<id>-<source>-<check>.csv (UTF-8 with BOM, --csv-style).\n"
      "Formats and their contents: docs/reports.md. Each path written is printed on stdout.\n"
      "Exit codes: 0 written; 2 bad usage, unknown run, bad period, period without a run; 3 store "
      "or file error.");
  return report;
}

int RunReportCommand(const ReportCommandOptions& o) {
  if (!o.failing_check.empty()) return RunFailing(o);
  if (o.formats.empty()) return Fail(InvalidArgument("--format is required (or --failing CHECK)"));
  if (o.out_dir.empty()) return Fail(InvalidArgument("--out is required"));
  auto formats = ParseFormats(o.formats);
  if (!formats.ok()) return Fail(formats.status());
  auto lang = i18n::ParseLanguage(o.lang);
  if (!lang.ok()) return Fail(lang.status());
  auto csv_style = CsvStyleOf(o);
  if (!csv_style.ok()) return Fail(csv_style.status());
  auto options = LoadReportOptions(o.scoring_path);
  if (!options.ok()) return Fail(options.status());
  if (Status s = ValidateTimeZone(o.timezone); !s.ok()) return Fail(s.WithContext("--timezone"));
  options->issuer = {o.issuer, o.province, o.timezone};
  auto store = HistoryStore::OpenReadOnly(o.history_path);
  if (!store.ok()) {
    // A missing store is a wrong --history, and a file SQLite cannot open as a store is not a
    // history store: both are the user's to fix (usage), nothing was read.
    fmt::print(stderr, "dqaudit report: {}\n", store.status().message());
    return kExitUsage;
  }
  const i18n::Catalog& catalog = i18n::Catalog::BuiltIn(*lang);

  if (!o.period.empty()) {
    auto report = BuildPeriodReport(**store, o.period, *options);
    if (!report.ok()) return Fail(report.status());
    if (Status s = CheckReportOutputs(o, *formats,
                                      [&](reports::ReportFormat f) {
                                        return reports::PeriodReportPath(report->period, f,
                                                                         *lang, o.out_dir);
                                      });
        !s.ok()) {
      return Fail(s);
    }
    const int code =
        WriteAll(*report, *formats, catalog, o.out_dir, *csv_style, reports::WritePeriodReport);
    return code != kExitOk ? code : WriteIndex(**store, o.out_dir, catalog);
  }
  auto latest_or_given = RunOf(**store, o);
  if (!latest_or_given.ok()) return Fail(latest_or_given.status());
  const int64_t run_id = *latest_or_given;
  auto report = BuildRunReport(**store, run_id, *options);
  if (!report.ok()) return Fail(report.status());
  if (!o.schedule_config.empty()) {
    auto config = LoadScheduleConfig(o.schedule_config);
    if (!config.ok()) return Fail(config.status());
    ScheduleRequest request;
    request.run_id = run_id;
    request.scoring = options->scoring;
    request.trends = options->trends;
    auto plan = BuildSchedule(**store, *config, request);
    if (!plan.ok()) return Fail(plan.status());
    report->schedule = ToReportSchedule(*plan, catalog);
    for (const ScheduleWarning& w : plan->warnings) {
      fmt::print(stderr, "dqaudit report: warning: {}\n", WarningText(w, catalog));
    }
  }
  if (Status s = CheckReportOutputs(o, *formats,
                                    [&](reports::ReportFormat f) {
                                      return reports::RunReportPath(run_id, f, *lang, o.out_dir);
                                    });
      !s.ok()) {
    return Fail(s);
  }
  // The lists of failing rows first: the HTML report links the ones written.
  InputFiles inputs;
  inputs.Add(o.history_path, "the history store");
  inputs.Add(o.scoring_path, "the scoring configuration");
  inputs.Add(o.schedule_config, "the schedule configuration");
  auto failing = reports::WriteFailingLists(**store, *report, o.out_dir, *csv_style, inputs);
  if (!failing.ok()) return Fail(failing.status());
  for (const std::string& path : *failing) fmt::print("{}\n", path);
  const int code =
      WriteAll(*report, *formats, catalog, o.out_dir, *csv_style, reports::WriteRunReport);
  return code != kExitOk ? code : WriteIndex(**store, o.out_dir, catalog);
}

}  // namespace dqa::cli
