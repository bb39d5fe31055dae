// Human-readable summary of a scan for the terminal: per source, table and check, then totals.
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "core/model/result.h"

namespace dqa {

struct ConsoleOptions {
  bool color = false;  // ANSI colours on the outcome words (default off)
};

// Counts over a whole scan.
struct OutcomeTotals {
  int64_t sources = 0;
  int64_t source_errors = 0;
  int64_t checks = 0;
  int64_t pass = 0;
  int64_t warn = 0;
  int64_t fail = 0;
  int64_t error = 0;
};
OutcomeTotals CountOutcomes(const std::vector<SourceResult>& sources);
// The same counts for one source (no copy of it).
OutcomeTotals CountOutcomes(const SourceResult& source);

// Writes, for each source, a header "<department>: <source> (<database>)", the source error if
// any, then per table (in order of first appearance) one line per check:
// "<PASS|WARN|FAIL|ERROR>  <id>  <violations>  <percent>%  <message>", followed for a check
// with plugin metrics by "metrics: <name>=<value>, ..." (values in shortest exact form, in the
// order reported), and finally a line
// "Totals: S sources (E errors), N checks: P pass, W warn, F fail, X error".
void WriteConsoleSummary(std::ostream& out, const std::vector<SourceResult>& sources,
                         const ConsoleOptions& options);

// True when `fd` is a terminal and the NO_COLOR environment variable is not set.
bool ColorWanted(int fd);

}  // namespace dqa
