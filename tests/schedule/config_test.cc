// The schedule configuration: the shipped example, defaults, and errors with file:line:col.
#include "core/schedule/config.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "core/util/dates.h"
#include "tests/unit_support.h"

namespace dqa {
namespace {

std::string HolidayName(const ScheduleConfig& c, const char* iso) {
  for (const Holiday& h : c.holidays) {
    if (h.day == D(iso)) return h.name;
  }
  return "";
}

std::string ErrorOf(const std::string& yaml) {
  auto c = ParseScheduleConfig(yaml, "s.yaml");
  EXPECT_FALSE(c.ok());
  return c.ok() ? "" : c.status().message();
}

TEST(ScheduleConfigTest, DefaultsWithoutKeys) {
  auto c = ParseScheduleConfig("", "s.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_FALSE(c->start.has_value());
  EXPECT_EQ(c->horizon, (Duration{90, Duration::Unit::kDays}));
  EXPECT_EQ(c->per_week, 3);
  EXPECT_EQ(c->per_day, 1);
  EXPECT_EQ(c->working_days, (std::array<bool, 7>{true, true, true, true, true, false, false}));
  EXPECT_TRUE(c->holidays.empty());
  EXPECT_EQ(c->min_gap_days, 90);
  EXPECT_EQ(c->critical_within_working_days, 5);
  EXPECT_EQ(c->weights.quality, 50);
  EXPECT_EQ(c->weights.trend, 15);
  EXPECT_EQ(c->weights.critical, 20);
  EXPECT_EQ(c->weights.inspection, 15);
}

TEST(ScheduleConfigTest, ShippedExampleHasThe2026And2027Holidays) {
  auto c = LoadScheduleConfig(std::string(DQA_SOURCE_DIR) + "/rules/schedule/schedule.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->horizon, (Duration{90, Duration::Unit::kDays}));
  EXPECT_EQ(c->holiday_years, (std::vector<int>{2026, 2027}));
  // 2026: 2 (Tết Dương lịch) + 5 (Tết) + 1 (Giỗ Tổ) + 2 (30/4, 1/5) + 3 (Quốc khánh) = 13 days;
  // 2027: 1 + 7 + 1 + 2 + 2 = 13 days.
  EXPECT_EQ(c->holidays.size(), 26u);
  EXPECT_EQ(HolidayName(*c, "2026-02-16"), "Tết Nguyên Đán Bính Ngọ");
  EXPECT_EQ(HolidayName(*c, "2026-02-20"), "Tết Nguyên Đán Bính Ngọ");
  EXPECT_EQ(HolidayName(*c, "2026-02-23"), "");
  EXPECT_EQ(HolidayName(*c, "2026-04-27"), "Giỗ Tổ Hùng Vương (nghỉ bù cho Chủ Nhật 26/04)");
  EXPECT_EQ(HolidayName(*c, "2026-04-30"), "Ngày Chiến thắng 30/4");
  EXPECT_EQ(HolidayName(*c, "2026-05-01"), "Ngày Quốc tế Lao động 1/5");
  EXPECT_EQ(HolidayName(*c, "2026-09-02"), "Quốc khánh");
  EXPECT_EQ(HolidayName(*c, "2027-02-08"), "Tết Nguyên Đán Đinh Mùi");
  EXPECT_EQ(HolidayName(*c, "2027-04-16"), "Giỗ Tổ Hùng Vương");
  ASSERT_EQ(c->make_up_days.size(), 2u);
  EXPECT_EQ(c->make_up_days[0].day, D("2026-01-10"));
  EXPECT_TRUE(std::is_sorted(c->holidays.begin(), c->holidays.end(),
                             [](const Holiday& a, const Holiday& b) { return a.day < b.day; }));
}

TEST(ScheduleConfigTest, ParsesEveryKey) {
  auto c = ParseScheduleConfig(R"(start: 2026-12-01
horizon: 12w
capacity: {per_week: 4, per_day: 2}
working_days: [mon, wed, sat]
min_gap_days: 30
critical: {within_working_days: 3}
risk:
  weights: {quality: 1, trend: 0, critical: 1, inspection: 0}
  trend_full_drop: 5
  new_failure_points: 10
  inspection_full_days: 180
holidays:
  2026:
    - {from: 2026-12-24, to: 2026-12-25, name: Noel}
)",
                               "s.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->start, D("2026-12-01"));
  EXPECT_EQ(c->horizon, (Duration{12, Duration::Unit::kWeeks}));
  EXPECT_EQ(c->per_week, 4);
  EXPECT_EQ(c->per_day, 2);
  EXPECT_EQ(c->working_days, (std::array<bool, 7>{true, false, true, false, false, true, false}));
  EXPECT_EQ(c->min_gap_days, 30);
  EXPECT_EQ(c->critical_within_working_days, 3);
  EXPECT_EQ(c->weights.trend, 0);
  EXPECT_EQ(c->trend_full_drop, 5);
  EXPECT_EQ(c->new_failure_points, 10);
  EXPECT_EQ(c->inspection_full_days, 180);
  ASSERT_EQ(c->holidays.size(), 2u);
  EXPECT_EQ(c->holidays[1].day, D("2026-12-25"));
}

TEST(ScheduleConfigTest, RejectsNumbersOutOfRange) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"horizon: 99999999999y\n",
       "s.yaml:1:10: schedule configuration: 'horizon': expected a duration such as 90d, 12w, 3m "
       "or 1y (at most 10 years), got '99999999999y'"},
      {"capacity: {per_week: 101}\n",
       "s.yaml:1:22: capacity: 'per_week': expected a whole number from 1 to 100, got '101'"},
      {"capacity: {per_day: 0}\n",
       "s.yaml:1:21: capacity: 'per_day': expected a whole number from 1 to 100, got '0'"},
      {"min_gap_days: 99999999999999999999\n",
       "s.yaml:1:15: schedule configuration: 'min_gap_days': expected a whole number from 0 to "
       "3650, got '99999999999999999999'"},
      {"critical: {within_working_days: 251}\n",
       "s.yaml:1:33: critical: 'within_working_days': expected a whole number from 1 to 250, got "
       "'251'"},
      // Unbounded weights once summed to infinity and made every risk NaN.
      {"risk: {weights: {quality: 1e308, trend: 1e308}}\n",
       "s.yaml:1:27: risk.weights: 'quality': expected a number >= 0 and <= 1000, got 1e308"},
      {"risk: {trend_full_drop: 101}\n",
       "s.yaml:1:25: risk: 'trend_full_drop': expected a number > 0 and <= 100, got 101"},
      {"risk: {inspection_full_days: 36501}\n",
       "s.yaml:1:30: risk: 'inspection_full_days': expected a whole number from 1 to 36500, got "
       "'36501'"},
  };
  for (const auto& [yaml, message] : cases) {
    SCOPED_TRACE(yaml);
    EXPECT_EQ(ErrorOf(yaml), message);
  }
}

TEST(ScheduleConfigTest, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("horizon: 90d\ncapacty: {per_week: 2}\n"),
            "s.yaml:2:1: schedule configuration: unknown key 'capacty' (did you mean "
            "'capacity'?); expected one of: start, horizon, capacity, working_days, holidays, "
            "make_up_days, min_gap_days, critical, risk, calendar");
  EXPECT_EQ(ErrorOf("horizon: 12h\n"),
            "s.yaml:1:10: schedule configuration: 'horizon': expected a duration such as 90d, "
            "12w, 3m or 1y (at most 10 years), got '12h'");
  EXPECT_EQ(ErrorOf("capacity:\n  per_week: 0\n"),
            "s.yaml:2:13: capacity: 'per_week': expected a whole number from 1 to 100, got '0'");
  EXPECT_EQ(ErrorOf("working_days: [mon, tue, wend]\n"),
            "s.yaml:1:26: working_days: unknown day 'wend' (did you mean 'wed'?); expected one "
            "of: mon, tue, wed, thu, fri, sat, sun");
  EXPECT_EQ(ErrorOf("start: 2026-02-30\n"),
            "s.yaml:1:8: schedule configuration: 'start': expected a date YYYY-MM-DD, got "
            "'2026-02-30'");
  EXPECT_EQ(ErrorOf("holidays:\n  2026:\n    - {date: 2027-01-01, name: X}\n"),
            "s.yaml:3:14: holidays.2026: 2027-01-01 is not in 2026");
  EXPECT_EQ(ErrorOf("holidays:\n  2026:\n    - {date: 2026-01-01}\n"),
            "s.yaml:3:7: holidays.2026: 'name': a non-empty name is required");
  EXPECT_EQ(ErrorOf("holidays:\n  2026:\n    - {from: 2026-02-20, to: 2026-02-16, name: T}\n"),
            "s.yaml:3:30: holidays.2026: 'to' is before 'from'");
  EXPECT_EQ(ErrorOf("holidays:\n  twenty:\n    - {date: 2026-01-01, name: X}\n"),
            "s.yaml:2:3: holidays: expected a year (1970..9999), got 'twenty'");
  EXPECT_EQ(ErrorOf("min_gap_days: -1\n"),
            "s.yaml:1:15: schedule configuration: 'min_gap_days': expected a whole number from 0 "
            "to 3650, got '-1'");
  EXPECT_EQ(ErrorOf("risk:\n  weights: {quality: 0, trend: 0, critical: 0, inspection: 0}\n"),
            "s.yaml:2:12: risk: at least one risk weight must be > 0");
  EXPECT_EQ(ErrorOf("holidays:\n  2026:\n    - {date: 2026-01-10, name: X}\n"
                    "make_up_days:\n  2026:\n    - {date: 2026-01-10, name: Y}\n"),
            "s.yaml:5:3: schedule configuration: 2026-01-10 is both a holiday and a make-up "
            "working day");
  EXPECT_EQ(ErrorOf("calendar:\n  organizer: {name: X, email: 'a b@tinh.gov.vn'}\n"),
            "s.yaml:2:31: calendar.organizer: 'email': expected an address such as "
            "thanh.tra@tinh.gov.vn, got 'a b@tinh.gov.vn'");
  EXPECT_EQ(ErrorOf("calendar:\n  attendees:\n    - {email: x@y, department: ''}\n"),
            "s.yaml:3:32: calendar.attendees: 'department': a department name is required");
  EXPECT_EQ(ErrorOf("calendar:\n  attendees: {email: x@y}\n"),
            "s.yaml:2:14: calendar: 'attendees': expected a list of {name, email, department}");
  EXPECT_EQ(ErrorOf("calendar:\n  reminder: 1d\n"),
            "s.yaml:2:13: calendar: 'reminder': expected true or false, got '1d'");
  EXPECT_EQ(ErrorOf("calendar:\n  organizer: {email: x@y, department: A}\n"),
            "s.yaml:2:27: calendar.organizer: unknown key 'department'; expected one of: name, "
            "email");
  for (const char* bad : {"x", "@y", "x@", "x@y@z", "x;y@z", "<x@y>", "x@y:z"}) {
    EXPECT_NE(ErrorOf(fmt::format("calendar:\n  organizer: {{email: '{}'}}\n", bad))
                  .find("'email': expected an address"),
              std::string::npos)
        << bad;
  }
}

TEST(ScheduleConfigTest, CalendarDefaultsAndKeys) {
  auto defaults = ParseScheduleConfig("", "s.yaml");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->calendar.reminder);
  EXPECT_FALSE(defaults->calendar.organizer.has_value());
  EXPECT_TRUE(defaults->calendar.attendees.empty());
  auto c = ParseScheduleConfig(
      "calendar:\n  reminder: false\n  organizer: {email: vp@tinh.gov.vn}\n  attendees:\n"
      "    - {name: Thanh tra, email: tt@tinh.gov.vn}\n"
      "    - {email: ca@tinh.gov.vn, department: Công an tỉnh}\n",
      "s.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_FALSE(c->calendar.reminder);
  EXPECT_EQ(c->calendar.organizer->email, "vp@tinh.gov.vn");
  EXPECT_EQ(c->calendar.organizer->name, "");
  ASSERT_EQ(c->calendar.attendees.size(), 2u);
  EXPECT_EQ(c->calendar.attendees[0].name, "Thanh tra");
  EXPECT_EQ(c->calendar.attendees[0].department, "");
  EXPECT_EQ(c->calendar.attendees[1].email, "ca@tinh.gov.vn");
  EXPECT_EQ(c->calendar.attendees[1].department, "Công an tỉnh");
}

}  // namespace
}  // namespace dqa
