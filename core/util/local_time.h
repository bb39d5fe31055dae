// Wall-clock time in a named time zone (IANA names through ICU): reports give the committee's
// local times, never UTC.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa {

// The time zone of the reports when none is configured: the committees' (UTC+7, no daylight
// saving time).
inline constexpr std::string_view kDefaultTimeZone = "Asia/Ho_Chi_Minh";

struct LocalTime {
  std::string day;     // "YYYY-MM-DD" in the zone
  std::string time;    // "HH:MM" in the zone (floored to the minute)
  int offset_minutes;  // east of UTC at that instant ("+07:00" = 420)
};

// OK for an IANA zone name ICU knows ("Asia/Ho_Chi_Minh", "Asia/Bangkok", "UTC");
// InvalidArgument "unknown time zone 'X' (expected an IANA name such as Asia/Ho_Chi_Minh)".
Status ValidateTimeZone(std::string_view zone);

// `unix_ms` in `zone` (which ValidateTimeZone accepted; an unknown zone gives UTC).
LocalTime ToLocalTime(int64_t unix_ms, std::string_view zone);

// "+07:00" / "-03:30" for an offset in minutes.
std::string OffsetText(int offset_minutes);

}  // namespace dqa
