// libFuzzer target: the date, UTC-offset and duration parsers of core/util/dates.h and
// core/model/types.h, with the arithmetic the engine does on what they accept. The input is read
// whole, and when it holds a '|' also as "<date>|<duration>" (a stored value and a check's
// `max_age`). Properties: no crash or undefined behaviour, and every accepted text round-trips
// through its formatter.
#include <string>

#include "core/model/types.h"
#include "core/util/dates.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using dqa::Duration;

void CheckDay(int64_t day, std::string_view text) {
  const dqa::CivilDate c = dqa::CivilFromDays(day);
  const std::optional<int64_t> back = dqa::DaysFromCivil(c.year, c.month, c.day);
  DQA_FUZZ_CHECK(back && *back == day, text);
}

// 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z.
const int64_t kFirstInstant = *dqa::DaysFromCivil(0, 1, 1) * dqa::kSecondsPerDay;
const int64_t kEndInstant = *dqa::DaysFromCivil(10000, 1, 1) * dqa::kSecondsPerDay;

// Parses `text` every way; the last instant it reads as, if any.
std::optional<int64_t> ParseDate(std::string_view text) {
  if (const auto day = dqa::ParseIsoDay(text)) {
    DQA_FUZZ_CHECK(dqa::FormatDay(*day) == text, text);
    CheckDay(*day, text);
  }
  std::optional<int64_t> when;
  for (const dqa::DateFormat format : {dqa::DateFormat::kIso, dqa::DateFormat::kDmy}) {
    if (const auto t = dqa::ParseDateText(text, format)) {
      const std::string stamp = dqa::FormatTimestamp(*t);
      // The stamp is itself an ISO date-time that reads back as the same instant, when its year
      // has the four digits the parser reads (a leap second or an offset can carry 9999-12-31 into
      // 10000, and 0000-01-01 back into year -1).
      if (*t >= kFirstInstant && *t < kEndInstant) {
        DQA_FUZZ_CHECK(dqa::ParseDateText(stamp, dqa::DateFormat::kIso) == *t, stamp);
      }
      CheckDay(dqa::DayOf(*t), text);
      when = t;
    }
  }
  if (const auto minutes = dqa::ParseUtcOffset(text)) {
    DQA_FUZZ_CHECK(*minutes >= -14 * 60 && *minutes <= 14 * 60, text);
    DQA_FUZZ_CHECK(dqa::ParseUtcOffset(dqa::FormatUtcOffset(*minutes)) == *minutes, text);
    dqa::WallClock(0, minutes);
  }
  return when;
}

std::optional<Duration> ParseDuration(std::string_view text) {
  const auto d = Duration::Parse(text);
  if (d) DQA_FUZZ_CHECK(Duration::Parse(d->ToString()) == *d, text);
  return d;
}

// Duration::Parse accepts nothing longer than kMaxDurationYears, and ShiftBy is defined for what it
// accepts (longer durations overflowed it: finding 1 of docs/fuzzing.md).
void Shift(int64_t t, const Duration& d) {
  DQA_FUZZ_CHECK(d.amount <= Duration::MaxAmount(d.unit), d.ToString());
  dqa::ShiftBy(t, d, -1);
  dqa::ShiftBy(t, d, +1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = dqa::fuzz::AsText(data, size);
  ParseDate(text);
  // The engine moves "today" back by a check's duration (stale, freshness).
  if (const auto d = ParseDuration(text)) Shift(int64_t{20000} * dqa::kSecondsPerDay, *d);
  const size_t bar = text.find('|');
  if (bar != std::string_view::npos) {
    const auto when = ParseDate(text.substr(0, bar));
    const auto d = ParseDuration(text.substr(bar + 1));
    if (when && d) Shift(*when, *d);
  }
  return 0;
}
