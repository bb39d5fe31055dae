// The operations centre's feed: after each nightly run, a versioned JSON document of the run's
// scores, indicators, per-unit figures and open findings per department (docs/feed.schema.json),
// so that the IOC's dashboards never read the history store. Written into a folder as one file per
// run plus latest.json, each whole or not at all; the oldest files beyond `keep` are deleted.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/model/result.h"
#include "core/report/report_data.h"
#include "core/util/status.h"

namespace dqa::nightly {

// Raised when a key changes meaning or goes away (a new key does not raise it): the IOC checks it.
inline constexpr int kFeedSchemaVersion = 1;

// The feed document of a run: `report` is BuildRunReport's (scores, ranks, indicators, findings),
// `sources` the run's results (each source's scan time: a carried source keeps its own).
nlohmann::ordered_json FeedToJson(const RunReport& report, const std::vector<SourceResult>& sources);

// The name of a run's feed file: "feed-20261101T013002Z-run-12.json" (the run's UTC start), so
// that names sort by time even when a new history store numbers runs from 1 again.
std::string FeedFileName(const RunRecord& run);

struct FeedWritten {
  std::string file;                 // the run's feed file
  std::string latest;               // <dir>/latest.json
  std::vector<std::string> pruned;  // older feed files deleted (keep)
};

// Writes `document` (indented, trailing newline) as <dir>/FeedFileName(run), then the same bytes
// as <dir>/latest.json, each through an AtomicFile (temporary in `dir`, fsync, rename); then
// deletes the oldest feed files (names of FeedFileName's form only, ordered by time then run id)
// so that `keep` remain. Creates `dir` when missing. IoError naming the file and the cause; when
// the run's file cannot be written, latest.json and the older files are left as they were.
Result<FeedWritten> WriteFeed(const std::string& dir, const RunRecord& run,
                              const nlohmann::ordered_json& document, int keep);

}  // namespace dqa::nightly
