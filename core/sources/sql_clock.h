// Whether SQL text may read the clock, for the decisions that depend on it: a stored range state
// is not reused for such SQL (core/engine/table_scan.cc), and a nightly run keeps a pinned day in
// the plan digest of a source with such SQL (core/nightly/fingerprint.cc).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

#include "dqaudit/text.h"

namespace dqa {

// True when `sql` mentions SQLite's 'now' or CURRENT_DATE / CURRENT_TIME / CURRENT_TIMESTAMP, or
// calls a date and time function without a time value, which reads the clock: `date()`, `time()`,
// `datetime()`, `julianday()`, `unixepoch()`, or `strftime` given its format alone. `date(col)`
// reads only the row. Case-insensitive and generous otherwise: a column named `known` or a
// literal that says `now` counts too, which costs a rescan or a range read again, never a stale
// answer.
inline bool SqlMayReadClock(std::string_view sql) {
  const std::string lower = sdk::ToLowerAscii(sql);
  if (lower.find("now") != std::string::npos || lower.find("current_") != std::string::npos) {
    return true;
  }
  const auto skip_spaces = [&](size_t at) {
    while (at < lower.size() && std::isspace(static_cast<unsigned char>(lower[at]))) ++at;
    return at;
  };
  // A call of `name` at `at` (after spaces): the position of its "(", or npos.
  const auto open_paren = [&](size_t at) {
    at = skip_spaces(at);
    return at < lower.size() && lower[at] == '(' ? at : std::string::npos;
  };
  for (const std::string_view name : {"date", "time", "julianday", "unixepoch", "strftime"}) {
    for (size_t at = lower.find(name); at != std::string::npos; at = lower.find(name, at + 1)) {
      const size_t paren = open_paren(at + name.size());
      if (paren == std::string::npos) continue;
      if (name != "strftime") {
        // (datetime( ends in time(: the same test)
        const size_t next = skip_spaces(paren + 1);
        if (next < lower.size() && lower[next] == ')') return true;
        continue;
      }
      // strftime(format) alone: no comma at the call's own depth before its ")".
      int depth = 0;
      char quote = 0;
      for (size_t i = paren; i < lower.size(); ++i) {
        const char c = lower[i];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '(') {
          ++depth;
        } else if (c == ')') {
          if (--depth == 0) return true;  // the format alone
        } else if (c == ',' && depth == 1) {
          break;  // a time value follows
        }
      }
    }
  }
  return false;
}

}  // namespace dqa
