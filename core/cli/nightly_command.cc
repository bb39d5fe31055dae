// `dqaudit nightly`: lock, decide what changed, scan the rest through the shared pipeline, record,
// keep the history within `keep`, then write the reports and the schedule.
#include "core/cli/nightly_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <limits>
#include <map>

#include "core/audit/inputs.h"
#include "core/audit/pipeline.h"
#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/i18n/catalog.h"
#include "core/nightly/config.h"
#include "core/nightly/feed.h"
#include "core/nightly/incremental.h"
#include "core/nightly/metrics.h"
#include "core/nightly/nightly_log.h"
#include "core/nightly/nightly_run.h"
#include "core/nightly/period_close.h"
#include "core/nightly/run_lock.h"
#include "core/output/console_summary.h"
#include "core/output/progress_meter.h"
#include "core/report/report_data.h"
#include "core/schedule/config.h"
#include "core/schedule/schedule.h"
#include "core/scoring/config.h"
#include "core/util/dates.h"
#include "core/util/file_identity.h"
#include "core/util/process.h"
#include "core/util/trash.h"
#include "reports/failing_lists.h"
#include "reports/html/index_page.h"
#include "reports/report_writer.h"

namespace dqa::cli {
namespace {

using nightly::NightlyConfig;

void PrintNightlyError(const std::string& message) { fmt::print(stderr, "dqaudit nightly: {}\n", message); }

int TerminalWidth() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// One log line per recorded source; on a terminal also the progress line with ETA, naming the
// table scans with their rows per second. With `rows` (--progress) the table scans' lines are also
// logged (at most one a second per source), so an unattended run's log shows a long scan moving.
class NightlyProgress : public RunProgress {
 public:
  NightlyProgress(std::shared_ptr<nightly::ProgressLine> line, bool rows)
      : line_(std::move(line)), rows_(rows) {}

  void OnSourceProgress(const SourcePlan& plan, const TableScanProgress& progress) override {
    if (!line_ && !rows_) return;
    const auto text = meter_.Update(plan.source.id, progress, ScanProgressMeter::Clock::now());
    if (!text) return;
    if (rows_) spdlog::info("{}", *text);
    scanning_[plan.source.id] = *text;
    Draw(done_);
  }

  void OnRunStarted(size_t total, size_t carried) override {
    start_ = std::chrono::steady_clock::now();
    total_ = total;
    carried_ = carried;
    Draw(0);
  }

  void OnSourceStarted(const SourcePlan& plan) override {
    running_.push_back(plan.source.id);
    Draw(done_);
  }

  void OnSourceDone(const SourceResult& r, size_t done, size_t total) override {
    done_ = done;
    std::erase(running_, r.source);
    meter_.Forget(r.source);
    scanning_.erase(r.source);
    if (!r.carried_from_run) ++scanned_;
    if (!r.error.empty()) {
      spdlog::error("[{}/{}] {}: {}", done, total, r.source, r.error);
    } else {
      const OutcomeTotals t = CountOutcomes(r);
      spdlog::info("[{}/{}] {}: {} checks: {} pass, {} warn, {} fail, {} error{}", done, total,
                   r.source, t.checks, t.pass, t.warn, t.fail, t.error,
                   r.carried_from_run
                       ? fmt::format(" (carried over from run {})", *r.carried_from_run)
                       : fmt::format(" ({:.1f} s)", static_cast<double>(r.finished_unix_ms -
                                                                        r.started_unix_ms) /
                                                        1000.0));
    }
    Draw(done);
  }

  void OnPluginQuarantined(const std::string& plugin, const std::string& /*reason*/) override {
    quarantined_.push_back(plugin);
  }

  void Finish() {
    if (line_) line_->Finish();
  }

  const std::vector<std::string>& quarantined() const { return quarantined_; }

 private:
  // The sources being scanned now are named after the counts.
  void Draw(size_t done) {
    if (!line_) return;
    double eta = -1;
    const size_t to_scan = total_ - carried_;
    if (scanned_ > 0 && to_scan > 0) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      eta = elapsed / static_cast<double>(scanned_) * static_cast<double>(to_scan - scanned_);
    }
    // A running source is named by its scan's line once it has one ("population: citizens
    // 1,200,000 of ~5,000,000 rows, 400,000 rows/s, ETA ~9 s").
    std::vector<std::string> running;
    for (const std::string& source : running_) {
      const auto it = scanning_.find(source);
      running.push_back(it != scanning_.end() ? it->second : source);
    }
    line_->Update(nightly::ProgressText(done, total_, carried_, eta,
                                        fmt::format("{}", fmt::join(running, ", ")),
                                        TerminalWidth()));
  }

  std::shared_ptr<nightly::ProgressLine> line_;
  bool rows_;
  ScanProgressMeter meter_{std::chrono::seconds(1)};
  std::map<std::string, std::string> scanning_;  // source -> its scan's latest line
  std::chrono::steady_clock::time_point start_;
  size_t total_ = 0;
  size_t carried_ = 0;
  size_t done_ = 0;
  size_t scanned_ = 0;
  std::vector<std::string> running_;
  std::vector<std::string> quarantined_;
};

// Fills run_options.fingerprints, .resumed_from and .carried (nightly::PlanIncremental, under the
// lock); logs each decision.
Status DecideIncremental(HistoryStore& store, const PreparedAudit& audit,
                         const NightlyConfig& config, bool full,
                         std::optional<int64_t> pinned_day, RecordedRunOptions& run_options) {
  DQA_ASSIGN_OR_RETURN(nightly::IncrementalPlan plan,
                       nightly::PlanIncremental(&store, audit.plans, config, full, pinned_day,
                                                /*mark=*/true, NowUnixMs()));
  if (plan.resumed_from) {
    spdlog::info("run {} was interrupted; this run finishes it", *plan.resumed_from);
  }
  for (const nightly::SourceDecision& d : plan.decisions) {
    spdlog::info("{}: {}", d.source, nightly::Describe(d));
  }
  DQA_ASSIGN_OR_RETURN(run_options.carried, nightly::LoadCarriedResults(store, plan));
  run_options.fingerprints = std::move(plan.fingerprints);
  run_options.resumed_from = plan.resumed_from;
  return Status::Ok();
}

// The files a nightly run writes (the history store and its lock, the log, the schedule files),
// checked against those it reads: the configuration files and, with `audit`, the rules, databases
// and plugins. Returns the inputs with the history store added, for the reports, whose names are
// known only once the run has its id (WriteReports checks each one before writing it).
Result<InputFiles> CheckNightlyOutputs(const std::string& config_path, const NightlyConfig& config,
                                       const PreparedAudit* audit) {
  InputFiles inputs;
  inputs.Add(config_path, "the nightly configuration");
  inputs.Add(config.scoring, "the scoring configuration");
  inputs.Add(config.schedule_config, "the schedule configuration");
  if (audit != nullptr) {
    AddAuditInputs(audit->plans, inputs);
  } else {
    AddRulePaths(config.rules, inputs);
  }
  DQA_RETURN_IF_ERROR(inputs.CheckOutput("history:", config.history));
  DQA_RETURN_IF_ERROR(
      inputs.CheckOutput("history: (lock file)", nightly::LockPathFor(config.history)));
  inputs.Add(config.history, "the history store");
  if (!config.log_file.empty()) {
    DQA_RETURN_IF_ERROR(inputs.CheckOutput("log: file:", config.log_file));
  }
  if (!config.schedule_config.empty()) {
    DQA_RETURN_IF_ERROR(
        CheckScheduleOutputs(inputs, "schedule: out:", config.schedule_out, ScheduleJob().formats));
  }
  if (!config.feed_out.empty()) {
    DQA_RETURN_IF_ERROR(inputs.CheckOutput(
        "feed: out:", (std::filesystem::path(config.feed_out) / "latest.json").string()));
  }
  if (!config.metrics_file.empty()) {
    DQA_RETURN_IF_ERROR(inputs.CheckOutput("metrics_file:", config.metrics_file));
  }
  return inputs;
}

// `reports.csv_style` (checked by LoadNightlyConfig); nullopt = by language.
std::optional<CsvStyle> NightlyCsvStyle(const NightlyConfig& config) {
  if (config.csv_style.empty()) return std::nullopt;
  return *ParseCsvStyle(config.csv_style);
}

// Writes the reports of the periods (`reports.periods`) that closed with run `run_id`, in every
// format and language; kExitRuntime when one fails.
int WritePeriodReports(HistoryStore& store, int64_t run_id, const NightlyConfig& config,
                       const ReportOptions& options, const InputFiles& inputs,
                       const std::vector<RunRecord>& runs) {
  if (config.report_periods.empty()) return kExitOk;
  Result<RunRecord> run = store.GetRun(run_id);
  if (!run.ok()) {
    spdlog::error("period reports: {}", run.status().message());
    return kExitRuntime;
  }
  Result<std::vector<Period>> closed = nightly::ClosedPeriods(runs, *run, config.report_periods);
  if (!closed.ok()) {
    spdlog::error("period reports: {}", closed.status().message());
    return kExitRuntime;
  }
  int code = kExitOk;
  for (const Period& period : *closed) {
    Result<PeriodReport> report = BuildPeriodReport(store, period.ToString(), options);
    if (!report.ok()) {
      spdlog::error("report of {}: {}", period.ToString(), report.status().message());
      code = kExitRuntime;
      continue;
    }
    for (const std::string& language : config.report_languages) {
      const i18n::Catalog& catalog = i18n::Catalog::BuiltIn(*i18n::ParseLanguage(language));
      for (const std::string& format : config.report_formats) {
        const reports::ReportFormat report_format = *reports::ParseReportFormat(format);
        Status s = inputs.CheckOutput(
            "reports: out:", reports::PeriodReportPath(report->period, report_format,
                                                       catalog.language(), config.reports_out));
        Result<std::string> written = s.ok() ? reports::WritePeriodReport(
                                                   *report, report_format, catalog,
                                                   config.reports_out, NightlyCsvStyle(config))
                                             : Result<std::string>(s);
        if (written.ok()) {
          spdlog::info("report: {}", *written);
        } else {
          spdlog::error("report of {} ({}, {}): {}", report->period, format, language,
                        written.status().message());
          code = kExitRuntime;
        }
      }
    }
  }
  return code;
}

// Writes the run's report in every configured format and language, the lists of failing rows
// beside it, the reports of the periods that closed, then the folder's index page per language;
// kExitRuntime when one fails. The HTML report carries the inspection plan when one was made.
int WriteReports(HistoryStore& store, int64_t run_id, const NightlyConfig& config,
                 const ReportOptions& options, const std::optional<SchedulePlan>& plan,
                 const InputFiles& inputs) {
  if (config.reports_out.empty()) return kExitOk;
  Result<RunReport> report = BuildRunReport(store, run_id, options);
  if (!report.ok()) {
    spdlog::error("report of run {}: {}", run_id, report.status().message());
    return kExitRuntime;
  }
  int code = kExitOk;
  // One list per check whatever the languages: in reports.csv_style, else the first language's.
  const CsvStyle failing_style =
      NightlyCsvStyle(config).value_or(DefaultCsvStyle(config.report_languages.front()));
  Result<std::vector<std::string>> failing =
      reports::WriteFailingLists(store, *report, config.reports_out, failing_style, inputs);
  if (failing.ok()) {
    for (const std::string& path : *failing) spdlog::info("failing rows: {}", path);
  } else {
    spdlog::error("failing rows of run {}: {}", run_id, failing.status().message());
    code = kExitRuntime;
  }
  for (const std::string& language : config.report_languages) {
    const i18n::Catalog& catalog = i18n::Catalog::BuiltIn(*i18n::ParseLanguage(language));
    if (plan) report->schedule = ToReportSchedule(*plan, catalog);
    for (const std::string& format : config.report_formats) {
      const reports::ReportFormat report_format = *reports::ParseReportFormat(format);
      if (Status s = inputs.CheckOutput(
              "reports: out:", reports::RunReportPath(run_id, report_format, catalog.language(),
                                                      config.reports_out));
          !s.ok()) {
        spdlog::error("report ({}, {}): {}", format, language, s.message());
        code = kExitRuntime;
        continue;
      }
      Result<std::string> written = reports::WriteRunReport(
          *report, report_format, catalog, config.reports_out, NightlyCsvStyle(config));
      if (written.ok()) {
        spdlog::info("report: {}", *written);
      } else {
        spdlog::error("report ({}, {}): {}", format, language, written.status().message());
        code = kExitRuntime;
      }
    }
  }
  Result<std::vector<RunRecord>> runs = store.ListRuns(std::numeric_limits<int>::max());
  if (!runs.ok()) {
    spdlog::error("reports: {}", runs.status().message());
    return kExitRuntime;
  }
  code = std::max(code, WritePeriodReports(store, run_id, config, options, inputs, *runs));
  for (const std::string& language : config.report_languages) {
    const i18n::Catalog& catalog = i18n::Catalog::BuiltIn(*i18n::ParseLanguage(language));
    Result<std::string> index = reports::WriteIndexPage(config.reports_out, *runs, catalog);
    if (index.ok()) {
      spdlog::info("index: {}", *index);
    } else {
      spdlog::error("index ({}): {}", language, index.status().message());
      code = kExitRuntime;
    }
  }
  return code;
}

// Writes the IOC's feed of the run (docs/nightly.md "Feeds"); kExitRuntime when it cannot. The
// run's file name is known only now: checked against the inputs like the reports.
int WriteRunFeed(HistoryStore& store, const RecordedRun& run, const NightlyConfig& config,
                 const ReportOptions& options, const InputFiles& inputs) {
  if (config.feed_out.empty()) return kExitOk;
  Result<RunReport> report = BuildRunReport(store, *run.run_id, options);
  if (!report.ok()) {
    spdlog::error("feed: run {}: {}", *run.run_id, report.status().message());
    return kExitRuntime;
  }
  const std::string file =
      (std::filesystem::path(config.feed_out) / nightly::FeedFileName(report->run)).string();
  if (Status s = inputs.CheckOutput("feed: out:", file); !s.ok()) {
    spdlog::error("feed: {}", s.message());
    return kExitRuntime;
  }
  Result<nightly::FeedWritten> written = nightly::WriteFeed(
      config.feed_out, report->run, nightly::FeedToJson(*report, run.results), config.feed_keep);
  if (!written.ok()) {
    spdlog::error("feed: {}", written.status().message());
    return kExitRuntime;
  }
  spdlog::info("feed: {} (and {})", written->file, written->latest);
  for (const std::string& old : written->pruned) spdlog::info("feed: deleted {} (keep {})", old, config.feed_keep);
  return kExitOk;
}

// Plans the inspections from this run and writes the schedule files (in the first report
// language). nullopt when no schedule is configured or it could not be made (`code` is then 3,
// except for a run too broken to plan from: failed runs are logged and skipped).
std::optional<SchedulePlan> WriteSchedule(HistoryStore& store, const RecordedRun& run,
                                          const NightlyConfig& config,
                                          const ReportOptions& options, int& code) {
  if (config.schedule_config.empty()) return std::nullopt;
  ScheduleJob job;
  job.config_path = config.schedule_config;
  job.request.run_id = run.run_id;
  job.request.scoring = options.scoring;
  job.request.trends = options.trends;
  job.out_dir = config.schedule_out;
  job.language = *i18n::ParseLanguage(config.report_languages.front());
  job.csv_style = NightlyCsvStyle(config);
  Result<ScheduleOutput> out = RunScheduleJob(store, job);
  if (!out.ok()) {
    if (out.status().code() == StatusCode::kInvalidArgument) {
      spdlog::warn("schedule: not planned from run {}: {}", *run.run_id, out.status().message());
    } else {
      spdlog::error("schedule: {}", out.status().message());
      code = std::max(code, kExitRuntime);
    }
    return std::nullopt;
  }
  for (const std::string& file : out->files) spdlog::info("schedule: {}", file);
  spdlog::info("schedule: {} inspection(s) planned from {} to {}", out->plan.entries.size(),
               FormatDay(out->plan.start), FormatDay(out->plan.end - 1));
  return std::move(out->plan);
}

// --dry-run: what a run would do now, told on stdout. Takes no lock and writes nothing (the
// history store is opened read-only); exit 0, or 2 for rule errors, 3 when the store is unreadable.
int DryRun(const NightlyOptions& o, const NightlyConfig& config, const AuditOptions& audit_options) {
  Result<PreparedAudit> audit = nightly::PrepareNightlyAudit(config, audit_options);
  if (!audit.ok()) {
    PrintNightlyError(audit.status().message());
    return kExitUsage;
  }
  if (Result<InputFiles> inputs = CheckNightlyOutputs(o.config_path, config, &*audit);
      !inputs.ok()) {
    PrintNightlyError(inputs.status().message());
    return kExitUsage;
  }
  size_t checks = 0;
  for (const SourcePlan& plan : audit->plans) {
    for (const TableSpec& table : plan.source.tables) checks += table.checks.size();
  }
  fmt::print("dry run of {}: {} source(s), {} checks, reference day {}\n", o.config_path,
             audit->plans.size(), checks, FormatDay(audit->today_day));

  const std::string lock_path = nightly::LockPathFor(config.history);
  if (const std::optional<int64_t> pid = nightly::LockHolderPid(lock_path);
      pid && ProcessAlive(*pid)) {
    fmt::print("lock {}: process {} is alive and may hold it; a run now could exit without "
               "scanning\n",
               lock_path, *pid);
  }

  Result<std::unique_ptr<HistoryStore>> store = HistoryStore::OpenReadOnly(config.history);
  if (!store.ok() && store.status().code() == StatusCode::kNotFound) {
    fmt::print("history {}: none yet; the first run creates it\n", config.history);
  } else if (!store.ok()) {
    PrintNightlyError(store.status().message());
    return kExitRuntime;
  }
  Result<nightly::IncrementalPlan> plan = nightly::PlanIncremental(
      store.ok() ? store->get() : nullptr, audit->plans, config, o.full, audit_options.today_day,
      /*mark=*/false, NowUnixMs());
  if (!plan.ok()) {
    PrintNightlyError(plan.status().message());
    return kExitRuntime;
  }
  if (plan->resumed_from) {
    fmt::print("run {} did not finish; a run now would finish it\n", *plan->resumed_from);
  }
  size_t carried = 0;
  for (const nightly::SourceDecision& d : plan->decisions) {
    carried += d.reason == nightly::ScanReason::kCarried;
    fmt::print("  {}: {}\n", d.source, nightly::Describe(d));
  }
  fmt::print("would scan {} source(s) and carry over {}; then keep {} of history",
             plan->decisions.size() - carried, carried, config.keep.ToString());
  if (!config.reports_out.empty()) {
    fmt::print(", write reports ({} in {}) to {}", fmt::join(config.report_formats, ", "),
               fmt::join(config.report_languages, ", "), config.reports_out);
  }
  if (!config.schedule_config.empty()) fmt::print(", plan inspections into {}", config.schedule_out);
  if (!config.feed_out.empty()) fmt::print(", write the feed to {}", config.feed_out);
  if (!config.metrics_file.empty()) fmt::print(", write the metrics to {}", config.metrics_file);
  fmt::print("\n");
  return kExitOk;
}

}  // namespace

CLI::App* AddNightlyCommand(CLI::App& app, NightlyOptions& o) {
  CLI::App* nightly = app.add_subcommand(
      "nightly", "Unattended scan for cron or a systemd timer: scan what changed, record, report");
  nightly->fallthrough();
  nightly->add_option("--config", o.config_path, "Nightly configuration (YAML, docs/nightly.md)")
      ->required();
  nightly->add_flag("--full", o.full,
                    "Scan every source: carry nothing over, do not resume an interrupted run");
  nightly->add_option("--today", o.today,
                      "Reference date YYYY-MM-DD (beats the rule files' today:)");
  nightly->add_flag("--dry-run", o.dry_run,
                    "Check the configuration and the rules and say, per source, whether a run "
                    "would scan it or carry it over, and why; scans and writes nothing");
  nightly->add_flag("--progress", o.progress,
                    "Log the rows per second and ETA of long table scans (on a terminal the "
                    "progress line shows them anyway)");
  nightly->footer(ExitCodesFooter(
      {{0, "every check passed or warned"},
       {1, "some check failed"},
       {2, "configuration or rule error, or a bad option: nothing was scanned"},
       {3,
        "a source or check ended in error, or the reports, the schedule, the feed, the metrics "
        "file or the store could not be written"},
       {4, "another nightly run holds the lock (<history>.lock): nothing was run"}}));
  return nightly;
}

namespace {

// What RunNightly needs after the run to write the metrics file: set as the run goes.
struct NightlyState {
  std::string metrics_file;  // set once the outputs were checked against the inputs
  bool logging = false;      // the nightly log is set up
  nightly::NightlyMetrics metrics;
};

int RunNightlyOnce(const NightlyOptions& o, const std::string& command_line, NightlyState& state) {
  Result<NightlyConfig> loaded = nightly::LoadNightlyConfig(o.config_path);
  if (!loaded.ok()) {
    PrintNightlyError(loaded.status().message());
    return kExitUsage;
  }
  const NightlyConfig& config = *loaded;
  Result<ReportOptions> report_options = LoadReportOptions(config.scoring);
  if (!report_options.ok()) {
    PrintNightlyError(report_options.status().message());
    return kExitUsage;
  }
  report_options->issuer = {config.report_issuer, config.report_province, config.report_timezone};
  if (!config.schedule_config.empty()) {
    if (Result<ScheduleConfig> schedule = LoadScheduleConfig(config.schedule_config); !schedule.ok()) {
      PrintNightlyError(schedule.status().message());
      return kExitUsage;
    }
  }
  AuditOptions audit_options = nightly::AuditOptionsFor(config);
  if (!o.today.empty()) {
    audit_options.today_day = ParseIsoDay(o.today);
    if (!audit_options.today_day) {
      PrintNightlyError(fmt::format("invalid --today '{}': expected a date YYYY-MM-DD", o.today));
      return kExitUsage;
    }
  }

  // Before the log, the lock and the store are touched: against the configurations, the rule
  // files and the databases they name (AddRulePaths); again once the rules are loaded.
  if (Result<InputFiles> inputs = CheckNightlyOutputs(o.config_path, config, nullptr);
      !inputs.ok()) {
    PrintNightlyError(inputs.status().message());
    return kExitUsage;
  }
  if (o.dry_run) return DryRun(o, config, audit_options);
  state.metrics_file = config.metrics_file;

  nightly::LogSetup log_setup;
  log_setup.file = config.log_file;
  log_setup.max_bytes = config.log_max_bytes;
  log_setup.files = config.log_files;
  log_setup.stderr_level = spdlog::default_logger()->level();
  log_setup.mode = nightly::DetectStderrMode();
  Result<std::shared_ptr<nightly::ProgressLine>> line = nightly::SetUpNightlyLogging(log_setup);
  if (!line.ok()) {
    PrintNightlyError(line.status().message());
    return kExitUsage;
  }
  state.logging = true;

  std::error_code ec;
  const std::filesystem::path history_dir = std::filesystem::path(config.history).parent_path();
  if (!history_dir.empty()) std::filesystem::create_directories(history_dir, ec);
  const std::string lock_path = nightly::LockPathFor(config.history);
  std::optional<int64_t> holder;
  Result<std::unique_ptr<nightly::RunLock>> lock = nightly::RunLock::Acquire(lock_path, &holder);
  if (!lock.ok()) {
    spdlog::error("{}", lock.status().message());
    return kExitRuntime;
  }
  if (*lock == nullptr) {
    spdlog::error("another dqaudit nightly run holds the lock {} ({}); this run exits without "
                  "scanning",
                  lock_path, holder ? fmt::format("pid {}", *holder) : "pid unknown");
    return kExitLocked;
  }
  spdlog::info("nightly run (pid {}): configuration {}, history {}", getpid(), o.config_path,
               config.history);

  // The workers start now, each waiting for its plan, while the rules and databases are read
  // (docs/isolation.md "Workers started ahead"); those not needed are released after the scan.
  worker::SupervisorOptions supervisor;
  supervisor.jobs = config.jobs;
  supervisor.memory_bytes = *worker::ParseMemoryLimit(config.worker_memory);
  supervisor.timeout_seconds = config.timeout_seconds;
  supervisor.log_level = LogLevelName();
  worker::StandbyWorkers standby;
  standby.Start(supervisor,
                worker::StandbyWorkersWorthStarting(supervisor, CountRuleFiles(config.rules)));
  supervisor.standby = &standby;

  // The rules, their databases and the plugins, loaded with the log open (rule errors and plugin
  // warnings belong in it); every output is checked against them once more (the check before the
  // log already covered the rule files and the databases they name).
  Result<PreparedAudit> audit = nightly::PrepareNightlyAudit(config, audit_options);
  if (!audit.ok()) {
    spdlog::error("{}", audit.status().message());
    return kExitUsage;
  }
  Result<InputFiles> inputs = CheckNightlyOutputs(o.config_path, config, &*audit);
  if (!inputs.ok()) {
    state.metrics_file.clear();  // it may be the very input the check found
    spdlog::error("{}", inputs.status().message());
    return kExitUsage;
  }

  auto opened = HistoryStore::Open(config.history);
  if (!opened.ok()) {
    spdlog::error("history store: {}", opened.status().message());
    return kExitUsage;
  }
  HistoryStore& store = **opened;
  // Closing the store deletes its -wal file, which can keep the run waiting on the disk
  // (core/util/trash.h): it is linked into the store's trash first, and the trash the last run
  // left is emptied meanwhile. (Declared after the store: done just before it closes.)
  struct WalIntoTrash {
    std::string history;
    TrashEmptier emptier{nightly::StoreTrashDir(history), "wal"};
    ~WalIntoTrash() {
      emptier.Join();
      LinkIntoTrash(history + "-wal", nightly::StoreTrashDir(history), "wal");
    }
  } wal_into_trash{config.history};

  RecordedRunOptions run_options;
  run_options.kind = "nightly";
  run_options.command_line = command_line;
  run_options.supervisor = supervisor;

  if (Status s = DecideIncremental(store, *audit, config, o.full, audit_options.today_day,
                                    run_options);
      !s.ok()) {
    spdlog::error("history store: {}", s.message());
    return kExitRuntime;
  }

  // The tables of the sources it scans keep their per-range states beside the history store and,
  // unless --full, reuse them (docs/nightly.md "Incremental scans of a table").
  const int64_t now_s = NowUnixMs() / 1000;
  for (SourcePlan& plan : audit->plans) {
    plan.range_state_dir = nightly::RangeStateDir(config.history);
    plan.reuse_range_states = config.incremental && !o.full;
    plan.full_rescan_after_s = now_s - ShiftBy(now_s, config.rescan_after, -1);
  }

  NightlyProgress progress(*line, o.progress);
  Result<RecordedRun> run = RunRecordedAudit(&store, *audit, run_options, progress);
  standby.Release();
  progress.Finish();
  state.metrics.plugins_quarantined = progress.quarantined();
  if (!run.ok()) {
    spdlog::error("history store: {}", run.status().message());
    return kExitRuntime;
  }
  state.metrics.run_id = run->run_id;
  // The metrics count outcomes: each source is copied without its checks' rows and samples.
  for (SourceResult& source : run->results) {
    std::vector<CheckResult> checks = std::move(source.results);
    SourceResult outcomes = source;
    for (const CheckResult& c : checks) {
      CheckResult outcome;
      outcome.id = c.id;
      outcome.outcome = c.outcome;
      outcomes.results.push_back(std::move(outcome));
    }
    source.results = std::move(checks);
    state.metrics.sources.push_back(std::move(outcomes));
  }
  int code = run->exit_code;
  if (Status s = store.FinishRun(*run->run_id, code); !s.ok()) {
    spdlog::error("history store: {}", s.message());
    code = std::max(code, kExitRuntime);
  }
  Result<RunRecord> record = store.GetRun(*run->run_id);
  const OutcomeTotals totals = CountOutcomes(run->results);
  spdlog::info("run {} {}: {} source(s) ({} carried over, {} scanned, {} error), {} checks: {} "
               "pass, {} warn, {} fail, {} error; {:.1f} s",
               *run->run_id, record.ok() ? record->status : "?", run->results.size(), run->carried,
               run->results.size() - run->carried, totals.source_errors, totals.checks,
               totals.pass, totals.warn, totals.fail, totals.error,
               static_cast<double>(run->finished_unix_ms - run->started_unix_ms) / 1000.0);

  if (Status s = nightly::KeepHistory(store, config.keep, NowUnixMs()); !s.ok()) {
    spdlog::error("history retention: {}", s.message());
    code = std::max(code, kExitRuntime);
  }
  const std::optional<SchedulePlan> plan = WriteSchedule(store, *run, config, *report_options, code);
  code = std::max(code, WriteReports(store, *run->run_id, config, *report_options, plan, *inputs));
  code = std::max(code, WriteRunFeed(store, *run, config, *report_options, *inputs));
  return code;
}

}  // namespace

int RunNightly(const NightlyOptions& o, const std::string& command_line) {
  UseHugePagesForHeap();  // (first: no thread has started; core/util/process.h)
  NightlyState state;
  state.metrics.started_unix_ms = NowUnixMs();
  int code = RunNightlyOnce(o, command_line, state);
  // Every night that got past the configuration leaves its metrics, failed ones above all; a run
  // refused by the lock leaves those of the run that holds it.
  if (!state.metrics_file.empty() && code != kExitLocked) {
    state.metrics.finished_unix_ms = NowUnixMs();
    state.metrics.exit_code = code;
    if (Status s = nightly::WriteMetricsFile(state.metrics_file, state.metrics); s.ok()) {
      spdlog::info("metrics: {}", state.metrics_file);
    } else {
      spdlog::error("metrics: {}", s.message());
      code = std::max(code, kExitRuntime);
    }
  }
  if (state.logging) spdlog::info("nightly run finished with exit code {}", code);
  return code;
}

}  // namespace dqa::cli
