#include "core/util/dates.h"

#include <charconv>
#include <ctime>
#include <limits>

#include <fmt/format.h>

#include "dqaudit/text.h"

namespace dqa {
namespace {

using sdk::DaysInMonth;

// Reads exactly `n` (at most 4) ASCII digits at `pos`, advancing it.
std::optional<int> Digits(std::string_view s, size_t& pos, size_t n) {
  int64_t v = 0;
  if (!sdk::ReadDigits(s, pos, n, v)) return std::nullopt;
  pos += n;
  return static_cast<int>(v);
}

// Reads one or two digits.
std::optional<int> OneOrTwoDigits(std::string_view s, size_t& pos) {
  if (pos + 1 < s.size() && s[pos + 1] >= '0' && s[pos + 1] <= '9') return Digits(s, pos, 2);
  return Digits(s, pos, 1);
}

bool Consume(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// HH:MM[:SS[.fraction]] -> seconds of day.
std::optional<int64_t> ParseTime(std::string_view s, size_t& pos, bool allow_fraction) {
  auto h = Digits(s, pos, 2);
  if (!h || !Consume(s, pos, ':')) return std::nullopt;
  auto m = Digits(s, pos, 2);
  if (!m) return std::nullopt;
  int sec = 0;
  if (Consume(s, pos, ':')) {
    auto sv = Digits(s, pos, 2);
    if (!sv) return std::nullopt;
    sec = *sv;
    if (allow_fraction && Consume(s, pos, '.')) {
      size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (*h > 23 || *m > 59 || sec > 60) return std::nullopt;
  return int64_t{*h} * 3600 + int64_t{*m} * 60 + sec;
}

}  // namespace

std::optional<int64_t> DaysFromCivil(int64_t y, int m, int d) {
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return sdk::DaysFromCivil(y, m, d);
}

int64_t DayOf(int64_t t) { return sdk::DayOfUnix(t); }

std::optional<int64_t> ParseIsoDay(std::string_view s) {
  size_t pos = 0;
  auto y = Digits(s, pos, 4);
  if (!y || !Consume(s, pos, '-')) return std::nullopt;
  auto m = Digits(s, pos, 2);
  if (!m || !Consume(s, pos, '-')) return std::nullopt;
  auto d = Digits(s, pos, 2);
  if (!d || pos != s.size()) return std::nullopt;
  return DaysFromCivil(*y, *m, *d);
}

std::optional<int> ParseUtcOffset(std::string_view s) {
  if (s == "Z") return 0;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return std::nullopt;
  size_t pos = 1;
  auto h = Digits(s, pos, 2);
  if (!h || !Consume(s, pos, ':')) return std::nullopt;
  auto m = Digits(s, pos, 2);
  if (!m || *h > 14 || *m > 59 || (*h == 14 && *m > 0)) return std::nullopt;
  const int minutes = static_cast<int>(*h * 60 + *m);
  return s[0] == '-' ? -minutes : minutes;
}

std::string FormatUtcOffset(int minutes) {
  const int a = minutes < 0 ? -minutes : minutes;
  return fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

int LocalUtcOffsetMinutes(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return 0;
  return static_cast<int>(local.tm_gmtoff / 60);
}

int64_t WallClock(int64_t utc_now, std::optional<int> utc_offset_minutes) {
  return utc_now + int64_t{60} * utc_offset_minutes.value_or(LocalUtcOffsetMinutes(utc_now));
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int TwoDigits(std::string_view s, size_t i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); }

// The common cells "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS" (or with 'T'), exactly, read in one
// pass: the row loop parses every date cell. Shape only: false sends the text to the general path
// below, which also reads these shapes, to the same result (tests/checks/row_loop_test.cc).
bool IsPlainIsoShape(std::string_view s) {
  const auto digits = [&](size_t i) { return IsDigit(s[i]) && IsDigit(s[i + 1]); };
  if (s.size() != 10 && s.size() != 19) return false;
  if (!(digits(0) && digits(2) && s[4] == '-' && digits(5) && s[7] == '-' && digits(8))) {
    return false;
  }
  return s.size() == 10 || ((s[10] == ' ' || s[10] == 'T') && digits(11) && s[13] == ':' &&
                            digits(14) && s[16] == ':' && digits(17));
}

std::optional<int64_t> PlainIsoSeconds(std::string_view s) {
  const std::optional<int64_t> days =
      DaysFromCivil(TwoDigits(s, 0) * 100 + TwoDigits(s, 2), TwoDigits(s, 5), TwoDigits(s, 8));
  if (!days) return std::nullopt;
  const int64_t t = *days * kSecondsPerDay;
  if (s.size() == 10) return t;
  const int h = TwoDigits(s, 11), m = TwoDigits(s, 14), sec = TwoDigits(s, 17);
  if (h > 23 || m > 59 || sec > 60) return std::nullopt;
  return t + int64_t{h} * 3600 + int64_t{m} * 60 + sec;
}

}  // namespace

std::optional<int64_t> ParseDateText(std::string_view text, DateFormat format) {
  std::string_view s = sdk::TrimAscii(text);
  if (format == DateFormat::kIso && IsPlainIsoShape(s)) return PlainIsoSeconds(s);
  size_t pos = 0;
  std::optional<int64_t> day;
  if (format == DateFormat::kIso) {
    auto y = Digits(s, pos, 4);
    if (!y || !Consume(s, pos, '-')) return std::nullopt;
    auto m = Digits(s, pos, 2);
    if (!m || !Consume(s, pos, '-')) return std::nullopt;
    auto d = Digits(s, pos, 2);
    if (!d) return std::nullopt;
    day = DaysFromCivil(*y, *m, *d);
  } else {
    auto d = OneOrTwoDigits(s, pos);
    if (!d || !Consume(s, pos, '/')) return std::nullopt;
    auto m = OneOrTwoDigits(s, pos);
    if (!m || !Consume(s, pos, '/')) return std::nullopt;
    auto y = Digits(s, pos, 4);
    if (!y) return std::nullopt;
    day = DaysFromCivil(*y, *m, *d);
  }
  if (!day) return std::nullopt;
  int64_t t = *day * kSecondsPerDay;
  if (pos == s.size()) return t;
  const bool iso = format == DateFormat::kIso;
  if (!(s[pos] == ' ' || (iso && s[pos] == 'T'))) return std::nullopt;
  ++pos;
  auto tod = ParseTime(s, pos, iso);
  if (!tod) return std::nullopt;
  t += *tod;
  if (iso && pos < s.size()) {
    if (Consume(s, pos, 'Z')) {
      // UTC already.
    } else if (s[pos] == '+' || s[pos] == '-') {
      const int sign = s[pos] == '+' ? 1 : -1;
      ++pos;
      auto oh = Digits(s, pos, 2);
      if (!oh) return std::nullopt;
      Consume(s, pos, ':');
      auto om = Digits(s, pos, 2);
      if (!om || *oh > 23 || *om > 59) return std::nullopt;
      t -= sign * (int64_t{*oh} * 3600 + int64_t{*om} * 60);
    }
  }
  if (pos != s.size()) return std::nullopt;
  return t;
}

std::string FormatDay(int64_t days) {
  CivilDate c = CivilFromDays(days);
  return fmt::format("{:04d}-{:02d}-{:02d}", c.year, c.month, c.day);
}

std::string FormatTimestamp(int64_t t) {
  const int64_t day = DayOf(t);
  const int64_t sod = t - day * kSecondsPerDay;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", FormatDay(day), sod / 3600, (sod / 60) % 60, sod % 60);
}

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

// a * b + c, or nullopt when any step overflows int64.
std::optional<int64_t> MulAdd(int64_t a, int64_t b, int64_t c) {
  int64_t product = 0;
  int64_t sum = 0;
  if (__builtin_mul_overflow(a, b, &product) || __builtin_add_overflow(product, c, &sum)) {
    return std::nullopt;
  }
  return sum;
}

// A million years: far outside any date dqaudit reads (four-digit years, durations of at most
// kMaxDurationYears), so ShiftBy saturates there rather than return a meaningless date.
constexpr int64_t kMaxShiftYear = 1'000'000;

}  // namespace

int64_t ShiftBy(int64_t t, const Duration& d, int sign) {
  const int64_t saturated = sign > 0 ? kInt64Max : kInt64Min;
  int64_t per_unit = 0;
  switch (d.unit) {
    case Duration::Unit::kHours: per_unit = 3600; break;
    case Duration::Unit::kDays: per_unit = kSecondsPerDay; break;
    case Duration::Unit::kWeeks: per_unit = 7 * kSecondsPerDay; break;
    case Duration::Unit::kMonths:
    case Duration::Unit::kYears: {
      const std::optional<int64_t> months =
          MulAdd(d.amount, d.unit == Duration::Unit::kYears ? 12 : 1, 0);
      const int64_t day = DayOf(t);
      const int64_t sod = t - day * kSecondsPerDay;
      const CivilDate c = CivilFromDays(day);
      const std::optional<int64_t> total =
          months ? MulAdd(sign, *months, c.year * 12 + (c.month - 1)) : std::nullopt;
      if (!total) return saturated;
      const int64_t y = *total >= 0 ? *total / 12 : -((-*total + 11) / 12);
      if (y > kMaxShiftYear || y < -kMaxShiftYear) return saturated;
      const int m = static_cast<int>(*total - y * 12) + 1;
      const int dd = std::min(c.day, DaysInMonth(y, m));
      return MulAdd(*DaysFromCivil(y, m, dd), kSecondsPerDay, sod).value_or(saturated);
    }
  }
  // Durations are bounded when parsed (kMaxDurationYears); the checks keep a hand-built one from
  // wrapping around into the opposite direction.
  const std::optional<int64_t> offset = MulAdd(d.amount, per_unit, 0);
  if (!offset) return saturated;
  return MulAdd(sign, *offset, t).value_or(saturated);
}

}  // namespace dqa
