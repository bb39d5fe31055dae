#include "phone.h"

#include <algorithm>
#include <array>

#include "dqaudit/text.h"

namespace dqa::population {
namespace {

// The 2xx area codes of the 61 provinces with 3-digit codes (Hà Nội 24 and Hồ Chí Minh 28 have
// 2-digit codes), Decision 2036/QĐ-BTTTT of 2016, in force 2017.
constexpr std::array<std::string_view, 61> kAreaCodes = {
    "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213", "214", "215",
    "216", "218", "219", "220", "221", "222", "225", "226", "227", "228", "229", "232", "233",
    "234", "235", "236", "237", "238", "239", "251", "252", "254", "255", "256", "257", "258",
    "259", "260", "261", "262", "263", "269", "270", "271", "272", "273", "274", "275", "276",
    "277", "290", "291", "292", "293", "294", "296", "297", "299"};

}  // namespace

std::string NationalForm(std::string_view value) {
  std::string_view rest;
  if (value.substr(0, 3) == "+84") {
    rest = value.substr(3);
  } else if (value.substr(0, 2) == "84" && (value.size() == 11 || value.size() == 12)) {
    rest = value.substr(2);
  } else {
    return std::string(value);
  }
  if ((rest.size() != 9 && rest.size() != 10) || !sdk::IsAsciiDigits(rest) || rest[0] == '0')
    return std::string(value);
  return "0" + std::string(rest);
}

bool IsMobilePrefix(std::string_view p) {
  if (p.size() != 3 || p[0] != '0') return false;
  const char a = p[1], b = p[2];
  switch (a) {
    case '3':
      return b >= '2' && b <= '9';
    case '5':
      return b == '2' || b == '5' || b == '6' || b == '8' || b == '9';
    case '7':
      return b == '0' || (b >= '6' && b <= '9');
    case '8':
      return b >= '1' && b <= '9';
    case '9':
      return b >= '0' && b <= '9';
    default:
      return false;
  }
}

bool IsAreaCode(std::string_view code) {
  if (code == "024" || code == "028") return true;
  if (code.size() != 4 || code[0] != '0') return false;
  return std::find(kAreaCodes.begin(), kAreaCodes.end(), code.substr(1)) != kAreaCodes.end();
}

PhoneVerdict ClassifyPhone(std::string_view value, const PhoneOptions& options) {
  const bool international =
      value.substr(0, 1) == "+" || (value.substr(0, 2) == "84" && value.size() >= 11);
  if (international && !options.allow_international) return PhoneVerdict::kNotDigits;
  const std::string n = options.allow_international ? NationalForm(value) : std::string(value);
  if (!sdk::IsAsciiDigits(n)) return PhoneVerdict::kNotDigits;
  if (n[0] != '0') return PhoneVerdict::kWrongLength;
  if (n.size() == 10) {
    return IsMobilePrefix(std::string_view(n).substr(0, 3)) ? PhoneVerdict::kMobile
                                                            : PhoneVerdict::kUnknownMobilePrefix;
  }
  if (n.size() == 11) {
    if (n[1] == '1') return PhoneVerdict::kRetiredMobile;
    if (n[1] != '2') return PhoneVerdict::kWrongLength;
    const std::string_view sv(n);
    const bool known = IsAreaCode(sv.substr(0, 3)) || IsAreaCode(sv.substr(0, 4));
    return known && options.allow_landline ? PhoneVerdict::kLandline
                                           : PhoneVerdict::kUnknownAreaCode;
  }
  return PhoneVerdict::kWrongLength;
}

}  // namespace dqa::population
