// Plausibility of a birth date and the holder's gender as the citizen register writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cccd.h"

namespace dqa::population {

enum class BirthDateVerdict {
  kValid,
  kUnparseable,  // not a date in the expected format, or not a real calendar day
  kFuture,       // after today
  kTooOld,       // before today minus max_age years (calendar years, 29 Feb clamps to 28 Feb)
};

// Judges a birth day (nullopt = unparseable) against `today_day` (days since 1970-01-01): valid
// when today - max_age_years <= day <= today. The bounds are inclusive.
BirthDateVerdict CheckBirthDate(std::optional<int64_t> day, int64_t today_day,
                                int64_t max_age_years);

// Maps the gender column's text to a gender by exact byte comparison with the accepted spellings;
// anything else is kUnknown (spelling is the `allowed` check's business, not the CCCD's).
class GenderReader {
 public:
  // Defaults: male "Nam"; female "Nữ" in NFC and in NFD (N, u, U+031B, U+0303).
  GenderReader();
  GenderReader(std::vector<std::string> male, std::vector<std::string> female);

  Gender Read(std::optional<std::string_view> text) const;

 private:
  std::vector<std::string> male_;
  std::vector<std::string> female_;
};

}  // namespace dqa::population
