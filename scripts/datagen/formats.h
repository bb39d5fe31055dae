// Text forms of generated values: dates as each department's system writes them, CCCD numbers.
#pragma once

#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "core/util/dates.h"

namespace dqa::datagen {

// "YYYY-MM-DD".
inline std::string IsoDate(int64_t day) { return FormatDay(day); }

// "YYYY-MM-DD HH:MM:SS" (local time written without offset, read as UTC by the engine).
inline std::string IsoDateTime(int64_t unix_seconds) {
  const int64_t day = DayOf(unix_seconds);
  const int64_t sod = unix_seconds - day * kSecondsPerDay;
  return fmt::format("{} {:02d}:{:02d}:{:02d}", FormatDay(day), sod / 3600, sod / 60 % 60, sod % 60);
}

// "DD/MM/YYYY", or "D/M/YYYY" when `padded` is false (both are valid `date_format: dmy`).
inline std::string Dmy(int64_t day, bool padded = true) {
  const CivilDate c = CivilFromDays(day);
  if (padded) return fmt::format("{:02d}/{:02d}/{:04d}", c.day, c.month, c.year);
  return fmt::format("{}/{}/{:04d}", c.day, c.month, c.year);
}

inline int64_t YearOf(int64_t day) { return CivilFromDays(day).year; }

}  // namespace dqa::datagen
