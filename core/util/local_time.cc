#include "core/util/local_time.h"

#include <fmt/format.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <cstdlib>
#include <memory>

#include "core/util/dates.h"

namespace dqa {
namespace {

// ICU answers an unknown name with a copy of its "Etc/Unknown" zone (GMT), not an error.
std::unique_ptr<icu::TimeZone> Zone(std::string_view zone) {
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(
      icu::UnicodeString::fromUTF8(icu::StringPiece(zone.data(), static_cast<int32_t>(zone.size())))));
  if (tz == nullptr || *tz == icu::TimeZone::getUnknown()) return nullptr;
  return tz;
}

}  // namespace

Status ValidateTimeZone(std::string_view zone) {
  if (Zone(zone) != nullptr) return Status::Ok();
  return InvalidArgument(fmt::format(
      "unknown time zone '{}' (expected an IANA name such as Asia/Ho_Chi_Minh)", zone));
}

LocalTime ToLocalTime(int64_t unix_ms, std::string_view zone) {
  int32_t raw = 0;
  int32_t dst = 0;
  if (std::unique_ptr<icu::TimeZone> tz = Zone(zone)) {
    UErrorCode status = U_ZERO_ERROR;
    tz->getOffset(static_cast<UDate>(unix_ms), false, raw, dst, status);
    if (U_FAILURE(status)) raw = dst = 0;
  }
  const int64_t offset_ms = int64_t{raw} + dst;
  const int64_t local_ms = unix_ms + offset_ms;
  // Floor division: times before 1970 stay on the right day.
  int64_t days = local_ms / 86'400'000;
  if (local_ms % 86'400'000 < 0) --days;
  const int64_t minute_of_day = (local_ms - days * 86'400'000) / 60'000;
  return {FormatDay(days),
          fmt::format("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60),
          static_cast<int>(offset_ms / 60'000)};
}

std::string OffsetText(int offset_minutes) {
  const int m = std::abs(offset_minutes);
  return fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
}

}  // namespace dqa
