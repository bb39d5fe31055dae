#include "core/report/period.h"

#include <fmt/format.h>

#include <cctype>

namespace dqa {
namespace {

// The number written by the digits of `text` (all of them digits), else -1.
int Digits(std::string_view text) {
  if (text.empty()) return -1;
  int n = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

Status BadPeriod(std::string_view text) {
  return InvalidArgument(fmt::format(
      "bad period '{}': expected a month YYYY-MM (2026-10), a quarter YYYY-Qn (2026-Q4, n 1 to 4) "
      "or a year YYYY (2026)",
      text));
}

}  // namespace

std::string Period::ToString() const {
  switch (kind) {
    case PeriodKind::kMonth:
      return fmt::format("{:04}-{:02}", year, number);
    case PeriodKind::kQuarter:
      return fmt::format("{:04}-Q{}", year, number);
    case PeriodKind::kYear:
      return fmt::format("{:04}", year);
  }
  return "";
}

bool Period::Contains(std::string_view iso_day) const {
  auto of = PeriodOfDay(kind, iso_day);
  return of.ok() && *of == *this;
}

Period Period::Previous() const {
  Period p = *this;
  if (kind == PeriodKind::kYear || p.number == 1) {
    --p.year;
    p.number = kind == PeriodKind::kMonth ? 12 : kind == PeriodKind::kQuarter ? 4 : 1;
  } else {
    --p.number;
  }
  return p;
}

Result<Period> ParsePeriod(std::string_view text) {
  if (text.size() < 4) return BadPeriod(text);
  Period p;
  p.year = Digits(text.substr(0, 4));
  if (p.year < 1000) return BadPeriod(text);
  if (text.size() == 4) {
    p.kind = PeriodKind::kYear;
    return p;
  }
  if (text[4] != '-') return BadPeriod(text);
  const std::string_view rest = text.substr(5);
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q')) {
    p.kind = PeriodKind::kQuarter;
    p.number = Digits(rest.substr(1));
    if (p.number < 1 || p.number > 4) return BadPeriod(text);
    return p;
  }
  p.kind = PeriodKind::kMonth;
  p.number = rest.size() == 2 ? Digits(rest) : -1;
  if (p.number < 1 || p.number > 12) return BadPeriod(text);
  return p;
}

Result<Period> PeriodOfDay(PeriodKind kind, std::string_view iso_day) {
  if (iso_day.size() != 10 || iso_day[4] != '-' || iso_day[7] != '-') {
    return InvalidArgument(fmt::format("'{}' is not a day YYYY-MM-DD", iso_day));
  }
  DQA_ASSIGN_OR_RETURN(Period month, ParsePeriod(iso_day.substr(0, 7)));
  Period p{kind, month.year, 1};
  if (kind == PeriodKind::kMonth) p.number = month.number;
  if (kind == PeriodKind::kQuarter) p.number = (month.number - 1) / 3 + 1;
  return p;
}

std::string_view ToString(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kQuarter:
      return "quarter";
    case PeriodKind::kYear:
      return "year";
  }
  return "";
}

Result<PeriodKind> ParsePeriodKind(std::string_view name) {
  if (name == "month") return PeriodKind::kMonth;
  if (name == "quarter") return PeriodKind::kQuarter;
  if (name == "year") return PeriodKind::kYear;
  return InvalidArgument(
      fmt::format("unknown period '{}': expected month, quarter or year", name));
}

}  // namespace dqa
