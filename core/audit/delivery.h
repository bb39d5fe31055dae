// Delivery tracking in the recorded audit (docs/checks.md "delivery"): what a run sees of the
// database of each source with a `delivery:` cadence, the row it records in the history's
// deliveries table, and the source's delivery finding judged from every recorded delivery. Done
// here, above the history store, because checks cannot read the history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/engine/plan.h"
#include "core/history/deliveries.h"
#include "core/history/store.h"
#include "core/model/result.h"

namespace dqa {

// What the run saw of one source's database when it began.
struct DeliveryObservation {
  std::string fingerprint;               // ReadSqliteFileIdentity text; "" when unreadable
  std::optional<int64_t> file_time;      // max(mtime of the file, of its -wal), Unix seconds
  std::optional<int64_t> newest_record;  // newest record_time value, Unix seconds (UTC)
  std::string problem;                   // why the file or the newest record could not be read
};

// Reads the identity of plan.source's database without SQLite and, when `record_time` is set and
// `reuse` (the source's previous row) has another fingerprint or none, the newest record time with
// one read-only query (values parsed with the record_time date_format; times without an offset
// are in the source's utc_offset, else the cadence's time zone). With an unchanged fingerprint
// the previous row's newest record time is kept: the database is the same.
DeliveryObservation ObserveDelivery(const SourcePlan& plan, const std::optional<DeliveryRow>& reuse);

// The run's reference time for a source's deliveries: the end (23:59:59 in the cadence's time
// zone) of the pinned day (--today, else the rule file's `today:`), else `now_unix`.
int64_t DeliveryReference(const DeliverySpec& spec, std::optional<int64_t> pinned_day,
                          int64_t now_unix);

// Judges plan.source's deliveries in run `run_id` (`store` null or no run: no history) from the
// recorded rows before the run and `seen`, and fills `row` with what to record. Store errors.
Result<CheckResult> JudgeDelivery(HistoryStore* store, std::optional<int64_t> run_id,
                                  const SourcePlan& plan, const DeliveryObservation& seen,
                                  int64_t reference, DeliveryRow& row);

// `result` with `finding` in place of any delivery finding it had (a carried-over source brings
// the one of the run it comes from), appended after the checks.
void PutDeliveryFinding(SourceResult& result, CheckResult finding);

}  // namespace dqa
