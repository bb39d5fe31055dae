// Vietnamese reference data for the demo province: province codes, its real communes, personal
// names.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scripts/datagen/rng.h"

namespace dqa::datagen {

struct Province {
  std::string code;  // 3-digit CCCD province code ("001" Hà Nội ... "096" Cà Mau)
  std::string name;
};

// The 63 province-level units and their CCCD codes (Circular 07/2016/TT-BCA, before the 2025 merger).
const std::vector<Province>& Provinces();

// The demo province: Tiền Giang, CCCD code 082.
inline constexpr const char* kDemoProvinceCode = "082";
inline constexpr const char* kDemoProvinceName = "Tiền Giang";

struct Commune {
  std::string code;           // 5-digit code of the national list of administrative units
  std::string name;           // "Phường 1", "Xã Tân Phú", "Thị trấn Cái Bè"
  std::string district_code;  // 3-digit, 815..825
  std::string district_name;  // "Thành phố Mỹ Tho", "Huyện Cái Bè"
};

// The 172 real communes of the demo province (11 districts), in code order: a fixed list,
// independent of seed and scale. Only the units are real; people and records are generated.
const std::vector<Commune>& DemoCommunes();

enum class Gender { kMale, kFemale };

// A full name "Họ Đệm Tên" in NFC with realistic surname frequencies and gendered middle and given
// names.
std::string RandomFullName(Rng& rng, Gender gender);
// A surname alone (for parents' names sharing the child's surname).
std::string RandomSurname(Rng& rng);
std::string RandomMiddleAndGiven(Rng& rng, Gender gender);

}  // namespace dqa::datagen
