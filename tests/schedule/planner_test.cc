// The planner on hand-made risks: capacity, working days, holidays, minimum gap, the critical
// rule, ties and determinism. Every expected date was worked out by hand from the rules in
// docs/schedule.md "Placement" (2026-11-02 is a Monday).
#include "core/schedule/planner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/schedule/calendar.h"
#include "core/util/dates.h"
#include "tests/unit_support.h"

namespace dqa {
namespace {

DepartmentRisk Risk(const std::string& name, double risk, bool critical = false,
                    std::vector<const char*> inspected = {}, int64_t as_of = D("2026-11-02")) {
  DepartmentRisk r;
  r.department = name;
  r.risk = risk;
  r.critical_pending = critical;
  r.critical_failures = critical ? 1 : 0;
  for (const char* day : inspected) r.inspection_days.push_back(D(day));
  if (!r.inspection_days.empty()) {
    r.last_inspected = r.inspection_days.back();
    r.days_since = as_of - *r.last_inspected;
  }
  return r;
}

ScheduleConfig Config(int per_week, int per_day, int64_t horizon_days, int min_gap) {
  ScheduleConfig c;
  c.per_week = per_week;
  c.per_day = per_day;
  c.horizon = Duration{horizon_days, Duration::Unit::kDays};
  c.min_gap_days = min_gap;
  c.holiday_years = {2026};  // no "no holidays configured" warning unless a test wants one
  return c;
}

// "YYYY-MM-DD department #occurrence" per entry, in plan order.
std::vector<std::string> Rows(const SchedulePlan& plan) {
  std::vector<std::string> out;
  for (const PlannedInspection& e : plan.entries) {
    out.push_back(FormatDay(e.day) + " " + plan.ranking[e.department].department + " #" +
                  std::to_string(e.occurrence));
  }
  return out;
}

int PriorityOf(const SchedulePlan& plan, const std::string& department) {
  for (size_t i = 0; i < plan.ranking.size(); ++i) {
    if (plan.ranking[i].department == department) return plan.priority[i];
  }
  return -1;
}

TEST(CalendarTest, WeekdaysAndIsoWeeks) {
  EXPECT_EQ(Weekday(D("2026-11-02")), 0);  // Monday
  EXPECT_EQ(Weekday(D("2026-11-08")), 6);  // Sunday
  EXPECT_EQ(Weekday(D("1969-12-29")), 0);  // before the epoch: floor arithmetic
  EXPECT_EQ(WeekStart(D("2026-11-08")), D("2026-11-02"));
  EXPECT_EQ(WeekStart(D("2026-11-09")), D("2026-11-09"));
  ScheduleConfig c;
  c.holidays = {{D("2026-11-04"), "H"}};
  c.make_up_days = {{D("2026-11-07"), "M"}};
  const WorkCalendar calendar(c);
  EXPECT_TRUE(calendar.IsWorkingDay(D("2026-11-03")));
  EXPECT_FALSE(calendar.IsWorkingDay(D("2026-11-04")));  // holiday
  EXPECT_TRUE(calendar.IsWorkingDay(D("2026-11-07")));   // make-up Saturday
  EXPECT_FALSE(calendar.IsWorkingDay(D("2026-11-08")));  // Sunday
  EXPECT_EQ(calendar.HolidayName(D("2026-11-04")), "H");
  // Working days from Monday 2 Nov: 2, 3, 5, 6, 7 (make-up), 9.
  EXPECT_EQ(calendar.NthWorkingDay(D("2026-11-02"), 1), D("2026-11-02"));
  EXPECT_EQ(calendar.NthWorkingDay(D("2026-11-02"), 5), D("2026-11-07"));
  EXPECT_EQ(calendar.NthWorkingDay(D("2026-11-02"), 6), D("2026-11-09"));
}

TEST(SchedulePlannerTest, WeeklyCapacityIsNeverExceeded) {
  const SchedulePlan plan = PlanSchedule(
      {Risk("E", 50), Risk("C", 70), Risk("A", 90), Risk("D", 60), Risk("B", 80)},
      Config(/*per_week=*/2, /*per_day=*/1, /*horizon=*/14, /*gap=*/90), D("2026-11-02"));
  EXPECT_EQ(plan.end, D("2026-11-16"));
  EXPECT_EQ(Rows(plan), (std::vector<std::string>{"2026-11-02 A #1", "2026-11-03 B #1",
                                                  "2026-11-09 C #1", "2026-11-10 D #1"}));
  EXPECT_EQ(PriorityOf(plan, "A"), 1);
  EXPECT_EQ(PriorityOf(plan, "D"), 4);
  EXPECT_EQ(PriorityOf(plan, "E"), 0);
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_EQ(plan.warnings[0].kind, ScheduleWarning::Kind::kNotScheduled);
  EXPECT_EQ(plan.warnings[0].department, "E");
}

TEST(SchedulePlannerTest, DailyCapacityWithinTheWeek) {
  const SchedulePlan plan = PlanSchedule(
      {Risk("A", 90), Risk("B", 80), Risk("C", 70), Risk("D", 60), Risk("E", 50)},
      Config(/*per_week=*/3, /*per_day=*/2, /*horizon=*/14, /*gap=*/90), D("2026-11-02"));
  EXPECT_EQ(Rows(plan),
            (std::vector<std::string>{"2026-11-02 A #1", "2026-11-02 B #1", "2026-11-03 C #1",
                                      "2026-11-09 D #1", "2026-11-09 E #1"}));
}

TEST(SchedulePlannerTest, SkipsWeekendsAndHolidays) {
  // Friday 24 April 2026 to Thursday 7 May: 27/4 (Giỗ Tổ, in lieu), 30/4 and 1/5 are holidays.
  ScheduleConfig c = Config(/*per_week=*/5, /*per_day=*/1, /*horizon=*/14, /*gap=*/90);
  c.holidays = {{D("2026-04-27"), "Giỗ Tổ"}, {D("2026-04-30"), "30/4"}, {D("2026-05-01"), "1/5"}};
  const std::vector<DepartmentRisk> risks = {Risk("A", 90), Risk("B", 80), Risk("C", 70),
                                             Risk("D", 60), Risk("E", 50), Risk("F", 40)};
  EXPECT_EQ(Rows(PlanSchedule(risks, c, D("2026-04-24"))),
            (std::vector<std::string>{"2026-04-24 A #1", "2026-04-28 B #1", "2026-04-29 C #1",
                                      "2026-05-04 D #1", "2026-05-05 E #1", "2026-05-06 F #1"}));
  // A make-up Saturday is a working day.
  c.make_up_days = {{D("2026-04-25"), "làm bù"}};
  EXPECT_EQ(Rows(PlanSchedule(risks, c, D("2026-04-24"))),
            (std::vector<std::string>{"2026-04-24 A #1", "2026-04-25 B #1", "2026-04-28 C #1",
                                      "2026-04-29 D #1", "2026-05-04 E #1", "2026-05-05 F #1"}));
}

TEST(SchedulePlannerTest, MinimumGapBetweenInspectionsOfOneDepartment) {
  // A was inspected on Friday 30 October; gap 10 days; one inspection a day, five a week.
  // 2/11: A is 3 days from 30/10, B goes. A is first eligible on 9/11 (10 days), B again on 12/11
  // (10 days after 2/11), A again on 19/11. Days in between stay empty: nobody is eligible.
  const SchedulePlan plan = PlanSchedule(
      {Risk("A", 60, false, {"2026-10-30"}), Risk("B", 50)},
      Config(/*per_week=*/5, /*per_day=*/1, /*horizon=*/21, /*gap=*/10), D("2026-11-02"));
  EXPECT_EQ(Rows(plan), (std::vector<std::string>{"2026-11-02 B #1", "2026-11-09 A #1",
                                                  "2026-11-12 B #2", "2026-11-19 A #2"}));
  EXPECT_EQ(PriorityOf(plan, "B"), 1);
  EXPECT_EQ(PriorityOf(plan, "A"), 2);
  // A gap at least as long as the horizon: everyone at most once.
  const SchedulePlan once =
      PlanSchedule({Risk("A", 60), Risk("B", 50)}, Config(5, 1, 21, 21), D("2026-11-02"));
  EXPECT_EQ(Rows(once), (std::vector<std::string>{"2026-11-02 A #1", "2026-11-03 B #1"}));
}

TEST(SchedulePlannerTest, CriticalFailureIsInspectedFirstWithinTheDeadline) {
  // B has a pending critical failure: it goes before the riskier A, on the first working day,
  // even though it was inspected 5 days ago (the critical rule overrides the minimum gap).
  const SchedulePlan plan = PlanSchedule(
      {Risk("A", 80), Risk("B", 50, /*critical=*/true, {"2026-10-28"})},
      Config(/*per_week=*/1, /*per_day=*/1, /*horizon=*/14, /*gap=*/90), D("2026-11-02"));
  EXPECT_EQ(Rows(plan), (std::vector<std::string>{"2026-11-02 B #1", "2026-11-09 A #1"}));
  ASSERT_EQ(plan.entries.size(), 2u);
  EXPECT_TRUE(plan.entries[0].critical);
  EXPECT_EQ(plan.entries[0].deadline, D("2026-11-06"));  // 5th working day
  EXPECT_FALSE(plan.entries[0].deadline_missed);
  EXPECT_FALSE(plan.entries[1].critical);
  EXPECT_EQ(PriorityOf(plan, "B"), 1);
  EXPECT_EQ(PriorityOf(plan, "A"), 2);
  EXPECT_TRUE(plan.warnings.empty());
}

TEST(SchedulePlannerTest, CriticalDeadlineCountsWorkingDays) {
  // Deadline 3 working days from Friday 24 April 2026 with 27/4 a holiday: 24/4, 28/4, 29/4.
  ScheduleConfig c = Config(1, 1, 14, 90);
  c.critical_within_working_days = 3;
  c.holidays = {{D("2026-04-27"), "Giỗ Tổ"}};
  const SchedulePlan plan = PlanSchedule({Risk("A", 10, true)}, c, D("2026-04-24"));
  ASSERT_EQ(plan.entries.size(), 1u);
  EXPECT_EQ(plan.entries[0].deadline, D("2026-04-29"));
}

TEST(SchedulePlannerTest, CapacityThatCannotMeetADeadlineIsReported) {
  // One inspection a week, two critical departments: the second lands on 9/11, after its
  // deadline of 6/11.
  const SchedulePlan plan = PlanSchedule({Risk("C2", 80, true), Risk("C1", 90, true)},
                                         Config(1, 1, 14, 90), D("2026-11-02"));
  EXPECT_EQ(Rows(plan), (std::vector<std::string>{"2026-11-02 C1 #1", "2026-11-09 C2 #1"}));
  EXPECT_FALSE(plan.entries[0].deadline_missed);
  EXPECT_TRUE(plan.entries[1].deadline_missed);
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_EQ(plan.warnings[0].kind, ScheduleWarning::Kind::kDeadlineMissed);
  EXPECT_EQ(plan.warnings[0].department, "C2");
  EXPECT_EQ(plan.warnings[0].deadline, D("2026-11-06"));
  EXPECT_EQ(plan.warnings[0].day, D("2026-11-09"));

  // A one-week horizon leaves C2 without any day at all.
  const SchedulePlan short_plan = PlanSchedule({Risk("C2", 80, true), Risk("C1", 90, true)},
                                               Config(1, 1, 7, 90), D("2026-11-02"));
  EXPECT_EQ(Rows(short_plan), (std::vector<std::string>{"2026-11-02 C1 #1"}));
  ASSERT_EQ(short_plan.warnings.size(), 2u);
  EXPECT_EQ(short_plan.warnings[0].kind, ScheduleWarning::Kind::kDeadlineMissed);
  EXPECT_FALSE(short_plan.warnings[0].day.has_value());
  EXPECT_EQ(short_plan.warnings[1].kind, ScheduleWarning::Kind::kNotScheduled);
  EXPECT_EQ(short_plan.warnings[1].department, "C2");
}

TEST(SchedulePlannerTest, TiesAreBrokenByTheDocumentedRule) {
  // Equal risk 40.0: a pending critical failure first; then never inspected before inspected;
  // then longer since the last inspection; then the name by code point ('Z' U+005A sorts before
  // 'Ô' U+00D4, whatever a Vietnamese collation would say). 40.1 beats them all.
  const SchedulePlan plan = PlanSchedule(
      {Risk("Sở Y tế", 40), Risk("Ban Khác", 40, false, {"2026-07-25"}), Risk("Ông X", 40),
       Risk("Sở Tư pháp", 40), Risk("Zeta", 40), Risk("Ban Dân tộc", 40, false, {"2025-09-28"}),
       Risk("Công an tỉnh", 40), Risk("Sở Nội vụ", 40, true), Risk("Sở Tài chính", 40.1)},
      Config(/*per_week=*/10, /*per_day=*/1, /*horizon=*/14, /*gap=*/90), D("2026-11-02"));
  std::vector<std::string> ranking;
  for (const DepartmentRisk& r : plan.ranking) ranking.push_back(r.department);
  EXPECT_EQ(ranking,
            (std::vector<std::string>{"Sở Tài chính", "Sở Nội vụ", "Công an tỉnh", "Sở Tư pháp",
                                      "Sở Y tế", "Zeta", "Ông X", "Ban Dân tộc", "Ban Khác"}));
  // The critical department takes the first day; the rest follow the ranking.
  EXPECT_EQ(Rows(plan), (std::vector<std::string>{
                            "2026-11-02 Sở Nội vụ #1", "2026-11-03 Sở Tài chính #1",
                            "2026-11-04 Công an tỉnh #1", "2026-11-05 Sở Tư pháp #1",
                            "2026-11-06 Sở Y tế #1", "2026-11-09 Zeta #1", "2026-11-10 Ông X #1",
                            "2026-11-11 Ban Dân tộc #1", "2026-11-12 Ban Khác #1"}));
}

TEST(SchedulePlannerTest, SameInputsInAnyOrderGiveTheSamePlan) {
  std::vector<DepartmentRisk> risks = {Risk("A", 70, false, {"2026-08-01"}), Risk("B", 70),
                                       Risk("C", 55.5, true), Risk("D", 55.5),
                                       Risk("E", 20, false, {"2026-10-01"})};
  const ScheduleConfig c = Config(2, 1, 42, 14);
  const SchedulePlan first = PlanSchedule(risks, c, D("2026-11-02"));
  std::sort(risks.begin(), risks.end(), [](const DepartmentRisk& a, const DepartmentRisk& b) {
    return a.department > b.department;
  });
  do {
    const SchedulePlan again = PlanSchedule(risks, c, D("2026-11-02"));
    EXPECT_EQ(Rows(again), Rows(first));
    EXPECT_EQ(again.priority, first.priority);
  } while (std::next_permutation(risks.begin(), risks.end(),
                                 [](const DepartmentRisk& a, const DepartmentRisk& b) {
                                   return a.department > b.department;
                                 }));
  // 6 weeks x 2 = 12 slots, gap 14 days: everyone recurs.
  EXPECT_EQ(first.entries.size(), 12u);
}

TEST(SchedulePlannerTest, WarnsAboutYearsWithoutHolidays) {
  ScheduleConfig c = Config(3, 1, 90, 90);
  c.holiday_years = {2026};
  const SchedulePlan plan = PlanSchedule({Risk("A", 50)}, c, D("2026-11-23"));
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_EQ(plan.warnings[0].kind, ScheduleWarning::Kind::kNoHolidays);
  EXPECT_EQ(plan.warnings[0].year, 2027);
}

}  // namespace
}  // namespace dqa
