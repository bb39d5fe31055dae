// CCCD (citizen identity card) number structure, Circular 07/2016/TT-BCA Art. 7 (59/2021/TT-BCA).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace dqa::population {

// A province-level unit and its 3-digit CCCD code ("001" Hà Nội ... "096" Cà Mau).
struct ProvinceCode {
  std::string_view code;
  std::string_view name;
};

// The 63 province codes of Circular 07/2016/TT-BCA, in code order.
const std::vector<ProvinceCode>& ProvinceCodes();

// The province named by a 3-digit code, or nullopt when the code is not an official one.
std::optional<std::string_view> ProvinceName(std::string_view code);

enum class Gender { kUnknown, kMale, kFemale };

enum class CccdVerdict {
  kValid,
  kNotTwelveDigits,    // anything but exactly 12 ASCII digits (9-digit CMND, spaces, '')
  kUnknownProvince,    // digits 1-3 are not an official province code
  kGenderMismatch,     // digit 4's gender (even male, odd female) differs from the gender column
  kCenturyMismatch,    // digit 4's century differs from the birth year's (or the year has no code)
  kBirthYearMismatch,  // digits 5-6 differ from the birth year mod 100
};

// Checks a CCCD number against the holder's birth year and gender. Digit 4 is
// 2 * (century - 20) + (female ? 1 : 0): 0/1 born 1900-1999, 2/3 2000-2099, 4/5 2100-2199,
// 6/7 2200-2299, 8/9 2300-2399. `birth_year` nullopt or `gender` kUnknown skip the comparisons
// that need them (the structure is still checked). Checks run in enum order; the first failure
// is returned.
CccdVerdict CheckCccd(std::string_view cccd, std::optional<int64_t> birth_year, Gender gender);

// Short Vietnamese explanation of a verdict, for messages.
std::string_view Describe(CccdVerdict verdict);

}  // namespace dqa::population
