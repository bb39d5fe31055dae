// Delivery cadence arithmetic and the delivery finding (docs/checks.md "delivery"): when a
// department's deliveries fall due, and which due deliveries arrived on time, late or never.
// Pure functions: the audit pipeline reads the recorded deliveries from the history and passes
// them here (checks cannot read the history store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/result.h"
#include "core/model/source.h"

namespace dqa {

// The fixed UTC offset (minutes east) of a `timezone:` value: "Asia/Ho_Chi_Minh" (+07:00, the
// default), "Asia/Bangkok", "Asia/Jakarta" (+07:00), "UTC", "Etc/UTC" (+00:00), or an offset
// "+HH:MM" / "-HH:MM" / "Z". nullopt for anything else (no zone with daylight saving is known).
std::optional<int> DeliveryTimeZoneOffset(std::string_view name);

// "HH:MM" (00:00 .. 23:59) -> minutes after midnight; nullopt otherwise.
std::optional<int> ParseTimeOfDay(std::string_view text);

// Periods are anchored on the calendar in the spec's time zone: `Nd` blocks of N days counted
// from 1970-01-01, `Nw` blocks of N weeks starting on Mondays counted from Monday 1970-01-05, `Nm`
// blocks of N months starting on the 1st counted from January 1970, `Ny` blocks of N years
// starting on 1 January 1970. Period `index` starts at local midnight of its first day; its
// delivery is due `by` later (Unix seconds, UTC).
int64_t PeriodStart(const DeliverySpec& spec, int64_t index);
int64_t DueTime(const DeliverySpec& spec, int64_t index);
// The index of the latest due time at or before `at` (Unix seconds, UTC).
int64_t LatestDueIndex(const DeliverySpec& spec, int64_t at);
// The index of the period `at` falls in.
int64_t PeriodIndex(const DeliverySpec& spec, int64_t at);

// How one due delivery went.
enum class DueKind { kOnTime, kLate, kMissed };
struct DueVerdict {
  int64_t due = 0;                     // Unix seconds, UTC
  DueKind kind = DueKind::kMissed;
  std::optional<int64_t> delivered_at;  // the delivery that served it (on time or late)
};

// Judges the due times of `spec` up to `reference` (Unix seconds, UTC) against `deliveries`
// (delivery times, Unix seconds UTC, any order), oldest due time first. A delivery counts for the
// period it arrives in: from the period's start to its due time (inclusive) on time, after it
// until the period ends (or `reference`) late; a period without one is missed. The window is the
// last spec.lookback due times, but none before the period of the first delivery (what happened
// before dqaudit first saw the database is unknown); without deliveries only the latest one.
std::vector<DueVerdict> JudgeDueTimes(const DeliverySpec& spec, std::vector<int64_t> deliveries,
                                      int64_t reference);

// What the audit knows about one source's deliveries when it judges them.
struct DeliveryFacts {
  std::string source;
  std::vector<int64_t> deliveries;       // recorded delivery times, this run's included
  bool first_observation = false;        // no earlier run recorded this source's database
  std::optional<int64_t> file_time;      // the database's modification time now (UTC seconds)
  std::optional<int64_t> newest_record;  // newest record time (UTC seconds), when record_time
  std::string record_problem;            // why the newest record time could not be read
  int64_t reference = 0;                 // the run's reference time (UTC seconds)
  int samples = 5;                       // most late/missed due times listed
};

// The `delivery` finding of a source (id "delivery:<source>", dimension freshness). On the first
// observation with `record_time`, a database whose newest record time is before the start of the
// period before the latest due one is not taken as a delivery (a touched file with old records).
// `latest` (optional) receives the verdict of the latest due time.
CheckResult DeliveryResult(const DeliverySpec& spec, const DeliveryFacts& facts,
                           DueVerdict* latest = nullptr);

// "on time", "late", "missed".
std::string_view ToString(DueKind kind);

// Unix seconds as "2026-11-03 07:00" at `utc_offset_minutes` east of UTC.
std::string FormatLocalMinute(int64_t unix_seconds, int utc_offset_minutes);

}  // namespace dqa
