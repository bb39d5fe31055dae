// `dqaudit history` and `dqaudit history show`: read the history store.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "core/cli/commands.h"
#include "core/history/store.h"
#include "core/output/console_summary.h"
#include "core/util/dates.h"

namespace dqa::cli {
namespace {

std::string Timestamp(std::optional<int64_t> unix_ms) {
  if (!unix_ms) return "-";
  return FormatTimestamp(*unix_ms / 1000);
}

Result<std::unique_ptr<HistoryStore>> OpenExisting(const std::string& path) {
  // Reading the history never creates, migrates or writes to the store (docs/history.md).
  return HistoryStore::OpenReadOnly(path);
}

}  // namespace

HistoryCommands AddHistoryCommand(CLI::App& app, HistoryOptions& o) {
  CLI::App* history = app.add_subcommand("history", "List the runs recorded in the history store");
  history->fallthrough();
  history->require_subcommand(0, 1);
  history->add_option("--history", o.history_path, "History store")->capture_default_str();
  history->add_option("--limit", o.limit, "Number of runs to list, newest first")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  CLI::App* show = history->add_subcommand("show", "Print the results of one run");
  show->fallthrough();
  show->add_option("RUN_ID", o.run_id, "Run id (see `dqaudit history`)")->required();
  return {history, show};
}

int RunHistoryList(const HistoryOptions& o) {
  auto store = OpenExisting(o.history_path);
  if (!store.ok()) {
    fmt::print(stderr, "{}\n", store.status().message());
    return kExitUsage;
  }
  auto runs = (*store)->ListRuns(o.limit);
  if (!runs.ok()) {
    fmt::print(stderr, "{}\n", runs.status().message());
    return kExitRuntime;
  }
  if (runs->empty()) {
    fmt::print("no runs in {}\n", o.history_path);
    return kExitOk;
  }
  fmt::print("{:>5}  {:<20}  {:<20}  {:<11}  {:>4}  {:<10}  {:>7}  {:>6}  {:>6}\n", "RUN",
             "STARTED", "FINISHED", "STATUS", "EXIT", "TODAY", "SOURCES", "CHECKS", "FAILED");
  for (const RunRecord& r : *runs) {
    fmt::print("{:>5}  {:<20}  {:<20}  {:<11}  {:>4}  {:<10}  {:>7}  {:>6}  {:>6}\n", r.id,
               Timestamp(r.started_unix_ms), Timestamp(r.finished_unix_ms), r.status,
               r.exit_code ? std::to_string(*r.exit_code) : "-", r.today,
               fmt::format("{}/{}", r.sources_recorded, r.sources_planned), r.checks,
               r.failed_checks);
  }
  return kExitOk;
}

int RunHistoryShow(const HistoryOptions& o) {
  auto store = OpenExisting(o.history_path);
  if (!store.ok()) {
    fmt::print(stderr, "{}\n", store.status().message());
    return kExitUsage;
  }
  auto run = (*store)->GetRun(o.run_id);
  if (!run.ok()) {
    fmt::print(stderr, "{}\n", run.status().message());
    return kExitUsage;
  }
  auto sources = (*store)->LoadRun(o.run_id);
  if (!sources.ok()) {
    fmt::print(stderr, "{}\n", sources.status().message());
    return kExitRuntime;
  }
  fmt::print("Run {}: {}, exit code {}, today {}\n", run->id, run->status,
             run->exit_code ? std::to_string(*run->exit_code) : "-", run->today);
  fmt::print("Started {}, finished {}, dqaudit {} on {} (pid {})\n",
             Timestamp(run->started_unix_ms), Timestamp(run->finished_unix_ms), run->version,
             run->host, run->pid);
  fmt::print("Command: {}\n\n", run->command_line);
  std::cout.flush();
  WriteConsoleSummary(std::cout, *sources, ConsoleOptions{.color = ColorWanted(STDOUT_FILENO)});
  return kExitOk;
}

}  // namespace dqa::cli
