// Domain logic of the social_protection plugin: payments after death, accounts, double enrolment,
// one person enrolled as two citizens.
#include <gtest/gtest.h>

#include "plugins/social_protection/benefits.h"

namespace dqa::social_protection {
namespace {

TEST(BenefitsTest, PaidAfterDeathIsStrictlyAfterAndNeedsBothDates) {
  EXPECT_TRUE(PaidAfterDeath(101, 100));
  EXPECT_FALSE(PaidAfterDeath(100, 100));  // paid on the day of death: not after
  EXPECT_FALSE(PaidAfterDeath(99, 100));
  EXPECT_FALSE(PaidAfterDeath(std::nullopt, 100));
  EXPECT_FALSE(PaidAfterDeath(101, std::nullopt));
  EXPECT_EQ(EarliestDay(5, 3), 3);
  EXPECT_EQ(EarliestDay(std::nullopt, 3), 3);
  EXPECT_EQ(EarliestDay(5, std::nullopt), 5);
  EXPECT_FALSE(EarliestDay(std::nullopt, std::nullopt));
}

TEST(BenefitsTest, AccountIsMissingWhenNullOrBlank) {
  EXPECT_TRUE(LacksAccount(std::nullopt));
  EXPECT_TRUE(LacksAccount(""));
  EXPECT_TRUE(LacksAccount(" \t"));
  EXPECT_FALSE(LacksAccount("1234567890"));
  EXPECT_FALSE(LacksAccount("STK 123"));  // malformed is the pattern check's business
  EXPECT_DOUBLE_EQ(CashlessCoveragePercent(200, 30), 85.0);
  EXPECT_DOUBLE_EQ(CashlessCoveragePercent(0, 0), 0.0);
}

TEST(BenefitsTest, EnrolmentCounterCountsPeopleNotRowsAndAllowsCombinableTypes) {
  EnrolmentCounter c({"nguoi_co_cong"});
  c.Add("A", "1", "khuyet_tat");
  c.Add("B", "2", "ho_ngheo");
  c.Add("A", "3", "khuyet_tat");  // same allowance twice
  c.Add("C", "4", "khuyet_tat");
  c.Add("C", "5", "nguoi_co_cong");  // merit allowance combines with assistance
  c.Add("D", "6", "ho_ngheo");
  c.Add("D", "7", "tre_mo_coi");  // two assistance allowances: only the highest is allowed
  c.Add("D", "8", "ho_ngheo");
  c.Add("E", "9", "nguoi_co_cong");  // the same merit allowance twice is still double
  c.Add("E", "10", "nguoi_co_cong");
  EXPECT_EQ(c.enrolments(), 10);
  EXPECT_EQ(c.people_enrolled_twice(), 3);
  EXPECT_EQ(c.extra_enrolments(), 1 + 2 + 1);
  EXPECT_EQ(c.violating_keys(), (std::vector<std::string>{"1", "3", "6", "7", "8", "9", "10"}));
}

}  // namespace
}  // namespace dqa::social_protection

namespace dqa::social_protection {
namespace {

TEST(BenefitsTest, ClusterEnrolmentsCountPeopleEnrolledUnderTwoIdentities) {
  ClusterEnrolments c;
  c.AddEnrolment("A1", "10");
  c.AddEnrolment("A2", "11");
  c.AddEnrolment("A2", "12");  // a second allowance of the same identity: enrolled_twice's business
  c.AddEnrolment("B1", "20");
  c.AddEnrolment("C1", "30");
  c.AddEnrolment("C2", "31");
  c.AddEnrolment("C3", "32");
  // Cluster 1: A1 and A2 enrolled. Cluster 2: B1 enrolled, B2 not, the third record has no id.
  // Cluster 3: three identities enrolled. Cluster 4: one identity twice (an exact duplicate).
  for (const auto& [group, id] : std::vector<std::pair<int64_t, std::string>>{
           {1, "A1"}, {1, "A2"}, {2, "B1"}, {2, "B2"}, {2, ""}, {3, "C1"}, {3, "C2"}, {3, "C3"},
           {4, "D1"}, {4, "D1"}}) {
    c.AddClusterRecord(group, id);
  }
  EXPECT_EQ(c.enrolments(), 7);
  EXPECT_EQ(c.people_enrolled_twice(), 2);
  EXPECT_EQ(c.extra_identities(), 3);
  EXPECT_EQ(c.violating_keys(), (std::vector<std::string>{"10", "11", "12", "30", "31", "32"}));
}

}  // namespace
}  // namespace dqa::social_protection
