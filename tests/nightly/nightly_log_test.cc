#include "core/nightly/nightly_log.h"

#include <gtest/gtest.h>

namespace dqa::nightly {
namespace {

TEST(NightlyLogTest, SyslogPrioritiesForJournald) {
  EXPECT_EQ(SyslogPriority(spdlog::level::trace), 7);
  EXPECT_EQ(SyslogPriority(spdlog::level::debug), 7);
  EXPECT_EQ(SyslogPriority(spdlog::level::info), 6);
  EXPECT_EQ(SyslogPriority(spdlog::level::warn), 4);
  EXPECT_EQ(SyslogPriority(spdlog::level::err), 3);
  EXPECT_EQ(SyslogPriority(spdlog::level::critical), 2);
}

TEST(NightlyLogTest, FormatSeconds) {
  EXPECT_EQ(FormatSeconds(0), "0s");
  EXPECT_EQ(FormatSeconds(12.4), "12s");
  EXPECT_EQ(FormatSeconds(65), "1m 05s");
  EXPECT_EQ(FormatSeconds(3725), "1h 02m");
  EXPECT_EQ(FormatSeconds(-3), "0s");
}

TEST(NightlyLogTest, ProgressTextShowsBarCountsEtaAndRunningSources) {
  EXPECT_EQ(ProgressText(0, 8, 0, -1, "", 200), "[>                       ] 0/8 sources  ETA ?");
  EXPECT_EQ(ProgressText(3, 8, 2, 250, "population, civil", 200),
            "[=========>              ] 3/8 sources, 2 carried over  ETA 4m 10s  population, civil");
  EXPECT_EQ(ProgressText(8, 8, 0, 0, "", 200), "[========================] 8/8 sources");
  // Never wider than the terminal, so the line can be redrawn in place.
  EXPECT_EQ(ProgressText(3, 8, 2, 250, "population", 30), "[=========>              ] 3/");
  EXPECT_EQ(ProgressText(0, 0, 0, -1, "", 200), "[========================] 0/0 sources");
}

}  // namespace
}  // namespace dqa::nightly
