#include "birth_date.h"

#include <algorithm>
#include <utility>

#include "dqaudit/dates.h"

namespace dqa::population {

BirthDateVerdict CheckBirthDate(std::optional<int64_t> day, int64_t today_day,
                                int64_t max_age_years) {
  if (!day) return BirthDateVerdict::kUnparseable;
  if (*day > today_day) return BirthDateVerdict::kFuture;
  const int64_t oldest = sdk::Duration{max_age_years, 'y'}.Before(today_day);
  if (*day < oldest) return BirthDateVerdict::kTooOld;
  return BirthDateVerdict::kValid;
}

GenderReader::GenderReader() : male_{"Nam"}, female_{"N\xE1\xBB\xAF", "Nu\xCC\x9B\xCC\x83"} {}

GenderReader::GenderReader(std::vector<std::string> male, std::vector<std::string> female)
    : male_(std::move(male)), female_(std::move(female)) {}

Gender GenderReader::Read(std::optional<std::string_view> text) const {
  if (!text) return Gender::kUnknown;
  auto in = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), *text) != list.end();
  };
  if (in(male_)) return Gender::kMale;
  if (in(female_)) return Gender::kFemale;
  return Gender::kUnknown;
}

}  // namespace dqa::population
