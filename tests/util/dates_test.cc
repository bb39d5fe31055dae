#include "core/util/dates.h"

#include <gtest/gtest.h>

#include <limits>

namespace dqa {
namespace {

int64_t Day(int y, int m, int d) { return *DaysFromCivil(y, m, d); }

TEST(DatesTest, CivilRoundTrip) {
  EXPECT_EQ(Day(1970, 1, 1), 0);
  EXPECT_EQ(Day(2026, 11, 1), 20758);
  for (int64_t day = -800000; day < 800000; day += 997) {
    CivilDate c = CivilFromDays(day);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), day);
  }
  EXPECT_FALSE(DaysFromCivil(2026, 2, 29).has_value());
  EXPECT_TRUE(DaysFromCivil(2024, 2, 29).has_value());
  EXPECT_FALSE(DaysFromCivil(2026, 13, 1).has_value());
}

struct ParseCase {
  const char* text;
  DateFormat format;
  std::optional<int64_t> expected;
};

TEST(DatesTest, ParseDateTextTable) {
  const int64_t d = Day(2026, 11, 1) * kSecondsPerDay;
  const ParseCase cases[] = {
      {"2026-11-01", DateFormat::kIso, d},
      {"  2026-11-01 ", DateFormat::kIso, d},
      {"2026-11-01T10:20", DateFormat::kIso, d + 10 * 3600 + 20 * 60},
      {"2026-11-01 10:20:30", DateFormat::kIso, d + 10 * 3600 + 20 * 60 + 30},
      {"2026-11-01T10:20:30.123", DateFormat::kIso, d + 10 * 3600 + 20 * 60 + 30},
      {"2026-11-01T10:20:30Z", DateFormat::kIso, d + 10 * 3600 + 20 * 60 + 30},
      {"2026-11-01T07:00:00+07:00", DateFormat::kIso, d},
      {"2026-11-01T00:00:00-01:30", DateFormat::kIso, d + 5400},
      {"2026-02-30", DateFormat::kIso, std::nullopt},
      {"2026-1-01", DateFormat::kIso, std::nullopt},
      {"01/11/2026", DateFormat::kIso, std::nullopt},
      {"", DateFormat::kIso, std::nullopt},
      {"hôm qua", DateFormat::kIso, std::nullopt},
      {"2026-11-01x", DateFormat::kIso, std::nullopt},
      {"2026-11-01T25:00", DateFormat::kIso, std::nullopt},
      {"01/11/2026", DateFormat::kDmy, d},
      {"1/11/2026", DateFormat::kDmy, d},
      {"01/11/2026 08:30", DateFormat::kDmy, d + 8 * 3600 + 30 * 60},
      {"31/02/2026", DateFormat::kDmy, std::nullopt},
      {"2026-11-01", DateFormat::kDmy, std::nullopt},
      {"01-11-2026", DateFormat::kDmy, std::nullopt},
  };
  for (const ParseCase& c : cases) {
    EXPECT_EQ(ParseDateText(c.text, c.format), c.expected) << "'" << c.text << "'";
  }
}

TEST(DatesTest, ShiftByCalendarMonths) {
  const int64_t t = Day(2026, 8, 31) * kSecondsPerDay;
  EXPECT_EQ(FormatDay(DayOf(ShiftBy(t, {6, Duration::Unit::kMonths}, -1))), "2026-02-28");
  EXPECT_EQ(FormatDay(DayOf(ShiftBy(t, {1, Duration::Unit::kYears}, -1))), "2025-08-31");
  EXPECT_EQ(FormatDay(DayOf(ShiftBy(t, {5, Duration::Unit::kMonths}, 1))), "2027-01-31");
  EXPECT_EQ(FormatDay(DayOf(ShiftBy(t, {730, Duration::Unit::kDays}, -1))), "2024-08-31");
  EXPECT_EQ(ShiftBy(t, {12, Duration::Unit::kHours}, 1), t + 43200);
  EXPECT_EQ(FormatDay(DayOf(ShiftBy(Day(2024, 2, 29) * kSecondsPerDay, {1, Duration::Unit::kYears}, -1))),
            "2023-02-28");
}

TEST(DatesTest, FormatAndDayOf) {
  EXPECT_EQ(FormatDay(Day(2026, 11, 1)), "2026-11-01");
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(FormatTimestamp(Day(2026, 11, 1) * kSecondsPerDay + 3661), "2026-11-01T01:01:01Z");
  EXPECT_EQ(ParseIsoDay("2026-11-01"), Day(2026, 11, 1));
  EXPECT_FALSE(ParseIsoDay("2026-11-01T00:00").has_value());
}

TEST(UtcOffsetTest, ParsesAndFormats) {
  EXPECT_EQ(ParseUtcOffset("+07:00"), 420);
  EXPECT_EQ(ParseUtcOffset("-03:30"), -210);
  EXPECT_EQ(ParseUtcOffset("Z"), 0);
  EXPECT_EQ(ParseUtcOffset("+00:00"), 0);
  EXPECT_EQ(ParseUtcOffset("+14:00"), 840);
  for (const char* bad : {"", "7", "+7", "+07", "+0700", "07:00", "+14:01", "+15:00", "+07:60",
                          "UTC+7", "z", "+07:00 "}) {
    EXPECT_FALSE(ParseUtcOffset(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatUtcOffset(420), "+07:00");
  EXPECT_EQ(FormatUtcOffset(-210), "-03:30");
  EXPECT_EQ(FormatUtcOffset(0), "+00:00");
}

TEST(DatesTest, ShiftByTheLongestDurationsStaysExact) {
  const int64_t t = *ParseIsoDay("2026-11-01") * kSecondsPerDay;
  EXPECT_EQ(FormatDay(DayOf(ShiftBy(t, {1000, Duration::Unit::kYears}, -1))), "1026-11-01");
  EXPECT_EQ(FormatDay(DayOf(ShiftBy(t, {12000, Duration::Unit::kMonths}, 1))), "3026-11-01");
  EXPECT_EQ(ShiftBy(t, {365250, Duration::Unit::kDays}, -1), t - int64_t{365250} * 86400);
  EXPECT_EQ(ShiftBy(t, {8766000, Duration::Unit::kHours}, 1), t + int64_t{8766000} * 3600);
}

TEST(DatesTest, ShiftBySaturatesInsteadOfWrappingAround) {
  // Durations this long are refused when parsed; a hand-built one must still not wrap around
  // into the opposite direction (a retention cutoff in the future deleted the whole history).
  const int64_t t = *ParseIsoDay("2026-11-01") * kSecondsPerDay;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  const struct {
    Duration d;
    int sign;
    int64_t expected;
  } cases[] = {
      {{999999999999999, Duration::Unit::kDays}, -1, kMin},
      {{999999999999999, Duration::Unit::kDays}, 1, kMax},
      {{kMax, Duration::Unit::kHours}, -1, kMin},
      {{kMax / 7, Duration::Unit::kWeeks}, 1, kMax},
      {{99999999999, Duration::Unit::kYears}, -1, kMin},
      {{kMax, Duration::Unit::kYears}, 1, kMax},
      {{kMax, Duration::Unit::kMonths}, -1, kMin},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.d.ToString());
    EXPECT_EQ(ShiftBy(t, c.d, c.sign), c.expected);
  }
}

}  // namespace
}  // namespace dqa
