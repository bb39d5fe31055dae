// Date and duration helpers for plugin authors (header-only; same rules as the host's dates).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dqa::sdk {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
constexpr int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// The calendar date of a day number (inverse of DaysFromCivil).
constexpr CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{m <= 2 ? era * 400 + yoe + 1 : era * 400 + yoe, static_cast<int>(m),
                   static_cast<int>(d)};
}

constexpr bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int DaysInMonth(int64_t y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` ASCII digits of `s` starting at `pos` into `out` (decimal). False when `s` is
// too short or one of them is not '0'..'9' (`out` is then unspecified). For fixed-width fields
// ("2024-05-01", "0905123456"); more than 18 digits can overflow `out`.
constexpr bool ReadDigits(std::string_view s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Parses a date written YYYY-MM-DD (anything after the 10th character, e.g. a time, is ignored) or
// DD/MM/YYYY, into days since 1970-01-01. nullopt when malformed or not a real calendar day.
constexpr std::optional<int64_t> ParseDateDay(std::string_view s) {
  int64_t y = 0, m = 0, d = 0;
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    if (!ReadDigits(s, 0, 4, y) || !ReadDigits(s, 5, 2, m) ||
        !ReadDigits(s, 8, 2, d)) {
      return std::nullopt;
    }
  } else if (s.size() >= 10 && s[2] == '/' && s[5] == '/') {
    if (!ReadDigits(s, 0, 2, d) || !ReadDigits(s, 3, 2, m) ||
        !ReadDigits(s, 6, 4, y)) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (s.size() > 10 && s[10] != 'T' && s[10] != ' ') return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, static_cast<int>(m))) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

// Day number of Unix seconds (UTC), rounding towards negative infinity.
constexpr int64_t DayOfUnix(int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
}

// A span of time as written in rule files: `30d`, `12h`, `2w`, `6m` (calendar months), `1y`.
struct Duration {
  int64_t amount = 0;
  char unit = 'd';  // 'h', 'd', 'w', 'm' or 'y'

  // nullopt when malformed (no number, unknown unit, negative).
  static constexpr std::optional<Duration> Parse(std::string_view text) {
    if (text.size() < 2) return std::nullopt;
    const char u = text.back();
    if (u != 'h' && u != 'd' && u != 'w' && u != 'm' && u != 'y') return std::nullopt;
    int64_t n = 0;
    if (!ReadDigits(text, 0, text.size() - 1, n)) return std::nullopt;
    return Duration{n, u};
  }

  // The day this duration before `day`: calendar months/years (clamped to the month's last day),
  // hours rounded down to whole days.
  constexpr int64_t Before(int64_t day) const {
    switch (unit) {
      case 'h': return day - amount / 24;
      case 'd': return day - amount;
      case 'w': return day - 7 * amount;
      default: {
        const CivilDate c = CivilFromDays(day);
        const int64_t months = unit == 'y' ? 12 * amount : amount;
        const int64_t total = c.year * 12 + (c.month - 1) - months;
        const int64_t y = total >= 0 ? total / 12 : -((-total + 11) / 12);
        const int m = static_cast<int>(total - y * 12) + 1;
        const int d = c.day < DaysInMonth(y, m) ? c.day : DaysInMonth(y, m);
        return DaysFromCivil(y, m, d);
      }
    }
  }
  // Whole days this duration spans ending at `day` (day - Before(day)).
  constexpr int64_t DaysUntil(int64_t day) const { return day - Before(day); }
};

}  // namespace dqa::sdk
