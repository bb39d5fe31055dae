#include "core/schedule/schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/schedule/export.h"
#include "core/schedule/ics.h"
#include "core/schedule/inspections.h"
#include "core/schedule/reasons.h"
#include "core/schedule/risk.h"
#include "core/util/atomic_file.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

bool Plannable(const RunRecord& run) { return run.status == "complete" || run.status == "partial"; }

Result<int64_t> NewestPlannableRun(HistoryStore& store) {
  DQA_ASSIGN_OR_RETURN(std::vector<RunRecord> runs, store.ListRuns(1 << 30));
  for (const RunRecord& run : runs) {  // newest first
    if (Plannable(run)) return run.id;
  }
  return NotFound("no complete or partial run in the history store: scan first");
}

}  // namespace

Result<SchedulePlan> BuildSchedule(HistoryStore& store, const ScheduleConfig& config,
                                   const ScheduleRequest& request) {
  int64_t run_id = 0;
  if (request.run_id) {
    run_id = *request.run_id;
  } else {
    DQA_ASSIGN_OR_RETURN(run_id, NewestPlannableRun(store));
  }
  DQA_ASSIGN_OR_RETURN(RunRecord run, store.GetRun(run_id));
  if (!Plannable(run)) {
    return InvalidArgument(fmt::format("run {} is {}: a schedule needs a complete or partial run",
                                       run.id, run.status));
  }
  const std::optional<int64_t> today = ParseIsoDay(run.today);
  if (!today) return Internal(fmt::format("run {} has no valid day: '{}'", run.id, run.today));
  const int64_t start = request.start ? *request.start : config.start ? *config.start : *today + 1;

  RiskInputs inputs;
  DQA_ASSIGN_OR_RETURN(inputs.sources, store.LoadRun(run_id));
  DQA_ASSIGN_OR_RETURN(TrendReport trends,
                       AnalyzeTrends(store, run_id, request.trends, request.scoring));
  inputs.trends = &trends;
  inputs.run_today = run.today;
  DQA_ASSIGN_OR_RETURN(inputs.inspections, ListInspections(store));
  inputs.as_of = start;

  SchedulePlan plan = PlanSchedule(AssessRisk(inputs, config, request.scoring), config, start);
  plan.run_id = run.id;
  plan.run_today = run.today;
  plan.run_started_unix_ms = run.started_unix_ms;
  return plan;
}

Result<std::vector<ScheduleFormat>> ParseScheduleFormats(std::string_view list) {
  std::vector<ScheduleFormat> out;
  size_t pos = 0;
  while (pos <= list.size()) {
    const size_t comma = std::min(list.find(',', pos), list.size());
    const std::string_view name = list.substr(pos, comma - pos);
    ScheduleFormat f;
    if (name == "csv") {
      f = ScheduleFormat::kCsv;
    } else if (name == "json") {
      f = ScheduleFormat::kJson;
    } else if (name == "ics") {
      f = ScheduleFormat::kIcs;
    } else {
      return InvalidArgument(
          fmt::format("unknown schedule format '{}'; expected csv, json or ics", name));
    }
    if (std::find(out.begin(), out.end(), f) != out.end()) {
      return InvalidArgument(fmt::format("schedule format '{}' given twice", name));
    }
    out.push_back(f);
    pos = comma + 1;
  }
  return out;
}

std::string_view ScheduleFileName(ScheduleFormat format) {
  switch (format) {
    case ScheduleFormat::kCsv:
      return "schedule.csv";
    case ScheduleFormat::kJson:
      return "schedule.json";
    case ScheduleFormat::kIcs:
      return "schedule.ics";
  }
  return "";
}

Status CheckScheduleOutputs(const InputFiles& inputs, std::string_view option,
                            const std::string& dir, const std::vector<ScheduleFormat>& formats) {
  for (ScheduleFormat f : formats) {
    DQA_RETURN_IF_ERROR(
        inputs.CheckOutput(option, (std::filesystem::path(dir) / ScheduleFileName(f)).string()));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> WriteScheduleFiles(const SchedulePlan& plan,
                                                    const i18n::Catalog& catalog,
                                                    const std::string& dir,
                                                    const std::vector<ScheduleFormat>& formats,
                                                    std::optional<CsvStyle> csv_style) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError(fmt::format("cannot create {}: {}", dir, ec.message()));
  std::vector<std::string> written;
  for (ScheduleFormat f : formats) {
    const fs::path path = fs::path(dir) / ScheduleFileName(f);
    std::string content;
    switch (f) {
      case ScheduleFormat::kCsv:
        content = ScheduleCsv(plan, catalog,
                              csv_style.value_or(DefaultCsvStyle(ToString(catalog.language()))));
        break;
      case ScheduleFormat::kJson:
        content = ScheduleJson(plan, catalog);
        break;
      case ScheduleFormat::kIcs:
        content = ScheduleIcs(plan, catalog);
        break;
    }
    DQA_RETURN_IF_ERROR(WriteFileAtomically(path.string(), content));
    written.push_back(path.string());
  }
  return written;
}

std::vector<ReportScheduleEntry> ToReportSchedule(const SchedulePlan& plan,
                                                  const i18n::Catalog& catalog) {
  std::vector<ReportScheduleEntry> out;
  out.reserve(plan.entries.size());
  for (const PlannedInspection& e : plan.entries) {
    ReportScheduleEntry entry;
    entry.date = FormatDay(e.day);
    entry.department = plan.ranking[e.department].department;
    entry.priority = plan.priority[e.department];
    entry.risk = plan.ranking[e.department].risk;
    entry.reasons = InspectionReasons(plan, e, catalog);
    out.push_back(std::move(entry));
  }
  return out;
}

Result<ScheduleOutput> RunScheduleJob(HistoryStore& store, const ScheduleJob& job) {
  DQA_ASSIGN_OR_RETURN(ScheduleConfig config, LoadScheduleConfig(job.config_path));
  ScheduleOutput output;
  DQA_ASSIGN_OR_RETURN(output.plan, BuildSchedule(store, config, job.request));
  DQA_ASSIGN_OR_RETURN(output.files,
                       WriteScheduleFiles(output.plan, i18n::Catalog::BuiltIn(job.language),
                                          job.out_dir, job.formats, job.csv_style));
  return output;
}

}  // namespace dqa
