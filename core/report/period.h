// The periods a report covers (`dqaudit report --period`): a month "2026-10", a quarter
// "2026-Q4" or a year "2026", read from and written back as that text.
#pragma once

#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa {

enum class PeriodKind { kMonth, kQuarter, kYear };

struct Period {
  PeriodKind kind = PeriodKind::kMonth;
  int year = 0;
  int number = 1;  // month 1..12, quarter 1..4; 1 for a year

  // "2026-10", "2026-Q4", "2026".
  std::string ToString() const;
  // Whether the ISO day "YYYY-MM-DD" falls in the period (false for anything else).
  bool Contains(std::string_view iso_day) const;
  // The period of the same kind just before (2026-01 -> 2025-12, 2026-Q1 -> 2025-Q4).
  Period Previous() const;
  bool operator==(const Period&) const = default;
};

// "YYYY-MM" (month 01..12), "YYYY-Qn" (n 1..4, `q` accepted) or "YYYY" (year 1000..9999);
// InvalidArgument naming the three forms otherwise ("2026-Q5", "2026-13", "26").
Result<Period> ParsePeriod(std::string_view text);

// The period of `kind` that holds the ISO day "YYYY-MM-DD"; InvalidArgument for another text.
Result<Period> PeriodOfDay(PeriodKind kind, std::string_view iso_day);

// "month" | "quarter" | "year".
std::string_view ToString(PeriodKind kind);
Result<PeriodKind> ParsePeriodKind(std::string_view name);

}  // namespace dqa
