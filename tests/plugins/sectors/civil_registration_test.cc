// Domain logic of the civil_registration plugin: legal deadlines, timeliness, identity numbers.
#include <gtest/gtest.h>

#include "dqaudit/date_text.h"
#include "plugins/civil_registration/registration.h"

namespace dqa::civil_registration {
namespace {

using sdk::DateFormat;
using sdk::ParseDay;

TEST(RegistrationTest, LegalDeadlinesOfTheLawOnCivilStatus) {
  EXPECT_EQ(LegalDeadlineDays(EventKind::kBirth), 60);
  EXPECT_EQ(LegalDeadlineDays(EventKind::kDeath), 15);
  EXPECT_EQ(ParseEventKind("birth"), EventKind::kBirth);
  EXPECT_EQ(ParseEventKind("death"), EventKind::kDeath);
  EXPECT_FALSE(ParseEventKind("marriage"));
}

struct TimelinessCase {
  const char* event;
  const char* registered;
  int64_t deadline;
  TimelinessVerdict expected;
};

TEST(RegistrationTest, JudgesBeforeEventOnTimeAndLate) {
  const std::vector<TimelinessCase> cases = {
      {"1/3/2025", "1/3/2025", 15, TimelinessVerdict::kOnTime},
      {"1/3/2025", "16/3/2025", 15, TimelinessVerdict::kOnTime},  // day 15 is within the deadline
      {"1/3/2025", "17/3/2025", 15, TimelinessVerdict::kLate},
      {"1/3/2025", "28/2/2025", 15, TimelinessVerdict::kBeforeEvent},
      {"01/01/2025", "02/03/2025", 60, TimelinessVerdict::kOnTime},
      {"01/01/2025", "03/03/2025", 60, TimelinessVerdict::kLate},
      {"31/02/2025", "03/03/2025", 60, TimelinessVerdict::kUnjudged},
      {"không rõ", "03/03/2025", 60, TimelinessVerdict::kUnjudged},
      {"2025-01-01", "03/03/2025", 60, TimelinessVerdict::kUnjudged},  // ISO in a dmy register
  };
  for (const auto& c : cases) {
    EXPECT_EQ(JudgeRegistration(ParseDay(c.event, DateFormat::kDmy),
                                ParseDay(c.registered, DateFormat::kDmy), c.deadline),
              c.expected)
        << c.event << " -> " << c.registered;
  }
  EXPECT_EQ(JudgeRegistration(std::nullopt, 5, 15), TimelinessVerdict::kUnjudged);
}

TEST(RegistrationTest, IdentityNumberIsTwelveOrNineDigits) {
  EXPECT_TRUE(IsIdentityNumber("082085000123"));
  EXPECT_TRUE(IsIdentityNumber("312345678"));
  EXPECT_TRUE(IsIdentityNumber(" 082085000123 "));
  for (const char* bad :
       {"", "   ", "0", "không có", "08208500012", "0820850001234", "08208500012x"}) {
    EXPECT_FALSE(IsIdentityNumber(bad)) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace dqa::civil_registration
