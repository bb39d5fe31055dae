// Delivery cadences (core/checks/delivery.cc): due times, which due deliveries were on time, late
// or missed, and the delivery finding.
#include "core/checks/delivery.h"

#include <gtest/gtest.h>

#include "core/util/dates.h"

namespace dqa {
namespace {

// Unix seconds of a local time at +07:00 (Asia/Ho_Chi_Minh).
int64_t Hcm(int year, int month, int day, int hour, int minute) {
  return *DaysFromCivil(year, month, day) * kSecondsPerDay + (hour - 7) * 3600 + minute * 60;
}

DeliverySpec Every(const char* every, const char* by) {
  DeliverySpec spec;
  spec.every = *Duration::Parse(every);
  spec.by_minutes = *ParseTimeOfDay(by);
  spec.thresholds.fail.max_count = 0;
  return spec;
}

std::string Local(int64_t t) { return FormatLocalMinute(t, 7 * 60); }

TEST(DeliveryTest, ParsesTimesOfDayAndZones) {
  EXPECT_EQ(ParseTimeOfDay("07:00"), 420);
  EXPECT_EQ(ParseTimeOfDay("23:59"), 23 * 60 + 59);
  EXPECT_EQ(ParseTimeOfDay("24:00"), std::nullopt);
  EXPECT_EQ(ParseTimeOfDay("7:00"), std::nullopt);
  EXPECT_EQ(ParseTimeOfDay("07:60"), std::nullopt);
  EXPECT_EQ(DeliveryTimeZoneOffset("Asia/Ho_Chi_Minh"), 420);
  EXPECT_EQ(DeliveryTimeZoneOffset("UTC"), 0);
  EXPECT_EQ(DeliveryTimeZoneOffset("-03:30"), -210);
  EXPECT_EQ(DeliveryTimeZoneOffset("Europe/Paris"), std::nullopt);
}

TEST(DeliveryTest, DailyDueAtSevenLocal) {
  const DeliverySpec spec = Every("1d", "07:00");
  // 07:00 at +07:00 is midnight UTC.
  const int64_t nov3 = LatestDueIndex(spec, Hcm(2026, 11, 3, 7, 0));
  EXPECT_EQ(DueTime(spec, nov3), *DaysFromCivil(2026, 11, 3) * kSecondsPerDay);
  EXPECT_EQ(Local(DueTime(spec, nov3)), "2026-11-03 07:00");
  // One second before 07:00 the latest due time is the day before.
  EXPECT_EQ(Local(DueTime(spec, LatestDueIndex(spec, Hcm(2026, 11, 3, 7, 0) - 1))),
            "2026-11-02 07:00");
  EXPECT_EQ(Local(DueTime(spec, nov3 + 1)), "2026-11-04 07:00");
}

TEST(DeliveryTest, WeeklyIsDueOnMondaysMonthlyOnTheFirst) {
  const DeliverySpec weekly = Every("1w", "07:00");
  // Wednesday 2026-11-04: the latest due time is Monday 2026-11-02 07:00.
  EXPECT_EQ(Local(DueTime(weekly, LatestDueIndex(weekly, Hcm(2026, 11, 4, 12, 0)))),
            "2026-11-02 07:00");
  const DeliverySpec fortnight = Every("2w", "07:00");
  const int64_t k = LatestDueIndex(fortnight, Hcm(2026, 11, 4, 12, 0));
  EXPECT_EQ(DueTime(fortnight, k + 1) - DueTime(fortnight, k), 14 * kSecondsPerDay);
  const DeliverySpec monthly = Every("1m", "17:30");
  EXPECT_EQ(Local(DueTime(monthly, LatestDueIndex(monthly, Hcm(2026, 11, 4, 12, 0)))),
            "2026-11-01 17:30");
  EXPECT_EQ(Local(DueTime(monthly, LatestDueIndex(monthly, Hcm(2026, 11, 1, 17, 29)))),
            "2026-10-01 17:30");
}

TEST(DeliveryTest, TimeZoneMovesTheDueInstant) {
  DeliverySpec utc = Every("1d", "07:00");
  utc.utc_offset_minutes = 0;
  const DeliverySpec hcm = Every("1d", "07:00");
  const int64_t at = Hcm(2026, 11, 4, 15, 0);
  EXPECT_EQ(DueTime(utc, LatestDueIndex(utc, at)) - DueTime(hcm, LatestDueIndex(hcm, at)),
            7 * 3600);
}

TEST(DeliveryTest, DeliveryAtSevenIsOnTimeOneMinuteLaterIsLate) {
  const DeliverySpec spec = Every("1d", "07:00");
  const int64_t reference = Hcm(2026, 11, 3, 23, 59);
  auto on_time = JudgeDueTimes(spec, {Hcm(2026, 11, 3, 7, 0)}, reference);
  ASSERT_EQ(on_time.size(), 1u);
  EXPECT_EQ(on_time[0].kind, DueKind::kOnTime);
  auto late = JudgeDueTimes(spec, {Hcm(2026, 11, 3, 7, 1)}, reference);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].kind, DueKind::kLate);
  EXPECT_EQ(late[0].delivered_at, Hcm(2026, 11, 3, 7, 1));
}

TEST(DeliveryTest, ADeliveryCountsForThePeriodItArrivesIn) {
  const DeliverySpec spec = Every("1d", "07:00");
  DeliveryFacts facts;
  facts.source = "civil";
  facts.deliveries = {Hcm(2026, 11, 1, 6, 0), Hcm(2026, 11, 2, 6, 30), Hcm(2026, 11, 3, 9, 12)};
  facts.reference = Hcm(2026, 11, 4, 23, 59);
  DueVerdict latest;
  const CheckResult r = DeliveryResult(spec, facts, &latest);
  EXPECT_EQ(r.id, "delivery:civil");
  EXPECT_EQ(r.type, "delivery");
  EXPECT_EQ(r.dimension, Dimension::kFreshness);
  EXPECT_EQ(latest.kind, DueKind::kMissed);
  EXPECT_EQ(r.outcome, Outcome::kWarn);  // severity warn by default
  EXPECT_EQ(r.rows_checked, 4);          // Nov 1 .. Nov 4
  EXPECT_EQ(r.violations, 2);
  ASSERT_EQ(r.samples.size(), 2u);
  EXPECT_EQ(r.samples[0], std::vector<std::string>{"2026-11-04 missed"});
  EXPECT_EQ(r.samples[1], std::vector<std::string>{"2026-11-03 late 09:12"});
  EXPECT_EQ(r.message,
            "Delivery every 1d by 07:00 (Asia/Ho_Chi_Minh): the delivery due 2026-11-04 07:00 was "
            "missed; 2 of 4 due deliveries late or missed");
}

TEST(DeliveryTest, PassesWhenTheLatestIsOnTimeAndSeverityAndThresholdsDecideOtherwise) {
  DeliverySpec spec = Every("1d", "07:00");
  DeliveryFacts facts;
  facts.source = "s";
  facts.deliveries = {Hcm(2026, 11, 1, 6, 0), Hcm(2026, 11, 4, 6, 0)};
  facts.reference = Hcm(2026, 11, 4, 23, 59);
  CheckResult r = DeliveryResult(spec, facts);
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_EQ(r.violations, 2);  // Nov 2 and Nov 3 missed
  facts.reference = Hcm(2026, 11, 5, 8, 0);
  spec.severity = Severity::kFail;
  EXPECT_EQ(DeliveryResult(spec, facts).outcome, Outcome::kFail);
  spec.thresholds.fail.max_count = 3;  // 3 missed of 5: within the limit
  r = DeliveryResult(spec, facts);
  EXPECT_EQ(r.violations, 3);
  EXPECT_EQ(r.outcome, Outcome::kPass);
}

TEST(DeliveryTest, LookbackBoundsTheWindow) {
  DeliverySpec spec = Every("1d", "07:00");
  spec.lookback = 3;
  DeliveryFacts facts;
  facts.source = "s";
  facts.deliveries = {Hcm(2026, 10, 1, 6, 0)};
  facts.reference = Hcm(2026, 11, 4, 23, 59);
  const CheckResult r = DeliveryResult(spec, facts);
  EXPECT_EQ(r.rows_checked, 3);
  EXPECT_EQ(r.violations, 3);
  EXPECT_EQ(r.samples.size(), 3u);
}

TEST(DeliveryTest, FirstRunJudgesTheFileAndItsNewestRecord) {
  const DeliverySpec spec = Every("1d", "07:00");
  DeliveryFacts facts;
  facts.source = "s";
  facts.first_observation = true;
  facts.file_time = Hcm(2026, 11, 4, 6, 0);
  facts.deliveries = {*facts.file_time};
  facts.reference = Hcm(2026, 11, 4, 23, 59);
  EXPECT_EQ(DeliveryResult(spec, facts).outcome, Outcome::kPass);
  // A fresh file whose newest record is from before the previous period (Nov 3).
  facts.newest_record = Hcm(2026, 11, 2, 0, 0);
  const CheckResult touched = DeliveryResult(spec, facts);
  EXPECT_EQ(touched.outcome, Outcome::kWarn);
  EXPECT_EQ(touched.samples, (std::vector<std::vector<std::string>>{{"2026-11-04 missed"}}));
  facts.newest_record = Hcm(2026, 11, 3, 0, 0);
  EXPECT_EQ(DeliveryResult(spec, facts).outcome, Outcome::kPass);
}

}  // namespace
}  // namespace dqa
