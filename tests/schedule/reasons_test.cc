// The words of a plan: a missed critical deadline, a repeat inspection and the warnings.
#include "core/schedule/reasons.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/util/dates.h"
#include "tests/unit_support.h"

namespace dqa {
namespace {

DepartmentRisk Critical(const std::string& name, double risk) {
  DepartmentRisk r;
  r.department = name;
  r.risk = risk;
  r.critical_pending = true;
  r.critical_failures = 1;
  r.failing = {{"src", "chk", Dimension::kValidity, Severity::kCritical, 5, "",
                {.type = "pattern",
                 .table = "cong_dan",
                 .columns = {"so_cccd"},
                 .title = {{"vi", "Số CCCD sai định dạng"}, {"en", "ID number in the wrong format"}}}}};
  return r;
}

TEST(ScheduleReasonsTest, MissedDeadlineAndRepeatInspection) {
  // One a week, gap 7 days: C1 on 2/11, C2 on 9/11 (after its deadline 6/11), C1 again on 16/11.
  ScheduleConfig c;
  c.per_week = 1;
  c.horizon = Duration{21, Duration::Unit::kDays};
  c.min_gap_days = 7;
  c.holiday_years = {2026};
  const SchedulePlan plan =
      PlanSchedule({Critical("C2", 80), Critical("C1", 90)}, c, D("2026-11-02"));
  ASSERT_EQ(plan.entries.size(), 3u);
  const i18n::Catalog& en = i18n::Catalog::BuiltIn(i18n::Language::kEn);
  EXPECT_EQ(InspectionReasons(plan, plan.entries[1], en),
            (std::vector<std::string>{
                "1 critical check(s) failing (“ID number in the wrong format”): inspect by "
                "2026-11-06 at the latest",
                "Could not be placed before the deadline 2026-11-06: the inspection team's "
                "capacity is used up",
                "No quality score (the data sources could not be scanned)",
                "1 failing check(s): “ID number in the wrong format”", "Never inspected"}));
  EXPECT_EQ(FormatDay(plan.entries[2].day), "2026-11-16");
  EXPECT_EQ(InspectionReasons(plan, plan.entries[2], en),
            (std::vector<std::string>{"Inspection 2 in this plan, 14 days after the previous one",
                                      "No quality score (the data sources could not be scanned)",
                                      "1 failing check(s): “ID number in the wrong format”", "Never inspected"}));
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_EQ(WarningText(plan.warnings[0], en),
            "C2: has a critical failure but cannot be inspected by the deadline 2026-11-06 "
            "(earliest free day: 2026-11-09); add inspection capacity or adjust the plan");
  const i18n::Catalog& vi = i18n::Catalog::BuiltIn(i18n::Language::kVi);
  EXPECT_EQ(WarningText(plan.warnings[0], vi),
            "C2: có lỗi nghiêm trọng nhưng không xếp được lịch kiểm tra trước hạn 06/11/2026 "
            "(ngày sớm nhất còn trống: 09/11/2026); cần tăng năng lực kiểm tra hoặc điều chỉnh "
            "kế hoạch");
  EXPECT_EQ(WeekdayName(D("2026-11-08"), vi), "Chủ Nhật");
  EXPECT_EQ(ScoreText(26.66, vi), "26,7");
}

// A failing check with a breakdown names the units to inspect first (WorstUnitsText), the check by
// its title in the reasons' language (its default sentence when it has none).
TEST(ScheduleReasonsTest, FailingChecksWithBreakdownsNameTheWorstUnits) {
  DepartmentRisk r;
  r.department = "A";
  r.risk = 50;
  r.failing = {{"s", "so_dien_thoai_hop_le", Dimension::kValidity, Severity::kFail, 9,
                "xã 28252, 28255",
                {.type = "pattern", .table = "cong_dan", .columns = {"so_dien_thoai"}}},
               {"s", "other", Dimension::kValidity, Severity::kFail, 1}};
  ScheduleConfig c;
  c.holiday_years = {2026};
  const SchedulePlan plan = PlanSchedule({r}, c, D("2026-11-02"));
  ASSERT_EQ(plan.entries.size(), 1u);
  const std::vector<std::string> en =
      InspectionReasons(plan, plan.entries[0], i18n::Catalog::BuiltIn(i18n::Language::kEn));
  const std::vector<std::string> vi =
      InspectionReasons(plan, plan.entries[0], i18n::Catalog::BuiltIn(i18n::Language::kVi));
  EXPECT_NE(std::find(en.begin(), en.end(),
                      "“so_dien_thoai in the wrong format”: inspect xã 28252, 28255 first"),
            en.end());
  EXPECT_NE(std::find(vi.begin(), vi.end(),
                      "“so_dien_thoai sai định dạng”: kiểm tra trước xã 28252, 28255"),
            vi.end());
  for (const std::string& reason : en) EXPECT_EQ(reason.find("other”: inspect"), std::string::npos);
}

TEST(ScheduleReasonsTest, LongCheckListsAreCut) {
  DepartmentRisk r;
  r.department = "A";
  r.risk = 50;
  r.scores.overall = 72.25;
  r.scores.grade = Grade::kAverage;
  for (const char* id : {"a", "b", "c", "d", "e"}) {
    r.failing.push_back({"s", id, Dimension::kValidity, Severity::kFail, 1});
  }
  r.delta = 0.04;  // rounds to 0.0: no trend reason
  r.slope = -2.26;
  r.last_inspected = D("2026-01-02");
  r.days_since = 304;
  ScheduleConfig c;
  c.holiday_years = {2026};
  const SchedulePlan plan = PlanSchedule({r}, c, D("2026-11-02"));
  ASSERT_EQ(plan.entries.size(), 1u);
  EXPECT_EQ(InspectionReasons(plan, plan.entries[0],
                              i18n::Catalog::BuiltIn(i18n::Language::kVi)),
            (std::vector<std::string>{
                "Điểm tổng hợp 72,3/100 (xếp loại Trung bình)",
                "5 kiểm tra không đạt: “Kiểm tra a”, “Kiểm tra b”, “Kiểm tra c” và 2 kiểm tra khác",
                "Điểm tổng hợp đang giảm trung bình 2,3 điểm mỗi lần quét",
                "Lần kiểm tra gần nhất ngày 02/01/2026 (304 ngày trước ngày bắt đầu kế hoạch)"}));
}

}  // namespace
}  // namespace dqa
