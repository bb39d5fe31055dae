// Vietnamese telephone numbers after the 2018 mobile and 2017 landline renumbering.
#pragma once

#include <string>
#include <string_view>

namespace dqa::population {

enum class PhoneVerdict {
  kMobile,               // valid: 10 digits, an allocated 0xx mobile prefix
  kLandline,             // valid: 11 digits, 02 + an allocated area code
  kNotDigits,            // characters other than digits (spaces, dots, '-', letters, ''), or an
                         // international form when international forms are not allowed
  kRetiredMobile,        // 11 digits starting 01: a mobile number from before the 2018 conversion
  kUnknownMobilePrefix,  // 10 digits but the 3-digit prefix is not allocated to mobile networks
  kUnknownAreaCode,      // 11 digits starting 02 but not an allocated area code (or landlines off)
  kWrongLength,          // any other number of digits
};

struct PhoneOptions {
  bool allow_international = true;  // accept +84XXXXXXXXX and 84XXXXXXXXX (see NationalForm)
  bool allow_landline = true;       // accept fixed-line numbers
};

// The national (0-prefixed) form of `value`: "+84" followed by 9 or 10 digits, or "84" followed
// by 9 or 10 digits (total 11 or 12), becomes "0" + those digits. Anything else is returned
// unchanged. No separators are removed: stored numbers must be digits only.
std::string NationalForm(std::string_view value);

// Classifies a stored phone number. Mobile prefixes (Circular 22/2014/TT-BTTTT, conversion of
// 2018): 032-039, 052, 055, 056, 058, 059, 070, 076-079, 081-089, 090-099. Landlines (Decision
// 2036/QĐ-BTTTT, 2017): 024 Hà Nội and 028 Hồ Chí Minh + 8 digits, 02xx of the 61 other provinces
// + 7 digits.
PhoneVerdict ClassifyPhone(std::string_view value, const PhoneOptions& options);

inline bool IsValid(PhoneVerdict v) {
  return v == PhoneVerdict::kMobile || v == PhoneVerdict::kLandline;
}

// True when `prefix` (3 digits, "032") is allocated to a mobile network.
bool IsMobilePrefix(std::string_view prefix);
// True when `code` (3 or 4 digits with the leading 0: "024", "0273") is an area code.
bool IsAreaCode(std::string_view code);

}  // namespace dqa::population
