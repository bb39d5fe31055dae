#include "cccd.h"

#include <algorithm>

#include "dqaudit/text.h"

namespace dqa::population {

const std::vector<ProvinceCode>& ProvinceCodes() {
  // Appendix of Circular 07/2016/TT-BCA (unchanged by 59/2021/TT-BCA): the 63 provinces and
  // centrally-run cities before the 2025 merger. Codes are sparse because they follow the
  // administrative-unit codes of Decision 124/2004/QĐ-TTg.
  static const std::vector<ProvinceCode> kCodes = {
      {"001", "Hà Nội"},
      {"002", "Hà Giang"},
      {"004", "Cao Bằng"},
      {"006", "Bắc Kạn"},
      {"008", "Tuyên Quang"},
      {"010", "Lào Cai"},
      {"011", "Điện Biên"},
      {"012", "Lai Châu"},
      {"014", "Sơn La"},
      {"015", "Yên Bái"},
      {"017", "Hòa Bình"},
      {"019", "Thái Nguyên"},
      {"020", "Lạng Sơn"},
      {"022", "Quảng Ninh"},
      {"024", "Bắc Giang"},
      {"025", "Phú Thọ"},
      {"026", "Vĩnh Phúc"},
      {"027", "Bắc Ninh"},
      {"030", "Hải Dương"},
      {"031", "Hải Phòng"},
      {"033", "Hưng Yên"},
      {"034", "Thái Bình"},
      {"035", "Hà Nam"},
      {"036", "Nam Định"},
      {"037", "Ninh Bình"},
      {"038", "Thanh Hóa"},
      {"040", "Nghệ An"},
      {"042", "Hà Tĩnh"},
      {"044", "Quảng Bình"},
      {"045", "Quảng Trị"},
      {"046", "Thừa Thiên Huế"},
      {"048", "Đà Nẵng"},
      {"049", "Quảng Nam"},
      {"051", "Quảng Ngãi"},
      {"052", "Bình Định"},
      {"054", "Phú Yên"},
      {"056", "Khánh Hòa"},
      {"058", "Ninh Thuận"},
      {"060", "Bình Thuận"},
      {"062", "Kon Tum"},
      {"064", "Gia Lai"},
      {"066", "Đắk Lắk"},
      {"067", "Đắk Nông"},
      {"068", "Lâm Đồng"},
      {"070", "Bình Phước"},
      {"072", "Tây Ninh"},
      {"074", "Bình Dương"},
      {"075", "Đồng Nai"},
      {"077", "Bà Rịa - Vũng Tàu"},
      {"079", "Hồ Chí Minh"},
      {"080", "Long An"},
      {"082", "Tiền Giang"},
      {"083", "Bến Tre"},
      {"084", "Trà Vinh"},
      {"086", "Vĩnh Long"},
      {"087", "Đồng Tháp"},
      {"089", "An Giang"},
      {"091", "Kiên Giang"},
      {"092", "Cần Thơ"},
      {"093", "Hậu Giang"},
      {"094", "Sóc Trăng"},
      {"095", "Bạc Liêu"},
      {"096", "Cà Mau"},
  };
  return kCodes;
}

std::optional<std::string_view> ProvinceName(std::string_view code) {
  const auto& codes = ProvinceCodes();
  auto it = std::lower_bound(codes.begin(), codes.end(), code,
                             [](const ProvinceCode& p, std::string_view c) { return p.code < c; });
  if (it == codes.end() || it->code != code) return std::nullopt;
  return it->name;
}

CccdVerdict CheckCccd(std::string_view cccd, std::optional<int64_t> birth_year, Gender gender) {
  if (cccd.size() != 12 || !sdk::IsAsciiDigits(cccd)) return CccdVerdict::kNotTwelveDigits;
  if (!ProvinceName(cccd.substr(0, 3))) return CccdVerdict::kUnknownProvince;
  const int digit = cccd[3] - '0';
  if (gender != Gender::kUnknown && (digit % 2 == 1) != (gender == Gender::kFemale)) {
    return CccdVerdict::kGenderMismatch;
  }
  if (birth_year) {
    // Floor division so that years before 1900 get a negative (invalid) century index; written
    // without `year - 99`, which overflowed for years near INT64_MIN (tests/fuzz/cccd_phone_fuzz.cc).
    const int64_t century_index =
        *birth_year / 100 - (*birth_year % 100 < 0 ? 1 : 0) - 19;
    if (century_index < 0 || century_index > 4 || century_index != digit / 2) {
      return CccdVerdict::kCenturyMismatch;
    }
    const int64_t yy = (cccd[4] - '0') * 10 + (cccd[5] - '0');
    if (yy != *birth_year % 100) return CccdVerdict::kBirthYearMismatch;
  }
  return CccdVerdict::kValid;
}

std::string_view Describe(CccdVerdict verdict) {
  switch (verdict) {
    case CccdVerdict::kValid:
      return "hợp lệ";
    case CccdVerdict::kNotTwelveDigits:
      return "không đủ 12 chữ số";
    case CccdVerdict::kUnknownProvince:
      return "mã tỉnh không tồn tại";
    case CccdVerdict::kGenderMismatch:
      return "mã giới tính không khớp giới tính";
    case CccdVerdict::kCenturyMismatch:
      return "mã thế kỷ không khớp năm sinh";
    case CccdVerdict::kBirthYearMismatch:
      return "hai số năm sinh không khớp";
  }
  return "";
}

}  // namespace dqa::population
