// DistinctCounter (exact, then HyperLogLog) and HeavyHitters (exact, then Space-Saving).
#include "core/profiling/sketches.h"

#include <gtest/gtest.h>

#include <string>

namespace dqa::profiling {
namespace {

TEST(DistinctCounterTest, ExactUpToTheCap) {
  DistinctCounter counter(1000);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 1000; ++i) counter.Add(HashValue(3, std::to_string(i)));
  }
  EXPECT_TRUE(counter.exact());
  EXPECT_EQ(counter.Count(), 1000);
}

TEST(DistinctCounterTest, StorageClassesAreDistinct) {
  DistinctCounter counter;
  counter.Add(HashValue(1, "1"));  // INTEGER 1
  counter.Add(HashValue(3, "1"));  // TEXT '1'
  counter.Add(HashValue(3, "1"));
  EXPECT_EQ(counter.Count(), 2);
}

TEST(DistinctCounterTest, HyperLogLogEstimateAboveTheCapWithinThreePercent) {
  struct Case {
    int distinct;
  };
  for (const Case c : {Case{5000}, Case{200000}}) {
    DistinctCounter counter(1000);
    for (int i = 0; i < c.distinct; ++i) {
      const std::string v = "value-" + std::to_string(i);
      counter.Add(HashValue(3, v));
      counter.Add(HashValue(3, v));  // repeats do not count
    }
    EXPECT_FALSE(counter.exact());
    EXPECT_NEAR(static_cast<double>(counter.Count()), c.distinct, 0.03 * c.distinct) << c.distinct;
  }
}

TEST(HeavyHittersTest, ExactWhileWithinCapacity) {
  HeavyHitters h(3);
  for (const char* v : {"b", "a", "b", "c", "b", "a"}) h.Add(v);
  ASSERT_TRUE(h.exact());
  const auto top = h.Top(10);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].value, "b");
  EXPECT_EQ(top[0].count, 3);
  EXPECT_EQ(top[1].value, "a");
  EXPECT_EQ(top[1].count, 2);
  EXPECT_EQ(top[2].value, "c");
  EXPECT_EQ(top[2].count, 1);
  EXPECT_EQ(top[2].error, 0);
}

TEST(HeavyHittersTest, SpaceSavingKeepsFrequentValuesWithBoundedError) {
  HeavyHitters h(50);
  // 30% "Nam", 20% "Nữ", the rest 10,000 distinct values once each.
  int64_t total = 0;
  for (int i = 0; i < 10000; ++i) {
    h.Add("x" + std::to_string(i));
    ++total;
    if (i % 7 < 3) h.Add("Nam"), ++total;
    if (i % 7 == 3 || i % 7 == 4) h.Add("Nữ"), ++total;
  }
  ASSERT_FALSE(h.exact());
  EXPECT_EQ(h.size(), 50u);
  const auto top = h.Top(2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].value, "Nam");
  EXPECT_EQ(top[1].value, "Nữ");
  const int64_t nam = 10000 / 7 * 3 + 3;  // i % 7 in {0,1,2}, 10000 = 7*1428 + 4
  const int64_t nu = 10000 / 7 * 2 + 1;
  EXPECT_LE(top[0].count - top[0].error, nam);
  EXPECT_GE(top[0].count, nam);
  EXPECT_LE(top[1].count - top[1].error, nu);
  EXPECT_GE(top[1].count, nu);
  EXPECT_LE(top[0].error, total / 50);
}

}  // namespace
}  // namespace dqa::profiling
