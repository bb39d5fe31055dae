#include "core/checks/record_linkage.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dqa {
namespace {

MatchModel TwoFieldModel() {
  return MatchModel({{"name", {0.05, 0.15, 0.80}, {0.90, 0.09, 0.01}},
                     {"birth_date", {0.02, 0.98}, {0.999, 0.001}}},
                    /*prior=*/0.001);
}

TEST(MatchModelTest, WeightsAreLogOddsOfTheLevels) {
  const MatchModel model = TwoFieldModel();
  EXPECT_DOUBLE_EQ(model.Weight(0, 2), std::log2(0.80 / 0.01));
  EXPECT_DOUBLE_EQ(model.Weight(0, 0), std::log2(0.05 / 0.90));
  EXPECT_DOUBLE_EQ(model.Weight(1, kUnknownLevel), 0);
  const double prior = std::log2(0.001 / 0.999);
  EXPECT_DOUBLE_EQ(model.MatchWeight({2, 1}), prior + std::log2(80) + std::log2(980));
  // A missing birth date adds nothing.
  EXPECT_DOUBLE_EQ(model.MatchWeight({2, kUnknownLevel}), prior + std::log2(80));
}

TEST(MatchModelTest, ProbabilityOfAWeight) {
  EXPECT_DOUBLE_EQ(MatchModel::Probability(0), 0.5);
  EXPECT_NEAR(MatchModel::Probability(std::log2(9)), 0.9, 1e-12);
  EXPECT_NEAR(MatchModel::Probability(-std::log2(9)), 0.1, 1e-12);
  const MatchModel model = TwoFieldModel();
  EXPECT_GT(MatchModel::Probability(model.MatchWeight({2, 1})), 0.98);
  EXPECT_LT(MatchModel::Probability(model.MatchWeight({0, 1})), 0.5);
}

TEST(MatchModelTest, EstimatedUIsTheSmoothedFrequencyAmongRandomPairs) {
  MatchModel model = TwoFieldModel();
  model.EstimateU(0, {995, 5, 0});
  // (count + 0.5) / (1000 + 1.5)
  EXPECT_DOUBLE_EQ(model.fields()[0].u[0], 995.5 / 1001.5);
  EXPECT_DOUBLE_EQ(model.fields()[0].u[1], 5.5 / 1001.5);
  EXPECT_DOUBLE_EQ(model.fields()[0].u[2], 0.5 / 1001.5);
  EXPECT_TRUE(std::isfinite(model.Weight(0, 2)));
  model.EstimateU(1, {});  // nothing observed: the defaults stay
  EXPECT_DOUBLE_EQ(model.fields()[1].u[1], 0.001);
}

// A million pairs of which 1,000 are one person: the name is exact for all of them and the phone
// agrees for half (a phone number is often re-typed). Starting from a wrong guess (phones agree
// for 80% of matches), expectation-maximisation with u fixed finds the phone's m and the prior.
TEST(MatchModelTest, EstimatedMAndPriorComeFromThePatternsOfTheComparedPairs) {
  MatchModel model({{"name", {0.05, 0.15, 0.80}, {0.90, 0.09, 0.01}},
                    {"phone", {0.20, 0.80}, {0.999, 0.001}}},
                   /*prior=*/0.01);
  const std::vector<LevelPattern> patterns = {
      // the same person
      {{2, 1}, 500}, {{2, 0}, 500},
      // different people, their levels drawn as u says
      {{0, 0}, 899101}, {{0, 1}, 899}, {{1, 0}, 89910}, {{1, 1}, 90}, {{2, 0}, 9990}, {{2, 1}, 10}};
  const int rounds = model.EstimateM(patterns, 1001000);
  EXPECT_GT(rounds, 1);
  EXPECT_LE(rounds, 30);
  EXPECT_NEAR(model.fields()[1].m[1], 0.5, 0.08);  // was 0.8
  EXPECT_GT(model.fields()[0].m[2], 0.85);  // every match has the exact name
  EXPECT_NEAR(model.prior(), 1000.0 / 1001000, 0.0005);
  EXPECT_DOUBLE_EQ(model.fields()[1].u[1], 0.001);  // u is kept

  // Patterns with no likely match leave the model as it was.
  MatchModel unchanged = TwoFieldModel();
  EXPECT_EQ(unchanged.EstimateM({{{0, 0}, 1000}}, 1e6), 0);
  EXPECT_DOUBLE_EQ(unchanged.fields()[0].m[2], 0.80);
  EXPECT_NEAR(unchanged.prior(), 0.001, 1e-12);
}

TEST(DisjointSetsTest, UnionsMakeClusters) {
  DisjointSets sets(6);
  EXPECT_TRUE(sets.Union(0, 1));
  EXPECT_TRUE(sets.Union(2, 1));
  EXPECT_FALSE(sets.Union(0, 2));
  EXPECT_TRUE(sets.Union(4, 5));
  EXPECT_EQ(sets.Find(0), sets.Find(2));
  EXPECT_NE(sets.Find(0), sets.Find(3));
  EXPECT_NE(sets.Find(0), sets.Find(4));
  EXPECT_EQ(sets.Find(4), sets.Find(5));
  EXPECT_EQ(sets.Find(3), 3u);
}

}  // namespace
}  // namespace dqa
