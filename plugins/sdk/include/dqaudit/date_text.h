// Dates as Vietnamese registers write them: ISO "YYYY-MM-DD" or unpadded "D/M/YYYY" (header-only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dqaudit/dates.h"
#include "dqaudit/text.h"

namespace dqa::sdk {

enum class DateFormat {
  kAuto,  // ISO or D/M/YYYY, told apart by the separator
  kIso,   // YYYY-MM-DD, optionally followed by 'T' or ' ' and a time (ignored)
  kDmy,   // D/M/YYYY or DD/MM/YYYY, optionally followed by ' ' and a time (ignored)
};

// The names ParseDateFormat accepts: a date_format parameter's choices (Param::Choices).
inline const std::vector<std::string>& DateFormatNames() {
  static const std::vector<std::string> kNames = {"auto", "iso", "dmy"};
  return kNames;
}

// "auto" | "iso" | "dmy"; nullopt for anything else.
inline std::optional<DateFormat> ParseDateFormat(std::string_view s) {
  if (s == "auto") return DateFormat::kAuto;
  if (s == "iso") return DateFormat::kIso;
  if (s == "dmy") return DateFormat::kDmy;
  return std::nullopt;
}

namespace date_text_detail {
inline bool ReadNumber(std::string_view s, size_t& pos, size_t min_digits, size_t max_digits,
                       int64_t& out) {
  size_t n = 0;
  out = 0;
  while (pos < s.size() && n < max_digits && s[pos] >= '0' && s[pos] <= '9') {
    out = out * 10 + (s[pos++] - '0');
    ++n;
  }
  return n >= min_digits;
}
}  // namespace date_text_detail

// Days since 1970-01-01 of a date written in `format`; nullopt when malformed or not a real day
// ("2024-02-30", "31/02/2025"). Leading and trailing ASCII spaces are ignored.
inline std::optional<int64_t> ParseDay(std::string_view s, DateFormat format) {
  s = TrimAscii(s, " ");
  const bool iso = s.size() >= 5 && s[4] == '-';
  if ((format == DateFormat::kIso && !iso) || (format == DateFormat::kDmy && iso))
    return std::nullopt;
  int64_t y = 0, m = 0, d = 0;
  size_t pos = 0;
  bool ok = false;
  if (iso) {
    ok = date_text_detail::ReadNumber(s, pos, 4, 4, y) && pos < s.size() && s[pos++] == '-' &&
         date_text_detail::ReadNumber(s, pos, 2, 2, m) && pos < s.size() && s[pos++] == '-' &&
         date_text_detail::ReadNumber(s, pos, 2, 2, d) && (pos == s.size() || s[pos] == 'T' || s[pos] == ' ');
  } else {
    ok = date_text_detail::ReadNumber(s, pos, 1, 2, d) && pos < s.size() && s[pos++] == '/' &&
         date_text_detail::ReadNumber(s, pos, 1, 2, m) && pos < s.size() && s[pos++] == '/' &&
         date_text_detail::ReadNumber(s, pos, 4, 4, y) && (pos == s.size() || s[pos] == ' ');
  }
  if (!ok || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, static_cast<int>(m)))
    return std::nullopt;
  return DaysFromCivil(y, m, d);
}

}  // namespace dqa::sdk
