// Domain logic of the population plugin: CCCD structure, phone numbering, birth dates, gender text.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "dqaudit/date_text.h"
#include "plugins/population/birth_date.h"
#include "plugins/population/cccd.h"
#include "plugins/population/phone.h"

namespace dqa::population {
namespace {

using sdk::DateFormat;
using sdk::ParseDateFormat;
using sdk::ParseDay;

TEST(CccdTest, ProvinceListIsTheSixtyThreeOfficialCodesInOrder) {
  const auto& codes = ProvinceCodes();
  ASSERT_EQ(codes.size(), 63u);
  EXPECT_EQ(codes.front().code, "001");
  EXPECT_EQ(codes.front().name, "Hà Nội");
  EXPECT_EQ(codes.back().code, "096");
  EXPECT_EQ(codes.back().name, "Cà Mau");
  for (size_t i = 1; i < codes.size(); ++i) EXPECT_LT(codes[i - 1].code, codes[i].code) << i;
  EXPECT_EQ(ProvinceName("079"), "Hồ Chí Minh");
  EXPECT_EQ(ProvinceName("082"), "Tiền Giang");
  for (const char* unused : {"000", "003", "005", "081", "090", "097", "099"}) {
    EXPECT_FALSE(ProvinceName(unused).has_value()) << unused;
  }
}

struct CccdCase {
  const char* cccd;
  std::optional<int64_t> year;
  Gender gender;
  CccdVerdict expected;
};

TEST(CccdTest, VerdictsFollowCircular07) {
  const std::vector<CccdCase> cases = {
      {"082085000123", 1985, Gender::kMale, CccdVerdict::kValid},
      {"082185000123", 1985, Gender::kFemale, CccdVerdict::kValid},
      {"001200000001", 2000, Gender::kMale, CccdVerdict::kValid},  // 2000 is in the 2000s code
      {"001399123456", 2099, Gender::kFemale, CccdVerdict::kValid},
      {"096499000000", 2199, Gender::kMale, CccdVerdict::kValid},  // 22nd century code 4/5
      {"082185000123", std::nullopt, Gender::kUnknown, CccdVerdict::kValid},
      {"31234567", 1985, Gender::kMale, CccdVerdict::kNotTwelveDigits},
      {"312345678", 1985, Gender::kMale, CccdVerdict::kNotTwelveDigits},  // old 9-digit CMND
      {"", std::nullopt, Gender::kUnknown, CccdVerdict::kNotTwelveDigits},
      {" 082085000123", 1985, Gender::kMale, CccdVerdict::kNotTwelveDigits},
      {"08208500012a", 1985, Gender::kMale, CccdVerdict::kNotTwelveDigits},
      {"0820850001234", 1985, Gender::kMale, CccdVerdict::kNotTwelveDigits},
      {"003085000123", 1985, Gender::kMale, CccdVerdict::kUnknownProvince},
      {"099085000123", std::nullopt, Gender::kUnknown, CccdVerdict::kUnknownProvince},
      {"082185000123", 1985, Gender::kMale, CccdVerdict::kGenderMismatch},
      {"082085000123", 1985, Gender::kFemale, CccdVerdict::kGenderMismatch},
      {"082285000123", 1985, Gender::kMale, CccdVerdict::kCenturyMismatch},
      {"082005000123", 2005, Gender::kMale, CccdVerdict::kCenturyMismatch},
      {"082099000123", 1899, Gender::kMale, CccdVerdict::kCenturyMismatch},  // no code before 1900
      {"082086000123", 1985, Gender::kMale, CccdVerdict::kBirthYearMismatch},
      {"082086000123", 1985, Gender::kUnknown, CccdVerdict::kBirthYearMismatch},
      {"082185000123", std::nullopt, Gender::kMale, CccdVerdict::kGenderMismatch},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CheckCccd(c.cccd, c.year, c.gender), c.expected) << "'" << c.cccd << "'";
  }
}

// Found by tests/fuzz/cccd_phone_fuzz.cc: a birth year near INT64_MIN overflowed the century's
// floor division (undefined behaviour, reported by the sanitizer build of the unit tests).
TEST(CccdTest, ExtremeBirthYearsAreCenturyMismatches) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  for (const int64_t year : {kMin, kMin + 21, kMin + 99, int64_t{-1}, kMax}) {
    EXPECT_EQ(CheckCccd("038000850001", year, Gender::kMale), CccdVerdict::kCenturyMismatch)
        << year;
  }
}

struct PhoneCase {
  const char* value;
  PhoneVerdict expected;
};

TEST(PhoneTest, ClassifiesMobileAndLandlineNumbering) {
  const std::vector<PhoneCase> cases = {
      {"0912345678", PhoneVerdict::kMobile},
      {"0321234567", PhoneVerdict::kMobile},
      {"0391234567", PhoneVerdict::kMobile},
      {"0521234567", PhoneVerdict::kMobile},
      {"0701234567", PhoneVerdict::kMobile},
      {"0761234567", PhoneVerdict::kMobile},
      {"0811234567", PhoneVerdict::kMobile},
      {"0891234567", PhoneVerdict::kMobile},
      {"+84912345678", PhoneVerdict::kMobile},
      {"84912345678", PhoneVerdict::kMobile},
      {"02733123456", PhoneVerdict::kLandline},
      {"02412345678", PhoneVerdict::kLandline},
      {"02812345678", PhoneVerdict::kLandline},
      {"+842733123456", PhoneVerdict::kLandline},
      {"842733123456", PhoneVerdict::kLandline},
      {"0301234567", PhoneVerdict::kUnknownMobilePrefix},
      {"0311234567", PhoneVerdict::kUnknownMobilePrefix},
      {"0531234567", PhoneVerdict::kUnknownMobilePrefix},
      {"0711234567", PhoneVerdict::kUnknownMobilePrefix},
      {"0801234567", PhoneVerdict::kUnknownMobilePrefix},
      {"0271234567", PhoneVerdict::kUnknownMobilePrefix},
      {"01621234567", PhoneVerdict::kRetiredMobile},
      {"02171234567", PhoneVerdict::kUnknownAreaCode},  // 217 was never allocated
      {"02231234567", PhoneVerdict::kUnknownAreaCode},
      {"091234567", PhoneVerdict::kWrongLength},
      {"9123456789", PhoneVerdict::kWrongLength},
      {"091 234 5678", PhoneVerdict::kNotDigits},
      {"091.234.5678", PhoneVerdict::kNotDigits},
      {"", PhoneVerdict::kNotDigits},
      {"N/A", PhoneVerdict::kNotDigits},
      {"+8409123456789", PhoneVerdict::kNotDigits},
  };
  for (const auto& c : cases)
    EXPECT_EQ(ClassifyPhone(c.value, {}), c.expected) << "'" << c.value << "'";
}

TEST(PhoneTest, OptionsTurnOffInternationalFormsAndLandlines) {
  const PhoneOptions national_only{.allow_international = false, .allow_landline = true};
  EXPECT_EQ(ClassifyPhone("+84912345678", national_only), PhoneVerdict::kNotDigits);
  EXPECT_EQ(ClassifyPhone("84912345678", national_only), PhoneVerdict::kNotDigits);
  EXPECT_EQ(ClassifyPhone("0912345678", national_only), PhoneVerdict::kMobile);
  const PhoneOptions mobile_only{.allow_international = true, .allow_landline = false};
  EXPECT_EQ(ClassifyPhone("02733123456", mobile_only), PhoneVerdict::kUnknownAreaCode);
  EXPECT_EQ(NationalForm("+84912345678"), "0912345678");
  EXPECT_EQ(NationalForm("0912345678"), "0912345678");
  EXPECT_EQ(NationalForm("8491234567"), "8491234567");  // 10 characters: not an international form
}

TEST(PhoneTest, EveryAllocatedPrefixIsMobileAndNoOther) {
  int mobile = 0;
  for (int p = 0; p < 100; ++p) {
    const std::string prefix = "0" + std::to_string(p / 10) + std::to_string(p % 10);
    mobile += IsMobilePrefix(prefix);
  }
  EXPECT_EQ(mobile, 8 + 5 + 5 + 9 + 10);  // 03x, 05x, 07x, 08x, 09x
  int area = 0;
  for (int c = 200; c < 300; ++c) area += IsAreaCode("0" + std::to_string(c));
  EXPECT_EQ(area + 2, 63);  // 61 three-digit codes + 024 + 028
  EXPECT_TRUE(IsAreaCode("024"));
  EXPECT_TRUE(IsAreaCode("028"));
  EXPECT_FALSE(IsAreaCode("025"));
}

TEST(BirthDateTest, FutureAndOlderThanMaxAgeAreViolationsBoundsInclusive) {
  const int64_t today = *ParseDay("2026-11-01", DateFormat::kIso);
  EXPECT_EQ(CheckBirthDate(today, today, 120), BirthDateVerdict::kValid);
  EXPECT_EQ(CheckBirthDate(today + 1, today, 120), BirthDateVerdict::kFuture);
  EXPECT_EQ(CheckBirthDate(ParseDay("1906-11-01", DateFormat::kIso), today, 120),
            BirthDateVerdict::kValid);
  EXPECT_EQ(CheckBirthDate(ParseDay("1906-10-31", DateFormat::kIso), today, 120),
            BirthDateVerdict::kTooOld);
  EXPECT_EQ(CheckBirthDate(std::nullopt, today, 120), BirthDateVerdict::kUnparseable);
  const int64_t leap = *ParseDay("2024-02-29", DateFormat::kIso);
  EXPECT_EQ(CheckBirthDate(ParseDay("2023-02-28", DateFormat::kIso), leap, 1),
            BirthDateVerdict::kValid);
  EXPECT_EQ(CheckBirthDate(ParseDay("2023-02-27", DateFormat::kIso), leap, 1),
            BirthDateVerdict::kTooOld);
}

TEST(DateTextTest, ParsesIsoAndDayMonthYearWithOrWithoutPadding) {
  const int64_t day = *ParseDay("2025-03-05", DateFormat::kIso);
  EXPECT_EQ(ParseDay("5/3/2025", DateFormat::kDmy), day);
  EXPECT_EQ(ParseDay("05/03/2025", DateFormat::kAuto), day);
  EXPECT_EQ(ParseDay("2025-03-05 08:30:00", DateFormat::kAuto), day);
  EXPECT_EQ(ParseDay(" 5/3/2025 ", DateFormat::kDmy), day);
  EXPECT_FALSE(ParseDay("2025-03-05", DateFormat::kDmy));
  EXPECT_FALSE(ParseDay("05/03/2025", DateFormat::kIso));
  EXPECT_FALSE(ParseDay("31/02/2025", DateFormat::kDmy));
  EXPECT_FALSE(ParseDay("2024-02-30", DateFormat::kIso));
  EXPECT_FALSE(ParseDay("không rõ", DateFormat::kAuto));
  EXPECT_FALSE(ParseDay("", DateFormat::kAuto));
  EXPECT_FALSE(ParseDay("2025-3-5", DateFormat::kAuto));
  EXPECT_FALSE(ParseDateFormat("ymd"));
}

TEST(GenderReaderTest, DefaultAcceptsNamAndNuInNfcAndNfdOnly) {
  const GenderReader reader;
  EXPECT_EQ(reader.Read("Nam"), Gender::kMale);
  EXPECT_EQ(reader.Read("N\xE1\xBB\xAF"), Gender::kFemale);       // NFC
  EXPECT_EQ(reader.Read("Nu\xCC\x9B\xCC\x83"), Gender::kFemale);  // NFD
  for (const char* other : {"nam", "N\xE1\xBB\xAF ", "Nu", "F", "1", ""}) {
    EXPECT_EQ(reader.Read(std::string_view(other)), Gender::kUnknown) << other;
  }
  EXPECT_EQ(reader.Read(std::nullopt), Gender::kUnknown);
  const GenderReader custom({"M"}, {"F"});
  EXPECT_EQ(custom.Read("F"), Gender::kFemale);
  EXPECT_EQ(custom.Read("Nam"), Gender::kUnknown);
}

}  // namespace
}  // namespace dqa::population
