// The console's progress within a source: no line before a rate can be measured, one line per
// interval, rates from the first sight of a table scan, the estimate with "~" and the ETA only
// while the rows are below it; a new table or a retry restarts the clock.
#include "core/output/progress_meter.h"

#include <gtest/gtest.h>

namespace dqa {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TableScanProgress At(std::string table, int64_t rows, int64_t estimate) {
  return TableScanProgress{std::move(table), rows, estimate};
}

TEST(ScanProgressMeterTest, RatesAndEtaFromTheFirstSight) {
  ScanProgressMeter meter(seconds(1));
  const auto t0 = ScanProgressMeter::Clock::time_point{} + seconds(100);
  EXPECT_EQ(meter.Update("population", At("citizens", 100'000, 5'000'000), t0), std::nullopt);
  EXPECT_EQ(meter.Update("population", At("citizens", 300'000, 5'000'000), t0 + milliseconds(500)),
            std::nullopt);
  EXPECT_EQ(meter.Update("population", At("citizens", 900'000, 5'000'000), t0 + seconds(2)),
            "population: citizens 900,000 of ~5,000,000 rows, 400,000 rows/s, ETA ~10 s");
  // Within the interval of the last line: nothing.
  EXPECT_EQ(
      meter.Update("population", At("citizens", 1'000'000, 5'000'000), t0 + milliseconds(2500)),
      std::nullopt);
  // Past the estimate: no "of" and no ETA.
  EXPECT_EQ(meter.Update("population", At("citizens", 6'100'000, 5'000'000), t0 + seconds(16)),
            "population: citizens 6,100,000 rows, 375,000 rows/s");
}

TEST(ScanProgressMeterTest, UnknownEstimateHasNoEta) {
  ScanProgressMeter meter(seconds(1));
  const auto t0 = ScanProgressMeter::Clock::time_point{};
  EXPECT_EQ(meter.Update("s", At("v", 0, -1), t0), std::nullopt);
  EXPECT_EQ(meter.Update("s", At("v", 5000, -1), t0 + seconds(5)), "s: v 5,000 rows, 1,000 rows/s");
}

TEST(ScanProgressMeterTest, NewTableRetryAndForgetRestartTheClock) {
  ScanProgressMeter meter(seconds(1));
  const auto t0 = ScanProgressMeter::Clock::time_point{};
  EXPECT_EQ(meter.Update("s", At("a", 10, 100), t0), std::nullopt);
  EXPECT_EQ(meter.Update("s", At("b", 10, 100), t0 + seconds(3)), std::nullopt);  // new table
  EXPECT_EQ(meter.Update("s", At("b", 5, 100), t0 + seconds(6)), std::nullopt);   // a retry
  EXPECT_EQ(meter.Update("s", At("b", 45, 100), t0 + seconds(10)),
            "s: b 45 of ~100 rows, 10 rows/s, ETA ~6 s");
  meter.Forget("s");
  EXPECT_EQ(meter.Update("s", At("b", 50, 100), t0 + seconds(20)), std::nullopt);
  // Sources are measured apart.
  EXPECT_EQ(meter.Update("t", At("b", 0, -1), t0 + seconds(20)), std::nullopt);
}

TEST(ScanProgressMeterTest, NumberAndDurationTexts) {
  EXPECT_EQ(GroupedInteger(0), "0");
  EXPECT_EQ(GroupedInteger(999), "999");
  EXPECT_EQ(GroupedInteger(1000), "1,000");
  EXPECT_EQ(GroupedInteger(1234567), "1,234,567");
  EXPECT_EQ(GroupedInteger(-1234), "-1,234");
  EXPECT_EQ(DurationText(59), "59 s");
  EXPECT_EQ(DurationText(185), "3 min 05 s");
  EXPECT_EQ(DurationText(7620), "2 h 07 min");
}

}  // namespace
}  // namespace dqa
