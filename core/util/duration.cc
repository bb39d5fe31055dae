#include "core/util/duration.h"

#include <charconv>

#include <fmt/format.h>

namespace dqa {

int64_t Duration::MaxAmount(Unit unit) {
  constexpr int64_t kMaxDays = kMaxDurationYears * 36525 / 100;  // Julian years: 365250 days
  switch (unit) {
    case Unit::kHours: return kMaxDays * 24;
    case Unit::kDays: return kMaxDays;
    case Unit::kWeeks: return kMaxDays / 7;
    case Unit::kMonths: return kMaxDurationYears * 12;
    case Unit::kYears: return kMaxDurationYears;
  }
  return kMaxDurationYears;
}

Result<Duration> Duration::ParseBounded(std::string_view text) {
  const auto malformed = [&] {
    return InvalidArgument(
        fmt::format("expected a duration like 30d, 12h, 2w, 6m or 1y, got '{}'", text));
  };
  if (text.size() < 2) return malformed();
  Duration d;
  switch (text.back()) {
    case 'h': d.unit = Unit::kHours; break;
    case 'd': d.unit = Unit::kDays; break;
    case 'w': d.unit = Unit::kWeeks; break;
    case 'm': d.unit = Unit::kMonths; break;
    case 'y': d.unit = Unit::kYears; break;
    default: return malformed();
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  for (char c : digits) {
    if (c < '0' || c > '9') return malformed();
  }
  // Digits that do not fit in int64 are a number, only far too long.
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d.amount);
  if ((ec != std::errc() && ec != std::errc::result_out_of_range) ||
      ptr != digits.data() + digits.size()) {
    return malformed();
  }
  if (ec == std::errc::result_out_of_range || d.amount > MaxAmount(d.unit)) {
    return InvalidArgument(fmt::format(
        "'{}' is longer than the maximum of {} years ({}y, {}m, {}w, {}d, {}h)", text,
        kMaxDurationYears, MaxAmount(Unit::kYears), MaxAmount(Unit::kMonths),
        MaxAmount(Unit::kWeeks), MaxAmount(Unit::kDays), MaxAmount(Unit::kHours)));
  }
  return d;
}

std::optional<Duration> Duration::Parse(std::string_view text) {
  Result<Duration> d = ParseBounded(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::string Duration::ToString() const {
  char suffix = 'd';
  switch (unit) {
    case Unit::kHours: suffix = 'h'; break;
    case Unit::kDays: suffix = 'd'; break;
    case Unit::kWeeks: suffix = 'w'; break;
    case Unit::kMonths: suffix = 'm'; break;
    case Unit::kYears: suffix = 'y'; break;
  }
  return std::to_string(amount) + suffix;
}

}  // namespace dqa
