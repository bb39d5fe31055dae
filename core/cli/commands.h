// The dqaudit subcommands: each registers its options on the CLI11 app and runs when selected.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/cli/plugins_command.h"
#include "core/model/exit_codes.h"

namespace CLI {
class App;
}

namespace dqa::cli {

// The history store every subcommand uses unless --history says otherwise.
inline constexpr const char* kDefaultHistoryPath = "audit.db";

struct ScanOptions {
  std::vector<std::string> paths;  // rule files or folders
  std::string json_path;           // --json: "" = no JSON file
  std::string history_path = kDefaultHistoryPath;
  bool no_history = false;
  std::string today;  // --today YYYY-MM-DD, "" = rule file or current date
  std::string utc_offset;  // --utc-offset +HH:MM, "" = rule file or the machine's time zone
  int jobs = 0;       // 0 = number of cores
  int samples = 5;
  double sql_timeout_seconds = 60;    // --sql-timeout: budget of one SQL statement; 0 = none
  bool quiet = false;  // no progress, no summary
  bool progress = false;  // --progress: rows/s and ETA of table scans even when stderr is no tty
  PluginOptions plugins;  // --plugin-dir, --allow-unsafe-plugins
  // Isolation (docs/isolation.md): one worker process per source unless --in-process.
  bool in_process = false;
  int timeout_seconds = 900;          // --timeout: wall clock per worker (docs/isolation.md)
  int worker_cpu_seconds = 0;         // --worker-cpu: RLIMIT_CPU per worker; 0 = --timeout
  std::string worker_memory = "4G";   // --worker-memory: RLIMIT_AS per worker; "0" = none
};

struct RulesCheckOptions {
  std::vector<std::string> paths;
  PluginOptions plugins;  // --plugin-dir, --allow-unsafe-plugins
};

struct HistoryOptions {
  std::string history_path = kDefaultHistoryPath;
  int limit = 20;
  int64_t run_id = 0;  // `history show RUN_ID`
  std::string source;  // `history deliveries --source S` ("" = every source)
  int days = 0;        // `history deliveries --days N` (0 = every recorded run)
};

// Registration: adds the subcommand and its options, bound to `options`, and returns it so main()
// can tell which one was selected. Options must outlive the app.
CLI::App* AddScanCommand(CLI::App& app, ScanOptions& options);
// Adds `rules` with its `check` subcommand; returns `check`.
CLI::App* AddRulesCheckCommand(CLI::App& app, RulesCheckOptions& options);
// Adds `history` (lists runs) with its `show` subcommand; returns {history, show}.
struct HistoryCommands {
  CLI::App* history;
  CLI::App* show;
  CLI::App* deliveries;
};
HistoryCommands AddHistoryCommand(CLI::App& app, HistoryOptions& options);

// Running: each returns the process exit code. Errors go to stderr, results to stdout.
// `command_line` is recorded in the history store.
int RunScan(const ScanOptions& options, const std::string& command_line);
int RunRulesCheck(const RulesCheckOptions& options);
int RunHistoryList(const HistoryOptions& options);
int RunHistoryShow(const HistoryOptions& options);
int RunHistoryDeliveries(const HistoryOptions& options);

}  // namespace dqa::cli
