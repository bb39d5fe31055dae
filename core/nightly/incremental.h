// The incremental decision of a nightly run: which sources are scanned and which carried over.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/types.h"
#include "core/nightly/history_queries.h"

namespace dqa::nightly {

enum class ScanReason {
  kCarried,         // unchanged since a clean scan younger than rescan_after: carried over
  kFull,            // --full
  kNoFingerprint,   // not an SQLite file, or its identity could not be read
  kNoEarlierScan,   // no clean scan with a fingerprint recorded
  kPlanChanged,     // the rules, settings, pinned reference day, dqaudit or plugins changed
  kChanged,         // the same plan, but a database (main or attached) changed
  kTooOld,          // unchanged, but the last clean scan is older than rescan_after
};

struct SourceDecision {
  std::string source;
  ScanReason reason = ScanReason::kNoEarlierScan;
  std::optional<CleanScan> last;  // the candidate looked at, if any
};

// One decision per source, in the order of `sources`. `fingerprints`: the current ones by source
// ("" or absent: none); `last`: candidates by source; a candidate is too old when it started
// before ShiftBy(now, rescan_after, -1).
std::vector<SourceDecision> DecideSources(const std::vector<std::string>& sources,
                                          const std::map<std::string, std::string>& fingerprints,
                                          const std::map<std::string, CleanScan>& last,
                                          int64_t now_unix_ms, const Duration& rescan_after,
                                          bool full);

// A short English phrase for the log: "unchanged since run 12", "database changed", ...
std::string Describe(const SourceDecision& decision);

}  // namespace dqa::nightly
