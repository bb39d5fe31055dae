// Calendar arithmetic and date parsing (docs/checks.md "Dates"): all times are UTC, in Unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/duration.h"
#include "dqaudit/dates.h"

namespace dqa {

constexpr int64_t kSecondsPerDay = 86400;

// How date values stored as text are read. Integers are always Unix seconds (UTC).
enum class DateFormat {
  kIso,  // YYYY-MM-DD, optionally followed by [T ]HH:MM[:SS[.fff]][Z|±HH:MM]
  kDmy,  // DD/MM/YYYY, optionally followed by a space and HH:MM[:SS]
};

// Days since 1970-01-01 of a proleptic Gregorian date; nullopt if the date does not exist (the
// plugin SDK's dqa::sdk::DaysFromCivil, with the date checked first).
std::optional<int64_t> DaysFromCivil(int64_t year, int month, int day);
// The calendar date of a day number: the SDK's, so core and plugins agree on every day.
using sdk::CivilDate;
using sdk::CivilFromDays;

// Floor division of Unix seconds into days since epoch (correct for negative times).
int64_t DayOf(int64_t unix_seconds);

// Parses a date (and optional time) written as text in `format` into Unix seconds; nullopt when
// unparseable. Leading/trailing ASCII whitespace is ignored.
std::optional<int64_t> ParseDateText(std::string_view text, DateFormat format);

// "YYYY-MM-DD" exactly -> days since epoch.
std::optional<int64_t> ParseIsoDay(std::string_view text);
// Days since epoch -> "YYYY-MM-DD".
std::string FormatDay(int64_t days);
// Unix seconds -> "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatTimestamp(int64_t unix_seconds);

// A UTC offset "+07:00", "-03:30" or "Z" (= "+00:00") -> minutes east of UTC; nullopt unless
// exactly that form with hours 00-14 and minutes 00-59.
std::optional<int> ParseUtcOffset(std::string_view text);
// Minutes east of UTC -> "+07:00" / "-03:30".
std::string FormatUtcOffset(int minutes);
// The offset of the machine's local time zone (TZ, /etc/localtime) at `unix_seconds`, in minutes.
int LocalUtcOffsetMinutes(int64_t unix_seconds);
// `utc_now` on the clock of a database whose times are local at `utc_offset_minutes` (empty: the
// machine's time zone), in the engine's "as if UTC" seconds (docs/checks.md "Dates").
int64_t WallClock(int64_t utc_now, std::optional<int> utc_offset_minutes);

// `unix_seconds` shifted by `sign` (+1/-1) times `d`. Months and years move the calendar month and
// clamp the day to the month's length (2026-08-31 - 6m = 2026-02-28). Computed in int64 with
// overflow checks: a result beyond int64 (only reachable with a duration longer than
// kMaxDurationYears) saturates to INT64_MAX / INT64_MIN instead of wrapping around.
int64_t ShiftBy(int64_t unix_seconds, const Duration& d, int sign);

}  // namespace dqa
