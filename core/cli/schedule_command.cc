// `dqaudit schedule` and `dqaudit inspections`: thin wrappers over core/schedule.
#include "core/cli/schedule_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/cli/suggest.h"
#include "core/history/store.h"
#include "core/schedule/inspections.h"
#include "core/schedule/reasons.h"
#include "core/schedule/schedule.h"
#include "core/scoring/config.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa::cli {
namespace {

int UsageError(const Status& status) {
  fmt::print(stderr, "dqaudit: {}\n", status.message());
  return kExitUsage;
}

int RuntimeError(const Status& status) {
  fmt::print(stderr, "dqaudit: {}\n", status.message());
  return kExitRuntime;
}

}  // namespace

CLI::App* AddScheduleCommand(CLI::App& app, ScheduleOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "schedule", "Plan inspections of departments by risk (CSV, JSON, iCalendar files)");
  cmd->fallthrough();
  cmd->add_option("--history", o.history_path, "History store")->capture_default_str();
  cmd->add_option("--config", o.config_path,
                  "Schedule configuration (YAML, docs/schedule.md; example "
                  "rules/schedule/schedule.yaml); defaults without holidays otherwise")
      ->check(CLI::ExistingFile);
  cmd->add_option("--scoring", o.scoring_path, "Scoring configuration (docs/scoring.md)")
      ->check(CLI::ExistingFile);
  auto* run = cmd->add_option("--run", o.run_id, "Run id (see `dqaudit history`)")
                  ->check(CLI::Range(int64_t{1}, INT64_MAX));
  cmd->add_flag("--latest", o.latest, "The newest complete or partial run (the default)")
      ->excludes(run);
  cmd->add_option("--start", o.start,
                  "First day of the plan, YYYY-MM-DD (default: the configuration's start, else "
                  "the day after the run's day)");
  cmd->add_option("--out", o.out_dir, "Folder for schedule.csv, schedule.json, schedule.ics")
      ->required();
  cmd->add_option("--format", o.formats, "Comma-separated: csv, json, ics")->capture_default_str();
  cmd->add_option("--lang", o.language, "Language of the words in the files")
      ->check(CLI::IsMember({"vi", "en"}))
      ->capture_default_str();
  cmd->add_option("--csv-style", o.csv_style,
                  "schedule.csv: excel-vi (';', decimal comma, dd/mm/yyyy) or rfc4180 (',', '.', "
                  "YYYY-MM-DD); default excel-vi for --lang vi, rfc4180 for en");
  cmd->footer(ExitCodesFooter(
      {{0, "files written (also with warnings)"},
       {2,
        "bad option or configuration, missing store, unknown or unfinished run, an output "
        "that is an input"},
       {3, "the store cannot be read or a file cannot be written"}},
      "Risk formula, placement rules, tie rule and file formats: docs/schedule.md.\n"));
  return cmd;
}

int RunScheduleCommand(const ScheduleOptions& o) {
  auto formats = ParseScheduleFormats(o.formats);
  if (!formats.ok()) return UsageError(formats.status());
  auto language = i18n::ParseLanguage(o.language);
  if (!language.ok()) return UsageError(language.status());
  std::optional<CsvStyle> csv_style;
  if (!o.csv_style.empty()) {
    auto parsed = ParseCsvStyle(o.csv_style);
    if (!parsed.ok()) return UsageError(parsed.status());
    csv_style = *parsed;
  }
  ScheduleConfig config;
  if (!o.config_path.empty()) {
    auto loaded = LoadScheduleConfig(o.config_path);
    if (!loaded.ok()) return UsageError(loaded.status());
    config = std::move(*loaded);
  }
  ScheduleRequest request;
  auto options = LoadReportOptions(o.scoring_path);
  if (!options.ok()) return UsageError(options.status());
  request.scoring = std::move(options->scoring);
  request.trends = std::move(options->trends);
  if (o.run_id != 0) request.run_id = o.run_id;
  if (!o.start.empty()) {
    request.start = ParseIsoDay(o.start);
    if (!request.start) {
      return UsageError(
          InvalidArgument(fmt::format("--start: expected a date YYYY-MM-DD, got '{}'", o.start)));
    }
  }
  InputFiles inputs;
  inputs.Add(o.history_path, "the history store");
  inputs.Add(o.config_path, "the schedule configuration");
  inputs.Add(o.scoring_path, "the scoring configuration");
  if (Status s = CheckScheduleOutputs(inputs, "--out", o.out_dir, *formats); !s.ok()) {
    return UsageError(s);
  }
  auto store = HistoryStore::OpenReadOnly(o.history_path);
  if (!store.ok()) return UsageError(store.status());
  auto plan = BuildSchedule(**store, config, request);
  if (!plan.ok()) {
    const StatusCode code = plan.status().code();
    return code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument
               ? UsageError(plan.status())
               : RuntimeError(plan.status());
  }
  const i18n::Catalog& catalog = i18n::Catalog::BuiltIn(*language);
  auto files = WriteScheduleFiles(*plan, catalog, o.out_dir, *formats, csv_style);
  if (!files.ok()) return RuntimeError(files.status());

  size_t departments = 0;
  for (int p : plan->priority) departments += p > 0 ? 1 : 0;
  fmt::print("{}\n", catalog.Format(
                         "schedule.summary",
                         {{"entries", catalog.Integer(static_cast<int64_t>(plan->entries.size()))},
                          {"departments", catalog.Integer(static_cast<int64_t>(departments))},
                          {"start", catalog.Date(FormatDay(plan->start))},
                          {"end", catalog.Date(FormatDay(plan->end - 1))}}));
  for (const PlannedInspection& e : plan->entries) {
    const DepartmentRisk& r = plan->ranking[e.department];
    fmt::print("  {}  {:>3}  {:>5}  {}{}\n", FormatDay(e.day), plan->priority[e.department],
               ScoreText(r.risk, catalog), r.department, e.critical ? "  (!)" : "");
  }
  for (const ScheduleWarning& w : plan->warnings) {
    fmt::print(stderr, "dqaudit: warning: {}\n", WarningText(w, catalog));
  }
  for (const std::string& f : *files) fmt::print("{}\n", f);
  return kExitOk;
}

InspectionsCommands AddInspectionsCommand(CLI::App& app, InspectionsOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("inspections", "Log and list the inspections departments have had");
  cmd->fallthrough();
  cmd->require_subcommand(1);
  cmd->add_option("--history", o.history_path, "History store")->capture_default_str();
  CLI::App* add = cmd->add_subcommand("add", "Log one inspection");
  add->fallthrough();
  add->add_option("--department", o.department,
                  "Department, as written in the rule files' `department:`")
      ->required();
  add->add_option("--date", o.date, "Day of the inspection, YYYY-MM-DD")->required();
  add->add_option("--team", o.team, "Inspection team");
  add->add_option("--notes", o.notes, "Notes");
  CLI::App* list = cmd->add_subcommand("list", "List the logged inspections, oldest first");
  list->fallthrough();
  list->add_option("--department", o.department, "Only this department");
  cmd->footer(ExitCodesFooter({{0, "logged or listed"},
                               {2, "bad option, date or department, or no store at --history"},
                               {3, "the store cannot be read or written"}}));
  add->footer(ExitCodesFooter(
      {{0, "logged"},
       {2,
        "bad or future date, a department no recorded run has (the nearest are named), no "
        "store at --history, or a bad option"},
       {3, "the store cannot be read or written"}}));
  list->footer(ExitCodesFooter({{0, "listed"},
                                {2, "no store at --history, or a bad option"},
                                {3, "the store cannot be read"}}));
  return {add, list};
}

int RunInspectionsAdd(const InspectionsOptions& o) {
  const std::optional<int64_t> day = ParseIsoDay(o.date);
  if (!day) {
    return UsageError(
        InvalidArgument(fmt::format("--date: expected a date YYYY-MM-DD, got '{}'", o.date)));
  }
  // Today on this machine's clock (an inspection at 06:00 in Vietnam is still 23:00 UTC).
  if (*day > DayOf(WallClock(NowUnixMs() / 1000, std::nullopt))) {
    return UsageError(InvalidArgument(fmt::format(
        "--date {} is in the future: the log records inspections that took place", o.date)));
  }
  auto store = HistoryStore::Open(o.history_path, /*create=*/false);
  if (!store.ok()) return UsageError(store.status());
  // The schedule matches department names exactly: a name that no recorded run has (the rules'
  // `department:`) would be an inspection the risk never sees. With no run recorded yet there is
  // nothing to compare with.
  const std::string name(TrimWhitespace(o.department));
  auto known = RecordedDepartments(**store);
  if (!known.ok()) return RuntimeError(known.status());
  if (!name.empty() && !known->empty() &&
      std::find(known->begin(), known->end(), name) == known->end()) {
    const std::vector<std::string> close = NearestNames(name, *known, 3);
    return UsageError(InvalidArgument(fmt::format(
        "no recorded run has a department named '{}' (the schedule matches names exactly); {}",
        name,
        close.empty() ? fmt::format("departments: {}", fmt::join(*known, ", "))
                      : fmt::format("did you mean: {}?", fmt::join(close, ", ")))));
  }
  Inspection inspection;
  inspection.department = o.department;
  inspection.inspected_on = o.date;
  inspection.team = o.team;
  inspection.notes = o.notes;
  auto id = AddInspection(**store, inspection);
  if (!id.ok()) {
    return id.status().code() == StatusCode::kInvalidArgument ? UsageError(id.status())
                                                              : RuntimeError(id.status());
  }
  fmt::print("inspection {} logged: {} on {}\n", *id, name, o.date);
  return kExitOk;
}

int RunInspectionsList(const InspectionsOptions& o) {
  auto store = HistoryStore::OpenReadOnly(o.history_path);
  if (!store.ok()) return UsageError(store.status());
  auto list = ListInspections(**store, o.department);
  if (!list.ok()) return RuntimeError(list.status());
  if (list->empty()) {
    fmt::print("no inspections logged in {}\n", o.history_path);
    return kExitOk;
  }
  fmt::print("{:>5}  {:<10}  {}\n", "ID", "DATE", "DEPARTMENT | TEAM | NOTES");
  for (const Inspection& i : *list) {
    fmt::print("{:>5}  {:<10}  {} | {} | {}\n", i.id, i.inspected_on, i.department, i.team,
               i.notes);
  }
  return kExitOk;
}

}  // namespace dqa::cli
