// Whether SQL text may read the clock, for the decisions that depend on it: a stored range state
// is not reused for such SQL (core/engine/table_scan.cc), and a nightly run keeps a pinned day in
// the plan digest of a source with such SQL (core/nightly/fingerprint.cc).
#pragma once

#include <string>
#include <string_view>

#include "dqaudit/text.h"

namespace dqa {

// True when `sql` mentions SQLite's 'now', CURRENT_DATE / CURRENT_TIME / CURRENT_TIMESTAMP, or a
// date and time function (date, time, datetime, julianday, unixepoch, strftime), each of which
// reads the clock when given no time value (`date()` is today). Case-insensitive and generous: a
// column named `known` or a literal that says `now` counts too, which costs a rescan or a range
// read again, never a stale answer.
inline bool SqlMayReadClock(std::string_view sql) {
  const std::string lower = sdk::ToLowerAscii(sql);
  for (const char* word : {"now", "current_", "date(", "time(", "julianday", "unixepoch",
                           "strftime"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace dqa
