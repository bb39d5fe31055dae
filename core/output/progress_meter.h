// The console's progress within a source on long scans: rows read, rows per second and an ETA
// per running table scan (README "Command line"). Lines only: where they go (stderr, never stdout
// or the JSON) and whether at all (--progress, a terminal, never --quiet) is the command's call.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "core/engine/audit.h"

namespace dqa {

class ScanProgressMeter {
 public:
  using Clock = std::chrono::steady_clock;

  // At most one line per source per `interval`.
  explicit ScanProgressMeter(Clock::duration interval) : interval_(interval) {}

  // The line to print for `source` now, or nullopt: the first sight of a table scan starts its
  // clock (no rate yet), and a source's next line waits for `interval`. Rates count from that
  // first sight: "population: citizens 1,200,000 of ~5,000,000 rows, 400,000 rows/s, ETA ~9 s"
  // ("~": the estimate is not a count; no "of" and no ETA when there is none, or once the rows
  // passed it).
  std::optional<std::string> Update(const std::string& source, const TableScanProgress& progress,
                                    Clock::time_point now);

  // Drops what is known of `source` (its scan ended).
  void Forget(const std::string& source) { sources_.erase(source); }

 private:
  struct Seen {
    std::string table;
    int64_t first_rows = 0;
    int64_t last_rows = 0;
    Clock::time_point first;
    Clock::time_point printed;
  };
  Clock::duration interval_;
  std::map<std::string, Seen> sources_;
};

// 1234567 -> "1,234,567".
std::string GroupedInteger(int64_t value);
// Whole seconds as "42 s", "3 min 05 s", "2 h 07 min".
std::string DurationText(int64_t seconds);

}  // namespace dqa
