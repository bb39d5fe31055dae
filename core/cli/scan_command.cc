// `dqaudit scan`: load and validate rules, scan every source, record history, write results.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "core/audit/inputs.h"
#include "core/audit/pipeline.h"
#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/engine/audit.h"
#include "core/engine/plan.h"
#include "core/history/store.h"
#include "core/output/console_summary.h"
#include "core/output/progress_meter.h"
#include "core/output/results_json.h"
#include "core/rules/loader.h"
#include "core/util/atomic_file.h"
#include "core/util/dates.h"
#include "core/util/file_identity.h"
#include "core/util/process.h"
#include "core/worker/supervisor.h"

namespace dqa::cli {
namespace {

// Refuses, before the store is opened and anything is scanned, an output that is one of the run's
// inputs (--history and --json against the rules, databases and plugins; --json also against the
// history store) or that cannot be written.
Status CheckScanOutputs(const ScanOptions& o, const PreparedAudit& audit) {
  InputFiles inputs;
  AddAuditInputs(audit.plans, inputs);
  if (!o.no_history) {
    DQA_RETURN_IF_ERROR(inputs.CheckOutput("--history", o.history_path));
    inputs.Add(o.history_path, "the history store");
  }
  if (!o.json_path.empty()) {
    DQA_RETURN_IF_ERROR(inputs.CheckOutput("--json", o.json_path));
    DQA_RETURN_IF_ERROR(CheckWritable(o.json_path).WithContext("--json"));
  }
  return Status::Ok();
}

// Prints each recorded source's outcome on stderr as "[i/N] source: ...", and with `rows`, the
// rows per second and ETA of long table scans, one line per source a second at most.
class ScanProgress : public RunProgress {
 public:
  ScanProgress(bool quiet, bool rows) : quiet_(quiet), rows_(rows && !quiet) {}

  void OnSourceProgress(const SourcePlan& plan, const TableScanProgress& progress) override {
    if (!rows_) return;
    if (auto line = meter_.Update(plan.source.id, progress, ScanProgressMeter::Clock::now())) {
      fmt::print(stderr, "{}\n", *line);
    }
  }

  void OnSourceDone(const SourceResult& result, size_t done, size_t total) override {
    meter_.Forget(result.source);
    if (quiet_) return;
    if (!result.error.empty()) {
      fmt::print(stderr, "[{}/{}] {}: ERROR {}\n", done, total, result.source, result.error);
      return;
    }
    std::vector<SourceResult> one = {result};
    const OutcomeTotals t = CountOutcomes(one);
    fmt::print(stderr, "[{}/{}] {}: {} checks: {} pass, {} warn, {} fail, {} error ({:.1f} s)\n",
               done, total, result.source, t.checks, t.pass, t.warn, t.fail, t.error,
               static_cast<double>(result.finished_unix_ms - result.started_unix_ms) / 1000.0);
  }

 private:
  bool quiet_;
  bool rows_;
  ScanProgressMeter meter_{std::chrono::seconds(1)};
};

void PrintError(const std::string& message) { fmt::print(stderr, "{}\n", message); }

}  // namespace

CLI::App* AddScanCommand(CLI::App& app, ScanOptions& o) {
  CLI::App* scan = app.add_subcommand("scan", "Scan the sources described by rule files");
  scan->fallthrough();
  scan->add_option("paths", o.paths, "Rule files (.yaml) or folders of rule files")
      ->required()
      ->check(CLI::ExistingPath);
  scan->add_option("--json", o.json_path, "Write the results JSON (docs/results-json.md) here");
  CLI::Option* history =
      scan->add_option("--history", o.history_path, "History store to record the run in")
          ->capture_default_str();
  scan->add_flag("--no-history", o.no_history, "Do not record the run")->excludes(history);
  scan->add_option("--today", o.today, "Reference date YYYY-MM-DD (beats the rule files' today:)");
  scan->add_option("--utc-offset", o.utc_offset,
                   "Clock of the databases' times, e.g. +07:00, for sources whose rule file has no "
                   "utc_offset (default: this machine's time zone)");
  scan->add_option("--jobs", o.jobs, "Sources scanned in parallel, and threads a large table's scan is split over (0 = number of cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  scan->add_option("--samples", o.samples, "Sample row keys kept per violating check")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  scan->add_option("--sql-timeout", o.sql_timeout_seconds,
                   "Seconds one SQL statement on a source may run (rule SQL, plugin queries; a "
                   "table scan counts per row); 0 = no limit")
      ->check(CLI::Range(0.0, 7.0 * 86400))
      ->capture_default_str();
  scan->add_flag("--quiet,-q", o.quiet, "No progress and no summary (errors only)");
  scan->add_flag("--progress", o.progress,
                 "Rows per second and ETA of long table scans on stderr, also when stderr is not "
                 "a terminal (on a terminal they are shown anyway; never with --quiet)");
  scan->add_flag("--in-process", o.in_process,
                 "Scan every source in this process (debugging): no worker isolation");
  scan->add_option("--timeout", o.timeout_seconds,
                   "Seconds a source's worker may run (wall clock) before it is killed; a plugin "
                   "that hangs or crashes a worker is then quarantined for the rest of the run")
      ->check(CLI::Range(1, 7 * 86400))
      ->capture_default_str();
  scan->add_option("--worker-cpu", o.worker_cpu_seconds,
                   "CPU seconds a source's worker may use (RLIMIT_CPU; default: --timeout)")
      ->check(CLI::Range(1, 7 * 86400));
  scan->add_option("--worker-memory", o.worker_memory,
                   "Address-space limit per worker: 512M, 4G ... (0 = none; ignored under ASan)")
      ->capture_default_str();
  AddPluginOptions(*scan, o.plugins);
  scan->footer(ExitCodesFooter(
      {{0, "every check passed or warned"},
       {1, "some check failed"},
       {2,
        "usage, rule or configuration error, or an output that is an input: nothing was "
        "scanned"},
       {3,
        "a source could not be scanned, a check ended in error, or an output could not be "
        "written"}}));
  return scan;
}

int RunScan(const ScanOptions& o, const std::string& command_line) {
  UseHugePagesForHeap();  // (first: no thread has started; core/util/process.h)
  AuditOptions audit_options;
  audit_options.jobs = o.jobs;
  audit_options.samples = o.samples;
  audit_options.statement_budget_ms = static_cast<int64_t>(o.sql_timeout_seconds * 1000.0);
  if (!o.today.empty()) {
    audit_options.today_day = ParseIsoDay(o.today);
    if (!audit_options.today_day) {
      PrintError(fmt::format("invalid --today '{}': expected a date YYYY-MM-DD", o.today));
      return kExitUsage;
    }
  }
  if (!o.utc_offset.empty()) {
    audit_options.utc_offset_minutes = ParseUtcOffset(o.utc_offset);
    if (!audit_options.utc_offset_minutes) {
      PrintError(fmt::format("invalid --utc-offset '{}': expected +HH:MM, -HH:MM or Z (e.g. +07:00)",
                             o.utc_offset));
      return kExitUsage;
    }
  }
  const std::optional<int64_t> memory_limit = worker::ParseMemoryLimit(o.worker_memory);
  if (!memory_limit) {
    PrintError(fmt::format("invalid --worker-memory '{}': expected a size like 512M or 4G",
                           o.worker_memory));
    return kExitUsage;
  }
  // The workers start now, each waiting for its plan, while the rules and databases are read
  // (docs/isolation.md "Workers started ahead"); those not needed are released after the scan.
  worker::SupervisorOptions supervisor;
  supervisor.jobs = o.jobs;
  supervisor.memory_bytes = *memory_limit;
  supervisor.timeout_seconds = o.timeout_seconds;
  supervisor.cpu_seconds = o.worker_cpu_seconds;
  supervisor.log_level = LogLevelName();
  worker::StandbyWorkers standby;
  ExportPluginOptions(o.plugins);
  if (!o.in_process) {
    standby.Start(supervisor,
                  worker::StandbyWorkersWorthStarting(supervisor, CountRuleFiles(o.paths)));
  }
  supervisor.standby = &standby;
  PrepareOptions prepare;
  prepare.rule_paths = o.paths;
  prepare.plugins = o.plugins;
  prepare.audit = audit_options;
  Result<PreparedAudit> audit = PrepareAudit(prepare);
  if (!audit.ok()) {
    PrintError(audit.status().message());
    return kExitUsage;
  }
  const int64_t today = audit->today_day;
  if (Status s = CheckScanOutputs(o, *audit); !s.ok()) {
    PrintError(s.message());
    return kExitUsage;
  }

  std::unique_ptr<HistoryStore> store;
  if (!o.no_history) {
    auto opened = HistoryStore::Open(o.history_path);
    if (!opened.ok()) {
      PrintError("history store: " + opened.status().message());
      return kExitUsage;
    }
    store = std::move(opened).value();
  }

  RecordedRunOptions run_options;
  run_options.command_line = command_line;
  run_options.in_process = o.in_process;
  run_options.supervisor = supervisor;
  ScanProgress progress(o.quiet, o.progress || isatty(STDERR_FILENO) == 1);
  Result<RecordedRun> recorded = RunRecordedAudit(store.get(), *audit, run_options, progress);
  standby.Release();
  if (!recorded.ok()) {
    PrintError("history store: " + recorded.status().message());
    return kExitUsage;
  }
  const std::optional<int64_t> run_id = recorded->run_id;
  if (run_id) spdlog::debug("run {} recorded in {}", *run_id, o.history_path);
  const std::vector<SourceResult>& results = recorded->results;
  const int64_t started = recorded->started_unix_ms;
  const int64_t finished = recorded->finished_unix_ms;

  int code = recorded->exit_code;

  bool json_written = false;
  if (!o.json_path.empty()) {
    ResultsMeta meta;
    meta.run_id = run_id;
    meta.today = FormatDay(today);
    meta.started_unix_ms = started;
    meta.finished_unix_ms = finished;
    meta.exit_code = code;
    if (Status s = WriteResultsJson(o.json_path, meta, results); !s.ok()) {
      PrintError("--json: " + s.message());
      code = std::max(code, kExitRuntime);
    } else {
      json_written = true;
    }
  }
  if (store != nullptr) {
    if (Status s = store->FinishRun(*run_id, code); !s.ok()) {
      PrintError("history store: " + s.message());
      code = std::max(code, kExitRuntime);
    }
  }
  if (!o.quiet) {
    WriteConsoleSummary(std::cout, results, ConsoleOptions{.color = ColorWanted(STDOUT_FILENO)});
    std::cout.flush();
    if (json_written) fmt::print(stderr, "results: {}\n", o.json_path);
    if (run_id) fmt::print(stderr, "history: run {} in {}\n", *run_id, o.history_path);
  }
  return code;
}

}  // namespace dqa::cli
