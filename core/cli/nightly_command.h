// `dqaudit nightly --config FILE [--full]`: the unattended nightly scan (docs/nightly.md).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace dqa::cli {

struct NightlyOptions {
  std::string config_path;  // --config: the nightly configuration (YAML)
  bool full = false;        // --full: scan every source, carry nothing over, resume nothing
  std::string today;        // --today YYYY-MM-DD: reference day (else the rule files' or now)
  bool dry_run = false;     // --dry-run: say what a run would do; write nothing
  bool progress = false;    // --progress: log rows/s and ETA of long table scans (as scan's)
};

// Adds `nightly` and its options, bound to `options`.
CLI::App* AddNightlyCommand(CLI::App& app, NightlyOptions& options);

// Runs the nightly scan; returns the exit code: 0/1/3 as `scan` (3 also when reports or the
// schedule could not be written), 2 for a configuration or rule error (nothing scanned), 3 when
// another nightly run holds the lock (nothing scanned, the message names the holder's pid).
int RunNightly(const NightlyOptions& options, const std::string& command_line);

}  // namespace dqa::cli
