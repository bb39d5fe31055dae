// dqaudit: the command-line entry point. Parses the command line and runs one subcommand.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <string>

#include "core/cli/checks_command.h"
#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/cli/nightly_command.h"
#include "core/cli/profile_command.h"
#include "core/cli/report_command.h"
#include "core/cli/schedule_command.h"
#include "core/cli/scores_command.h"
#include "core/cli/suggest.h"
#include "core/cli/worker_command.h"
#include "core/sources/sqlite_db.h"

namespace {

// argv as one line, arguments with spaces or quotes single-quoted (for the history store).
std::string CommandLine(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i > 0) line += ' ';
    if (arg.empty() || arg.find_first_of(" \t'\"\\$") != std::string::npos) {
      std::string quoted = "'";
      for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      line += quoted + "'";
    } else {
      line += arg;
    }
  }
  return line;
}

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("dqaudit");
  logger->set_pattern("dqaudit: %^%l%$: %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

int Main(int argc, char** argv) {
  using namespace dqa::cli;
  using namespace dqa;  // the exit codes (core/model/exit_codes.h)
  CLI::App app{"dqaudit: data-quality auditor for the databases departments feed into the IOC"};
  app.name("dqaudit");
  app.set_version_flag("--version", std::string("dqaudit ") + DQA_VERSION);
  // Options of a parent (--log-level) may also be written after the subcommand.
  app.fallthrough();
  app.require_subcommand(1);
  app.footer(ExitCodesFooter(
      {{0, "success (scan, nightly: every check passed or warned)"},
       {1, "scan, nightly: some check failed"},
       {2, "usage, rule or configuration error: nothing was scanned or written"},
       {3,
        "a source could not be scanned, a check ended in error, or a store or file could "
        "not be read or written"},
       {4, "nightly: another run holds the lock"}},
      "The history store is ./audit.db unless --history FILE says otherwise.\n"
      "COMMAND --help lists the exit codes of that command.\n"));
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();

  ScanOptions scan_options;
  RulesCheckOptions rules_options;
  HistoryOptions history_options;
  CLI::App* scan = AddScanCommand(app, scan_options);
  CLI::App* rules_check = AddRulesCheckCommand(app, rules_options);
  HistoryCommands history = AddHistoryCommand(app, history_options);
  ProfileOptions profile_options;
  CLI::App* profile = AddProfileCommand(app, profile_options);
  ScoresOptions scores_options;
  CLI::App* scores = AddScoresCommand(app, scores_options);
  ReportCommandOptions report_options;
  CLI::App* report = AddReportCommand(app, report_options);
  PluginsCommandOptions plugins_options;
  PluginsCommands plugins = AddPluginsCommand(app, plugins_options);
  ChecksCommandOptions checks_options;
  ChecksCommands checks = AddChecksCommand(app, checks_options);
  NightlyOptions nightly_options;
  CLI::App* nightly = AddNightlyCommand(app, nightly_options);
  WorkerCommandOptions worker_options;
  CLI::App* worker = AddWorkerCommand(app, worker_options);
  ScheduleOptions schedule_options;
  CLI::App* schedule = AddScheduleCommand(app, schedule_options);
  InspectionsOptions inspections_options;
  InspectionsCommands inspections = AddInspectionsCommand(app, inspections_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports `dqaudit frobnicate` as "A subcommand is required" and `scan --jsn` as "The
    // following argument was not expected": name the culprit and the nearest known name instead.
    if (e.get_exit_code() != 0) {
      if (const std::string unknown = UnknownArgumentMessage(app); !unknown.empty()) {
        fmt::print(stderr, "{}\nRun with --help for more information.\n", unknown);
        return kExitUsage;
      }
    }
    // --help and --version exit 0; every parse error is a usage error (2).
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  SetUpLogging(log_level);

  if (worker->parsed()) return RunWorkerCommand(worker_options);
  if (plugins.probe->parsed()) return RunPluginsProbe(plugins_options);
  if (scan->parsed()) return RunScan(scan_options, CommandLine(argc, argv));
  if (nightly->parsed()) return RunNightly(nightly_options, CommandLine(argc, argv));
  if (rules_check->parsed()) return RunRulesCheck(rules_options);
  if (profile->parsed()) return RunProfile(profile_options);
  if (plugins.list->parsed()) return RunPluginsList(plugins_options);
  if (plugins.info->parsed()) return RunPluginsInfo(plugins_options);
  if (checks.list->parsed()) return RunChecksList(checks_options);
  if (checks.info->parsed()) return RunChecksInfo(checks_options);
  if (history.show->parsed()) return RunHistoryShow(history_options);
  if (history.deliveries->parsed()) return RunHistoryDeliveries(history_options);
  if (history.history->parsed()) return RunHistoryList(history_options);
  if (scores->parsed()) return RunScoresCommand(scores_options);
  if (report->parsed()) return RunReportCommand(report_options);
  if (schedule->parsed()) return RunScheduleCommand(schedule_options);
  if (inspections.add->parsed()) return RunInspectionsAdd(inspections_options);
  if (inspections.list->parsed()) return RunInspectionsList(inspections_options);
  return kExitUsage;  // unreachable: require_subcommand(1)
}

}  // namespace

int main(int argc, char** argv) {
  dqa::ConfigureSqliteForProcess();  // (first: no connection is open yet)
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    // Nothing should throw this far; if something does, say so instead of aborting.
    fmt::print(stderr, "dqaudit: internal error: {}\n", e.what());
    return dqa::kExitRuntime;
  }
}
