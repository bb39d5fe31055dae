// libFuzzer target: the population plugin's CCCD and phone validators (plugins/population). The
// first 9 input bytes choose the birth year (8 bytes, any int64), the gender and the phone options
// (1 byte); the rest is the value. Properties: no crash or undefined behaviour, verdicts agree with
// the documented structure (a valid CCCD is 12 digits of a known province; a valid phone number is
// 10 or 11 digits in national form), and NationalForm is idempotent.
#include <cstring>
#include <string>

#include "cccd.h"
#include "phone.h"
#include "tests/fuzz/fuzz_support.h"

namespace pop = dqa::population;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 9) return 0;
  uint64_t raw_year = 0;
  std::memcpy(&raw_year, data, sizeof raw_year);
  const auto year = static_cast<int64_t>(raw_year);
  const uint8_t flags = data[8];
  const std::string_view value = dqa::fuzz::AsText(data + 9, size - 9);

  const pop::Gender gender = flags % 3 == 0   ? pop::Gender::kUnknown
                             : flags % 3 == 1 ? pop::Gender::kMale
                                              : pop::Gender::kFemale;
  const std::optional<int64_t> birth_year =
      (flags & 0x4) ? std::optional<int64_t>(year) : std::nullopt;
  const pop::CccdVerdict verdict = pop::CheckCccd(value, birth_year, gender);
  DQA_FUZZ_CHECK(!pop::Describe(verdict).empty(), value);
  if (verdict == pop::CccdVerdict::kValid) {
    DQA_FUZZ_CHECK(value.size() == 12 && pop::ProvinceName(value.substr(0, 3)), value);
  }
  // Without the comparisons only the structure is checked.
  const pop::CccdVerdict structure = pop::CheckCccd(value, std::nullopt, pop::Gender::kUnknown);
  DQA_FUZZ_CHECK(structure == pop::CccdVerdict::kValid ||
                     structure == pop::CccdVerdict::kNotTwelveDigits ||
                     structure == pop::CccdVerdict::kUnknownProvince,
                 value);
  if (verdict == pop::CccdVerdict::kValid) {
    DQA_FUZZ_CHECK(structure == pop::CccdVerdict::kValid, value);
  }

  pop::PhoneOptions options;
  options.allow_international = (flags & 0x8) != 0;
  options.allow_landline = (flags & 0x10) != 0;
  const pop::PhoneVerdict phone = pop::ClassifyPhone(value, options);
  const std::string national = pop::NationalForm(value);
  DQA_FUZZ_CHECK(pop::NationalForm(national) == national, value);
  if (pop::IsValid(phone)) {
    const std::string& n = options.allow_international ? national : std::string(value);
    DQA_FUZZ_CHECK(n.size() == (phone == pop::PhoneVerdict::kMobile ? 10u : 11u) && n[0] == '0',
                   value);
    DQA_FUZZ_CHECK(options.allow_landline || phone == pop::PhoneVerdict::kMobile, value);
  }
  if (value.size() == 3) pop::IsMobilePrefix(value);
  if (value.size() == 3 || value.size() == 4) pop::IsAreaCode(value);
  return 0;
}
