// `dqaudit history`, `dqaudit history show` and `dqaudit history deliveries`: read the history
// store.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "core/checks/delivery.h"
#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/history/deliveries.h"
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

// "-" for an unknown time.
std::string LocalMinute(std::optional<int64_t> unix_seconds, int offset_minutes) {
  return unix_seconds ? FormatLocalMinute(*unix_seconds, offset_minutes) : "-";
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
  CLI::App* deliveries = history->add_subcommand(
      "deliveries", "List what each run saw of the databases of sources with a delivery cadence");
  deliveries->fallthrough();
  deliveries->add_option("--source", o.source, "Only this source");
  deliveries->add_option("--days", o.days,
                         "Only runs whose reference day is within N days of the newest one")
      ->check(CLI::Range(1, 100000));
  history->footer(ExitCodesFooter(
      {{0, "printed"},
       {2, "bad option, no store at --history or a file that is not a dqaudit store"},
       {3, "the store cannot be read"}}));
  show->footer(ExitCodesFooter(
      {{0, "printed"},
       {2, "bad option, unknown run, no store at --history or a file that is not a dqaudit store"},
       {3, "the store cannot be read"}}));
  deliveries->footer(ExitCodesFooter(
      {{0, "printed"},
       {2, "bad option, no store at --history or a file that is not a dqaudit store"},
       {3, "the store cannot be read"}}));
  return {history, show, deliveries};
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

int RunHistoryDeliveries(const HistoryOptions& o) {
  auto store = OpenExisting(o.history_path);
  if (!store.ok()) {
    fmt::print(stderr, "{}\n", store.status().message());
    return kExitUsage;
  }
  auto rows = ListDeliveryRows(**store, o.source, std::nullopt, std::nullopt);
  if (!rows.ok()) {
    fmt::print(stderr, "{}\n", rows.status().message());
    return kExitRuntime;
  }
  if (o.days > 0 && !rows->empty()) {
    int64_t newest = 0;
    for (const DeliveryRow& r : *rows) newest = std::max(newest, ParseIsoDay(r.run_today).value_or(0));
    std::erase_if(*rows, [&](const DeliveryRow& r) {
      return ParseIsoDay(r.run_today).value_or(0) <= newest - o.days;
    });
  }
  if (rows->empty()) {
    fmt::print("no deliveries recorded{} in {}\n",
               o.source.empty() ? "" : fmt::format(" for source {}", o.source), o.history_path);
    return kExitOk;
  }
  // Times in each source's delivery time zone.
  fmt::print("{:>5}  {:<10}  {:<20}  {:<9}  {:<16}  {:<16}  {:<16}  {}\n", "RUN", "TODAY",
             "SOURCE", "CONTENT", "FILE TIME", "NEWEST RECORD", "LATEST DUE", "LATEST DUE WAS");
  for (const DeliveryRow& r : *rows) {
    fmt::print("{:>5}  {:<10}  {:<20}  {:<9}  {:<16}  {:<16}  {:<16}  {}\n", r.run_id,
               r.run_today, r.source, r.changed ? "delivered" : "unchanged",
               LocalMinute(r.file_time, r.utc_offset_minutes),
               LocalMinute(r.newest_record, r.utc_offset_minutes),
               LocalMinute(r.due_at, r.utc_offset_minutes), r.verdict);
  }
  return kExitOk;
}

}  // namespace dqa::cli
