// `dqaudit scores`: per department and per source scores of a recorded run, with their trend.
#pragma once

#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace dqa::cli {

struct ScoresOptions {
  std::string history_path = "audit.db";
  int64_t run_id = 0;       // --run; 0 = the latest run (--latest, the default)
  bool latest = false;      // --latest (explicit; same as no --run)
  std::string config_path;  // --config scoring.yaml; "" = defaults (docs/scoring.md)
  bool sources = false;     // --sources: also one line per source
};

// Adds `scores` and its options, bound to `options` (which must outlive the app).
CLI::App* AddScoresCommand(CLI::App& app, ScoresOptions& options);
// Prints the scores, grades, deltas, new/resolved failures and anomalies of the run. Exit code 0;
// 2 for a bad configuration, a missing store or an unknown run; 3 if the store cannot be read.
int RunScoresCommand(const ScoresOptions& options);

}  // namespace dqa::cli
