// The operators' view of the last nightly run as an OpenMetrics text file for node_exporter's
// textfile collector (docs/nightly.md "Metrics"): when it ran, whether it succeeded, how long it
// took, checks per outcome, sources in error, plugins quarantined, each source's last scan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/result.h"
#include "core/util/status.h"

namespace dqa::nightly {

struct NightlyMetrics {
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  int exit_code = 0;                 // the run's exit code (0 and 1 are a successful night)
  std::optional<int64_t> run_id;     // unset when nothing was recorded (configuration error...)
  std::vector<SourceResult> sources; // the run's results (empty when no run was recorded)
  std::vector<std::string> plugins_quarantined;
};

// The metrics text: every family with HELP and TYPE before its samples, names prefixed
// `dqaudit_`, label values escaped, ending with "# EOF\n" (OpenMetrics 1.0).
std::string MetricsText(const NightlyMetrics& metrics);

// MetricsText into `path` whole or not at all (temporary beside it, fsync, rename: the collector
// never reads half a file; the temporary's name does not end in .prom, so it is never read).
// Creates its folder when missing. IoError naming the file and the cause.
Status WriteMetricsFile(const std::string& path, const NightlyMetrics& metrics);

}  // namespace dqa::nightly
