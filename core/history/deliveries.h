// The deliveries table of the history store (docs/history.md "Deliveries"): for every recorded
// run and every source with a delivery cadence, what the run saw of the source's database. A row
// whose content fingerprint differs from the source's previous row is a delivery, made at the
// file's modification time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/util/status.h"

namespace dqa {

struct DeliveryRow {
  int64_t run_id = 0;
  std::string source;
  std::string fingerprint;               // the database's content identity ("" when unreadable)
  std::optional<int64_t> file_time;      // modification time, Unix seconds (UTC)
  std::optional<int64_t> newest_record;  // newest record time, Unix seconds (UTC)
  bool changed = false;                  // differs from the source's previous row (or is its first)
  // The latest due time at the run's reference time (Unix seconds) and how it went as the run
  // judged it: "on time", "late" or "missed"; the cadence's UTC offset (minutes) to show times.
  std::optional<int64_t> due_at;
  std::string verdict;
  int utc_offset_minutes = 0;
  // Read back only (from runs): the run's start (Unix ms) and reference day.
  int64_t run_started_unix_ms = 0;
  std::string run_today;
};

// Records `row` (run_id, source unique). InvalidArgument when the run already has a row for the
// source or the run does not exist.
Status RecordDelivery(HistoryStore& store, const DeliveryRow& row);

// The newest row of `source` recorded by a run with an id below `before_run`; nullopt when none.
Result<std::optional<DeliveryRow>> LastDeliveryRow(HistoryStore& store, const std::string& source,
                                                   int64_t before_run);

// The rows of `source` ("" = every source) recorded by runs that started at or after
// `since_unix_ms` (nullopt = all) and have an id below `before_run` (nullopt = all), oldest run
// first (then by source).
Result<std::vector<DeliveryRow>> ListDeliveryRows(HistoryStore& store, const std::string& source,
                                                  std::optional<int64_t> since_unix_ms,
                                                  std::optional<int64_t> before_run);

}  // namespace dqa
