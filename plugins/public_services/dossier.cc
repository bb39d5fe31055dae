#include "dossier.h"

#include <algorithm>

#include "dqaudit/dates.h"
#include "dqaudit/text.h"

namespace dqa::public_services {
namespace {

using sdk::ReadDigits;

// Blank: only spaces, tabs and line breaks (a form feed is not taken for an empty date).
bool IsBlank(std::string_view s) { return sdk::TrimAscii(s, " \t\n\r").empty(); }

}  // namespace

std::optional<int64_t> ParseTimestamp(std::string_view s) {
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!ReadDigits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !ReadDigits(s, 5, 2, mo) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > sdk::DaysInMonth(y, static_cast<int>(mo)))
    return std::nullopt;
  size_t pos = 10;
  if (pos < s.size()) {
    if ((s[pos] != ' ' && s[pos] != 'T') || !ReadDigits(s, pos + 1, 2, h) || pos + 3 >= s.size() ||
        s[pos + 3] != ':' || !ReadDigits(s, pos + 4, 2, mi)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!ReadDigits(s, pos + 1, 2, sec)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      }
    }
    if (pos < s.size() && s[pos] == 'Z') ++pos;
    if (pos != s.size() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  }
  return sdk::DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

bool IsPending(std::optional<std::string_view> returned_date,
               std::optional<std::string_view> status,
               const std::vector<std::string>& returned_statuses) {
  if (returned_date && !IsBlank(*returned_date)) return false;
  if (status && std::find(returned_statuses.begin(), returned_statuses.end(), *status) !=
                    returned_statuses.end()) {
    return false;
  }
  return true;
}

bool IsOverdue(int64_t due_unix, int64_t today_day) { return sdk::DayOfUnix(due_unix) < today_day; }

bool IsStuck(int64_t updated_unix, int64_t now_unix, int64_t days) {
  return updated_unix < now_unix - days * 86400;
}

bool ReturnedLate(int64_t returned_unix, int64_t due_unix) {
  return sdk::DayOfUnix(returned_unix) > sdk::DayOfUnix(due_unix);
}

double Percent(int64_t part, int64_t whole) {
  return whole == 0 ? 0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace dqa::public_services
